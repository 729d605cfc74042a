import pytest
from django.test import Client

from rtw.models import AuditEvent, Role
from tests.conftest import World, client_for, login_via_form
from tests.factories import PASSWORD


def test_deactivating_a_physio_ends_their_open_session_at_once(world: World) -> None:
    their_browser = Client()
    assert login_via_form(their_browser, world.colleague, PASSWORD)
    assert their_browser.get("/patients/").status_code == 200

    client_for(world.admin).post(f"/staff/{world.colleague.uuid}/deactivate/")

    response = their_browser.get("/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="account.deactivated")
    assert event.actor == world.admin
    assert event.before == {"is_active": True} and event.after == {"is_active": False}


def test_a_deactivated_person_cannot_log_in_and_a_reactivated_one_can(world: World) -> None:
    admin = client_for(world.admin)
    admin.post(f"/staff/{world.colleague.uuid}/deactivate/")
    assert not login_via_form(Client(), world.colleague, PASSWORD)
    admin.post(f"/staff/{world.colleague.uuid}/reactivate/")
    assert login_via_form(Client(), world.colleague, PASSWORD)


def test_an_admin_cannot_deactivate_themself(world: World) -> None:
    response = client_for(world.admin).post(f"/staff/{world.admin.uuid}/deactivate/", follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_the_clinics_last_admin_cannot_be_demoted(world: World) -> None:
    # A second admin may demote the first, but not once only one is left.
    world.colleague.role = Role.CLINIC_ADMIN
    world.colleague.save(update_fields=["role"])
    colleague = client_for(world.colleague)
    colleague.post(f"/staff/{world.admin.uuid}/role/", {"role": "physiotherapist"})
    world.admin.refresh_from_db()
    assert world.admin.role == Role.PHYSIOTHERAPIST

    response = colleague.post(
        f"/staff/{world.colleague.uuid}/role/", {"role": "physiotherapist"}, follow=True
    )
    assert "at least one active clinic admin" in response.content.decode()
    world.colleague.refresh_from_db()
    assert world.colleague.role == Role.CLINIC_ADMIN


def test_role_change_by_htmx_returns_the_updated_row_and_is_audited(world: World) -> None:
    response = client_for(world.admin).post(
        f"/staff/{world.colleague.uuid}/role/",
        {"role": "admin_physiotherapist"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr")
    assert 'value="admin_physiotherapist" selected' in html
    event = AuditEvent.objects.get(action="account.role_changed")
    assert event.before == {"role": "physiotherapist"}
    assert event.after == {"role": "admin_physiotherapist"}


def test_an_invalid_role_changes_nothing(world: World) -> None:
    client_for(world.admin).post(f"/staff/{world.colleague.uuid}/role/", {"role": "root"})
    world.colleague.refresh_from_db()
    assert world.colleague.role == Role.PHYSIOTHERAPIST


def test_changing_the_role_of_another_clinics_user_is_404_and_changes_nothing(
    world: World,
) -> None:
    response = client_for(world.admin).post(
        f"/staff/{world.other_physio.uuid}/role/", {"role": "clinic_admin"}
    )
    assert response.status_code == 404
    world.other_physio.refresh_from_db()
    assert world.other_physio.role == Role.PHYSIOTHERAPIST


def test_staff_page_lists_only_our_clinic_in_constant_queries(
    world: World, django_assert_max_num_queries
) -> None:
    from tests import factories

    admin = client_for(world.admin)
    admin.get("/staff/")  # warm the session
    with django_assert_max_num_queries(12) as few:
        admin.get("/staff/")
    for _ in range(30):
        factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = admin.get("/staff/").content.decode()
    assert world.physio.email in html
    assert world.other_physio.email not in html
    assert world.other_admin.email not in html


def test_services_refuse_an_acting_user_who_does_not_run_that_clinic(world: World) -> None:
    from rtw.accounts.services import change_role, deactivate_user
    from rtw.errors import ServiceError

    with pytest.raises(ServiceError):
        deactivate_user(acting_user=world.physio, user=world.colleague)
    with pytest.raises(ServiceError):
        change_role(acting_user=world.other_admin, user=world.colleague, role="clinic_admin")
    world.colleague.refresh_from_db()
    assert world.colleague.is_active
    assert world.colleague.role == "physiotherapist"
