"""The employer portal: employer viewers only, and only their own employer's consenting
workers; the other employer's viewer gets 404 for ours. Nothing there takes an unsafe
method: a viewer is refused (403) before any view, anyone else gets 405."""

from tests.access import VIEWER_PAGE, Case, expect
from tests.conftest import World

OUR_WORKER = expect(403, viewer=200, other_viewer=404)
READ_ONLY = expect(405, viewer=403, other_viewer=403)


def _worker(w: World) -> str:
    return f"/employer/workers/{w.patient.uuid}/"


EMPLOYER_CASES: list[Case] = [
    Case("employer:dashboard", lambda w: "/employer/", VIEWER_PAGE),
    Case("employer:dashboard", lambda w: "/employer/", READ_ONLY, method="post"),
    Case("employer:worker", _worker, OUR_WORKER),
    Case("employer:worker", _worker, READ_ONLY, method="post"),
    Case("employer:worker", _worker, READ_ONLY, method="delete"),
]
