from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from patients.demand_levels import DemandLevel, format_kg_lb, job_level, task_level


class TaskType(models.TextChoices):
    LIFT_FLOOR_TO_WAIST = "lift_floor_to_waist", "Floor-to-waist lift"
    LIFT_WAIST_TO_SHOULDER = "lift_waist_to_shoulder", "Waist-to-shoulder lift"
    LIFT_OVERHEAD = "lift_overhead", "Overhead lift"
    CARRY = "carry", "Carry"
    PUSH = "push", "Push"
    PULL = "pull", "Pull"
    STANDING = "standing", "Sustained standing"
    SITTING = "sitting", "Sustained sitting"
    WALKING = "walking", "Walking"
    STAIRS_LADDERS = "stairs_ladders", "Stairs / ladders"
    STOOPING = "stooping", "Stooping"
    KNEELING = "kneeling", "Kneeling / crouching"
    REACHING = "reaching", "Reaching"


LOAD_TASKS = frozenset(
    {
        TaskType.LIFT_FLOOR_TO_WAIST,
        TaskType.LIFT_WAIST_TO_SHOULDER,
        TaskType.LIFT_OVERHEAD,
        TaskType.CARRY,
        TaskType.PUSH,
        TaskType.PULL,
    }
)


class FrequencyClass(models.TextChoices):
    OCCASIONAL = "occasional", "Occasional (≤ 1/3 of the shift)"
    FREQUENT = "frequent", "Frequent (1/3–2/3 of the shift)"
    CONSTANT = "constant", "Constant (≥ 2/3 of the shift)"


class JobDemandProfile(models.Model):
    """What one job role at one employer physically demands; reused across its workers.

    A profile with no employer and ``is_template`` set is one of a clinic's templates.
    """

    clinic = models.ForeignKey("rtw.Clinic", on_delete=models.PROTECT, related_name="job_profiles")
    employer = models.ForeignKey(
        "rtw.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="job_profiles"
    )
    job_title = models.CharField(max_length=150)
    is_template = models.BooleanField(default=False)
    shift_hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("16"))],
    )
    breaks = models.CharField(max_length=200, blank=True)
    hazards = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["job_title"]
        constraints = [
            models.CheckConstraint(
                name="template_or_employer",
                condition=models.Q(is_template=True, employer__isnull=True)
                | models.Q(is_template=False, employer__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.job_title

    @property
    def demand_level(self) -> DemandLevel | None:
        """Computed from the tasks every time (use ``prefetch_related("tasks")``)."""
        return job_level((t.load_kg, t.frequency) for t in self.tasks.all())


class JobTask(models.Model):
    profile = models.ForeignKey(JobDemandProfile, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(default=0)
    task_type = models.CharField(max_length=32, choices=TaskType.choices)
    description = models.CharField(max_length=200, blank=True)
    load_kg = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("200"))],
        help_text="Load or force in kg.",
    )
    frequency = models.CharField(
        max_length=16, choices=FrequencyClass.choices, default=FrequencyClass.OCCASIONAL
    )
    height_from_cm = models.PositiveSmallIntegerField(null=True, blank=True)
    height_to_cm = models.PositiveSmallIntegerField(null=True, blank=True)
    distance_m = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.get_task_type_display()

    @property
    def needs_load(self) -> bool:
        return self.task_type in LOAD_TASKS

    @property
    def demand_level(self) -> DemandLevel:
        return task_level(self.load_kg, self.frequency)

    @property
    def load_display(self) -> str:
        """'22.7 kg (50.0 lb)', or a dash for a task without a load."""
        return format_kg_lb(self.load_kg) if self.load_kg is not None else "—"
