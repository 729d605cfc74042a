"""Recording and editing assessments. Each is one transaction that writes its audit event.

Questionnaire scores are always computed here from the item responses; the patient's
denormalised red-flag fields follow the latest assessment.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, QuestionnaireResponse
from assessments.scoring import SCORERS, Instrument, ScoreResult
from assessments.scoring.red_flags import Tier, tier_with_rest_pain
from assessments.values import MEASURE_FIELDS, AssessmentValues, check
from patients.models import Patient, RedFlagTier
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

ASSESSMENT_FIELDS = ("kind", "assessed_on", *MEASURE_FIELDS, "red_flags", "red_flag_tier", "notes")
PATIENT_FLAG_FIELDS = ("red_flag_tier", "red_flag_since")
TIER_VALUES = {
    Tier.EMERGENCY: RedFlagTier.EMERGENCY,
    Tier.URGENT: RedFlagTier.URGENT,
    Tier.AMBER: RedFlagTier.AMBER,
}


class ConflictError(ServiceError):
    """The assessment changed since the form was opened; ``current`` is the newer one."""

    def __init__(self, current: Assessment) -> None:
        super().__init__(
            f"This assessment was changed by someone else (now version {current.version}) "
            "since you opened it. Your changes were not saved. The newer values are listed "
            "below; review them and save again to replace them with yours."
        )
        self.current = current


def _require_clinician_of(user: User, patient: Patient) -> None:
    if not user.is_clinician or user.clinic_id != patient.clinic_id:
        raise ServiceError("Only a physiotherapist of the patient's clinic can do this.")


def _tier(values: AssessmentValues) -> str:
    rest_pain = values.measures.get("rest_pain")
    tier = tier_with_rest_pain(values.red_flags, int(rest_pain) if rest_pain is not None else None)
    return TIER_VALUES[tier] if tier else ""


def _apply(assessment: Assessment, values: AssessmentValues) -> None:
    assessment.kind = values.kind
    assessment.assessed_on = values.assessed_on
    for name in MEASURE_FIELDS:
        setattr(assessment, name, values.measures.get(name))
    assessment.red_flags = sorted(values.red_flags)
    assessment.red_flag_tier = _tier(values)
    assessment.notes = values.notes.strip()


def _response_row(
    assessment: Assessment, instrument: str, values: AssessmentValues, result: ScoreResult
) -> QuestionnaireResponse:
    items = SCORERS[Instrument(instrument)].items
    responses = values.answered()[instrument]
    names = {}
    if instrument == Instrument.PSFS:
        names = {
            item.key: values.activity_names[item.key].strip()
            for item in items
            if values.activity_names.get(item.key, "").strip()
        }
    return QuestionnaireResponse(
        assessment=assessment,
        instrument=instrument,
        responses={item.key: responses.get(item.key) for item in items},
        activity_names=names,
        **scored_fields(result),
    )


def scored_fields(result: ScoreResult) -> dict[str, Any]:
    """A questionnaire row's columns that hold its score, as a scorer gave it."""
    return {
        "score": result.score,
        "band": result.band or "",
        "high": result.high,
        "subscales": {name: str(value) for name, value in result.subscales.items()},
        "answered": result.answered,
        "required": result.required,
        "not_scorable_reason": result.not_scorable_reason or "",
    }


def _write_questionnaires(
    assessment: Assessment, values: AssessmentValues, scores: dict[str, ScoreResult]
) -> None:
    # Replacing the rows keeps one code path for recording and editing; their ids
    # are never referenced elsewhere.
    QuestionnaireResponse.objects.filter(assessment=assessment).delete()
    QuestionnaireResponse.objects.bulk_create(
        _response_row(assessment, instrument, values, result)
        for instrument, result in scores.items()
    )


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    data = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    data["questionnaires"] = {
        row.instrument: {
            "responses": row.responses,
            "activity_names": row.activity_names,
            "score": str(row.score) if row.score is not None else None,
            "band": row.band,
            "not_scorable_reason": row.not_scorable_reason,
        }
        for row in QuestionnaireResponse.objects.filter(assessment=assessment).order_by("id")
    }
    return data


