"""The demo: Jamie Carter's program has a return-to-work plan worth looking at."""

import pytest

from assessments.demo import seed_assessments
from patients.demo import seed_patients
from programs import rtw_page
from programs.demo import seed_programs
from programs.models import RtwPlan
from programs.rtw_share import rtw_share_for
from rtw.demo import seed_organisations


@pytest.mark.django_db
def test_jamie_gets_a_signed_plan_on_a_ramp_with_a_cap_warning_and_loading_twice_keeps_it():
    orgs = seed_organisations()
    seed_patients(orgs)
    seed_assessments(orgs)
    seed_programs(orgs)
    plan = RtwPlan.objects.select_related("program__patient").get()
    patient = plan.program.patient
    assert patient is not None
    assert patient.full_name == "Jamie Carter"
    view = rtw_page.plan_view(plan, plan.program)
    assert [s.step.hours_per_day for s in view.steps] == [4, 6, 8]
    assert any("+50 %" in text for text in view.warnings)
    assert plan.registration_number.startswith("PH")
    share = rtw_share_for([patient.pk])[patient.pk]
    assert any(r.task == "Stooping (Picking from low shelves)" for r in share.restrictions)
    assert any(" kg (" in r.limit and " lb)" in r.limit for r in share.restrictions)
    seed_programs(seed_organisations())
    assert RtwPlan.objects.get().version == 1
