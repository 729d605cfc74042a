"""The platform operator's view. Every change form runs the models' validation, so an item
above the cap is refused here with the same message as everywhere else."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from programs.models import (
    Exercise,
    Phase,
    Prescription,
    Program,
    ProgramCarry,
    SessionLog,
    Week,
    WeekItem,
)


def _program_id(obj: Any) -> int:
    return int(obj.program_id if isinstance(obj, Week) else obj.week.program_id)


class DropsCarry(admin.ModelAdmin[Any]):
    """An operator's edit of a week, its items or its sessions may change a week already
    folded into the program's carry: the carry goes, and the next plan reads every week."""

    def _drop(self, objects: Any) -> None:
        ProgramCarry.objects.filter(program_id__in={_program_id(o) for o in objects}).delete()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._drop([obj])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._drop([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._drop(list(queryset))
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if isinstance(form.instance, Model):
            self._drop([form.instance])


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin[Exercise]):
    list_display = ["name", "category", "quantity_kind", "increment", "clinic"]
    list_filter = ["category", "clinic"]
    search_fields = ["name"]


class PhaseInline(admin.TabularInline[Phase, Program]):
    model = Phase
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = ["name", "patient", "status", "cap", "is_template", "clinic"]
    list_filter = ["status", "is_template", "clinic"]
    raw_id_fields = ["patient", "job_profile", "current_phase", "created_by"]
    inlines = [PhaseInline]


@admin.register(Prescription)
class PrescriptionAdmin(admin.ModelAdmin[Prescription]):
    list_display = ["exercise", "phase", "sets", "reps", "quantity", "target"]
    raw_id_fields = ["phase", "exercise"]


class WeekItemInline(admin.TabularInline[WeekItem, Week]):
    model = WeekItem
    extra = 0
    raw_id_fields = ["prescription"]


@admin.register(Week)
class WeekAdmin(DropsCarry):
    list_display = ["program", "index", "start_date", "decision", "status"]
    list_filter = ["status", "decision"]
    raw_id_fields = ["program", "phase", "planned_by", "accepted_by"]
    inlines = [WeekItemInline]


@admin.register(WeekItem)
class WeekItemAdmin(DropsCarry):
    list_display = ["prescription", "week", "sets", "reps", "quantity", "max_quantity"]
    raw_id_fields = ["week", "prescription"]


@admin.register(SessionLog)
class SessionLogAdmin(DropsCarry):
    list_display = ["week", "date", "pain_during", "rpe", "red_flag_tier"]
    raw_id_fields = ["week", "logged_by"]
