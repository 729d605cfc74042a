"""What differs between a stored assessment and an edit made on an older version of it."""

from decimal import Decimal

from assessments.forms import MEASURE_LABELS, option_label
from assessments.models import Assessment, AssessmentKind
from assessments.scoring import SCORERS, Instrument
from assessments.scoring.red_flags import BY_KEY
from assessments.summary import DISPLAY_NAMES, day_text, measure_text
from assessments.values import MEASURE_FIELDS, AssessmentValues

NOT_RECORDED = "—"


def values_of(assessment: Assessment) -> AssessmentValues:
    return AssessmentValues(
        kind=assessment.kind,
        assessed_on=assessment.assessed_on,
        measures={name: getattr(assessment, name) for name in MEASURE_FIELDS},
        red_flags=frozenset(assessment.red_flags),
        questionnaires={row.instrument: row.responses for row in assessment.questionnaires.all()},
        activity_names={
            key: name
            for row in assessment.questionnaires.all()
            for key, name in row.activity_names.items()
        },
        notes=assessment.notes,
    )


def _label(name: str) -> str:
    if name.startswith("grip_"):
        _, side, trial = name.split("_")
        return f"Grip, {side} hand, trial {trial}"
    return MEASURE_LABELS[name]


def _measure(name: str, value: Decimal | int | None) -> str:
    if value is None:
        return NOT_RECORDED
    if name in ("nprs", "rest_pain"):
        return f"{value}/10"
    return measure_text(name, value)


def differences(theirs: AssessmentValues, mine: AssessmentValues) -> list[tuple[str, str, str]]:
    """(what, the stored value, the value in the refused edit) for each difference."""
    rows: list[tuple[str, str, str]] = []
    if theirs.kind != mine.kind:
        rows.append(("Kind of assessment", _kind(theirs.kind), _kind(mine.kind)))
    if theirs.assessed_on != mine.assessed_on:
        rows.append(("Assessed on", day_text(theirs.assessed_on), day_text(mine.assessed_on)))
    for name in MEASURE_FIELDS:
        a, b = theirs.measures.get(name), mine.measures.get(name)
        if (Decimal(a) if a is not None else None) != (Decimal(b) if b is not None else None):
            rows.append((_label(name), _measure(name, a), _measure(name, b)))
    if theirs.red_flags != mine.red_flags:
        rows.append(("Red flags", _flags(theirs.red_flags), _flags(mine.red_flags)))
    for instrument in SCORERS:
        if instrument == Instrument.NPRS:
            continue
        a_items = theirs.questionnaires.get(instrument, {})
        b_items = mine.questionnaires.get(instrument, {})
        for item in SCORERS[instrument].items:
            a, b = a_items.get(item.key), b_items.get(item.key)
            if a != b:
                rows.append(
                    (
                        f"{DISPLAY_NAMES[instrument]}, item {item.number} ({item.label})",
                        option_label(instrument, item, a) if a is not None else NOT_RECORDED,
                        option_label(instrument, item, b) if b is not None else NOT_RECORDED,
                    )
                )
    for key in sorted(set(theirs.activity_names) | set(mine.activity_names)):
        a_name = theirs.activity_names.get(key, "").strip()
        b_name = mine.activity_names.get(key, "").strip()
        if a_name != b_name:
            rows.append(
                (f"PSFS {key.replace('_', ' ')}", a_name or NOT_RECORDED, b_name or NOT_RECORDED)
            )
    if theirs.notes.strip() != mine.notes.strip():
        rows.append(("Notes", theirs.notes or NOT_RECORDED, mine.notes or NOT_RECORDED))
    return rows


def _kind(value: str) -> str:
    return str(AssessmentKind(value).label) if value in AssessmentKind.values else value


def _flags(keys: frozenset[str]) -> str:
    return ", ".join(BY_KEY[k].label for k in sorted(keys) if k in BY_KEY) or "none"
