from datetime import date

import pytest

from patients import services
from patients.models import Patient, PatientStatus
from rtw.errors import ServiceError
from rtw.models import AuditEvent, Role
from tests import factories
from tests.conftest import World
from tests.patients.conftest import patient_data

pytestmark = pytest.mark.usefixtures("today")


def _refused(field: str | None, w: World, **changes: object) -> ServiceError:
    before = Patient.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.create_patient(acting_user=w.physio, data=patient_data(w, **changes))
    assert caught.value.field == field
    assert Patient.objects.count() == before
    return caught.value


def test_physio_creates_a_patient_in_their_clinic_with_an_audit_event(world: World) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    patient = services.create_patient(
        acting_user=world.physio, data=patient_data(world, job_profile=profile)
    )
    assert patient.clinic == world.clinic
    assert patient.job_profile == profile
    assert patient.status == PatientStatus.ACTIVE
    event = AuditEvent.objects.get(action="patient.created")
    assert event.actor == world.physio
    assert event.clinic == world.clinic
    assert event.target_id == str(patient.pk)
    assert event.after["last_name"] == "Petrova"
    assert event.after["date_of_birth"] == "1990-04-12"


def test_a_date_of_birth_in_the_future_is_refused(world: World) -> None:
    error = _refused("date_of_birth", world, date_of_birth=date(2026, 11, 22))
    assert "future" in error.message


@pytest.mark.parametrize(
    ("born", "saved"),
    [
        (date(2012, 11, 21), True),  # 14 today
        (date(2012, 11, 22), False),  # 13 until tomorrow
        (date(1926, 11, 22), True),  # 99, 100 tomorrow
        (date(1926, 11, 21), True),  # 100 today
        (date(1925, 11, 21), False),  # 101
        (date(1, 1, 1), False),
    ],
)
def test_age_must_be_between_14_and_100(world: World, born: date, saved: bool) -> None:
    data = patient_data(world, date_of_birth=born, injury_onset=date(2026, 11, 1))
    if saved:
        services.create_patient(acting_user=world.physio, data=data)
    else:
        with pytest.raises(ServiceError, match="years old") as caught:
            services.create_patient(acting_user=world.physio, data=data)
        assert caught.value.field == "date_of_birth"


def test_an_injury_onset_in_the_future_is_refused(world: World) -> None:
    _refused("injury_onset", world, injury_onset=date(2026, 12, 1))


def test_an_injury_onset_before_birth_is_refused(world: World) -> None:
    error = _refused("injury_onset", world, injury_onset=date(1989, 1, 1))
    assert "before the date of birth" in error.message


def test_an_employer_of_another_clinic_is_refused(world: World) -> None:
    _refused("employer", world, employer=world.other_employer)


def test_a_job_profile_of_another_clinic_is_refused(world: World) -> None:
    theirs = factories.make_job_profile(world.other_clinic, world.other_employer)
    _refused("job_profile", world, job_profile=theirs)


def test_a_job_profile_of_another_employer_is_refused(world: World) -> None:
    second = factories.make_employer(world.clinic, name="Brightcare Homes")
    profile = factories.make_job_profile(world.clinic, second, job_title="Care worker")
    error = _refused("job_profile", world, job_profile=profile)
    assert "another employer" in error.message


def test_a_clinic_template_cannot_be_a_patients_job_profile(world: World) -> None:
    template = world.clinic.job_profiles.filter(is_template=True).first()
    _refused("job_profile", world, job_profile=template)


def test_a_physiotherapist_of_another_clinic_cannot_be_assigned(world: World) -> None:
    _refused("physiotherapist", world, physiotherapist=world.other_physio)


def test_a_clinic_admin_cannot_be_assigned_as_physiotherapist(world: World) -> None:
    _refused("physiotherapist", world, physiotherapist=world.admin)


def test_a_clinic_admin_who_is_not_a_physio_cannot_create_patients(world: World) -> None:
    with pytest.raises(ServiceError):
        services.create_patient(acting_user=world.admin, data=patient_data(world))


def test_an_admin_physiotherapist_can_create_patients(world: World) -> None:
    both = factories.make_user(Role.ADMIN_PHYSIOTHERAPIST, clinic=world.clinic)
    patient = services.create_patient(
        acting_user=both, data=patient_data(world, physiotherapist=both)
    )
    assert patient.physiotherapist == both


def test_an_edit_saves_only_what_changed_and_audits_before_and_after(world: World) -> None:
    patient = world.patient
    data = patient_data(
        world,
        first_name=patient.first_name,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        sex=patient.sex,
        email="",
        phone="",
        job_title=patient.job_title,
        injury_onset=patient.injury_onset,
        injury_mechanism="",
        diagnosis=patient.diagnosis,
        smoker=True,
    )
    services.update_patient(acting_user=world.physio, patient=patient, data=data, version=1)
    patient.refresh_from_db()
    assert patient.smoker is True
    assert patient.version == 2
    event = AuditEvent.objects.get(action="patient.updated")
    assert event.before["smoker"] is False
    assert event.after["smoker"] is True
    assert "first_name" not in event.after


def test_a_stale_edit_is_refused_and_carries_the_newer_record(world: World) -> None:
    patient = world.patient
    services.update_patient(
        acting_user=world.colleague,
        patient=patient,
        data=patient_data(world, first_name="Colleague's edit"),
        version=1,
    )
    with pytest.raises(services.StaleEdit) as caught:
        services.update_patient(
            acting_user=world.physio,
            patient=patient,
            data=patient_data(world, first_name="My edit"),
            version=1,
        )
    current = caught.value.current
    assert isinstance(current, Patient)
    assert current.first_name == "Colleague's edit"
    patient.refresh_from_db()
    assert patient.first_name == "Colleague's edit"
    assert patient.version == 2


def test_changing_employer_while_consent_is_open_is_refused(world: World) -> None:
    second = factories.make_employer(world.clinic, name="Brightcare Homes")
    with pytest.raises(ServiceError, match="withdraw it") as caught:
        services.update_patient(
            acting_user=world.physio,
            patient=world.patient,
            data=patient_data(world, employer=second),
            version=1,
        )
    assert caught.value.field == "employer"
    world.patient.refresh_from_db()
    assert world.patient.employer == world.employer


def test_discharge_sets_the_status_once_and_audits_it(world: World) -> None:
    services.discharge_patient(acting_user=world.physio, patient=world.patient)
    world.patient.refresh_from_db()
    assert world.patient.status == PatientStatus.DISCHARGED
    assert AuditEvent.objects.filter(action="patient.discharged").count() == 1
    with pytest.raises(ServiceError, match="already discharged"):
        services.discharge_patient(acting_user=world.physio, patient=world.patient)
