import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from rtw.audit_tracking import Tracked, TrackedManagerMixin


class Role(models.TextChoices):
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"
    ADMIN_PHYSIOTHERAPIST = "admin_physiotherapist", "Clinic admin and physiotherapist"
    EMPLOYER_VIEWER = "employer_viewer", "Employer viewer"


CLINIC_ROLES = (Role.PHYSIOTHERAPIST, Role.CLINIC_ADMIN, Role.ADMIN_PHYSIOTHERAPIST)
CLINICIAN_ROLES = (Role.PHYSIOTHERAPIST, Role.ADMIN_PHYSIOTHERAPIST)
ADMIN_ROLES = (Role.CLINIC_ADMIN, Role.ADMIN_PHYSIOTHERAPIST)


class EmailUserManager(TrackedManagerMixin, UserManager["User"]):
    use_in_migrations = True

    def _create_user_with_email(self, email: str, password: str | None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_with_email(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.update(is_staff=True, is_superuser=True, role="")
        return self._create_user_with_email(email, password, **extra)


class User(Tracked, AbstractUser):
    """A person who logs in. Staff belong to one clinic, employer viewers to one employer.

    ``is_staff``/``is_superuser`` are only for the platform operator (Django admin).
    """

    username = None  # type: ignore[assignment]
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    clinic = models.ForeignKey(
        "rtw.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    employer = models.ForeignKey(
        "rtw.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="viewers"
    )
    managing_clinic = models.ForeignKey(
        "rtw.Clinic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_viewers",
        help_text="For employer viewers: the clinic whose admins run this account.",
    )
    registration_number = models.CharField(
        max_length=50, blank=True, help_text="Professional registration, shown on reports."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc, assignment]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.CheckConstraint(
                name="user_role_matches_organisation",
                condition=(
                    Q(role="", clinic__isnull=True, employer__isnull=True)
                    | Q(
                        role__in=[r.value for r in CLINIC_ROLES],
                        clinic__isnull=False,
                        employer__isnull=True,
                    )
                    | Q(role=Role.EMPLOYER_VIEWER, employer__isnull=False, clinic__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in CLINIC_ROLES

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICIAN_ROLES

    @property
    def is_clinic_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_employer_viewer(self) -> bool:
        return self.role == Role.EMPLOYER_VIEWER

    @property
    def organisation_name(self) -> str:
        org = self.clinic or self.employer
        return org.name if org else "Platform"
