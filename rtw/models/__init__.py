from rtw.models.access import AccessEvent
from rtw.models.audit import AuditEvent, EventKind
from rtw.models.invitations import Invitation
from rtw.models.organisations import Clinic, Employer
from rtw.models.reports import Report, ReportStatus
from rtw.models.users import Role, User

__all__ = [
    "AccessEvent",
    "AuditEvent",
    "Clinic",
    "Employer",
    "EventKind",
    "Invitation",
    "Report",
    "ReportStatus",
    "Role",
    "User",
]
