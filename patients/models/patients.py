import uuid

from django.conf import settings
from django.db import models

from rtw.audit_tracking import Tracked


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Other / not stated"


class PatientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCHARGED = "discharged", "Discharged"


class BodyRegion(models.TextChoices):
    LOW_BACK = "low_back", "Low back"
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    KNEE = "knee", "Knee"
    HIP = "hip", "Hip"
    ANKLE_FOOT = "ankle_foot", "Ankle / foot"
    WRIST_HAND = "wrist_hand", "Wrist / hand"
    ELBOW = "elbow", "Elbow"
    OTHER = "other", "Other"


class RedFlagTier(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    AMBER = "amber", "Amber"


# What the clinician must do, shown beside the flag on the caseload and the patient page.
RED_FLAG_ACTIONS = {
    RedFlagTier.EMERGENCY: "Urgent medical assessment now",
    RedFlagTier.URGENT: "Same-day medical review; program paused",
    RedFlagTier.AMBER: "Program paused for clinician review",
}


class Patient(Tracked):
    """A worker in a clinic's care. Owned by the clinic; reached only through scoping."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey("rtw.Clinic", on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    employer = models.ForeignKey(
        "rtw.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="workers"
    )
    job_title = models.CharField(max_length=150, blank=True)
    job_profile = models.ForeignKey(
        "patients.JobDemandProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workers",
    )

    body_region = models.CharField(
        max_length=20, choices=BodyRegion.choices, default=BodyRegion.LOW_BACK
    )
    injury_onset = models.DateField()
    injury_mechanism = models.CharField(max_length=300, blank=True)
    work_related = models.BooleanField(default=True)
    diagnosis = models.CharField(max_length=300, blank=True)

    previous_same_site_injury = models.BooleanField(default=False)
    smoker = models.BooleanField(default=False)
    diabetes = models.BooleanField(default=False)
    other_comorbidities = models.CharField(max_length=300, blank=True)

    physiotherapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload"
    )
    status = models.CharField(
        max_length=16, choices=PatientStatus.choices, default=PatientStatus.ACTIVE
    )
    # Denormalised from the latest assessment or session log that raised or cleared a
    # red flag, so that the caseload can show and filter flags in one query.
    red_flag_tier = models.CharField(max_length=16, choices=RedFlagTier.choices, blank=True)
    red_flag_since = models.DateField(null=True, blank=True)
    # GDPR art. 18 restriction of processing, on the worker's request: while set, the
    # employer sees nothing of this worker, whatever the consent says (patients.scoping).
    sharing_restricted_at = models.DateTimeField(null=True, blank=True)
    sharing_restriction_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["clinic", "status", "last_name"]),
            models.Index(fields=["physiotherapist", "status"]),
            models.Index(fields=["employer", "status"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def sharing_restricted(self) -> bool:
        return self.sharing_restricted_at is not None

    @property
    def has_risk_factor(self) -> bool:
        return self.previous_same_site_injury or self.smoker or self.diabetes

    @property
    def red_flag_action(self) -> str:
        return (
            RED_FLAG_ACTIONS.get(RedFlagTier(self.red_flag_tier), "") if self.red_flag_tier else ""
        )

    @property
    def risk_factor_labels(self) -> list[str]:
        labels = [
            label
            for flag, label in (
                (self.previous_same_site_injury, "previous injury at the same site"),
                (self.smoker, "smoker"),
                (self.diabetes, "diabetes"),
            )
            if flag
        ]
        if self.other_comorbidities:
            labels.append(self.other_comorbidities)
        return labels
