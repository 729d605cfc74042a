"""Forms for programs. Each validates on the server; the services check again, and the
models (``full_clean``) hold the cap, so every way in refuses the same values."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from assessments.scoring.red_flags import RED_FLAGS
from patients.models import JobDemandProfile
from programs.models import Exercise, ExerciseCategory, Phase, Prescription, Program, WeekItem
from programs.models.programs import MAX_QUANTITY, MAX_REPS, MAX_SETS
from programs.rules import fmt
from programs.services import Done, SessionValues


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _score_validator(label: str) -> Any:
    def check(value: int) -> None:
        if value is not None and not 0 <= value <= 10:
            raise ValidationError(f"{label} is scored 0 to 10; {value} is not on the scale.")

    return check


def score_field(label: str, *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        validators=[_score_validator(label)],
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1, "inputmode": "numeric"}),
    )


def whole_input(label: str, low: int, high: int, **extra: Any) -> forms.IntegerField:
    def check(value: int) -> None:
        if value is not None and not low <= value <= high:
            raise ValidationError(f"{label} must be from {low} to {high}; {value} is out of range.")

    return forms.IntegerField(
        label=label,
        validators=[check],
        widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1}),
        **extra,
    )


def quantity_input(
    label: str, *, required: bool = True, positive: bool = False, **extra: Any
) -> Any:
    def check(value: Decimal | None) -> None:
        if value is None:
            return
        if positive and value <= 0:
            raise ValidationError(f"{label} must be greater than 0; {fmt(value)} is not.")
        if value < 0:
            raise ValidationError(f"{label} cannot be negative ({fmt(value)}).")
        if value > MAX_QUANTITY:
            raise ValidationError(f"{label} must be at most {fmt(MAX_QUANTITY)}.")

    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=7,
        decimal_places=2,
        validators=[check],
        widget=forms.NumberInput(attrs={"step": "any", "min": 0, "inputmode": "decimal"}),
        **extra,
    )


def increment_field(*, required: bool = True, help_text: str = "") -> Any:
    def check(value: Decimal | None) -> None:
        if value is not None and value <= 0:
            raise ValidationError(
                f"The increment must be greater than 0 (e.g. 0.5 kg); {fmt(value)} is not."
            )
        if value is not None and value > 100:
            raise ValidationError("The increment must be at most 100.")

    return forms.DecimalField(
        label="Equipment increment",
        required=required,
        max_digits=6,
        decimal_places=2,
        validators=[check],
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TemplateChoiceField(forms.ModelChoiceField[Program]):
    def label_from_instance(self, obj: Program) -> str:
        owner = "shared" if obj.clinic_id is None else "your clinic"
        return f"{obj.name} ({owner})"


class ProfileChoiceField(forms.ModelChoiceField[JobDemandProfile]):
    def label_from_instance(self, obj: JobDemandProfile) -> str:
        return f"{obj.job_title} — {obj.employer}"


class CreateProgramForm(forms.Form):
    template = TemplateChoiceField(queryset=Program.objects.none(), empty_label=None)
    job_profile = ProfileChoiceField(
        queryset=JobDemandProfile.objects.none(),
        label="Job-demand profile",
        help_text="Each prescription's target is this job's demand for its task.",
    )
    name = forms.CharField(
        max_length=150, required=False, help_text="Leave empty to use the template's name."
    )

    def __init__(
        self,
        *args: Any,
        templates: QuerySet[Program],
        profiles: QuerySet[JobDemandProfile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["job_profile"].queryset = profiles  # type: ignore[attr-defined]


MODE_CHOICES = [
    ("pain_contingent", "Pain-contingent (default)"),
    ("time_contingent", "Time-contingent (graded activity: quotas toward a target date)"),
]


class SettingsForm(Versioned):
    name = forms.CharField(max_length=150)
    cap_percent = forms.DecimalField(
        label="Weekly cap (%)",
        max_digits=4,
        decimal_places=1,
        help_text="The most a load may rise in a week: 10 to 20 %.",
        widget=forms.NumberInput(attrs={"min": 10, "max": 20, "step": "0.5"}),
    )
    deload_every = whole_input("Deload every n-th week", 2, 8)
    mode = forms.ChoiceField(label="Progression mode", choices=MODE_CHOICES)
    target_date = forms.DateField(
        required=False, widget=DateInput(), help_text="Needed for time-contingent quotas."
    )
    baseline_morning_pain = score_field(
        "Baseline next-morning pain (NPRS)", help_text="What 'back at baseline' means."
    )
    sessions_per_week = whole_input("Planned sessions a week", 1, 14)

    def clean_cap_percent(self) -> Decimal:
        value: Decimal = self.cleaned_data["cap_percent"]
        if not Decimal(10) <= value <= Decimal(20):
            raise ValidationError(f"The weekly cap must be from 10 to 20 %; {fmt(value)} % is not.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "time_contingent" and not data.get("target_date"):
            self.add_error("target_date", "Time-contingent mode needs a target date.")
        return data

    def settings_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "cap": data["cap_percent"] / 100,
            "deload_every": data["deload_every"],
            "mode": data["mode"],
            "target_date": data["target_date"],
            "baseline_morning_pain": data["baseline_morning_pain"],
            "sessions_per_week": data["sessions_per_week"],
        }

    @classmethod
    def initial_for(cls, program: Program) -> dict[str, Any]:
        return {
            "name": program.name,
            "cap_percent": program.cap_percent,
            "deload_every": program.deload_every,
            "mode": program.mode,
            "target_date": program.target_date,
            "baseline_morning_pain": program.baseline_morning_pain,
            "sessions_per_week": program.sessions_per_week,
            "version": program.version,
        }


class PhaseForm(forms.ModelForm[Phase]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Phase
        fields = ["name", "goals", "planned_weeks", "exit_criteria"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 2}),
            "exit_criteria": forms.Textarea(attrs={"rows": 3}),
        }


class PrescriptionFields(forms.Form):
    sets = whole_input("Starting sets", 1, MAX_SETS)
    reps = whole_input("Starting reps", 1, MAX_REPS)
    quantity = quantity_input(
        "Starting quantity", help_text="In the exercise's unit; 0 for body weight."
    )
    tempo = forms.CharField(max_length=20, required=False, help_text="e.g. 3-1-2")
    rest_seconds = whole_input("Rest between sets (s)", 0, 900)
    increment = increment_field(
        required=False, help_text="Leave empty to use the exercise's increment."
    )
    target = quantity_input(
        "Phase target",
        required=False,
        positive=True,
        help_text="Leave empty to use the job demand for the exercise's task.",
    )
    is_key = forms.BooleanField(label="Key prescription (charted)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, target = data.get("quantity"), data.get("target")
        if start is not None and target is not None and start > target:
            self.add_error("quantity", "The starting quantity cannot be above the phase target.")
        return data


class PrescriptionForm(PrescriptionFields, Versioned):
    @classmethod
    def initial_for(cls, p: Prescription) -> dict[str, Any]:
        return {
            "sets": p.sets,
            "reps": p.reps,
            "quantity": p.quantity,
            "tempo": p.tempo,
            "rest_seconds": p.rest_seconds,
            "increment": p.increment,
            "target": p.target,
            "is_key": p.is_key,
            "version": p.version,
        }


class ExerciseChoiceField(forms.ModelChoiceField[Exercise]):
    def label_from_instance(self, obj: Exercise) -> str:
        return f"{obj.name} ({obj.get_category_display()}, {obj.unit})"


class AddPrescriptionForm(PrescriptionFields):
    exercise = ExerciseChoiceField(queryset=Exercise.objects.none())
    field_order = ["exercise"]

    def __init__(self, *args: Any, exercises: QuerySet[Exercise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises  # type: ignore[attr-defined]


class ExerciseForm(forms.ModelForm[Exercise]):
    increment = increment_field(help_text="The smallest practical step; loads round down to it.")

    class Meta:
        model = Exercise
        fields = ["name", "category", "task_type", "quantity_kind", "increment", "description"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") == ExerciseCategory.TASK_SIMULATION and not data.get("task_type"):
            self.add_error(
                "task_type", "A functional task simulation needs the job task it mirrors."
            )
        return data

    def _post_clean(self) -> None:
        # The clinic is set by the service; model validation runs there.
        pass


RED_FLAG_CHOICES = [(f.key, f"{f.label} ({f.tier.label.lower()})") for f in RED_FLAGS]


class SessionForm(forms.Form):
    date = forms.DateField(widget=DateInput())
    pain_during = score_field("Pain during (NPRS 0-10)")
    pain_next_morning = score_field("Pain next morning (NPRS 0-10)", required=False)
    pain_at_rest = score_field(
        "Pain at rest (NPRS 0-10)",
        required=False,
        help_text="8 or more counts as an amber red flag.",
    )
    soreness = score_field("Soreness (0-10)")
    fatigue = score_field("Fatigue (0-10)")
    rpe = score_field("Session RPE (Borg CR10, 0-10)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    adverse_events = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    red_flags = forms.MultipleChoiceField(
        label="Red flags",
        choices=RED_FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Any tick pauses the program at once (an emergency flag suspends it).",
    )

    def __init__(
        self, *args: Any, items: list[WeekItem], day: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["date"].initial = day
        for item in items:
            name = item.prescription.exercise.name
            unit = item.prescription.exercise.unit
            self.fields[f"item_{item.pk}_sets"] = whole_input(
                f"{name}: sets done", 0, MAX_SETS, initial=item.sets
            )
            self.fields[f"item_{item.pk}_reps"] = whole_input(
                f"{name}: reps done", 0, MAX_REPS, initial=item.reps
            )
            self.fields[f"item_{item.pk}_quantity"] = quantity_input(
                f"{name}: {unit} done", initial=fmt(item.quantity)
            )

    def item_rows(self) -> list[tuple[WeekItem, list[forms.BoundField]]]:
        return [
            (item, [self[f"item_{item.pk}_{part}"] for part in ("sets", "reps", "quantity")])
            for item in self.items
        ]

    def score_fields(self) -> list[forms.BoundField]:
        names = (
            "date",
            "pain_during",
            "pain_next_morning",
            "pain_at_rest",
            "soreness",
            "fatigue",
            "rpe",
        )
        return [self[name] for name in names]

    def values(self) -> SessionValues:
        d = self.cleaned_data
        return SessionValues(
            date=d["date"],
            pain_during=d["pain_during"],
            pain_next_morning=d["pain_next_morning"],
            pain_at_rest=d["pain_at_rest"],
            soreness=d["soreness"],
            fatigue=d["fatigue"],
            rpe=d["rpe"],
            notes=d["notes"],
            adverse_events=d["adverse_events"],
            red_flags=frozenset(d["red_flags"]),
            items={
                item.pk: Done(
                    d[f"item_{item.pk}_sets"],
                    d[f"item_{item.pk}_reps"],
                    d[f"item_{item.pk}_quantity"],
                )
                for item in self.items
            },
        )


class ItemForm(Versioned):
    sets = whole_input("Sets", 1, MAX_SETS)
    reps = whole_input("Reps", 1, MAX_REPS)
    quantity = quantity_input("Quantity")
    reason = forms.CharField(
        max_length=500,
        required=False,
        label="Reason for lowering",
        help_text="Required when a value is below the proposal.",
    )

    @classmethod
    def initial_for(cls, item: WeekItem) -> dict[str, Any]:
        return {
            "sets": item.sets,
            "reps": item.reps,
            "quantity": item.quantity,
            "reason": item.override_reason,
            "version": item.version,
        }


class SaveTemplateForm(forms.Form):
    name = forms.CharField(max_length=150, label="Template name")
