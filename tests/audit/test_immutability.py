"""Audit and access records cannot be changed or deleted: not through the models, their
querysets or Django admin, and not by SQL sent past the ORM."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from rtw import audit
from rtw.models import AccessEvent, AuditEvent, Role
from tests.conftest import World, client_for
from tests.factories import make_user

TABLES = {AuditEvent: "rtw_auditevent", AccessEvent: "rtw_accessevent"}


@pytest.fixture
def events(world: World) -> dict[type, object]:
    """One row in each table."""
    client_for(world.physio).get(f"/patients/{world.patient.uuid}/")
    event = audit.record(actor=world.physio, action="patient.looked_at", target=world.patient)
    return {AuditEvent: event, AccessEvent: AccessEvent.objects.get()}


@pytest.mark.parametrize("model", list(TABLES), ids=lambda m: m.__name__)
def test_a_saved_record_cannot_be_saved_again_or_deleted(events, model) -> None:
    row = events[model]
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


@pytest.mark.parametrize("model", list(TABLES), ids=lambda m: m.__name__)
def test_querysets_refuse_update_delete_and_bulk_update(events, model) -> None:
    rows = model.objects.all()
    with pytest.raises(PermissionError):
        rows.update(created_at=None)
    with pytest.raises(PermissionError):
        rows.delete()
    with pytest.raises(PermissionError):
        model.objects.bulk_update(list(rows), ["created_at"])
    assert rows.count() >= 1


@pytest.mark.parametrize("model", list(TABLES), ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    "sql", ["UPDATE {table} SET created_at = created_at", "DELETE FROM {table}"]
)
def test_the_database_refuses_a_raw_update_or_delete(events, model, sql) -> None:
    count = model.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=TABLES[model]))
    assert model.objects.count() == count


def test_new_records_can_still_be_added(events, world: World) -> None:
    audit.record(actor=world.physio, action="patient.looked_at_again", target=world.patient)
    assert AuditEvent.objects.filter(action="patient.looked_at_again").exists()


@pytest.mark.parametrize("model", list(TABLES), ids=lambda m: m.__name__)
def test_django_admin_can_read_but_never_add_change_or_delete(world: World, model) -> None:
    operator = make_user("", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = operator
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_operator_sees_the_audit_log_in_django_admin(events, world: World) -> None:
    operator = make_user("", is_staff=True, is_superuser=True)
    client = client_for(operator)
    assert client.get("/admin/rtw/auditevent/").status_code == 200
    assert client.get("/admin/rtw/auditevent/add/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_guard_on() -> None:
    from tests.factories import make_clinic

    clinic = make_clinic()
    user = make_user(Role.CLINIC_ADMIN, clinic=clinic)
    audit.record(actor=user, action="clinic.opened", target=clinic)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    clinic = make_clinic()
    audit.record(actor=None, action="clinic.opened", target=clinic)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM rtw_auditevent")
