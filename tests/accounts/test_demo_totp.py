from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from rtw.demo import DEMO_PASSWORD, seed_demo_totp, seed_organisations


def test_demo_accounts_log_in_with_the_code_demo_totp_prints(db: None, settings) -> None:
    settings.DEBUG = True
    orgs = seed_organisations()
    seed_demo_totp(orgs.users)
    seed_demo_totp(orgs.users)  # idempotent, like the rest of the demo
    out = StringIO()
    call_command("demo_totp", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()

    client = Client()
    client.post(
        "/accounts/login/", {"username": "physio@riverside.example", "password": DEMO_PASSWORD}
    )
    response = client.post("/account/two-factor/verify/", {"code": code})
    assert response.status_code == 302
    assert client.get("/patients/").status_code == 200


def test_the_published_demo_key_is_refused_outside_debug(db: None, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_totp", stdout=StringIO())
    with pytest.raises(ImproperlyConfigured, match="DEBUG=1"):
        seed_demo_totp(seed_organisations().users)
