from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.demo import seed_assessments
from patients.demo import seed_patients
from programs.demo import seed_programs
from rtw.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PEOPLE, seed_demo_totp, seed_organisations
from rtw.reports.demo import seed_reports


class Command(BaseCommand):
    help = "Load demo clinics, employers, staff and patients (idempotent) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            orgs = seed_organisations()
            seed_patients(orgs)
            seed_assessments(orgs)
            seed_programs(orgs)
            seed_reports(orgs)
            if settings.DEBUG:
                seed_demo_totp(orgs.users)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/"))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        if settings.DEBUG:
            self.stdout.write(
                f"Second factor: add the key {DEMO_TOTP_SECRET} to an authenticator app, "
                "or run `DEBUG=1 .venv/bin/python manage.py demo_totp` for the current code."
            )
        for key, email, *_ in PEOPLE:
            user = orgs.users[key]
            self.stdout.write(
                f"  {user.get_role_display():<34} {email:<30} {user.organisation_name}"
            )
