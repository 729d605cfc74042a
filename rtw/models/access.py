from django.db import models

from rtw.models.audit import AppendOnly, AppendOnlyQuerySet


class AccessEventQuerySet(AppendOnlyQuerySet["AccessEvent"]):
    pass


class AccessEvent(AppendOnly):
    """Someone looked at a patient's data, or downloaded a report about them. Append-only.

    The patient is a plain uuid, not a foreign key, so that deleting a patient under the
    retention policy keeps the record of who saw their data.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey("rtw.User", on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=32)
    # The actor's organisation when they looked (a clinic, or an employer for a viewer).
    actor_clinic = models.ForeignKey(
        "rtw.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_employer = models.ForeignKey(
        "rtw.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient_uuid = models.UUIDField()
    patient_clinic = models.ForeignKey(
        "rtw.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The page or download: its URL name ("patients:detail", "reports:download").
    what = models.CharField(max_length=64)
    # The object on that page besides the patient ("assessment_uuid=…"), if any.
    object_ref = models.CharField(max_length=200, blank=True)
    operation = models.UUIDField(null=True, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient_clinic", "-created_at"], name="rtw_access_clinic_idx"),
            models.Index(fields=["patient_uuid", "-created_at"], name="rtw_access_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.what} patient {self.patient_uuid} by user {self.actor_id}"
