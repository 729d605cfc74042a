import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from rtw.audit_tracking import Tracked


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


FINAL = (ReportStatus.READY, ReportStatus.FAILED)


class Report(Tracked):
    """An employer progress report: the allowlisted snapshot it is made from, and its PDF.

    The PDF is kept in the database rather than under MEDIA_ROOT: the web process and the
    Celery worker then need nothing shared but the database (no volume to mount between
    containers), the file and its status are written in one transaction (a re-run cannot
    leave a second file or a file without its status), and a withdrawn consent or a
    deleted record takes the file with it. Reports are tens of kilobytes.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="reports"
    )
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    # The employer of the consent the report was made under; it is shared only with them.
    employer = models.ForeignKey("rtw.Employer", on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveIntegerField(help_text="Version: 1, 2, 3… per patient.")
    period_from = models.DateField()
    period_to = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The employer snapshot (patients.employer.snapshot), as JSON: what the PDF shows.
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reports_received"
    )

    class Meta:
        ordering = ["patient", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "number"], name="report_number_per_patient"),
            models.CheckConstraint(
                name="report_period_in_order", condition=Q(period_from__lte=models.F("period_to"))
            ),
            models.CheckConstraint(
                name="report_ready_has_pdf",
                condition=~Q(status="ready") | Q(pdf__isnull=False, rendered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.number} (patient {self.patient_id})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def filename(self) -> str:
        return f"progress-report-{self.number}-{self.period_to:%Y-%m-%d}.pdf"
