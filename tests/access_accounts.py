from tests.access import (
    ADMIN_PAGE,
    PUBLIC_PAGE,
    Case,
    expect,
)

# Every persona's client has passed the second factor (tests.conftest.client_for), so the
# set-up and verify pages send them on; the account pages are everyone's own.
OWN_PAGE = expect(200)

ACCOUNT_CASES: list[Case] = [
    Case("home", lambda w: "/", expect(302)),
    Case("health", lambda w: "/health/", PUBLIC_PAGE),
    Case("login", lambda w: "/accounts/login/", expect(302, anonymous=200)),
    Case("logout", lambda w: "/accounts/logout/", expect(302, anonymous=302), method="post"),
    Case("password_reset", lambda w: "/accounts/password-reset/", PUBLIC_PAGE),
    Case("password_reset_done", lambda w: "/accounts/password-reset/sent/", PUBLIC_PAGE),
    Case("password_reset_confirm", lambda w: "/accounts/reset/MQ/bad-token/", PUBLIC_PAGE),
    Case("password_reset_complete", lambda w: "/accounts/reset/done/", PUBLIC_PAGE),
    Case(
        "accounts:accept_invite", lambda w: "/invite/not-a-real-token/", expect(410, anonymous=410)
    ),
    Case("accounts:staff", lambda w: "/staff/", ADMIN_PAGE),
    Case("accounts:invite_staff", lambda w: "/staff/invite/", ADMIN_PAGE),
    Case("accounts:invite_viewer", lambda w: "/staff/invite-viewer/", ADMIN_PAGE),
    Case("accounts:create_employer", lambda w: "/staff/employers/new/", ADMIN_PAGE),
    Case(
        "accounts:change_role",
        lambda w: f"/staff/{w.colleague.uuid}/role/",
        expect(403, admin=302, other_admin=404),
        method="post",
        data=lambda w: {"role": "clinic_admin"},
    ),
    Case(
        "accounts:change_role",
        lambda w: f"/staff/{w.colleague.uuid}/role/",
        expect(403, admin=200, other_admin=404),
        method="post",
        data=lambda w: {"role": "clinic_admin"},
        htmx=True,
    ),
    Case(
        "accounts:deactivate",
        lambda w: f"/staff/{w.colleague.uuid}/deactivate/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case(
        "accounts:reactivate",
        lambda w: f"/staff/{w.colleague.uuid}/reactivate/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case(
        "accounts:resend_invite",
        lambda w: f"/staff/{w.colleague.uuid}/resend-invite/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case(
        "accounts:reset_mfa",
        lambda w: f"/staff/{w.colleague.uuid}/reset-two-factor/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case(
        "accounts:reset_mfa",
        lambda w: f"/staff/{w.colleague.uuid}/reset-two-factor/",
        expect(403, admin=200, other_admin=404),
        method="post",
        htmx=True,
    ),
    Case("account:home", lambda w: "/account/", OWN_PAGE),
    Case("account:email", lambda w: "/account/email/", OWN_PAGE),
    Case("account:password", lambda w: "/account/password/", OWN_PAGE),
    Case("account:reauthenticate", lambda w: "/account/reauthenticate/", OWN_PAGE),
    Case("account:mfa_setup", lambda w: "/account/two-factor/setup/", expect(302)),
    Case("account:mfa_verify", lambda w: "/account/two-factor/verify/", expect(302)),
    Case("account:replace_mfa", lambda w: "/account/two-factor/replace/", OWN_PAGE),
    Case(
        "account:replace_mfa",
        lambda w: "/account/two-factor/replace/",
        expect(302),
        method="post",
    ),
    Case(
        "account:backup_codes",
        lambda w: "/account/two-factor/backup-codes/",
        expect(200),
        method="post",
    ),
    Case(
        "account:backup_codes",
        lambda w: "/account/two-factor/backup-codes/",
        expect(405),
    ),
]
