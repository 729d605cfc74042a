from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from patients.models import RedFlagTier
from programs import engine
from programs.models.programs import (
    MAX_QUANTITY,
    MAX_REPS,
    MAX_SETS,
    quantity_field,
    reps_field,
    sets_field,
)
from programs.rules import cap_problems, fmt
from rtw.audit_tracking import Tracked


class WeekDecision(models.TextChoices):
    """What set a week. A pause is never a week: nothing is planned while paused."""

    PROGRESS = engine.Decision.PROGRESS.value, "Progress"
    HOLD = engine.Decision.HOLD.value, "Hold"
    DELOAD = engine.Decision.DELOAD.value, "Deload"
    RESUME = engine.Decision.RESUME.value, "Resume"
    REGRESS = engine.Decision.REGRESS.value, "Regress"


class WeekStatus(models.TextChoices):
    PLANNED = "planned", "Planned, awaiting review"
    OPEN = "open", "Open for logging"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


CURRENT = (WeekStatus.PLANNED, WeekStatus.OPEN)


class PhaseProposalStatus(models.TextChoices):
    NONE = "", "None"
    PENDING = "pending", "Awaiting confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Not acted on before the next week was planned"


def score_field(verbose: str, **extra: Any) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(verbose, validators=[MaxValueValidator(10)], **extra)


