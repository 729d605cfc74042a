from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from patients import services
from patients.models import Consent, Patient
from patients.scoping import shared_consents, shared_workers
from rtw.errors import ServiceError
from rtw.models import AuditEvent
from tests import factories
from tests.conftest import World, client_for

pytestmark = pytest.mark.usefixtures("today")

ALL_SCOPES = ["share_status", "share_capacity", "share_restrictions", "share_reports"]


@pytest.fixture
def fresh(world: World) -> Patient:
    """Our patient with no consent yet."""
    return factories.make_patient(world.physio, employer=world.employer)


def test_recording_consent_opens_sharing_with_the_patients_employer(
    world: World, fresh: Patient
) -> None:
    consent = services.record_consent(
        acting_user=world.physio,
        patient=fresh,
        given_on=date(2026, 11, 3),
        scope=["share_status", "share_capacity"],
    )
    assert consent.employer == world.employer
    assert consent.scope_labels == ["status and phase", "capacity against job demands"]
    assert consent.share_reports is False
    assert consent.recorded_by == world.physio
    assert fresh in shared_workers(world.viewer)
    event = AuditEvent.objects.get(action="consent.recorded")
    assert event.after["given_on"] == "2026-11-03"
    assert event.after["share_reports"] is False


def test_a_second_open_consent_is_refused_until_the_first_is_withdrawn(world: World) -> None:
    with pytest.raises(ServiceError, match="still open"):
        services.record_consent(
            acting_user=world.physio,
            patient=world.patient,
            given_on=date(2026, 11, 20),
            scope=ALL_SCOPES,
        )
    assert world.patient.consents.count() == 1
    services.withdraw_consent(
        acting_user=world.physio,
        consent=world.patient.consents.get(),
        withdrawn_on=date(2026, 11, 10),
    )
    services.record_consent(
        acting_user=world.physio,
        patient=world.patient,
        given_on=date(2026, 11, 20),
        scope=["share_reports"],
    )
    history = list(world.patient.consents.order_by("given_on"))
    assert [c.withdrawn_on for c in history] == [date(2026, 11, 10), None]


@pytest.mark.parametrize(
    ("given_on", "scope", "field"),
    [
        (date(2026, 11, 22), ALL_SCOPES, "given_on"),  # tomorrow
        (date(1980, 1, 1), ALL_SCOPES, "given_on"),  # before birth
        (date(2026, 11, 1), [], "scope"),
        (date(2026, 11, 1), ["share_diagnosis"], "scope"),
    ],
)
def test_bad_consent_is_refused_with_its_field(
    world: World, fresh: Patient, given_on: date, scope: list[str], field: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        services.record_consent(
            acting_user=world.physio, patient=fresh, given_on=given_on, scope=scope
        )
    assert caught.value.field == field
    assert not fresh.consents.exists()


def test_consent_needs_an_employer(world: World) -> None:
    unemployed = factories.make_patient(world.physio)
    with pytest.raises(ServiceError, match="employer"):
        services.record_consent(
            acting_user=world.physio,
            patient=unemployed,
            given_on=date(2026, 11, 1),
            scope=ALL_SCOPES,
        )


def test_withdrawal_closes_sharing_keeps_the_row_and_is_audited(world: World) -> None:
    consent = world.patient.consents.get()
    services.withdraw_consent(
        acting_user=world.colleague, consent=consent, withdrawn_on=date(2026, 11, 21)
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 21)
    assert consent.withdrawal_recorded_by == world.colleague
    assert world.patient not in shared_workers(world.viewer)
    assert Consent.objects.filter(pk=consent.pk).exists()
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [(date(2026, 9, 1), "before it was given"), (date(2026, 11, 22), "future")],
)
def test_a_withdrawal_date_before_consent_or_in_the_future_is_refused(
    world: World, withdrawn_on: date, message: str
) -> None:
    consent = world.patient.consents.get()  # given 2 Sep 2026
    with pytest.raises(ServiceError, match=message) as caught:
        services.withdraw_consent(
            acting_user=world.physio, consent=consent, withdrawn_on=withdrawn_on
        )
    assert caught.value.field == "withdrawn_on"
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawing_twice_is_refused(world: World) -> None:
    consent = world.patient.consents.get()
    services.withdraw_consent(
        acting_user=world.physio, consent=consent, withdrawn_on=date(2026, 11, 1)
    )
    with pytest.raises(ServiceError, match="already withdrawn"):
        services.withdraw_consent(
            acting_user=world.physio, consent=consent, withdrawn_on=date(2026, 11, 2)
        )


