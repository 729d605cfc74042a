from django.db import models


class ProgramCarry(models.Model):
    """The engine's carry (``engine.past``) of a program's recorded weeks up to ``week``.

    Derived data, one row per program, rewritten whenever a week closes: the weekly batch
    plans from it and the one week after ``week`` instead of reading every week. Weeks
    close for good (no session can be logged in a closed week), so a carry stays true; an
    operator who edits a closed week in the admin drops the program's carry there, and the
    next plan is made from the whole history again. Not audited: it records no decision.
    """

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="carry"
    )
    week = models.ForeignKey("programs.Week", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"carry of program {self.program_id} through week {self.week_id}"
