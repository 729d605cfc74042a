"""Logged-in sessions for the load runs, made the way the test suite's ``client_for`` makes
them: Django's login, then the second factor django-otp records once a code is accepted."""

from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rtw.models import User

BACKEND = "rtw.auth_backend.ModelBackend"


def logged_in_client(user: User) -> Client:
    client = Client()
    # login() fires user_logged_in, which stamps the session's login and last-seen times.
    client.force_login(user, backend=BACKEND)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def cookie_header(user: User) -> str:
    """The Cookie header of a browser logged in as ``user``, with a CSRF secret beside it
    (the same secret goes in the X-CSRFToken header of unsafe requests)."""
    session = logged_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf_secret()}"


def csrf_secret() -> str:
    return "benchcsrf" + get_random_string(23)
