"""A patient's "who saw my data" list, for an access request: who (name, role,
organisation), when and what, as a page and a CSV file; kept after the patient is gone."""

import csv
import io

from django.test import Client

from patients.models import Patient
from rtw.models import AccessEvent
from tests.access_reports import make_report
from tests.conftest import World, client_for


def _looked_at(world: World) -> None:
    client_for(world.physio).get(f"/patients/{world.patient.uuid}/")
    client_for(world.viewer).get(f"/employer/workers/{world.patient.uuid}/")
    report = make_report(world)
    client_for(world.viewer).get(f"/reports/{report.uuid}/download/")
    client_for(world.other_physio).get(f"/patients/{world.other_patient.uuid}/")


def _csv(client: Client, world: World) -> list[list[str]]:
    response = client.get(f"/patients/{world.patient.uuid}/access-log.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_list_says_who_with_role_and_organisation_when_and_what(world: World) -> None:
    _looked_at(world)
    html = client_for(world.physio).get(f"/patients/{world.patient.uuid}/access-log/")
    page = html.content.decode()
    assert world.physio.display_name in page and "Riverside Physio" in page
    assert world.viewer.display_name in page and "Acme Logistics" in page
    assert "Employer viewer" in page and "Physiotherapist" in page
    assert "Report download (PDF)" in page and "Employer&#x27;s worker page" in page
    assert world.other_physio.display_name not in page


def test_the_clinic_admin_downloads_the_list_as_csv_for_an_access_request(world: World) -> None:
    _looked_at(world)
    header, *lines = _csv(client_for(world.admin), world)
    assert header == ["when (UTC)", "who", "role", "organisation", "what", "page code", "object"]
    whats = [line[5] for line in lines]
    assert whats == [
        "patients:detail",
        "employer:worker",
        "reports:download",
        "audit:patient_access_csv",
    ]
    viewer_rows = [line for line in lines if line[1] == world.viewer.display_name]
    assert {line[3] for line in viewer_rows} == {"Acme Logistics"}
    assert {line[2] for line in viewer_rows} == {"Employer viewer"}


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_csv(world: World) -> None:
    type(world.viewer).objects.filter(pk=world.viewer.pk).update(first_name="=HYPERLINK(1)")
    client_for(world.viewer).get(f"/employer/workers/{world.patient.uuid}/")
    _, first, *_ = _csv(client_for(world.physio), world)
    assert first[1].startswith("'=HYPERLINK")


def test_the_list_outlives_the_patient(world: World) -> None:
    client_for(world.physio).get(f"/patients/{world.patient.uuid}/")
    uuid = world.patient.uuid
    world.patient.consents.all().delete()
    Patient.objects.filter(pk=world.patient.pk).delete()
    assert AccessEvent.objects.filter(patient_uuid=uuid).count() == 1


def test_the_admin_reaches_it_from_the_audit_log_filtered_by_patient(world: World) -> None:
    _looked_at(world)
    page = client_for(world.admin).get(f"/audit/?patient={world.patient.uuid}&kind=access")
    html = page.content.decode()
    assert f'href="/patients/{world.patient.uuid}/access-log/"' in html
    assert html.count("badge-off") == 3