# --- Views --------------------------------------------------------------------


def test_physio_records_consent_through_the_form(
    world: World, fresh: Patient, physio_client: Client
) -> None:
    url = f"/patients/{fresh.uuid}/consent/new/"
    page = physio_client.get(url).content.decode()
    assert "Acme Logistics" in page
    response = physio_client.post(
        url, {"given_on": "2026-11-20", "scope": ["share_status", "share_reports"]}
    )
    assert response.status_code == 302
    consent = fresh.consents.get()
    assert consent.scope_labels == ["status and phase", "progress reports"]
    detail = physio_client.get(f"/patients/{fresh.uuid}/").content.decode()
    assert "status and phase; progress reports" in detail


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"given_on": "2026-11-22", "scope": ALL_SCOPES}, "given_on", "future"),
        ({"given_on": "2026-13-01", "scope": ALL_SCOPES}, "given_on", "valid date"),
        ({"given_on": "2026-11-01"}, "scope", "at least one"),
        ({"given_on": "2026-11-01", "scope": ["everything"]}, "scope", "valid choice"),
    ],
)
def test_bad_consent_forms_show_field_errors_and_save_nothing(
    fresh: Patient, physio_client: Client, post: dict[str, object], field: str, message: str
) -> None:
    response = physio_client.post(f"/patients/{fresh.uuid}/consent/new/", post)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not fresh.consents.exists()


def test_the_consent_page_says_to_withdraw_the_open_one_first(
    world: World, physio_client: Client
) -> None:
    url = f"/patients/{world.patient.uuid}/consent/new/"
    assert "is still open" in physio_client.get(url).content.decode()
    response = physio_client.post(url, {"given_on": "2026-11-20", "scope": ALL_SCOPES})
    assert response.status_code == 200
    assert world.patient.consents.count() == 1


def test_physio_withdraws_consent_through_the_form(world: World, physio_client: Client) -> None:
    consent = world.patient.consents.get()
    url = f"/patients/{world.patient.uuid}/consent/{consent.pk}/withdraw/"
    bad = physio_client.post(url, {"withdrawn_on": "2026-08-01"})
    assert "before it was given" in bad.content.decode()
    response = physio_client.post(url, {"withdrawn_on": "2026-11-21"}, follow=True)
    assert "Consent withdrawn" in response.content.decode()
    assert "Not sharing" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 21)


def test_a_consent_of_another_patient_is_404_through_our_patient(world: World) -> None:
    theirs = world.other_patient.consents.get()
    client = client_for(world.physio)
    url = f"/patients/{world.patient.uuid}/consent/{theirs.pk}/withdraw/"
    assert client.post(url, {"withdrawn_on": "2026-11-21"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_on is None


def test_the_other_clinics_physio_cannot_withdraw_our_consent(world: World) -> None:
    ours = world.patient.consents.get()
    client = client_for(world.other_physio)
    url = f"/patients/{world.other_patient.uuid}/consent/{ours.pk}/withdraw/"
    assert client.post(url, {"withdrawn_on": "2026-11-21"}).status_code == 404
    ours.refresh_from_db()
    assert ours.withdrawn_on is None


def test_the_consents_an_employer_sees_through_are_exactly_its_shared_workers(
    world: World,
) -> None:
    """``shared_consents`` states ``shared_workers``' rule from the consent's side (the
    employer pages list from it): both name the same workers, whatever the state."""
    shared = factories.make_patient(world.physio, employer=world.employer, consent=True)
    withdrawn = factories.make_patient(world.physio, employer=world.employer, consent=True)
    withdrawn.consents.update(withdrawn_on=date(2026, 11, 1))
    restricted = factories.make_patient(world.physio, employer=world.employer, consent=True)
    Patient.objects.filter(pk=restricted.pk).update(sharing_restricted_at=timezone.now())
    moved = factories.make_patient(world.physio, employer=world.employer, consent=True)
    Patient.objects.filter(pk=moved.pk).update(employer=world.other_employer)
    elsewhere = factories.make_patient(world.physio, employer=world.other_employer, consent=True)
    for user in (world.viewer, world.other_viewer, world.physio):
        workers = set(shared_workers(user).values_list("pk", flat=True))
        consents = list(shared_consents(user))
        assert {c.patient_id for c in consents} == workers
        assert len(consents) == len(workers)  # one open consent per worker
    workers = set(shared_workers(world.viewer).values_list("pk", flat=True))
    assert shared.pk in workers and world.patient.pk in workers
    assert not {withdrawn.pk, restricted.pk, moved.pk, elsewhere.pk} & workers
