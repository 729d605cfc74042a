from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from rtw.models import AuditEvent, Clinic, Employer, User


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
