"""The assessment form: measures, pain, red flags, and every questionnaire item by item.

Loads may be typed in kg or lb (one choice for the form); ``to_values`` hands the
service kg. Questionnaire items are selects whose options are the item's allowed
answers, so an out-of-range answer can only arrive by tampering, and is refused.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms

from assessments.models import GRIP_FIELDS, LOAD_FIELDS, Assessment, AssessmentKind
from assessments.scoring import SCORERS, Instrument, Item, ompsq_sf, start_back
from assessments.scoring.red_flags import RED_FLAGS, Tier
from assessments.values import (
    FORM_INSTRUMENTS,
    MEASURE_FIELDS,
    AssessmentValues,
    measure_error,
    plain,
)
from patients.demand_levels import lb_to_kg
from patients.models import Patient
from rtw.errors import ServiceError

KG = "kg"
LB = "lb"
NOT_ANSWERED = ("", "— not answered —")

INSTRUMENT_HINTS = {
    Instrument.ODI: "Ten sections, 0 (no difficulty) to 5 (most severe). Leave a skipped "
    "section blank: it leaves the denominator. At least 8 sections are needed.",
    Instrument.TSK17: "17 items, 1 strongly disagree to 4 strongly agree; items 4, 8, 12 and "
    "16 are reverse-scored. All items are needed.",
    Instrument.TSK11: "11 items, 1 strongly disagree to 4 strongly agree. All items are needed.",
    Instrument.PCS: "13 items, 0 (not at all) to 4 (all the time). All items are needed.",
    Instrument.OMPSQ_SF: "10 items; items 3, 4 and 8 are reverse-scored. All items are needed.",
    Instrument.START_BACK: "Items 1–8 agree or disagree; item 9 how bothersome the pain was "
    "over the last two weeks. All items are needed.",
    Instrument.PSFS: "Name 3 to 5 activities the worker finds hard and rate each from 0 "
    "(unable) to 10 (as before the injury). Rate the same activities at every assessment.",
}

_AGREE_4 = {1: "strongly disagree", 2: "disagree", 3: "agree", 4: "strongly agree"}
ANCHORS: dict[Instrument, dict[int, str]] = {
    Instrument.ODI: {0: "no difficulty", 5: "most severe"},
    Instrument.TSK17: _AGREE_4,
    Instrument.TSK11: _AGREE_4,
    Instrument.PCS: {
        0: "not at all",
        1: "slightly",
        2: "moderately",
        3: "greatly",
        4: "all the time",
    },
    Instrument.PSFS: {0: "unable", 10: "as before the injury"},
}
OMPSQ_ANCHORS = {
    "pain_last_week": {0: "no pain", 10: "worst possible"},
    "light_work": {0: "not at all", 10: "without difficulty"},
    "sleep": {0: "not at all", 10: "without difficulty"},
    "tense_anxious": {0: "calm", 10: "as tense as ever"},
    "low_mood": {0: "not at all", 10: "extremely"},
    "persistence_risk": {0: "no risk", 10: "very large risk"},
    "working_in_3_months": {0: "no chance", 10: "very large chance"},
    "stop_when_pain_rises": {0: "disagree", 10: "completely agree"},
    "no_work_with_pain": {0: "disagree", 10: "completely agree"},
}

# Measures shown in the form, grouped; the label is what the clinician reads.
MEASURE_LABELS = {
    "lift_floor_to_waist_kg": "Floor-to-waist lift",
    "lift_waist_to_shoulder_kg": "Waist-to-shoulder lift",
    "lift_overhead_kg": "Overhead lift",
    "carry_kg": "Carry load",
    "carry_distance_m": "Carry distance (m)",
    "push_kg": "Push force",
    "pull_kg": "Pull force",
    "standing_tolerance_min": "Sustained standing tolerance (minutes)",
    "sitting_tolerance_min": "Sustained sitting tolerance (minutes)",
    "walking_distance_m": "Walking distance (m)",
    "nprs": "Pain now (NPRS 0–10)",
    "rest_pain": "Pain at rest (NPRS 0–10)",
}
TIER_FIELDS = {
    Tier.EMERGENCY: "flags_emergency",
    Tier.URGENT: "flags_urgent",
    Tier.AMBER: "flags_amber",
}


def item_field_name(instrument: str, key: str) -> str:
    return f"{instrument}__{key}"


def option_label(instrument: Instrument, item: Item, value: int) -> str:
    if instrument == Instrument.OMPSQ_SF and item.key == "pain_duration":
        return dict(ompsq_sf.PAIN_DURATION_CATEGORIES)[value]
    if instrument == Instrument.START_BACK:
        if item.key == "bothersomeness":
            return f"{value} – {dict(start_back.BOTHERSOMENESS_OPTIONS)[value]}"
        return "agree" if value else "disagree"
    anchors = (
        OMPSQ_ANCHORS.get(item.key, {})
        if instrument == Instrument.OMPSQ_SF
        else ANCHORS.get(instrument, {})
    )
    return f"{value} – {anchors[value]}" if value in anchors else str(value)


def _item_field(instrument: Instrument, item: Item, label: str) -> forms.Field:
    choices = [
        NOT_ANSWERED,
        *((v, option_label(instrument, item, v)) for v in range(item.low, item.high + 1)),
    ]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={
            "invalid_choice": (
                f"{SCORERS[instrument].name} item {item.number}: choose an answer from "
                f"{item.low} to {item.high}; %(value)s is not one."
            )
        },
    )


def _number(
    label: str,
    *,
    places: int = 2,
    whole: bool = False,
    help_text: str = "",
) -> forms.Field:
    # Text inputs, not type="number": a browser silently drops what a number input
    # cannot parse ("12kg" would arrive as blank, i.e. "not measured"); we say so instead.
    widget = forms.TextInput(
        attrs={"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
    )
    if whole:
        return forms.IntegerField(
            label=label,
            required=False,
            help_text=help_text,
            widget=widget,
            error_messages={"invalid": "Enter a whole number."},
        )
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=8,
        decimal_places=places,
        help_text=help_text,
        widget=widget,
        error_messages={"invalid": "Enter a number, e.g. 12.5."},
    )


@dataclass(frozen=True)
class Section:
    legend: str
    fields: list[forms.BoundField]
    hint: str = ""
    grid: bool = False


@dataclass(frozen=True)
class Questionnaire:
    instrument: str
    name: str
    hint: str
    fields: list[forms.BoundField]
    open: bool
    # PSFS: (name field, rating field) per activity.
    pairs: list[tuple[forms.BoundField, forms.BoundField]]


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of assessment", choices=AssessmentKind.choices)
    assessed_on = forms.DateField(
        label="Assessed on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    load_unit = forms.ChoiceField(
        label="Enter loads and forces in",
        choices=[(KG, "kilograms (kg)"), (LB, "pounds (lb)")],
        initial=KG,
        widget=forms.RadioSelect,
    )
    nprs = _number(MEASURE_LABELS["nprs"], whole=True)
    rest_pain = _number(
        MEASURE_LABELS["rest_pain"],
        whole=True,
        help_text="8 or more at rest counts as an amber flag (uncontrolled pain).",
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        data: Any = None,
        *,
        patient: Patient,
        today: date,
        validate_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.patient = patient
        self.today = today
        for side in ("left", "right"):
            for n in (1, 2, 3):
                self.fields[f"grip_{side}_{n}"] = _number(f"{side.title()} hand, trial {n}")
        for name in LOAD_FIELDS:
            self.fields[name] = _number(MEASURE_LABELS[name])
        self.fields["carry_distance_m"] = _number(MEASURE_LABELS["carry_distance_m"], places=1)
        for name in ("standing_tolerance_min", "sitting_tolerance_min", "walking_distance_m"):
            self.fields[name] = _number(MEASURE_LABELS[name], whole=True)
        for tier, name in TIER_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=f"{tier.label}: if any is present, {tier.action}",
                choices=[(f.key, f.label) for f in RED_FLAGS if f.tier == tier],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for instrument in FORM_INSTRUMENTS:
            for item in SCORERS[instrument].items:
                label = f"{item.number}. {item.label}"
                if instrument == Instrument.PSFS:
                    self.fields[f"psfs__{item.key}__name"] = forms.CharField(
                        label=f"Activity {item.number}", required=False, max_length=80
                    )
                    label = f"Rating, activity {item.number}"
                self.fields[item_field_name(instrument, item.key)] = _item_field(
                    instrument, item, label
                )
        if validate_url:
            self._add_htmx(validate_url)
        self.kg: dict[str, Decimal] = {}

    def _add_htmx(self, url: str) -> None:
        # Each field checks itself on change: the view answers with this field's
        # fragment (errors beside it). Without JavaScript the full submit does the same.
        for field in self.fields.values():
            if isinstance(
                field.widget, forms.HiddenInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                continue
            field.widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "change",
                    "hx-target": "closest .field",
                    "hx-swap": "outerHTML",
                }
            )

    # --- validation ---------------------------------------------------------------

    def clean_assessed_on(self) -> date:
        day: date = self.cleaned_data["assessed_on"]
        if day > self.today:
            raise forms.ValidationError("The assessment date cannot be in the future.")
        onset = self.patient.injury_onset
        if day < onset:
            raise forms.ValidationError(
                "The assessment date cannot be before the injury onset "
                f"({onset.day} {onset:%b %Y})."
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("load_unit") or KG
        for name in (*GRIP_FIELDS, *LOAD_FIELDS):
            value = data.get(name)
            if value is None:
                continue
            kg = value if unit == KG else lb_to_kg(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
            message = measure_error(name, kg)
            if message:
                if unit == LB:
                    message = f"{value} lb is {kg} kg. {message}"
                self.add_error(name, message)
            else:
                self.kg[name] = kg
        for name in (
            "carry_distance_m",
            "standing_tolerance_min",
            "sitting_tolerance_min",
            "walking_distance_m",
            "nprs",
            "rest_pain",
        ):
            value = data.get(name)
            if value is not None:
                message = measure_error(name, value)
                if message:
                    self.add_error(name, message)
        for side in ("left", "right"):
            names = [f"grip_{side}_{n}" for n in (1, 2, 3)]
            given = [n for n in names if data.get(n) is not None or n in self.errors]
            if given and len(given) < 3:
                for name in names:
                    if name not in given:
                        self.add_error(name, "Enter all three trials for this hand, or none.")
        self._clean_psfs(data)
        return data

    def _clean_psfs(self, data: dict[str, Any]) -> None:
        for item in SCORERS[Instrument.PSFS].items:
            rating_name = item_field_name("psfs", item.key)
            name_name = f"psfs__{item.key}__name"
            rated = data.get(rating_name) is not None
            named = bool((data.get(name_name) or "").strip())
            if rated and not named:
                self.add_error(name_name, "Name the activity you rated.")
            elif named and not rated and rating_name not in self.errors:
                self.add_error(rating_name, "Rate this activity from 0 to 10, or clear its name.")

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each message to its input for screen readers.
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                ids = [f"{self[name].auto_id}_errors"]
                if field.help_text:
                    ids.append(f"{self[name].auto_id}_helptext")
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def attach(self, error: ServiceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)

    # --- values in and out ----------------------------------------------------------

    def to_values(self) -> AssessmentValues:
        data = self.cleaned_data
        measures: dict[str, Decimal | int | None] = {}
        for name in MEASURE_FIELDS:
            measures[name] = self.kg.get(name) if name in self.kg else data.get(name)
        flags = frozenset(key for name in TIER_FIELDS.values() for key in data.get(name) or [])
        questionnaires = {
            instrument.value: {
                item.key: data.get(item_field_name(instrument, item.key))
                for item in SCORERS[instrument].items
            }
            for instrument in FORM_INSTRUMENTS
        }
        names = {
            item.key: data.get(f"psfs__{item.key}__name") or ""
            for item in SCORERS[Instrument.PSFS].items
        }
        return AssessmentValues(
            kind=data["kind"],
            assessed_on=data["assessed_on"],
            measures=measures,
            red_flags=flags,
            questionnaires=questionnaires,
            activity_names=names,
            notes=data.get("notes") or "",
        )

    @staticmethod
    def initial_for(assessment: Assessment) -> dict[str, Any]:
        """The form's initial data for editing: loads in kg, items as stored."""
        initial: dict[str, Any] = {
            "kind": assessment.kind,
            "assessed_on": assessment.assessed_on,
            "version": assessment.version,
            "load_unit": KG,
            "notes": assessment.notes,
        }
        for name in MEASURE_FIELDS:
            value = getattr(assessment, name)
            initial[name] = plain(value) if isinstance(value, Decimal) else value
        for tier, name in TIER_FIELDS.items():
            initial[name] = [
                f.key for f in RED_FLAGS if f.tier == tier and f.key in assessment.red_flags
            ]
        for row in assessment.questionnaires.all():
            for key, value in row.responses.items():
                initial[item_field_name(row.instrument, key)] = value
            for key, label in row.activity_names.items():
                initial[f"psfs__{key}__name"] = label
        return initial

    # --- layout for the template -------------------------------------------------------

    def _pick(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def sections(self) -> list[Section]:
        return [
            Section("Assessment", self._pick("kind", "assessed_on")),
            Section("Pain", self._pick("nprs", "rest_pain"), grid=True),
        ]

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TIER_FIELDS.values()]

    def measure_sections(self) -> list[Section]:
        return [
            Section(
                "Grip strength, left hand (kg or lb, three trials)",
                self._pick("grip_left_1", "grip_left_2", "grip_left_3"),
                "Jamar dynamometer, second handle position. We show the mean of the three.",
                grid=True,
            ),
            Section(
                "Grip strength, right hand (three trials)",
                self._pick("grip_right_1", "grip_right_2", "grip_right_3"),
                grid=True,
            ),
            Section(
                "Lift capacity (maximum safe lift)",
                self._pick(
                    "lift_floor_to_waist_kg", "lift_waist_to_shoulder_kg", "lift_overhead_kg"
                ),
                grid=True,
            ),
            Section(
                "Carry, push and pull",
                self._pick("carry_kg", "carry_distance_m", "push_kg", "pull_kg"),
                grid=True,
            ),
            Section(
                "Tolerances and walking",
                self._pick("standing_tolerance_min", "sitting_tolerance_min", "walking_distance_m"),
                grid=True,
            ),
        ]

    def questionnaires(self) -> list[Questionnaire]:
        result = []
        for instrument in FORM_INSTRUMENTS:
            items = SCORERS[instrument].items
            fields = [self[item_field_name(instrument, item.key)] for item in items]
            pairs = []
            if instrument == Instrument.PSFS:
                pairs = [
                    (self[f"psfs__{item.key}__name"], self[item_field_name("psfs", item.key)])
                    for item in items
                ]
            touched = any(f.value() not in (None, "") or f.errors for f in fields)
            touched = touched or any(name.value() or name.errors for name, _ in pairs)
            result.append(
                Questionnaire(
                    instrument=instrument.value,
                    name=SCORERS[instrument].name,
                    hint=INSTRUMENT_HINTS[instrument],
                    fields=fields,
                    open=touched,
                    pairs=pairs,
                )
            )
        return result


@dataclass(frozen=True)
class AnswerSheet:
    instrument: str
    name: str
    rows: list[tuple[str, str]]


def answer_rows(assessment: Assessment) -> list[AnswerSheet]:
    """Each stored questionnaire item by item, as the clinician entered it."""
    sheets = []
    for row in assessment.questionnaires.all():
        instrument = Instrument(row.instrument)
        rows = []
        for item in SCORERS[instrument].items:
            value = row.responses.get(item.key)
            label = f"{item.number}. {item.label}"
            if instrument == Instrument.PSFS:
                name = row.activity_names.get(item.key)
                if name is None and value is None:
                    continue
                label = f"{item.number}. {name or item.label}"
            answer = option_label(instrument, item, value) if value is not None else "not answered"
            rows.append((label, answer))
        sheets.append(AnswerSheet(row.instrument, row.get_instrument_display(), rows))
    return sheets
