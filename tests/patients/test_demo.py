from patients.demo import seed_patients
from patients.models import Consent, JobDemandProfile, JobTask, Patient, PatientStatus
from rtw.demo import seed_organisations


def _counts() -> tuple[int, ...]:
    return (
        Patient.objects.count(),
        Consent.objects.count(),
        JobDemandProfile.objects.count(),
        JobTask.objects.count(),
    )


def test_demo_patients_and_profiles_are_seeded_once_however_often_it_runs(db: None) -> None:
    orgs = seed_organisations()
    seed_patients(orgs)
    first = _counts()
    seed_patients(seed_organisations())
    assert _counts() == first
    riverside = orgs.clinics["riverside"]
    titles = set(
        JobDemandProfile.objects.filter(clinic=riverside).values_list("job_title", flat=True)
    )
    assert {"Warehouse picker", "Care worker", "Labourer", "Yard operative"} <= titles
    yard = JobDemandProfile.objects.get(job_title="Yard operative")
    assert yard.employer == orgs.employers["acme"]
    assert yard.tasks.count() == 6  # copied from the Labourer template
    assert Patient.objects.filter(status=PatientStatus.DISCHARGED).exists()
    assert Patient.objects.filter(clinic=riverside).count() >= 7
