"""The platform operator's view. Every change form runs the models' validation, so an item
above the cap is refused here with the same message as everywhere else."""

from django.contrib import admin

from programs.models import Exercise, Phase, Prescription, Program, SessionLog, Week, WeekItem


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
class WeekAdmin(admin.ModelAdmin[Week]):
    list_display = ["program", "index", "start_date", "decision", "status"]
    list_filter = ["status", "decision"]
    raw_id_fields = ["program", "phase", "planned_by", "accepted_by"]
    inlines = [WeekItemInline]


@admin.register(WeekItem)
class WeekItemAdmin(admin.ModelAdmin[WeekItem]):
    list_display = ["prescription", "week", "sets", "reps", "quantity", "max_quantity"]
    raw_id_fields = ["week", "prescription"]


@admin.register(SessionLog)
class SessionLogAdmin(admin.ModelAdmin[SessionLog]):
    list_display = ["week", "date", "pain_during", "rpe", "red_flag_tier"]
    raw_id_fields = ["week", "logged_by"]
