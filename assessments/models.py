"""Assessments: what a worker can do on a given day, and the questionnaires they answered.

Loads are stored in kg whatever unit the clinician typed. Questionnaire answers are
stored item by item; the score, band and subscales beside them are a cache written
by the service from those items, never typed in.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments.scoring import Instrument
from patients.models import RedFlagTier
from rtw.audit_tracking import Tracked

# Plausible ranges, in kg, minutes and metres. The form, the service and the model
# share them so that every way in refuses the same absurd values.
LOAD_MIN_KG = Decimal("0.5")
LOAD_MAX_KG = Decimal("300")
GRIP_MIN_KG = Decimal("0.5")
GRIP_MAX_KG = Decimal("120")
CARRY_DISTANCE_MAX_M = Decimal("1000")
TOLERANCE_MAX_MIN = 720
WALKING_MAX_M = 20000

LOAD_FIELDS = (
    "lift_floor_to_waist_kg",
    "lift_waist_to_shoulder_kg",
    "lift_overhead_kg",
    "carry_kg",
    "push_kg",
    "pull_kg",
)
GRIP_FIELDS = tuple(f"grip_{side}_{n}" for side in ("left", "right") for n in (1, 2, 3))


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    PROGRESS = "progress", "Progress"
    RTW_READINESS = "rtw_readiness", "Return-to-work readiness"
    DISCHARGE = "discharge", "Discharge"


class InstrumentChoice(models.TextChoices):
    ODI = Instrument.ODI.value, "Oswestry Disability Index"
    TSK17 = Instrument.TSK17.value, "Tampa Scale of Kinesiophobia (TSK-17)"
    TSK11 = Instrument.TSK11.value, "Tampa Scale of Kinesiophobia (TSK-11)"
    PCS = Instrument.PCS.value, "Pain Catastrophizing Scale"
    OMPSQ_SF = Instrument.OMPSQ_SF.value, "Örebro short form (ÖMPSQ-SF)"
    START_BACK = Instrument.START_BACK.value, "STarT Back"
    PSFS = Instrument.PSFS.value, "Patient-Specific Functional Scale"


def _load(verbose: str, low: Decimal = LOAD_MIN_KG, high: Decimal = LOAD_MAX_KG) -> models.Field:  # type: ignore[type-arg]
    return models.DecimalField(
        verbose,
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
    )


def _grip(verbose: str) -> models.Field:  # type: ignore[type-arg]
    return _load(verbose, GRIP_MIN_KG, GRIP_MAX_KG)


def _pain(verbose: str) -> models.Field:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        verbose, null=True, blank=True, validators=[MaxValueValidator(10)]
    )


class Assessment(Tracked):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=16, choices=AssessmentKind.choices)
    assessed_on = models.DateField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Grip strength: three trials per hand (Jamar, second handle position), in kg.
    grip_left_1 = _grip("left grip, trial 1")
    grip_left_2 = _grip("left grip, trial 2")
    grip_left_3 = _grip("left grip, trial 3")
    grip_right_1 = _grip("right grip, trial 1")
    grip_right_2 = _grip("right grip, trial 2")
    grip_right_3 = _grip("right grip, trial 3")

    lift_floor_to_waist_kg = _load("floor-to-waist lift")
    lift_waist_to_shoulder_kg = _load("waist-to-shoulder lift")
    lift_overhead_kg = _load("overhead lift")
    carry_kg = _load("carry load")
    carry_distance_m = models.DecimalField(
        "carry distance",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(CARRY_DISTANCE_MAX_M)],
    )
    push_kg = _load("push force")
    pull_kg = _load("pull force")
    standing_tolerance_min = models.PositiveSmallIntegerField(
        "sustained standing tolerance",
        null=True,
        blank=True,
        validators=[MaxValueValidator(TOLERANCE_MAX_MIN)],
    )
    sitting_tolerance_min = models.PositiveSmallIntegerField(
        "sustained sitting tolerance",
        null=True,
        blank=True,
        validators=[MaxValueValidator(TOLERANCE_MAX_MIN)],
    )
    walking_distance_m = models.PositiveIntegerField(
        "walking distance", null=True, blank=True, validators=[MaxValueValidator(WALKING_MAX_M)]
    )

    nprs = _pain("pain now (NPRS)")
    rest_pain = _pain("pain at rest (NPRS)")

    # Keys of the positive flags from assessments.scoring.red_flags, and the tier they
    # (with rest pain ≥ 8) add up to; the service computes the tier.
    red_flags = models.JSONField(default=list, blank=True)
    red_flag_tier = models.CharField(max_length=16, choices=RedFlagTier.choices, blank=True)
    notes = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessed_on", "id"]
        indexes = [models.Index(fields=["patient", "assessed_on"])]
        constraints = [
            models.CheckConstraint(name="assessment_nprs_0_10", condition=models.Q(nprs__lte=10)),
            models.CheckConstraint(
                name="assessment_rest_pain_0_10", condition=models.Q(rest_pain__lte=10)
            ),
            *(
                models.CheckConstraint(
                    name=f"assessment_{name}_in_range",
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__gte": low, f"{name}__lte": high}),
                )
                for name, low, high in (
                    *((f, LOAD_MIN_KG, LOAD_MAX_KG) for f in LOAD_FIELDS),
                    *((f, GRIP_MIN_KG, GRIP_MAX_KG) for f in GRIP_FIELDS),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} assessment on {self.assessed_on}"


class QuestionnaireResponse(Tracked):
    """One questionnaire as answered in one assessment: the items, and the score from them."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="questionnaires"
    )
    instrument = models.CharField(max_length=16, choices=InstrumentChoice.choices)
    responses = models.JSONField(default=dict)
    # PSFS only: the activity each rated item names, keyed like the responses.
    activity_names = models.JSONField(default=dict, blank=True)

    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=80, blank=True)
    high = models.BooleanField(default=False)
    subscales = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    answered = models.PositiveSmallIntegerField(default=0)
    required = models.PositiveSmallIntegerField(default=0)
    not_scorable_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "instrument"], name="one_response_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} (assessment {self.assessment_id})"
