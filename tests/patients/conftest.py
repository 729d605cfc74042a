from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from patients.services.patients import PATIENT_FIELDS
from tests.conftest import World

TODAY = date(2026, 11, 21)


@pytest.fixture
def today() -> Iterator[date]:
    """Every test here runs on 21 Nov 2026 (midday in London), so date rules are fixed."""
    noon = datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(noon, tick=False):
        yield TODAY


def patient_data(w: World, **changes: Any) -> dict[str, Any]:
    """What a valid patient form hands the services (model instances for relations)."""
    data: dict[str, Any] = {
        "first_name": "Nadia",
        "last_name": "Petrova",
        "date_of_birth": date(1990, 4, 12),
        "sex": "F",
        "email": "nadia@example.com",
        "phone": "07700 900456",
        "employer": w.employer,
        "job_title": "Picker",
        "job_profile": None,
        "body_region": "low_back",
        "injury_onset": date(2026, 10, 30),
        "injury_mechanism": "Lifting a crate from the floor",
        "work_related": True,
        "diagnosis": "Non-specific low back pain",
        "previous_same_site_injury": False,
        "smoker": False,
        "diabetes": False,
        "other_comorbidities": "",
        "physiotherapist": w.physio,
        "status": "active",
    }
    data.update(changes)
    assert set(data) == set(PATIENT_FIELDS)
    return data


def patient_post(w: World, version: int | None = None, **changes: Any) -> dict[str, Any]:
    """The same as posted by a browser (ids and ISO dates), with the form's version."""
    post: dict[str, Any] = {} if version is None else {"version": version}
    for key, value in patient_data(w, **changes).items():
        if value is None:
            post[key] = ""
        elif hasattr(value, "pk"):
            post[key] = value.pk
        elif isinstance(value, date):
            post[key] = value.isoformat()
        elif isinstance(value, bool):
            if value:
                post[key] = "on"
        else:
            post[key] = value
    return post
