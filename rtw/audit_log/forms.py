from datetime import date
from typing import Any

from django import forms
from django.apps import apps

from patients.scoping import clinic_patients
from rtw.audit_tracking import PARENT, ROOTS
from rtw.models import User
from rtw.scoping import staff_visible_to

SYSTEM = "system"
KINDS = [
    ("", "All events"),
    ("change", "Record changes"),
    ("action", "Actions (with reasons)"),
    ("access", "Views of patient data"),
]


def target_choices() -> list[tuple[str, str]]:
    labels = sorted({*PARENT, *ROOTS})
    names = [
        (label, str(apps.get_model(label)._meta.verbose_name).capitalize()) for label in labels
    ]
    return [("", "Any record"), *sorted(names, key=lambda pair: pair[1])]


class AuditFilterForm(forms.Form):
    """A GET form. An invalid filter is reported and left out; the log still shows."""

    kind = forms.ChoiceField(label="Kind", choices=KINDS, required=False)
    actor = forms.ChoiceField(label="Who", required=False)
    action = forms.CharField(label="Action contains", required=False, max_length=64)
    target = forms.ChoiceField(label="Record type", required=False)
    patient = forms.ChoiceField(label="Patient", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        people = staff_visible_to(user).order_by("last_name", "first_name", "email")
        self.fields["actor"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            (SYSTEM, "System (scheduled and background tasks)"),
            *((str(u.pk), f"{u.display_name} ({u.get_role_display()})") for u in people),
        ]
        self.fields["target"].choices = target_choices()  # type: ignore[attr-defined]
        patients = (
            clinic_patients(user)
            .order_by("last_name", "first_name")
            .only("uuid", "first_name", "last_name")
        )
        self.fields["patient"].choices = [  # type: ignore[attr-defined]
            ("", "Any patient"),
            *((str(p.uuid), f"{p.last_name}, {p.first_name}") for p in patients),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("date_from")
        end: date | None = cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
