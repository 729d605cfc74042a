from rtw.models.audit import AuditEvent
from rtw.models.invitations import Invitation
from rtw.models.organisations import Clinic, Employer
from rtw.models.reports import Report, ReportStatus
from rtw.models.users import Role, User

__all__ = [
    "AuditEvent",
    "Clinic",
    "Employer",
    "Invitation",
    "Report",
    "ReportStatus",
    "Role",
    "User",
]
