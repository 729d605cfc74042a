from django.contrib import admin

from patients.models import Consent, JobDemandProfile, JobTask, Patient


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin[Patient]):
    list_display = ["last_name", "first_name", "clinic", "employer", "status"]
    list_filter = ["status", "clinic"]
    search_fields = ["last_name", "first_name"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ["patient", "employer", "given_on", "withdrawn_on"]


class JobTaskInline(admin.TabularInline[JobTask, JobDemandProfile]):
    model = JobTask
    extra = 0


@admin.register(JobDemandProfile)
class JobDemandProfileAdmin(admin.ModelAdmin[JobDemandProfile]):
    list_display = ["job_title", "employer", "clinic", "is_template"]
    inlines = [JobTaskInline]
