import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rtw.demo import demo_totp_device


class Command(BaseCommand):
    help = "Print the current 6-digit code of the demo accounts' authenticator (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG=1 (demo accounts only).")
        totp = demo_totp_device()
        left = totp.step - int(time.time() - totp.t0) % totp.step
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"(valid for about {left} more seconds; a code works once per account)")
