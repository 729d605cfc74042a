from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "rtw.mfa"
    label = "mfa"
    verbose_name = "Second factor and sessions"

    def ready(self) -> None:
        from rtw.mfa import sessions  # noqa: F401 - connects the login signal
