from django.conf import settings
from django.db import models
from django.db.models import Q

from rtw.audit_tracking import Tracked

SCOPE_LABELS = {
    "share_status": "status and phase",
    "share_capacity": "capacity against job demands",
    "share_restrictions": "restrictions and return schedule",
    "share_reports": "progress reports",
}


class Consent(Tracked):
    """The worker's consent to share with their employer. Rows are history: a withdrawal
    closes the row, a new consent is a new row. At most one open row per patient."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="consents"
    )
    employer = models.ForeignKey("rtw.Employer", on_delete=models.PROTECT, related_name="consents")
    given_on = models.DateField()
    share_status = models.BooleanField("status and phase", default=True)
    share_capacity = models.BooleanField("capacity against job demands", default=True)
    share_restrictions = models.BooleanField("restrictions and return schedule", default=True)
    share_reports = models.BooleanField("progress reports", default=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(withdrawn_on__isnull=True), name="one_open_consent"
            ),
            models.CheckConstraint(
                name="consent_withdrawn_after_given",
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk} (patient {self.patient_id})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @property
    def scope_labels(self) -> list[str]:
        return [label for name, label in SCOPE_LABELS.items() if getattr(self, name)]
