"""Django's model backend, loading the signed-in user with their clinic or employer: every
page names it in the header (``User.organisation_name``), one query fewer per request."""

from typing import Any

from django.contrib.auth import backends

from rtw.models import User

PATH = "rtw.auth_backend.ModelBackend"


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("clinic", "employer").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