@transaction.atomic
def record_assessment(
    *,
    acting_user: User,
    patient: Patient,
    values: AssessmentValues,
    today: date | None = None,
) -> Assessment:
    _require_clinician_of(acting_user, patient)
    # Lock the patient: two assessments recorded at once must not race on its flags.
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    scores = check(values, patient, today or timezone.localdate())
    assessment = Assessment(patient=patient, assessor=acting_user)
    _apply(assessment, values)
    assessment.save()
    _write_questionnaires(assessment, values, scores)
    audit.record(
        actor=acting_user,
        action="assessment.recorded",
        target=assessment,
        after=_snapshot(assessment),
    )
    follow_latest_red_flags(acting_user=acting_user, patient=patient, assessment=assessment)
    _tell_programs(assessment, acting_user)
    return assessment


@transaction.atomic
def update_assessment(
    *,
    acting_user: User,
    assessment: Assessment,
    values: AssessmentValues,
    expected_version: int,
    today: date | None = None,
) -> Assessment:
    """Save an edit made on ``expected_version``; refuse (ConflictError) a stale one."""
    patient = Patient.objects.select_for_update().get(pk=assessment.patient_id)
    _require_clinician_of(acting_user, patient)
    current = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("assessor")
        .get(pk=assessment.pk)
    )
    if current.version != expected_version:
        raise ConflictError(current)
    scores = check(values, patient, today or timezone.localdate())
    before = _snapshot(current)
    _apply(current, values)
    current.version += 1
    current.save(update_fields=[*ASSESSMENT_FIELDS, "version", "updated_at"])
    _write_questionnaires(current, values, scores)
    audit.record(
        actor=acting_user,
        action="assessment.updated",
        target=current,
        before=before,
        after=_snapshot(current),
    )
    follow_latest_red_flags(acting_user=acting_user, patient=patient, assessment=current)
    _tell_programs(current, acting_user)
    return current


def _tell_programs(assessment: Assessment, acting_user: User) -> None:
    """A flag pauses (emergency: suspends) the program at once; a reassessment is noted;
    met exit criteria propose advancing. Imported here so the apps stay apart."""
    from programs.hooks import on_assessment_recorded

    on_assessment_recorded(assessment, acting_user=acting_user)


def follow_latest_red_flags(*, acting_user: User, patient: Patient, assessment: Assessment) -> None:
    """Keep ``Patient.red_flag_tier``/``red_flag_since`` in step with the latest assessment.

    Only the patient's latest assessment (by date, then entry order) speaks for the
    patient now; editing an older one changes its own record only. A flag that
    continues at the same tier keeps the date it was first raised; no flag clears both.
    """
    latest = (
        Assessment.objects.filter(patient=patient)
        .order_by("-assessed_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != assessment.pk:
        return
    tier = assessment.red_flag_tier
    if tier == patient.red_flag_tier and (not tier or patient.red_flag_since is not None):
        return
    before = audit.snapshot(patient, PATIENT_FLAG_FIELDS)
    patient.red_flag_tier = tier
    patient.red_flag_since = assessment.assessed_on if tier else None
    patient.save(update_fields=list(PATIENT_FLAG_FIELDS))
    audit.record(
        actor=acting_user,
        action="patient.red_flag_changed",
        target=patient,
        before=before,
        after=audit.snapshot(patient, PATIENT_FLAG_FIELDS),
        reason=f"Assessment of {assessment.assessed_on} ({assessment.uuid}).",
    )
    on_red_flag_changed(
        acting_user=acting_user,
        patient=patient,
        previous_tier=str(before["red_flag_tier"]),
        tier=tier,
        assessment=assessment,
    )


def on_red_flag_changed(
    *,
    acting_user: User,
    patient: Patient,
    previous_tier: str,
    tier: str,
    assessment: Assessment,
) -> None:
    """Hook for the program pause logic (next issue), called inside the transaction.

    ``tier`` is "" when the latest assessment cleared the flag. The programs work pauses
    the patient's active program here for any tier (suspends it for emergency) and,
    when a flag clears, records the reassessment that allows an amber pause to resume.
    Nothing to do until programs exist.
    """
