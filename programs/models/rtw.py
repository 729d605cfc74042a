"""A program's return-to-work plan: the graded schedule, restricted tasks, accommodations,
and a work capability statement in the spirit of a fit note.

The rules live in ``programs.rtw_rules`` (plain Python); ``clean()`` calls them so that the
form, the service and Django admin refuse the same values with the same words.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from patients.models import FrequencyClass, TaskType
from programs import rtw_rules
from programs.rtw_rules import (
    ACCOMMODATIONS,
    ADJUSTMENTS,
    MAX_DAYS,
    MAX_HOURS,
    MAX_MINUTES,
    MAX_WEEK,
    MIN_DAYS,
    MIN_HOURS,
)
from rtw.audit_tracking import Tracked

COMMENTS_MAX = 2000
NOTES_MAX = 1000


class Fitness(models.TextChoices):
    NOT_FIT = rtw_rules.NOT_FIT, "Not fit for work"
    MAY_BE_FIT = rtw_rules.MAY_BE_FIT, "May be fit for work"


def _errors(problems: list[tuple[str, str]]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)


class RtwPlan(Tracked):
    """One plan a program. Saving it (service ``save_plan``) signs it: the clinician's name
    and registration number are copied as they are that day, as on a fit note."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="rtw_plan"
    )
    starts_on = models.DateField("week 1 starts on", null=True, blank=True)

    equipment = models.BooleanField(default=False)
    modified_duty = models.BooleanField(default=False)
    flexible_hours = models.BooleanField(default=False)
    micro_breaks = models.BooleanField("micro-breaks", default=False)
    accommodation_notes = models.TextField(
        "accommodation details", blank=True, validators=[MaxLengthValidator(NOTES_MAX)]
    )

    fitness = models.CharField(max_length=16, choices=Fitness.choices, default=Fitness.MAY_BE_FIT)
    phased_return = models.BooleanField("a phased return to work", default=False)
    amended_duties = models.BooleanField(default=False)
    altered_hours = models.BooleanField(default=False)
    workplace_adaptations = models.BooleanField(default=False)
    functional_comments = models.TextField(
        blank=True, validators=[MaxLengthValidator(COMMENTS_MAX)]
    )
    valid_from = models.DateField()
    valid_to = models.DateField()
    next_review = models.DateField(null=True, blank=True)

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clinician_name = models.CharField(max_length=150)
    registration_number = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="rtw_plan_valid_to_after_from", condition=Q(valid_to__gte=F("valid_from"))
            ),
            models.CheckConstraint(
                name="rtw_plan_review_after_start",
                condition=Q(next_review__isnull=True) | Q(next_review__gte=F("valid_from")),
            ),
            models.CheckConstraint(
                name="rtw_plan_not_fit_has_no_adjustments",
                condition=~Q(fitness=rtw_rules.NOT_FIT)
                | Q(
                    phased_return=False,
                    amended_duties=False,
                    altered_hours=False,
                    workplace_adaptations=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Return-to-work plan for program {self.program_id}"

    @property
    def adjustments(self) -> list[str]:
        return [name for name, _ in ADJUSTMENTS if getattr(self, name)]

    @property
    def capability_text(self) -> str:
        return rtw_rules.capability_text(self.fitness, self.adjustments)

    @property
    def accommodation_labels(self) -> list[str]:
        return [label for name, label in ACCOMMODATIONS if getattr(self, name)]

    def clean(self) -> None:
        _errors(
            rtw_rules.statement_problems(
                fitness=self.fitness,
                adjustments=self.adjustments,
                comments=self.functional_comments,
                valid_from=self.valid_from,
                valid_to=self.valid_to,
                next_review=self.next_review,
            )
        )


class RtwStep(Tracked):
    """Weeks ``week_from``-``week_to`` of the graded return: hours a day, days a week, duties."""

    plan = models.ForeignKey(RtwPlan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    week_from = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEK)]
    )
    week_to = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEK)]
    )
    hours_per_day = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(MIN_HOURS), MaxValueValidator(MAX_HOURS)],
    )
    days_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_DAYS), MaxValueValidator(MAX_DAYS)]
    )
    duties = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="rtw_step_order_unique"),
            models.CheckConstraint(
                name="rtw_step_weeks_in_order",
                condition=Q(week_from__gte=1, week_to__gte=F("week_from"), week_to__lte=MAX_WEEK),
            ),
            models.CheckConstraint(
                name="rtw_step_hours_range",
                condition=Q(hours_per_day__gte=MIN_HOURS, hours_per_day__lte=MAX_HOURS),
            ),
            models.CheckConstraint(
                name="rtw_step_days_range",
                condition=Q(days_per_week__gte=MIN_DAYS, days_per_week__lte=MAX_DAYS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.values.weeks_text}: {self.values.dose_text}"

    @property
    def values(self) -> rtw_rules.Step:
        return rtw_rules.Step(
            self.week_from,
            self.week_to,
            Decimal(self.hours_per_day),
            self.days_per_week,
            self.duties,
        )

    def clean(self) -> None:
        if self.week_from and self.week_to and self.week_to < self.week_from:
            raise ValidationError({"week_to": "The last week is before the first."})


class RtwRestriction(Tracked):
    """A task the worker may do only within a limit (or not at all) for now."""

    plan = models.ForeignKey(RtwPlan, on_delete=models.CASCADE, related_name="restrictions")
    order = models.PositiveSmallIntegerField()
    task_type = models.CharField(max_length=32, choices=TaskType.choices)
    description = models.CharField(max_length=200, blank=True)
    avoid = models.BooleanField("avoid altogether", default=False)
    max_kg = models.DecimalField(
        "most kg",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(rtw_rules.MAX_KG)],
    )
    frequency = models.CharField(max_length=16, choices=FrequencyClass.choices, blank=True)
    max_minutes = models.PositiveSmallIntegerField(
        "most minutes at a time",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
    )
    note = models.CharField("written limit or note", max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="rtw_restriction_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task_text}: {self.limit_text}"

    @property
    def values(self) -> rtw_rules.Limit:
        return rtw_rules.Limit(
            task_type=self.task_type,
            description=self.description,
            avoid=self.avoid,
            max_kg=self.max_kg,
            frequency=self.frequency,
            max_minutes=self.max_minutes,
            note=self.note,
        )

    @property
    def task_text(self) -> str:
        label = self.get_task_type_display()
        return f"{label} ({self.description})" if self.description else label

    @property
    def limit_text(self) -> str:
        return rtw_rules.limit_text(self.values)

    def clean(self) -> None:
        _errors(rtw_rules.limit_problems(self.values))
