"""The log canary's detector finds each kind of secret in a log record, and only those."""

import logging

import pytest
from django.test import Client

from rtw.log_filters import redact
from tests.log_canary import CLINICAL_CANARY, Canaries, Seen, find_leaks, record_text

PASSWORD = "plain-text-password-42"
INVITE = "vM3b8Qk0c6T9rZf1YyJpLw2nE5sXaUoH7dGiKq4tBc"
RESET = "cdx1rk-6a4f0b1f2e3d4c5b6a798877"
TOTP_HEX = "3132333435363738393031323334353637383930"
BACKUP = "h7k2m9p4"


def _record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, None) if exc else None
    return logging.LogRecord("rtw.leaky", logging.WARNING, __file__, 1, msg, args, exc_info)


def _seen(record: logging.LogRecord) -> Seen:
    return Seen(record.name, record.levelname, record_text(record))


def _canaries() -> Canaries:
    canaries = Canaries()
    canaries.add_password(PASSWORD)
    canaries.add("clinical", CLINICAL_CANARY)
    canaries.add_from_text(f"Choose your password: https://rtw.example/invite/{INVITE}/")
    canaries.add_from_text(f"https://rtw.example/accounts/reset/MQ/{RESET}/")
    canaries.add("totp secret", TOTP_HEX)
    canaries.add("backup code", BACKUP)
    return canaries


def test_the_detector_names_each_kind_of_secret_found_in_a_log_record() -> None:
    records = [
        _record("Login failed for %s with %s", "a@example.test", PASSWORD),
        _record("Saved patient: diagnosis %r", f"Back pain {CLINICAL_CANARY}"),
        _record(f"GET /invite/{INVITE}/ gone"),
        _record("Reset link issued", exc=ValueError(f"bad token {RESET}")),
        _record("Device key %s", TOTP_HEX),
        _record("Backup codes: %s", [BACKUP]),
    ]
    leaks = find_leaks([_seen(r) for r in records], _canaries())
    assert [leak.kind for leak in leaks] == [
        "password",
        "clinical",
        "token",
        "token",
        "totp secret",
        "backup code",
    ]
    assert all(leak.logger == "rtw.leaky" and leak.level == "WARNING" for leak in leaks)
    # The report shows where, not the secret itself.
    assert not any(PASSWORD in leak.excerpt or INVITE in leak.excerpt for leak in leaks)


def test_a_record_with_ids_only_is_not_a_leak() -> None:
    record = _record("Report %s could not be rendered for patient %s", 42, "a1b2c3")
    assert find_leaks([_seen(record)], _canaries()) == []


def test_short_or_samey_values_are_not_taken_as_secrets() -> None:
    canaries = Canaries()
    canaries.add_password("0000000000")
    canaries.add("token", "abc")
    assert len(canaries) == 0


def test_an_invitation_link_that_is_gone_is_logged_without_its_token(
    client: Client, caplog: pytest.LogCaptureFixture, db: None
) -> None:
    token = "Zk3vR9sQ0pL2mN5bX8cV1aS4dF7gH6jK"
    with caplog.at_level(logging.INFO):
        response = client.get(f"/invite/{token}/")
    assert response.status_code == 410
    assert "/invite/[redacted]/" in caplog.text
    assert token not in caplog.text


def test_reset_and_invitation_tokens_are_cut_out_of_any_logged_path() -> None:
    assert redact("Not Found: /accounts/reset/MQ/cdx1rk-6a4f0b1f2e/") == (
        "Not Found: /accounts/reset/MQ/[redacted]/"
    )
    assert redact('path_info: "/invite/abc_DEF-123"}') == 'path_info: "/invite/[redacted]"}'
    assert redact("GET /patients/5/") == "GET /patients/5/"
