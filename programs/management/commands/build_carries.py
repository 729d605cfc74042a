from typing import Any

from django.core.management.base import BaseCommand

from programs.services.batch import build_carries


class Command(BaseCommand):
    help = (
        "Store the weekly batch's carry (every recorded week but the last, folded) for each "
        "active program that has none. Run once after upgrading, so that the next batch "
        "reads one week per program; the batch otherwise builds each carry as it goes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = build_carries()
        self.stdout.write(f"Stored the carry of {count} programs.")
