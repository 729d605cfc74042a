from datetime import date, timedelta
from typing import Any

from django import forms

from patients.forms import DateInput
from rtw.reports.rules import FUTURE, period_problem


class ReportForm(forms.Form):
    period_from = forms.DateField(label="Period from", widget=DateInput)
    period_to = forms.DateField(
        label="Period to", help_text="Today at the latest.", widget=DateInput
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"period_from": today - timedelta(days=27), "period_to": today}
        )
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_period_to(self) -> date:
        value: date = self.cleaned_data["period_to"]
        if value > self.today:
            raise forms.ValidationError(FUTURE)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and (problem := period_problem(start, end, self.today)):
            self.add_error("period_from", problem)
        return data
