"""The demo data: trajectories over weeks, one amber flag, and safe to load twice."""

import itertools

import pytest

from assessments.demo import seed_assessments
from assessments.models import Assessment
from patients.demo import seed_patients
from patients.models import Patient
from rtw.demo import seed_organisations


@pytest.mark.django_db
def test_demo_patients_get_assessments_over_weeks_and_one_amber_flag() -> None:
    orgs = seed_organisations()
    seed_patients(orgs)
    seed_assessments(orgs)
    jamie = Patient.objects.get(first_name="Jamie", last_name="Carter")
    history = list(jamie.assessments.order_by("assessed_on"))
    assert len(history) >= 4
    assert history[0].kind == "baseline"
    gaps = {(b.assessed_on - a.assessed_on).days for a, b in itertools.pairwise(history)}
    assert gaps <= {14, 21, 28}
    assert history[-1].lift_floor_to_waist_kg > history[0].lift_floor_to_waist_kg
    assert history[-1].nprs < history[0].nprs
    aisha = Patient.objects.get(first_name="Aisha", last_name="Khan")
    assert aisha.red_flag_tier == "amber"
    assert Patient.objects.exclude(red_flag_tier="").count() == 1


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing() -> None:
    orgs = seed_organisations()
    seed_patients(orgs)
    seed_assessments(orgs)
    count = Assessment.objects.count()
    seed_assessments(seed_organisations())
    assert Assessment.objects.count() == count
