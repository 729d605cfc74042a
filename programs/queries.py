"""Read-only questions other pages ask about programs."""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.urls import reverse

from patients.models import Patient
from programs.models import Program, ProgramStatus
from programs.models.programs import ENDED

BADGES = {
    ProgramStatus.DRAFT: "badge-off",
    ProgramStatus.ACTIVE: "badge-ok",
    ProgramStatus.PAUSED: "badge-wait",
    ProgramStatus.SUSPENDED: "badge-danger",
    ProgramStatus.COMPLETED: "badge-off",
    ProgramStatus.WITHDRAWN: "badge-off",
}


@dataclass(frozen=True)
class ProgramStatusView:
    """What the caseload and the patient page show about a patient's current program."""

    uuid: UUID
    name: str
    status: str
    status_label: str
    badge: str  # a CSS class of static/css/app.css
    phase: str  # "Phase 2: Capacity", or "" before a phase is set
    url: str

    @property
    def is_halted(self) -> bool:
        return self.status in (ProgramStatus.PAUSED, ProgramStatus.SUSPENDED)

    @property
    def text(self) -> str:
        return f"{self.status_label}{f' · {self.phase}' if self.phase else ''}"


def current_programs(patient_ids: Iterable[int], *related: str) -> dict[int, Program]:
    """Patient id → their current program: a live one before an ended one, then the
    newest. The one rule for every page that speaks of "the" program. One query."""
    rows = (
        Program.objects.filter(patient_id__in=list(patient_ids), is_template=False)
        .select_related(*related)
        .order_by("patient_id", "-created_at", "-id")
    )
    found: dict[int, Program] = {}
    for program in rows:
        if program.patient_id is None:
            continue
        held = found.get(program.patient_id)
        if held is None or (held.status in ENDED and program.status not in ENDED):
            found[program.patient_id] = program
    return found


def program_status_for(patients: Iterable[Patient | int]) -> dict[int, ProgramStatusView]:
    """Patient id → what the caseload shows of their current program. One query."""
    ids = [p if isinstance(p, int) else p.pk for p in patients]
    if not ids:
        return {}
    found = current_programs(ids, "current_phase")
    return {patient_id: _view(program) for patient_id, program in found.items()}


def _view(program: Program) -> ProgramStatusView:
    phase = program.current_phase
    return ProgramStatusView(
        uuid=program.uuid,
        name=program.name,
        status=program.status,
        status_label=program.get_status_display(),
        badge=BADGES[ProgramStatus(program.status)],
        phase=f"Phase {phase.order}: {phase.name}" if phase else "",
        url=reverse("programs:detail", args=[program.uuid]),
    )
