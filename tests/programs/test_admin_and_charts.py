"""Django admin refuses a load above the cap like every other way in; the load chart is a
self-contained SVG; the demo takes a worker through the weeks."""

from decimal import Decimal

from django.utils import timezone

from assessments.demo import seed_assessments
from patients.demo import seed_patients
from programs.demo import seed_programs
from programs.models import Program, ProgramCarry, Week, WeekItem
from rtw.demo import seed_organisations
from rtw.models import User
from tests.conftest import client_for
from tests.programs.helpers import MONDAY, end_of, item, log_week, plan


def _admin_post(week_item: WeekItem, quantity: str) -> dict[str, str]:
    return {
        "week": str(week_item.week_id),
        "prescription": str(week_item.prescription_id),
        "order": str(week_item.order),
        "sets": str(week_item.sets),
        "reps": str(week_item.reps),
        "quantity": quantity,
        "proposed_sets": str(week_item.proposed_sets),
        "proposed_reps": str(week_item.proposed_reps),
        "proposed_quantity": str(week_item.proposed_quantity),
        "base_sets": str(week_item.base_sets),
        "base_reps": str(week_item.base_reps),
        "base_quantity": str(week_item.base_quantity),
        "max_quantity": str(week_item.max_quantity),
        "override_reason": "edited in the admin",
        "version": str(week_item.version),
    }


def test_the_admin_refuses_a_load_above_the_cap_with_the_same_message(squat_20):
    _, week = squat_20
    squat = item(week, "Goblet squat")
    operator = User.objects.create_superuser(email="ops@example.test", password="x" * 20)
    client = client_for(operator)
    url = f"/admin/programs/weekitem/{squat.pk}/change/"
    response = client.post(url, _admin_post(squat, "24"))
    assert response.status_code == 200
    assert "Refused: 24 kg is above this week&#x27;s cap of 23 kg (base 20 kg + 15 %)." in (
        response.content.decode()
    )
    squat.refresh_from_db()
    assert squat.quantity == Decimal("23")
    response = client.post(url, _admin_post(squat, "22"))
    assert response.status_code == 302
    squat.refresh_from_db()
    assert squat.quantity == Decimal("22")


def test_the_load_chart_runs_no_script_and_fetches_nothing(program, physio_client):
    Program.objects.filter(pk=program.pk).update(current_phase=program.phases.get(order=2))
    program.refresh_from_db()
    week = plan(program, MONDAY).week
    log_week(program, week)
    plan(program, end_of(week))
    page = physio_client.get(f"/programs/{program.uuid}/").content.decode()
    start, end = page.index("<svg"), page.index("</svg>")
    svg = page[start:end]
    assert 'role="img"' in svg and "Floor-to-waist lift (crate): prescribed" in svg
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert "Cap envelope (most allowed)" in svg and "Job demand 20 kg" in svg


def test_the_demo_takes_jamie_through_progress_deload_flare_up_red_flag_and_resume(db):
    orgs = seed_organisations()
    seed_patients(orgs)
    seed_assessments(orgs)
    seed_programs(orgs)
    program = Program.objects.get(patient__first_name="Jamie", is_template=False)
    weeks = list(Week.objects.filter(program=program).exclude(status="cancelled").order_by("index"))
    decisions = [w.decision for w in weeks]
    assert {"progress", "deload", "resume", "regress"} <= set(decisions)
    codes = {r["code"] for w in weeks for r in w.reasons}
    assert {"deload_rhythm", "resume_after_deload", "resume_after_reassessment"} <= codes
    assert weeks[-1].status == "open"
    assert weeks[-1].start_date <= timezone.localdate() <= weeks[-1].end_date
    assert program.status == "active"
    assert any(s.red_flag_tier == "amber" for w in weeks for s in w.sessions.all())
    assert WeekItem.objects.filter(week__program=program).exclude(override_reason="").exists()
    seed_programs(orgs)  # idempotent
    assert Program.objects.filter(patient__first_name="Jamie", is_template=False).count() == 1


def test_an_admin_edit_of_a_week_drops_the_programs_carry(squat_20):
    """The batch's carry folds closed weeks; an operator who edits one in the admin must not
    leave it behind, or the next plan would miss the edit."""
    _, week = squat_20
    squat = item(week, "Goblet squat")
    ProgramCarry.objects.create(program=week.program, week=week, data={"format": 1})
    operator = User.objects.create_superuser(email="ops@example.test", password="x" * 20)
    response = client_for(operator).post(
        f"/admin/programs/weekitem/{squat.pk}/change/", _admin_post(squat, "22")
    )
    assert response.status_code == 302
    assert not ProgramCarry.objects.filter(program=week.program).exists()
