"""Which objects the key pages are measured on, and who looks at them.

A *sample* is one worker on an active program whose consent shares everything with an
employer that has a viewer account: their physiotherapist opens the caseload, the patient
page, the program page and the plan page; the viewer opens the dashboard and the worker's
page. On the demo database that is Jamie Carter; on the large one, samples spread evenly
over the clinics, so that a load run does not sit on one warm row.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef

from patients.models import Consent
from programs.models import Program, ProgramStatus
from rtw.models import Role, User

PAGES = (
    "caseload",
    "patient",
    "program",
    "plan_next_week",
    "employer_dashboard",
    "employer_worker",
)
MINIMAL = "ping"


@dataclass(frozen=True)
class Sample:
    physio_id: int
    viewer_id: int
    patient_uuid: str
    program_uuid: str
    weeks: int

    def path(self, page: str) -> str:
        return {
            "caseload": "/patients/",
            "patient": f"/patients/{self.patient_uuid}/",
            "program": f"/programs/{self.program_uuid}/",
            "plan_next_week": f"/programs/{self.program_uuid}/plan/",
            "employer_dashboard": "/employer/",
            "employer_worker": f"/employer/workers/{self.patient_uuid}/",
            "ping": "/ping/",
        }[page]

    def user_id(self, page: str) -> int:
        return self.viewer_id if page.startswith("employer") else self.physio_id


def samples(count: int) -> list[Sample]:
    consents = Consent.objects.filter(
        patient=OuterRef("patient_id"),
        withdrawn_on__isnull=True,
        share_status=True,
        share_capacity=True,
        share_restrictions=True,
        share_reports=True,
    )
    programs = list(
        Program.objects.filter(status=ProgramStatus.ACTIVE, is_template=False)
        .filter(Exists(consents))
        .annotate(week_count=Count("weeks"))
        .select_related("patient")
        .order_by("-week_count", "pk")
    )
    viewers: dict[int, int] = dict(
        User.objects.filter(role=Role.EMPLOYER_VIEWER, is_active=True)
        .order_by("employer_id", "pk")
        .values_list("employer_id", "pk")
    )
    employer_of = dict(
        Consent.objects.filter(
            withdrawn_on__isnull=True, patient_id__in=[p.patient_id for p in programs]
        ).values_list("patient_id", "employer_id")
    )
    most = programs[0].week_count if programs else 0
    found: list[Sample] = []
    used_physios: set[int] = set()
    for program in programs:
        patient = program.patient
        if patient is None or program.week_count < most:
            continue
        viewer = viewers.get(employer_of.get(patient.pk, 0))
        if viewer is None or patient.physiotherapist_id in used_physios:
            continue
        used_physios.add(patient.physiotherapist_id)
        found.append(
            Sample(
                physio_id=patient.physiotherapist_id,
                viewer_id=viewer,
                patient_uuid=str(patient.uuid),
                program_uuid=str(program.uuid),
                weeks=program.week_count,
            )
        )
    # Spread over the clinics: programs come in clinic order.
    return found[:: max(len(found) // count, 1)][:count]


def as_json(items: list[Sample]) -> list[dict[str, Any]]:
    return [asdict(s) for s in items]


def from_json(rows: list[dict[str, Any]]) -> list[Sample]:
    return [Sample(**row) for row in rows]
