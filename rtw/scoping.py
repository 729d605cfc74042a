"""The one place that decides which organisations' records a user may reach.

Every view gets its querysets from here (or from the app-level helpers built on
these), so an object outside the user's scope is simply not found: a 404.
"""

from django.db.models import Q, QuerySet

from rtw.models import Employer, Role, User


def staff_visible_to(user: User) -> QuerySet[User]:
    """Accounts a clinic admin manages: their clinic's staff and its employers' viewers."""
    if not user.is_clinic_admin or user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(
        Q(clinic_id=user.clinic_id)
        | Q(role=Role.EMPLOYER_VIEWER, managing_clinic_id=user.clinic_id)
    )


def employers_visible_to(user: User) -> QuerySet[Employer]:
    if user.is_clinic_staff and user.clinic_id is not None:
        return Employer.objects.filter(clinics=user.clinic_id)
    if user.is_employer_viewer and user.employer_id is not None:
        return Employer.objects.filter(pk=user.employer_id)
    return Employer.objects.none()