class Week(Tracked):
    """One microcycle: the engine's decision, its reasons, and the items to do."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="weeks")
    phase = models.ForeignKey("programs.Phase", on_delete=models.PROTECT, related_name="weeks")
    index = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    decision = models.CharField(max_length=16, choices=WeekDecision.choices)
    # [{"code": ReasonCode, "text": plain words, "item": prescription key or null}]
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=WeekStatus.choices, default=WeekStatus.PLANNED)
    planned_sessions = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    # The cap the week was planned under: its items are checked against it.
    cap = models.DecimalField(max_digits=4, decimal_places=3)
    # {"ratio": "1.12" or null, "status": AcwrStatus, "method": ..., "text": ...}
    acwr = models.JSONField(default=dict, blank=True)
    # {"direction": "advance"|"back", "reasons": [...], "criteria": [...]}
    phase_proposal = models.JSONField(default=dict, blank=True)
    phase_proposal_status = models.CharField(
        max_length=16, choices=PhaseProposalStatus.choices, blank=True
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["program", "index"]
        # The weeks whose phase proposal still awaits the clinician (a new plan lapses them).
        indexes = [
            models.Index(
                fields=["program"],
                condition=Q(phase_proposal_status="pending"),
                name="week_pending_proposal",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "index"],
                condition=~Q(status="cancelled"),
                name="week_index_unique",
            ),
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["planned", "open"]),
                name="one_current_week_per_program",
            ),
            models.CheckConstraint(
                name="week_cap_10_to_20_percent",
                condition=Q(cap__gte=Decimal("0.10"), cap__lte=Decimal("0.20")),
            ),
        ]

    def __str__(self) -> str:
        return f"Week {self.index} ({self.start_date})"

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(days=6)

    @property
    def cap_percent(self) -> str:
        """0.15 → "15", 0.125 → "12.5"."""
        return fmt(self.cap * 100)

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT

    @property
    def reason_texts(self) -> list[str]:
        return [str(r.get("text", "")) for r in self.reasons]


class WeekItem(Tracked):
    """One prescription's values for one week: the engine's proposal, the limit it set, and
    the values to do (the proposal, or lower with a reason). Never above the cap."""

    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="items")
    prescription = models.ForeignKey(
        "programs.Prescription", on_delete=models.PROTECT, related_name="week_items"
    )
    order = models.PositiveSmallIntegerField(default=0)
    sets = sets_field()
    reps = reps_field()
    quantity = quantity_field()
    proposed_sets = models.PositiveSmallIntegerField()
    proposed_reps = models.PositiveSmallIntegerField()
    proposed_quantity = quantity_field("proposed quantity")
    # The completed-and-tolerated values the cap is measured from (none in a first week).
    base_sets = models.PositiveSmallIntegerField(null=True, blank=True)
    base_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    base_quantity = quantity_field("base quantity", null=True, blank=True)
    max_quantity = quantity_field("most that may be stored")
    override_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["week", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["week", "prescription"], name="one_item_per_prescription"
            ),
            models.CheckConstraint(
                name="week_item_not_above_max", condition=Q(quantity__lte=models.F("max_quantity"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prescription.exercise} in {self.week}"

    @property
    def unit(self) -> str:
        return self.prescription.exercise.unit

    @property
    def is_lowered(self) -> bool:
        return (self.sets, self.reps, self.quantity) != (
            self.proposed_sets,
            self.proposed_reps,
            self.proposed_quantity,
        )

    def cap_problems(self, sets: int, reps: int, quantity: Decimal) -> dict[str, str]:
        return cap_problems(
            sets=sets,
            reps=reps,
            quantity=quantity,
            base_sets=self.base_sets,
            base_reps=self.base_reps,
            base_quantity=self.base_quantity,
            max_quantity=self.max_quantity,
            cap=self.week.cap,
            target=self.prescription.target,
            unit=self.unit,
        )

    def clean(self) -> None:
        if not _valid_dose(self.sets, self.reps, self.quantity, minimum=1):
            return  # the field validators report these
        problems = self.cap_problems(self.sets, self.reps, self.quantity)
        if problems:
            raise ValidationError(problems)


def _valid_dose(sets: object, reps: object, quantity: object, *, minimum: int) -> bool:
    return (
        isinstance(sets, int)
        and isinstance(reps, int)
        and isinstance(quantity, Decimal)
        and quantity.is_finite()
        and minimum <= sets <= MAX_SETS
        and minimum <= reps <= MAX_REPS
        and 0 <= quantity <= MAX_QUANTITY
    )


class SessionLog(Tracked):
    """One session as the worker did it and how it felt (NPRS, 0-10; Borg CR10)."""

    week = models.ForeignKey(Week, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    pain_during = score_field("pain during (NPRS)")
    pain_next_morning = score_field("pain next morning (NPRS)", null=True, blank=True)
    pain_at_rest = score_field("pain at rest (NPRS)", null=True, blank=True)
    soreness = score_field("soreness (0-10)")
    fatigue = score_field("fatigue (0-10)")
    rpe = score_field("session RPE (Borg CR10)")
    notes = models.TextField(blank=True)
    adverse_events = models.TextField(blank=True)
    # Keys of assessments.scoring.red_flags.RED_FLAGS ticked for this session.
    red_flags = models.JSONField(default=list, blank=True)
    red_flag_tier = models.CharField(max_length=16, choices=RedFlagTier.choices, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["week", "date", "id"]
        constraints = [
            models.CheckConstraint(
                name=f"session_{name}_0_10",
                condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": 10}),
            )
            for name in (
                "pain_during",
                "pain_next_morning",
                "pain_at_rest",
                "soreness",
                "fatigue",
                "rpe",
            )
        ]

    def __str__(self) -> str:
        return f"Session on {self.date}"


class SessionItem(Tracked):
    """What was done for one week item in one session (0 sets: skipped)."""

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="items")
    week_item = models.ForeignKey(WeekItem, on_delete=models.PROTECT, related_name="done")
    sets = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_SETS)])
    reps = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_REPS)])
    quantity = quantity_field()

    class Meta:
        ordering = ["session", "week_item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "week_item"], name="one_entry_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.week_item} on {self.session.date}"

    def clean(self) -> None:
        # What was done is stored under the same cap: a completed value above it would
        # become the next week's base and let the load outrun the cap.
        if not _valid_dose(self.sets, self.reps, self.quantity, minimum=0):
            return
        if self.sets == 0 or self.reps == 0:
            return
        problems = self.week_item.cap_problems(self.sets, self.reps, self.quantity)
        if problems:
            raise ValidationError(problems)
