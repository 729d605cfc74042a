from collections.abc import Collection
from datetime import date

from django.db import transaction
from django.utils import timezone

from patients.models import Consent, Patient
from patients.models.consent import SCOPE_LABELS
from patients.rules import consent_date_problems
from patients.services.conflicts import require_clinician
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

CONSENT_FIELDS = ("employer", "given_on", *SCOPE_LABELS, "withdrawn_on")


@transaction.atomic
def record_consent(
    *, acting_user: User, patient: Patient, given_on: date, scope: Collection[str]
) -> Consent:
    """Record consent to share with the patient's employer.

    Refused while another consent is open: the clinician withdraws that one first, so
    that what was shared when stays readable in the history.
    """
    require_clinician(acting_user)
    # Lock the patient so that two clinicians cannot both open a consent.
    current = (
        Patient.objects.select_for_update(of=("self",))
        .select_related("employer")
        .get(pk=patient.pk)
    )
    if current.employer_id is None:
        raise ServiceError("Record the patient's employer before their consent to share with it.")
    open_consent = current.consents.filter(withdrawn_on__isnull=True).first()
    if open_consent is not None:
        raise ServiceError(
            f"Consent given on {open_consent.given_on:%d %b %Y} is still open. "
            "Withdraw it first, then record the new consent."
        )
    unknown = set(scope) - set(SCOPE_LABELS)
    if not scope or unknown:
        raise ServiceError("Choose at least one thing the worker agrees to share.", field="scope")
    problems = consent_date_problems(
        "given_on", given_on, timezone.localdate(), current.date_of_birth, "the date of birth"
    )
    for field, message in problems:
        raise ServiceError(message, field=field)
    consent = Consent.objects.create(
        patient=current,
        employer_id=current.employer_id,
        given_on=given_on,
        recorded_by=acting_user,
        **{name: name in scope for name in SCOPE_LABELS},
    )
    audit.record(
        actor=acting_user,
        action="consent.recorded",
        target=consent,
        after=audit.snapshot(consent, CONSENT_FIELDS),
    )
    return consent


@transaction.atomic
def withdraw_consent(*, acting_user: User, consent: Consent, withdrawn_on: date) -> Consent:
    require_clinician(acting_user)
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.withdrawn_on is not None:
        raise ServiceError(
            f"This consent was already withdrawn on {current.withdrawn_on:%d %b %Y}."
        )
    problems = consent_date_problems(
        "withdrawn_on", withdrawn_on, timezone.localdate(), current.given_on, "it was given"
    )
    for field, message in problems:
        raise ServiceError(message, field=field)
    current.withdrawn_on = withdrawn_on
    current.withdrawal_recorded_by = acting_user
    current.save(update_fields=["withdrawn_on", "withdrawal_recorded_by"])
    audit.record(
        actor=acting_user,
        action="consent.withdrawn",
        target=current,
        before={"withdrawn_on": None},
        after={"withdrawn_on": withdrawn_on},
    )
    return current
