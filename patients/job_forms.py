from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms

from patients.demand_levels import lb_to_kg
from patients.models import FrequencyClass, JobDemandProfile, JobTask, TaskType
from patients.rules import task_problems
from patients.services.jobs import PROFILE_FIELDS, TASK_FIELDS
from rtw.models import Employer, User
from rtw.scoping import employers_visible_to

KG = "kg"
LB = "lb"
_HUNDREDTH = Decimal("0.01")
# Anything this large is a typing slip; refuse it before arithmetic on it.
_ABSURD = Decimal("100000")


class JobProfileForm(forms.ModelForm[JobDemandProfile]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = JobDemandProfile
        fields = PROFILE_FIELDS
        labels = {"shift_hours": "Shift length (hours)", "hazards": "Hazard exposures"}
        help_texts = {"breaks": "For example: 2 × 15 min and a 30 min lunch."}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class NewJobProfileForm(JobProfileForm):
    """Creating a profile also chooses its employer (fixed afterwards)."""

    employer = forms.ModelChoiceField(queryset=Employer.objects.none())
    field_order = ["employer", *PROFILE_FIELDS]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers_visible_to(user)  # type: ignore[attr-defined]


class FromTemplateForm(forms.Form):
    employer = forms.ModelChoiceField(queryset=Employer.objects.none())
    job_title = forms.CharField(max_length=150, label="Job title at this employer")

    def __init__(self, *args: Any, user: User, template: JobDemandProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers_visible_to(user)  # type: ignore[attr-defined]
        self.fields["job_title"].initial = template.job_title


class JobTaskForm(forms.Form):
    """One critical task. The load is typed in kg or lb and stored in kg."""

    task_type = forms.ChoiceField(label="Task", choices=TaskType.choices)
    description = forms.CharField(max_length=200, required=False)
    load = forms.DecimalField(
        label="Load or force",
        required=False,
        help_text="Required for lifts, carries, pushes and pulls. At most 200 kg (440.9 lb).",
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
    )
    load_unit = forms.ChoiceField(label="Unit", choices=[(KG, "kg"), (LB, "lb")], initial=KG)
    frequency = forms.ChoiceField(choices=FrequencyClass.choices)
    height_from_cm = forms.IntegerField(label="Height from (cm)", required=False)
    height_to_cm = forms.IntegerField(label="Height to (cm)", required=False)
    distance_m = forms.DecimalField(
        label="Distance (m)", required=False, max_digits=7, decimal_places=1
    )
    duration_min = forms.IntegerField(label="Duration (min)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, profile: JobDemandProfile, task: JobTask | None = None, **kwargs: Any
    ) -> None:
        if task is not None:
            kwargs.setdefault("initial", self.initial_for(task))
        super().__init__(*args, **kwargs)
        self.profile = profile

    @staticmethod
    def initial_for(task: JobTask) -> dict[str, Any]:
        return {
            "task_type": task.task_type,
            "description": task.description,
            "load": task.load_kg,
            "load_unit": KG,
            "frequency": task.frequency,
            "height_from_cm": task.height_from_cm,
            "height_to_cm": task.height_to_cm,
            "distance_m": task.distance_m,
            "duration_min": task.duration_min,
            "version": task.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        load: Decimal | None = cleaned.get("load")
        if load is not None and abs(load) > _ABSURD:
            self.add_error("load", "That load is far beyond anything a task can demand.")
            return cleaned
        if load is not None and cleaned.get("load_unit") == LB:
            load = lb_to_kg(load)
        cleaned["load_kg"] = load.quantize(_HUNDREDTH, ROUND_HALF_UP) if load is not None else None
        if "load" in self.errors or "load_unit" in self.errors:
            return cleaned
        for field, message in task_problems(cleaned, self.profile.shift_hours):
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    ROWS = (
        ("task_type", "description"),
        ("load", "load_unit", "frequency"),
        ("height_from_cm", "height_to_cm", "distance_m", "duration_min"),
    )

    def rows(self) -> list[list[forms.BoundField]]:
        """The fields in rows of related values, for a compact layout."""
        return [[self[name] for name in row] for row in self.ROWS]

    @property
    def task_data(self) -> dict[str, Any]:
        """The cleaned values under the model's field names."""
        return {f: self.cleaned_data.get(f) for f in TASK_FIELDS}
