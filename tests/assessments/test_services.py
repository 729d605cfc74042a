"""Recording and editing assessments: scores from items, refusals, red flags, versions."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, QuestionnaireResponse
from assessments.services import ConflictError, record_assessment, update_assessment
from patients.models import Patient
from rtw.errors import ServiceError
from rtw.models import AuditEvent
from tests.assessments.helpers import all_items, make_assessment, values
from tests.conftest import World


def _patient(world: World) -> Patient:
    world.patient.refresh_from_db()
    return world.patient


def test_questionnaire_scores_are_computed_from_the_items_and_stored(world: World) -> None:
    assessment = make_assessment(world.patient)
    rows = {row.instrument: row for row in assessment.questionnaires.all()}
    odi = rows["odi"]
    # 17 points over the 9 answered sections (45): 37.8 %, the sex-life section skipped.
    assert odi.score == Decimal("37.80")
    assert odi.band == "moderate disability"
    assert odi.responses["lifting"] == 4 and odi.responses["sex_life"] is None
    assert rows["start_back"].band == "medium risk"
    assert rows["start_back"].subscales == {"psychosocial": "2"}
    assert rows["psfs"].score == Decimal("5.00")
    assert rows["psfs"].activity_names["activity_1"] == "Lifting boxes"


def test_a_typed_score_is_never_trusted_the_items_decide(world: World) -> None:
    assessment = make_assessment(world.patient)
    row = assessment.questionnaires.get(instrument="odi")
    row.score = Decimal("99")
    row.save(update_fields=["score"])
    update_assessment(
        acting_user=world.physio, assessment=assessment, values=values(), expected_version=1
    )
    assert assessment.questionnaires.get(instrument="odi").score == Decimal("37.80")


def test_a_questionnaire_with_too_few_answers_is_kept_as_not_scorable(world: World) -> None:
    few = {"pain_intensity": 3, "lifting": 4, "walking": 1, "sitting": 2, "standing": 2}
    assessment = make_assessment(world.patient, questionnaires={"odi": few})
    odi = assessment.questionnaires.get(instrument="odi")
    assert odi.score is None
    assert odi.band == ""
    assert odi.not_scorable_reason.startswith("not scorable: 5 of 10 sections answered")
    assert odi.responses["lifting"] == 4


def test_a_questionnaire_left_blank_is_not_stored(world: World) -> None:
    blank = dict.fromkeys(all_items("pcs", 0))
    assessment = make_assessment(world.patient, questionnaires={"pcs": blank})
    assert not assessment.questionnaires.filter(instrument="pcs").exists()


def test_every_instrument_on_the_form_is_scored(world: World) -> None:
    assessment = make_assessment(
        world.patient,
        questionnaires={
            "tsk17": all_items("tsk17", 3),
            "tsk11": all_items("tsk11", 2),
            "pcs": all_items("pcs", 3),
            "ompsq_sf": all_items("ompsq_sf", 6),
        },
    )
    scores = {row.instrument: row.score for row in assessment.questionnaires.all()}
    # TSK-17: 13 items at 3 + 4 reversed items at 5 - 3 = 2 → 47.
    assert scores["tsk17"] == Decimal(47)
    assert scores["tsk11"] == Decimal(22)
    assert scores["pcs"] == Decimal(39)
    # ÖMPSQ-SF: 7 items at 6 + 3 reversed at 10 - 6 = 4 → 54.
    assert scores["ompsq_sf"] == Decimal(54)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"measures": {"nprs": 11}}, "nprs", "0 (none) to 10"),
        (
            {"measures": {"lift_floor_to_waist_kg": Decimal("900")}},
            "lift_floor_to_waist_kg",
            "0.5 and 300",
        ),
        ({"measures": {"push_kg": Decimal("0")}}, "push_kg", "0.5 and 300"),
        ({"measures": {"carry_kg": Decimal("-4")}}, "carry_kg", "0.5 and 300"),
        ({"measures": {"grip_left_1": Decimal("30")}}, "grip_left_2", "all three"),
        ({"measures": {"standing_tolerance_min": 2000}}, "standing_tolerance_min", "720"),
        ({"questionnaires": {"odi": {"lifting": 7}}}, "odi__lifting", "outside 0-5"),
        ({"questionnaires": {"tsk17": {"q1": 0}}}, "tsk17__q1", "outside 1-4"),
        ({"assessed_on": date(2026, 8, 1)}, "assessed_on", "before the injury onset"),
        ({"red_flags": frozenset({"made_up"})}, "red_flags", "Unknown red flag"),
        ({"kind": "weekly"}, "kind", "kind of assessment"),
        ({"activity_names": {}}, "psfs__activity_1__name", "Name the activity"),
    ],
)
def test_bad_values_are_refused_with_the_field_and_nothing_is_saved(
    world: World, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        make_assessment(world.patient, **overrides)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not Assessment.objects.exists()
    assert not QuestionnaireResponse.objects.exists()


def test_an_assessment_dated_tomorrow_is_refused(world: World) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError, match="future"):
        make_assessment(world.patient, assessed_on=tomorrow)


def test_a_physio_of_another_clinic_cannot_record_for_our_patient(world: World) -> None:
    with pytest.raises(ServiceError):
        make_assessment(world.patient, physio=world.other_physio)
    assert not Assessment.objects.exists()


def test_recording_writes_an_audit_event_with_the_scores(world: World) -> None:
    assessment = make_assessment(world.patient)
    event = AuditEvent.objects.get(action="assessment.recorded")
    assert event.actor == world.physio
    assert event.clinic_id == world.clinic.pk
    assert event.target_id == str(assessment.pk)
    assert event.after["nprs"] == 6
    assert event.after["questionnaires"]["odi"]["score"] == "37.80"


def test_an_emergency_flag_marks_the_patient_from_the_assessment_date(world: World) -> None:
    make_assessment(world.patient, red_flags=frozenset({"saddle_numbness", "new_swelling"}))
    patient = _patient(world)
    assert patient.red_flag_tier == "emergency"
    assert patient.red_flag_since == date(2026, 10, 1)
    event = AuditEvent.objects.get(action="patient.red_flag_changed")
    assert event.before == {"red_flag_tier": "", "red_flag_since": None}


def test_pain_of_8_at_rest_counts_as_an_amber_flag(world: World) -> None:
    assessment = make_assessment(world.patient, measures={"rest_pain": 8})
    assert assessment.red_flag_tier == "amber"
    assert _patient(world).red_flag_tier == "amber"


def test_pain_of_7_at_rest_raises_no_flag(world: World) -> None:
    make_assessment(world.patient, measures={"rest_pain": 7})
    assert _patient(world).red_flag_tier == ""


def test_a_later_assessment_without_flags_clears_the_patient_flag(world: World) -> None:
    make_assessment(world.patient, red_flags=frozenset({"night_pain"}))
    assert _patient(world).red_flag_tier == "urgent"
    make_assessment(world.patient, assessed_on=date(2026, 10, 15), kind="progress")
    patient = _patient(world)
    assert patient.red_flag_tier == ""
    assert patient.red_flag_since is None


def test_a_flag_that_continues_keeps_the_date_it_was_first_raised(world: World) -> None:
    make_assessment(world.patient, red_flags=frozenset({"new_swelling"}))
    make_assessment(
        world.patient, assessed_on=date(2026, 10, 15), red_flags=frozenset({"new_swelling"})
    )
    assert _patient(world).red_flag_since == date(2026, 10, 1)


def test_an_escalated_flag_is_dated_from_the_escalation(world: World) -> None:
    make_assessment(world.patient, red_flags=frozenset({"new_swelling"}))
    make_assessment(
        world.patient, assessed_on=date(2026, 10, 15), red_flags=frozenset({"saddle_numbness"})
    )
    patient = _patient(world)
    assert (patient.red_flag_tier, patient.red_flag_since) == ("emergency", date(2026, 10, 15))


def test_a_backdated_assessment_does_not_override_the_latest_one(world: World) -> None:
    make_assessment(world.patient, assessed_on=date(2026, 10, 15))
    make_assessment(
        world.patient, assessed_on=date(2026, 10, 1), red_flags=frozenset({"night_pain"})
    )
    assert _patient(world).red_flag_tier == ""


def test_editing_the_latest_assessment_updates_the_patient_flag(world: World) -> None:
    assessment = make_assessment(world.patient)
    update_assessment(
        acting_user=world.physio,
        assessment=assessment,
        values=values(red_flags=frozenset({"fever_or_unwell"})),
        expected_version=1,
    )
    assert _patient(world).red_flag_tier == "urgent"


def test_a_flag_change_calls_the_program_pause_hook(world: World, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(services, "on_red_flag_changed", lambda **kw: calls.append(kw))
    assessment = make_assessment(world.patient, red_flags=frozenset({"saddle_numbness"}))
    assert len(calls) == 1
    assert calls[0]["tier"] == "emergency" and calls[0]["previous_tier"] == ""
    assert calls[0]["assessment"] == assessment


def test_an_edit_on_the_current_version_is_saved_and_audited(world: World) -> None:
    assessment = make_assessment(world.patient)
    updated = update_assessment(
        acting_user=world.colleague,
        assessment=assessment,
        values=values(measures={"nprs": 4}),
        expected_version=1,
    )
    assert updated.version == 2
    assert Assessment.objects.get().nprs == 4
    event = AuditEvent.objects.get(action="assessment.updated")
    assert (event.before["nprs"], event.after["nprs"]) == (6, 4)
    assert event.actor == world.colleague


def test_a_stale_edit_is_refused_and_changes_nothing(world: World) -> None:
    assessment = make_assessment(world.patient)
    update_assessment(
        acting_user=world.colleague,
        assessment=assessment,
        values=values(measures={"nprs": 4}),
        expected_version=1,
    )
    with pytest.raises(ConflictError) as conflict:
        update_assessment(
            acting_user=world.physio,
            assessment=assessment,
            values=values(measures={"nprs": 9}),
            expected_version=1,
        )
    assert conflict.value.current.version == 2
    assert conflict.value.current.nprs == 4
    assert Assessment.objects.get().nprs == 4
    assert AuditEvent.objects.filter(action="assessment.updated").count() == 1


def test_an_edit_recomputes_the_scores_from_the_new_items(world: World) -> None:
    assessment = make_assessment(world.patient)
    update_assessment(
        acting_user=world.physio,
        assessment=assessment,
        values=values(questionnaires={"odi": dict.fromkeys(all_items("odi", 0), 1)}),
        expected_version=1,
    )
    assert assessment.questionnaires.get(instrument="odi").score == Decimal("20.00")


def test_grip_trials_are_stored_as_given(world: World) -> None:
    trials = {f"grip_right_{n}": Decimal(v) for n, v in ((1, "44"), (2, "45.5"), (3, "46"))}
    assessment = make_assessment(world.patient, measures=trials)
    assessment.refresh_from_db()
    assert [assessment.grip_right_1, assessment.grip_right_2, assessment.grip_right_3] == [
        Decimal("44.00"),
        Decimal("45.50"),
        Decimal("46.00"),
    ]


def test_two_assessments_recorded_for_one_patient_both_count(world: World) -> None:
    record_assessment(acting_user=world.physio, patient=world.patient, values=values())
    record_assessment(
        acting_user=world.colleague,
        patient=world.patient,
        values=values(assessed_on=date(2026, 10, 20), kind="progress"),
    )
    assert world.patient.assessments.count() == 2
