from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from rtw import retention


class Command(BaseCommand):
    help = (
        "Apply the data retention policy (README, 'Data retention'): delete discharged "
        "patients' records, stale invitations and expired sessions that are due. With "
        "--dry-run, only count them. With --purge-audit (the operator procedure), also "
        "delete the append-only audit and access events that are due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; delete nothing."
        )
        parser.add_argument(
            "--purge-audit",
            action="store_true",
            help=(
                "Also delete the audit and access events due (lifting the append-only "
                "triggers inside one transaction; needs the tables' owner on PostgreSQL)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        outcome = retention.apply(today=today, now=now, dry_run=options["dry_run"])
        for line in outcome.lines():
            self.stdout.write(line)
        if not options["purge_audit"] or options["dry_run"]:
            return
        try:
            audit, access = retention.purge_audit(today, retention.Policy.from_settings())
        except DatabaseError as error:
            raise CommandError(
                f"The audit events could not be purged ({error}); nothing was deleted. "
                "On PostgreSQL, run this as the owner of the audit tables."
            ) from error
        self.stdout.write(f"audit events deleted: {audit}, access events deleted: {access}")
