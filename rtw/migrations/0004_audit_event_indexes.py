"""Two fewer indexes on the audit trail, each paid on every insert: the clinic is indexed
with created_at already, and the action needs no LIKE index (the log filters with ILIKE).

SQLite alters a column by rebuilding the table, which drops its triggers: the append-only
guard of 0003 is put back after the change (and after undoing it)."""

import django.db.models.deletion
from django.db import migrations, models

MESSAGE = "audit records are append-only"


def guard_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL alters in place: its trigger stays
    for operation in ("UPDATE", "DELETE"):
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS rtw_auditevent_no_{operation.lower()} "
            f"BEFORE {operation} ON rtw_auditevent "
            "WHEN NOT EXISTS (SELECT 1 FROM rtw_audit_unlock) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("rtw", "0003_audit_trail"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, guard_again),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="clinic",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rtw.clinic",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["action"], name="rtw_audit_action_idx"),
        ),
        migrations.RunPython(guard_again, migrations.RunPython.noop),
    ]
