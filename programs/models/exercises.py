from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from patients.models import TaskType

MIN_INCREMENT = Decimal("0.01")
MAX_INCREMENT = Decimal("100")


class ExerciseCategory(models.TextChoices):
    FREE_WEIGHT = "free_weight", "Resistance: free weight"
    MACHINE = "machine", "Resistance: machine"
    BAND = "band", "Resistance: band"
    BODYWEIGHT = "bodyweight", "Resistance: body weight"
    TASK_SIMULATION = "task_simulation", "Functional task simulation"
    MOBILITY = "mobility", "Mobility"
    CARDIO = "cardio", "Cardio"


class QuantityKind(models.TextChoices):
    """The quantity that progresses week by week, and so its unit."""

    LOAD = "load", "Load (kg)"
    DURATION = "duration", "Duration (min)"
    DISTANCE = "distance", "Distance (m)"


# Keyed by the stored value (a plain str equals and hashes as its member).
UNITS: dict[str, str] = {
    QuantityKind.LOAD: "kg",
    QuantityKind.DURATION: "min",
    QuantityKind.DISTANCE: "m",
}


class Exercise(models.Model):
    """One entry of the exercise library: the shared one (no clinic) or a clinic's own."""

    clinic = models.ForeignKey(
        "rtw.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="exercises"
    )
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=ExerciseCategory.choices)
    task_type = models.CharField(
        "job task simulated",
        max_length=32,
        choices=TaskType.choices,
        blank=True,
        help_text="For a functional task simulation: the job task it mirrors.",
    )
    quantity_kind = models.CharField(
        "progressing quantity", max_length=10, choices=QuantityKind.choices
    )
    increment = models.DecimalField(
        "equipment increment",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(MIN_INCREMENT), MaxValueValidator(MAX_INCREMENT)],
        help_text="The smallest practical step, e.g. 0.5 kg plates; loads round down to it.",
    )
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                name="exercise_increment_positive", condition=Q(increment__gt=0)
            ),
            models.CheckConstraint(
                name="exercise_simulation_has_task",
                condition=~Q(category="task_simulation") | ~Q(task_type=""),
            ),
            models.UniqueConstraint(fields=["clinic", "name"], name="exercise_name_per_clinic"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(clinic__isnull=True), name="exercise_name_shared"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> str:
        return UNITS[self.quantity_kind]

    @property
    def is_shared(self) -> bool:
        return self.clinic_id is None
