"""The return-to-work plan form: the plan's own fields and two lists of rows (schedule steps,
restricted tasks) as formsets, gathered in a ``PlanDraft``.

A draft is either *bound* (a save, or an htmx check as a field is left: validated, errors
beside their fields) or *redrawn* (a row added or removed, a ramp template applied: the
posted values shown again, unvalidated, nothing saved). Both work without JavaScript: the
row buttons are ordinary submit buttons with their own ``formaction``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from patients.models import FrequencyClass, TaskType
from programs import rtw_rules
from programs.forms import DateInput
from programs.models import Fitness, RtwPlan
from programs.models.rtw import COMMENTS_MAX, NOTES_MAX
from programs.rtw_rules import MAX_RESTRICTIONS, MAX_STEPS, Limit, Step
from programs.services.rtw import PLAN_FIELDS, PlanValues

STEP_FIELDS = ("week_from", "week_to", "hours_per_day", "days_per_week", "duties")
LIMIT_FIELDS = ("task_type", "description", "max_kg", "frequency", "max_minutes", "avoid", "note")
BOOLEAN_FIELDS = frozenset(
    name for name, _ in (*rtw_rules.ACCOMMODATIONS, *rtw_rules.ADJUSTMENTS)
) | {"avoid"}


def _check(problem: Any) -> Any:
    def check(value: Any) -> None:
        if value is not None and (message := problem(value)):
            raise ValidationError(message)

    return check


def _number(label: str, low: int, high: int, **extra: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1}),
        **extra,
    )


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    starts_on = forms.DateField(
        label="Week 1 starts on",
        required=False,
        widget=DateInput(),
        help_text="Gives each step its dates; leave empty until the return date is agreed.",
    )
    equipment = forms.BooleanField(label="Equipment", required=False)
    modified_duty = forms.BooleanField(label="Modified duty", required=False)
    flexible_hours = forms.BooleanField(label="Flexible hours", required=False)
    micro_breaks = forms.BooleanField(label="Micro-breaks", required=False)
    accommodation_notes = forms.CharField(
        label="Accommodation details",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the employer, e.g. “a sit-stand stool at the packing bench; "
        "a 5-minute break every hour”.",
    )
    fitness = forms.ChoiceField(
        label="The worker is", choices=Fitness.choices, widget=forms.RadioSelect
    )
    phased_return = forms.BooleanField(label="A phased return to work", required=False)
    amended_duties = forms.BooleanField(label="Amended duties", required=False)
    altered_hours = forms.BooleanField(label="Altered hours", required=False)
    workplace_adaptations = forms.BooleanField(label="Workplace adaptations", required=False)
    functional_comments = forms.CharField(
        label="Functional comments",
        required=False,
        max_length=COMMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the employer as written: what the worker can and cannot do, "
        "never the diagnosis.",
    )
    valid_from = forms.DateField(label="Valid from", widget=DateInput())
    valid_to = forms.DateField(label="Valid to", widget=DateInput())
    next_review = forms.DateField(label="Next review", required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = rtw_rules.statement_problems(
            fitness=data.get("fitness", ""),
            adjustments=[name for name, _ in rtw_rules.ADJUSTMENTS if data.get(name)],
            comments=data.get("functional_comments", ""),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            next_review=data.get("next_review"),
        )
        for field, message in problems:
            if field not in self.errors:  # a missing date already says so
                self.add_error(field, message)
        return data

    def adjustment_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in rtw_rules.ADJUSTMENTS]

    def accommodation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in rtw_rules.ACCOMMODATIONS]


class StepForm(forms.Form):
    week_from = _number(
        "From week", 1, rtw_rules.MAX_WEEK, validators=[_check(rtw_rules.week_problem)]
    )
    week_to = _number("To week", 1, rtw_rules.MAX_WEEK, validators=[_check(rtw_rules.week_problem)])
    hours_per_day = forms.DecimalField(
        label="Hours a day",
        max_digits=4,
        decimal_places=2,
        validators=[_check(rtw_rules.hours_problem)],
        widget=forms.NumberInput(attrs={"min": "0.5", "max": "12", "step": "0.5"}),
    )
    days_per_week = _number("Days a week", 1, 7, validators=[_check(rtw_rules.days_problem)])
    duties = forms.CharField(label="Duties", required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("week_from"), data.get("week_to")
        if first is not None and last is not None and last < first:
            self.add_error("week_to", f"The last week ({last}) is before the first ({first}).")
        return data


TASK_CHOICES = [("", "Choose a task"), *TaskType.choices]
FREQUENCY_CHOICES = [("", "—"), *FrequencyClass.choices]


class RestrictionForm(forms.Form):
    task_type = forms.ChoiceField(label="Task", choices=TASK_CHOICES)
    description = forms.CharField(label="Which part of the job", required=False, max_length=200)
    max_kg = forms.DecimalField(
        label="Most kg",
        required=False,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": "0.5", "step": "0.5", "inputmode": "decimal"}),
    )
    frequency = forms.ChoiceField(label="How often", required=False, choices=FREQUENCY_CHOICES)
    max_minutes = _number("Most minutes at a time", 1, rtw_rules.MAX_MINUTES, required=False)
    avoid = forms.BooleanField(label="Avoid altogether", required=False)
    note = forms.CharField(
        label="Written limit",
        required=False,
        max_length=200,
        help_text="Shown to the employer, e.g. “from waist height only”.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for field, message in rtw_rules.limit_problems(_limit(data)):
            self.add_error(field, message)
        return data


def _limit(data: Mapping[str, Any]) -> Limit:
    return Limit(
        task_type=data.get("task_type") or "",
        description=data.get("description") or "",
        avoid=bool(data.get("avoid")),
        max_kg=data.get("max_kg"),
        frequency=data.get("frequency") or "",
        max_minutes=data.get("max_minutes"),
        note=data.get("note") or "",
    )


class Rows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows where a wholly empty row is simply left out (a new row not yet filled in)."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        form: forms.Form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        return form

    def filled(self) -> list[forms.Form]:
        return [f for f in self.forms if f.has_changed()]


class StepRows(Rows):
    def clean(self) -> None:
        rows = [f for f in self.filled() if f.is_valid()]
        steps = [Step(**{k: f.cleaned_data[k] for k in STEP_FIELDS}) for f in rows]
        for problem in rtw_rules.step_problems(steps):
            if problem.row < len(rows) and problem.field not in rows[problem.row].errors:
                rows[problem.row].add_error(problem.field, problem.message)


StepFormSet = forms.formset_factory(
    StepForm, formset=StepRows, extra=0, max_num=MAX_STEPS, validate_max=True
)
RestrictionFormSet = forms.formset_factory(
    RestrictionForm, formset=Rows, extra=0, max_num=MAX_RESTRICTIONS, validate_max=True
)


# --- reading what was posted, without validating it ----------------------------------------


def _count(data: Mapping[str, Any], prefix: str, most: int) -> int:
    try:
        return max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), most))
    except (TypeError, ValueError):
        return 0


def raw_rows(
    data: Mapping[str, Any], prefix: str, fields: Iterable[str], most: int
) -> list[dict[str, Any]]:
    """The rows as posted (strings; a ticked box as True), for showing them again."""
    return [
        {
            name: (f"{prefix}-{i}-{name}" in data)
            if name in BOOLEAN_FIELDS
            else str(data.get(f"{prefix}-{i}-{name}", ""))
            for name in fields
        }
        for i in range(_count(data, prefix, most + 1))
    ]


def raw_plan(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: (name in data) if name in BOOLEAN_FIELDS else data.get(name, "")
        for name in ("version", *PLAN_FIELDS)
    }


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def parsed_steps(rows: Iterable[Mapping[str, Any]]) -> list[Step] | None:
    """The rows as steps, for the warnings; None while a row does not yet read as a valid
    step (a warning worked out without it would be wrong). Wholly empty rows are left out."""
    steps = []
    for row in rows:
        if not any(str(row.get(name, "")).strip() for name in STEP_FIELDS):
            continue
        first, last = _int(row.get("week_from", "")), _int(row.get("week_to", ""))
        hours, days = _decimal(row.get("hours_per_day", "")), _int(row.get("days_per_week", ""))
        if first is None or last is None or hours is None or days is None:
            return None
        step = Step(first, last, hours, days, str(row.get("duties", "")))
        if rtw_rules.step_problems([step]):
            return None
        steps.append(step)
    return steps


def last_week(rows: Iterable[Mapping[str, Any]]) -> int | None:
    weeks = [w for row in rows if (w := _int(row.get("week_to", ""))) is not None]
    return max(weeks, default=None)


def limit_preview(row: Mapping[str, Any]) -> str:
    """How a restriction row will read to the employer, or "" while it does not yet make sense."""
    if not row.get("task_type"):
        return ""
    kg, minutes = row.get("max_kg", ""), row.get("max_minutes", "")
    limit = Limit(
        task_type=str(row["task_type"]),
        avoid=bool(row.get("avoid")),
        max_kg=_decimal(kg) if str(kg).strip() else None,
        frequency=str(row.get("frequency", "")),
        max_minutes=_int(minutes) if str(minutes).strip() else None,
        note=str(row.get("note", "")),
    )
    bad = (str(kg).strip() and limit.max_kg is None) or (
        str(minutes).strip() and limit.max_minutes is None
    )
    if bad or rtw_rules.limit_problems(limit):
        return ""
    return rtw_rules.limit_text(limit)


def step_row(step: Step) -> dict[str, Any]:
    row = asdict(step)
    row["hours_per_day"] = rtw_rules.fmt(step.hours_per_day)
    return row


def limit_row(limit: Limit) -> dict[str, Any]:
    row = asdict(limit)
    row["max_kg"] = rtw_rules.fmt(limit.max_kg) if limit.max_kg is not None else ""
    row["max_minutes"] = "" if limit.max_minutes is None else limit.max_minutes
    return row


# --- the draft --------------------------------------------------------------------------------


@dataclass
class PlanDraft:
    form: PlanForm
    steps: Any  # a StepFormSet
    restrictions: Any  # a RestrictionFormSet
    step_rows: list[dict[str, Any]]
    limit_rows: list[dict[str, Any]]

    @classmethod
    def bound(cls, data: Mapping[str, Any]) -> PlanDraft:
        return cls(
            form=PlanForm(data),
            steps=StepFormSet(data, prefix="steps"),
            restrictions=RestrictionFormSet(data, prefix="restrictions"),
            step_rows=raw_rows(data, "steps", STEP_FIELDS, MAX_STEPS),
            limit_rows=raw_rows(data, "restrictions", LIMIT_FIELDS, MAX_RESTRICTIONS),
        )

    @classmethod
    def shown(
        cls,
        initial: Mapping[str, Any],
        step_rows: list[dict[str, Any]],
        limit_rows: list[dict[str, Any]],
    ) -> PlanDraft:
        """Values shown again without validating them (nothing is saved)."""
        return cls(
            form=PlanForm(initial=dict(initial)),
            steps=StepFormSet(initial=step_rows, prefix="steps"),
            restrictions=RestrictionFormSet(initial=limit_rows, prefix="restrictions"),
            step_rows=step_rows,
            limit_rows=limit_rows,
        )

    @classmethod
    def redrawn(cls, data: Mapping[str, Any]) -> PlanDraft:
        return cls.shown(
            raw_plan(data),
            raw_rows(data, "steps", STEP_FIELDS, MAX_STEPS),
            raw_rows(data, "restrictions", LIMIT_FIELDS, MAX_RESTRICTIONS),
        )

    @classmethod
    def of_plan(cls, plan: RtwPlan) -> PlanDraft:
        initial = {name: getattr(plan, name) for name in PLAN_FIELDS}
        initial["version"] = plan.version
        steps = [step_row(s.values) for s in plan.steps.all()]
        limits = [limit_row(r.values) for r in plan.restrictions.all()]
        return cls.shown(initial, steps, limits)

    @classmethod
    def new(cls, today: date, limits: Iterable[Limit]) -> PlanDraft:
        initial = {
            "version": 0,
            "fitness": Fitness.MAY_BE_FIT,
            "phased_return": True,
            "valid_from": today,
            "valid_to": today + timedelta(weeks=4) - timedelta(days=1),
            "next_review": today + timedelta(weeks=2),
        }
        return cls.shown(initial, [], [limit_row(limit) for limit in limits])

    def is_valid(self) -> bool:
        valid = [self.form.is_valid(), self.steps.is_valid(), self.restrictions.is_valid()]
        return all(valid)

    def values(self) -> PlanValues:
        data = self.form.cleaned_data
        return PlanValues(
            **{name: data[name] for name in PLAN_FIELDS},
            steps=tuple(
                Step(**{k: f.cleaned_data[k] for k in STEP_FIELDS}) for f in self.steps.filled()
            ),
            restrictions=tuple(_limit(f.cleaned_data) for f in self.restrictions.filled()),
        )

    @property
    def version(self) -> int | None:
        return self.form.cleaned_data.get("version") if self.form.is_bound else None

    def field(self, html_name: str) -> forms.BoundField | None:
        """The field of that name in the form or any row, for an htmx check."""
        for form in (self.form, *self.steps.forms, *self.restrictions.forms):
            for name in form.fields:
                if form.add_prefix(name) == html_name:
                    bound: forms.BoundField = form[name]
                    return bound
        return None

    def step_values(self) -> list[Step] | None:
        return parsed_steps(self.step_rows)

    def restriction_rows(self) -> list[tuple[forms.Form, str]]:
        previews = [limit_preview(row) for row in self.limit_rows]
        previews += [""] * (len(self.restrictions.forms) - len(previews))
        return list(zip(self.restrictions.forms, previews, strict=False))

    def focus(self, section: str, row: int | None) -> None:
        """Put the keyboard focus on a new row's first field (htmx honours ``autofocus``)."""
        rows = self.steps if section == "schedule" else self.restrictions
        if row is not None and row < len(rows.forms):
            form = rows.forms[row]
            form.fields[next(iter(form.fields))].widget.attrs["autofocus"] = True

    def rebased(self, version: int) -> PlanDraft:
        """The user's values again on a newer version, so that saving again keeps them."""
        return PlanDraft.bound(_with(self.form.data, version=str(version)))


def _with(data: Any, **changes: str) -> Any:
    copy = data.copy()
    for key, value in changes.items():
        copy[key] = value
    return copy
