from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from rtw.models import AccessEvent, AuditEvent, Clinic, Employer, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin[Clinic]):
    search_fields = ["name"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin[Employer]):
    search_fields = ["name"]
    filter_horizontal = ["clinics"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "clinic", "employer", "is_active"]
    list_filter = ["role", "is_active", "clinic"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "registration_number")}),
        ("Organisation", {"fields": ("role", "clinic", "employer", "managing_clinic")}),
        ("Platform", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class AppendOnlyAdmin(admin.ModelAdmin[Any]):
    """Audit records can be read here, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "kind", "actor", "action", "target_type", "target_id"]
    list_filter = ["kind", "action", "target_type"]
    list_select_related = ["actor"]


@admin.register(AccessEvent)
class AccessEventAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "actor", "actor_role", "what", "patient_uuid"]
    list_filter = ["what", "actor_role"]
    list_select_related = ["actor"]
