"""Give every clinic that already exists the standard job-demand templates.

New clinics get them when they are created (``patients.signals``).
"""

from django.db import migrations


def seed_templates(apps, schema_editor):
    from patients.job_templates import create_missing_templates

    Clinic = apps.get_model("rtw", "Clinic")
    JobDemandProfile = apps.get_model("patients", "JobDemandProfile")
    JobTask = apps.get_model("patients", "JobTask")
    for clinic_id in Clinic.objects.values_list("pk", flat=True):
        create_missing_templates(JobDemandProfile, JobTask, clinic_id)


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0003_jobtask_version"),
        ("rtw", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed_templates, migrations.RunPython.noop)]
