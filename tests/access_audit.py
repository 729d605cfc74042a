"""The audit log (clinic admins of our clinic; the other clinic's admin sees only their own
clinic's log, so 200 with nothing of ours) and who saw a patient's data (the clinic's
admins and physiotherapists; the other clinic's get 404; employer viewers 403)."""

from tests.access import ADMIN_PAGE, Case, expect
from tests.conftest import World

CLINIC_STAFF = expect(403, physio=200, admin=200, other_physio=404, other_admin=404)
GET_ONLY = expect(405, viewer=403, other_viewer=403)


def _access_log(w: World, suffix: str = "/") -> str:
    return f"/patients/{w.patient.uuid}/access-log{suffix}"


AUDIT_CASES: list[Case] = [
    Case("audit:log", lambda w: "/audit/", ADMIN_PAGE),
    Case("audit:log", lambda w: "/audit/?kind=access&date_from=2026-01-01", ADMIN_PAGE, htmx=True),
    # A bad filter is reported on the page, never a 500.
    Case("audit:log", lambda w: "/audit/?date_from=yesterday&actor=9999&page=x", ADMIN_PAGE),
    Case("audit:log", lambda w: "/audit/", GET_ONLY, method="post"),
    Case("audit:patient_access", _access_log, CLINIC_STAFF),
    Case("audit:patient_access", _access_log, GET_ONLY, method="post"),
    Case("audit:patient_access_csv", lambda w: _access_log(w, ".csv"), CLINIC_STAFF),
]
