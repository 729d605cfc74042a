import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from programs import engine
from programs.measures import KNOWN_MEASURES
from programs.rules import fmt
from rtw.audit_tracking import Tracked

MIN_CAP = Decimal("0.10")
MAX_CAP = Decimal("0.20")
MAX_SETS = 10
MAX_REPS = 100
MAX_QUANTITY = Decimal("5000")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    SUSPENDED = "suspended", "Suspended"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


ENDED = (ProgramStatus.COMPLETED, ProgramStatus.WITHDRAWN)
HALTED = (ProgramStatus.PAUSED, ProgramStatus.SUSPENDED)


class ProgressionMode(models.TextChoices):
    PAIN_CONTINGENT = engine.Mode.PAIN_CONTINGENT.value, "Pain-contingent"
    TIME_CONTINGENT = engine.Mode.TIME_CONTINGENT.value, "Time-contingent (graded activity)"


def sets_field(verbose: str = "sets") -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        verbose, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )


def reps_field(verbose: str = "reps") -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        verbose, validators=[MinValueValidator(1), MaxValueValidator(MAX_REPS)]
    )


def quantity_field(verbose: str = "quantity", **extra: object) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        verbose,
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_QUANTITY)],
        **extra,  # type: ignore[arg-type]
    )


class Program(Tracked):
    """A phased program for one patient against one job-demand profile, or a template.

    A template has no patient: ``clinic`` is its owner, or empty for the shared templates.
    A patient's program always carries its patient's clinic.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(
        "rtw.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="programs"
    )
    is_template = models.BooleanField(default=False)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
    )
    job_profile = models.ForeignKey(
        "patients.JobDemandProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
    )
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    cap = models.DecimalField(
        "weekly cap",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.10"),
        validators=[MinValueValidator(MIN_CAP), MaxValueValidator(MAX_CAP)],
        help_text="Most a load may rise in a week: 0.10-0.20 (10-20 %).",
    )
    deload_every = models.PositiveSmallIntegerField(
        "deload every n-th week", default=4, validators=[MinValueValidator(2), MaxValueValidator(8)]
    )
    mode = models.CharField(
        "progression mode",
        max_length=20,
        choices=ProgressionMode.choices,
        default=ProgressionMode.PAIN_CONTINGENT,
    )
    target_date = models.DateField(null=True, blank=True)
    baseline_morning_pain = models.PositiveSmallIntegerField(
        "baseline next-morning pain (NPRS)", default=0, validators=[MaxValueValidator(10)]
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        "planned sessions a week",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    current_phase = models.ForeignKey(
        "programs.Phase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase_started_on = models.DateField(null=True, blank=True)
    activated_on = models.DateField(null=True, blank=True)
    acwr_acknowledged_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "status"])]
        constraints = [
            models.CheckConstraint(
                name="program_cap_10_to_20_percent",
                condition=Q(cap__gte=MIN_CAP, cap__lte=MAX_CAP),
            ),
            models.CheckConstraint(
                name="program_deload_rhythm", condition=Q(deload_every__gte=2, deload_every__lte=8)
            ),
            models.CheckConstraint(
                name="program_baseline_pain_0_10", condition=Q(baseline_morning_pain__lte=10)
            ),
            models.CheckConstraint(
                name="program_template_or_patient",
                condition=Q(is_template=True, patient__isnull=True, job_profile__isnull=True)
                | Q(is_template=False, patient__isnull=False, clinic__isnull=False),
            ),
            models.CheckConstraint(
                name="program_time_contingent_has_date",
                condition=~Q(mode="time_contingent") | Q(target_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cap_percent(self) -> str:
        """0.15 → "15", 0.125 → "12.5"."""
        return fmt(self.cap * 100)

    @property
    def is_halted(self) -> bool:
        return self.status in HALTED

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED

    def clean(self) -> None:
        if self.mode == ProgressionMode.TIME_CONTINGENT and self.target_date is None:
            raise ValidationError({"target_date": "Time-contingent mode needs a target date."})


class Phase(Tracked):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    goals = models.TextField(blank=True)
    planned_weeks = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    exit_criteria = models.TextField(
        blank=True,
        help_text=(
            "One measurable condition a line, e.g. “lift_floor_to_waist >= 80% demand” or "
            "“nprs <= 3”."
        ),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="phase_order_unique")
        ]

    def __str__(self) -> str:
        return f"Phase {self.order}: {self.name}"

    def criteria_lines(self) -> list[str]:
        return [line.strip() for line in self.exit_criteria.splitlines() if line.strip()]

    def criteria(self) -> tuple[engine.Criterion, ...]:
        """The parsed exit criteria; ``clean()`` guarantees every stored line parses."""
        return tuple(engine.parse_criterion(line) for line in self.criteria_lines())

    def clean(self) -> None:
        errors = []
        for line in self.criteria_lines():
            try:
                criterion = engine.parse_criterion(line)
            except engine.EngineInputError as error:
                errors.append(error.message)
                continue
            if criterion.measure not in KNOWN_MEASURES:
                errors.append(
                    f"{criterion.measure!r} is not a measure we record: use one of "
                    f"{', '.join(KNOWN_MEASURES)}."
                )
        if errors:
            raise ValidationError({"exit_criteria": errors})


class Prescription(Tracked):
    """An exercise in a phase. Sets, reps and quantity are the phase's starting values;
    what is prescribed each week lives on that week's items."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="prescriptions")
    exercise = models.ForeignKey(
        "programs.Exercise", on_delete=models.PROTECT, related_name="prescriptions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    sets = sets_field("starting sets")
    reps = reps_field("starting reps")
    quantity = quantity_field("starting quantity")
    tempo = models.CharField(max_length=20, blank=True, help_text="e.g. 3-1-2")
    rest_seconds = models.PositiveSmallIntegerField(
        "rest between sets (s)", default=90, validators=[MaxValueValidator(900)]
    )
    increment = models.DecimalField(
        "equipment increment",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    target = quantity_field(
        "phase target", null=True, blank=True, help_text="Usually the job demand; never exceeded."
    )
    is_key = models.BooleanField(
        "key prescription", default=False, help_text="Charted on the program page."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["phase", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "exercise"], name="one_prescription_per_exercise"
            ),
            models.CheckConstraint(
                name="prescription_increment_positive", condition=Q(increment__gt=0)
            ),
            models.CheckConstraint(
                name="prescription_target_positive",
                condition=Q(target__isnull=True) | Q(target__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} in {self.phase}"

    @property
    def key(self) -> str:
        """The engine's key: the exercise, so that its base carries across phases."""
        return f"ex{self.exercise_id}"

    def clean(self) -> None:
        if self.target is not None and self.quantity > self.target:
            raise ValidationError(
                {"quantity": "The starting quantity cannot be above the phase target."}
            )
