"""The return-to-work plan's rules, without a database: schedule checks, the cap warning,
ramp templates, restriction wording and the capability statement."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from assessments.capacity import DemandTask, Measured, capacity_against_demand
from programs import rtw_rules
from programs.rtw_page import limit_for, step_dates
from programs.rtw_rules import Limit, Step

D = Decimal


def step(first: int, last: int, hours: str, days: int = 5) -> Step:
    return Step(first, last, D(hours), days)


# --- the schedule ----------------------------------------------------------------------------


def test_a_well_ordered_schedule_has_no_problems():
    steps = [step(1, 2, "4"), step(3, 4, "6"), step(5, 6, "8")]
    assert rtw_rules.step_problems(steps) == []


@pytest.mark.parametrize(
    ("steps", "row", "field", "words"),
    [
        ([step(1, 2, "0.25")], 0, "hours_per_day", "from 0.5 to 12; 0.25 is out of range"),
        ([step(1, 2, "12.5")], 0, "hours_per_day", "12.5 is out of range"),
        ([step(1, 2, "4", days=0)], 0, "days_per_week", "from 1 to 7; 0 is out of range"),
        ([step(1, 2, "4", days=8)], 0, "days_per_week", "8 is out of range"),
        ([step(3, 2, "4")], 0, "week_to", "The last week (2) is before the first (3)"),
        ([step(0, 2, "4")], 0, "week_from", "Weeks are numbered 1 to 52"),
        ([step(1, 53, "4")], 0, "week_to", "53 is out of range"),
        (
            [step(1, 3, "4"), step(3, 4, "6")],
            1,
            "week_from",
            "Step 2 starts in week 3, which step 1 (weeks 1–3) already covers: start it in "
            "week 4 or later",
        ),
        ([step(5, 6, "4"), step(1, 2, "6")], 1, "week_from", "start it in week 7 or later"),
    ],
)
def test_a_bad_schedule_is_refused_on_the_field_at_fault(steps, row, field, words):
    problems = rtw_rules.step_problems(steps)
    assert (row, field) in {(p.row, p.field) for p in problems}
    assert any(words in p.message for p in problems), problems


def test_the_boundaries_half_an_hour_twelve_hours_one_and_seven_days_are_allowed():
    steps = [step(1, 1, "0.5", days=1), step(2, 2, "12", days=7)]
    assert rtw_rules.step_problems(steps) == []


# --- the cap warning -------------------------------------------------------------------------


def test_four_to_six_hours_is_a_50_percent_rise_and_is_warned_about_under_a_20_percent_cap():
    warnings = rtw_rules.cap_warnings([step(1, 2, "4"), step(3, 4, "6")], D("0.20"))
    assert warnings == [
        "Week 3: hours a day rise from 4 to 6 (+50 %), more than the program's weekly cap of 20 %."
    ]


@pytest.mark.parametrize(
    ("before", "after", "cap", "warned"),
    [
        ("5", "6", "0.20", False),  # +20 % exactly: within the cap
        ("5", "6", "0.15", True),
        ("7", "8", "0.15", False),  # +14.3 %
        ("7", "8", "0.10", True),
        ("8", "6", "0.10", False),  # a fall is never warned about
        ("6", "6", "0.10", False),
    ],
)
def test_the_rise_is_compared_exactly_with_the_cap(before, after, cap, warned):
    warnings = rtw_rules.cap_warnings([step(1, 1, before), step(2, 2, after)], D(cap))
    assert bool(warnings) is warned


def test_more_days_at_the_same_hours_is_a_rise_in_weekly_hours():
    warnings = rtw_rules.cap_warnings([step(1, 2, "8", days=3), step(3, 4, "8", days=4)], D("0.20"))
    assert warnings == [
        "Week 3: weekly hours rise from 24 to 32 (+33 %), more than the program's weekly "
        "cap of 20 %."
    ]


def test_a_cap_of_12_5_percent_is_shown_as_it_is():
    warnings = rtw_rules.cap_warnings([step(1, 1, "4"), step(2, 2, "5")], D("0.125"))
    assert "weekly cap of 12.5 %" in warnings[0]


def test_weeks_no_step_covers_and_hours_above_the_shift_are_pointed_out():
    warnings = rtw_rules.cap_warnings(
        [step(1, 2, "8"), step(5, 6, "9")], D("0.20"), shift_hours=D("8")
    )
    assert "Weeks 3–4: no step covers them." in warnings
    assert "Weeks 5–6: 9 hours a day is more than the job's 8-hour shift." in warnings


# --- ramp templates --------------------------------------------------------------------------


def test_the_4_6_8_template_fills_three_two_week_steps_for_an_8_hour_shift():
    ramp = rtw_rules.RAMPS_BY_KEY["half_three_quarter_full"]
    steps = ramp.steps(D("8"))
    assert [(s.week_from, s.week_to, s.hours_per_day, s.days_per_week) for s in steps] == [
        (1, 2, D("4"), 5),
        (3, 4, D("6"), 5),
        (5, 6, D("8"), 5),
    ]
    assert steps[-1].duties == "Usual duties within the restrictions"
    assert ramp.label(D("8")).startswith("4 → 6 → 8 hours a day")


def test_templates_scale_to_the_jobs_shift_in_half_hours():
    steps = rtw_rules.RAMPS_BY_KEY["half_three_quarter_full"].steps(D("10"))
    assert [s.hours_per_day for s in steps] == [D("5"), D("7.5"), D("10")]


@pytest.mark.parametrize("ramp", rtw_rules.RAMPS, ids=lambda r: r.key)
@pytest.mark.parametrize("shift", ["4", "7.5", "8", "12", "16"])
def test_every_template_gives_a_valid_schedule_for_any_shift(ramp, shift):
    assert rtw_rules.step_problems(ramp.steps(D(shift))) == []


def test_the_half_days_template_warns_and_the_gentle_one_only_at_its_first_step():
    half = rtw_rules.RAMPS_BY_KEY["half_days_full_days"].steps(D("8"))
    gentle = rtw_rules.RAMPS_BY_KEY["gentle"].steps(D("8"))
    assert len(rtw_rules.cap_warnings(half, D("0.20"))) == 1
    assert rtw_rules.cap_warnings(gentle, D("0.20")) == [
        "Week 2: hours a day rise from 4 to 5 (+25 %), more than the program's weekly cap of 20 %."
    ]


def test_step_dates_follow_from_the_day_week_1_starts():
    monday = date(2026, 11, 2)
    assert step_dates(monday, step(3, 4, "6")) == (date(2026, 11, 16), date(2026, 11, 29))
    assert step_dates(None, step(3, 4, "6")) == (None, None)


# --- restrictions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (
            Limit("lift_floor_to_waist", max_kg=D("10"), frequency="occasional"),
            "Up to 10.0 kg (22.0 lb), occasionally (up to 1/3 of the shift)",
        ),
        (Limit("stooping", max_minutes=10), "At most 10 min at a time"),
        (
            Limit("carry", avoid=True, note="until assessed"),
            "Avoid altogether; until assessed",
        ),
        (
            Limit("reaching", note="no reaching above shoulder height"),
            "No reaching above shoulder height",
        ),
    ],
)
def test_a_restriction_reads_as_plain_words_with_kg_and_lb(limit, text):
    assert rtw_rules.limit_problems(limit) == []
    assert rtw_rules.limit_text(limit) == text


@pytest.mark.parametrize(
    ("limit", "field"),
    [
        (Limit("lift_overhead"), "max_kg"),  # no limit at all
        (Limit("stooping"), "max_minutes"),
        (Limit("stooping", max_kg=D("5"), frequency="occasional"), "max_kg"),  # kg on a posture
        (Limit("push", max_kg=D("12")), "frequency"),  # kg without how often
        (Limit("push", max_kg=D("0.2"), frequency="frequent"), "max_kg"),
        (Limit("standing", max_minutes=0), "max_minutes"),
        (Limit("carry", avoid=True, max_kg=D("5"), frequency="occasional"), "avoid"),
    ],
)
def test_a_restriction_that_does_not_say_what_the_worker_may_do_is_refused(limit, field):
    assert field in {f for f, _ in rtw_rules.limit_problems(limit)}


def test_a_measured_capacity_becomes_a_limit_rounded_down_to_the_half_kilo():
    assert rtw_rules.kg_within(D("12.9")) == D("12.5")
    assert rtw_rules.kg_within(D("15")) == D("15")


def test_restrictions_come_from_the_demands_not_yet_met_and_never_from_those_met():
    tasks = [
        DemandTask("lift_floor_to_waist", "Floor-to-waist lift", "Cartons", D("20"), "frequent"),
        DemandTask("carry", "Carry", "To packing", D("10"), "frequent"),
        DemandTask("push", "Push", "Roll cage", D("25"), "occasional"),
        DemandTask("standing", "Sustained standing", "Bench", None, "constant", duration_min=120),
        DemandTask("stooping", "Stooping", "Make beds", None, "frequent"),
    ]
    on = date(2026, 10, 1)
    latest = {
        "lift_floor_to_waist_kg": Measured(D("12.8"), on),
        "carry_kg": Measured(D("12"), on),  # met
        "standing_tolerance_min": Measured(D("45"), on),
    }
    table = capacity_against_demand(tasks, latest)
    limits = [limit_for(row) for row in table.rows]
    assert limits == [
        Limit("lift_floor_to_waist", "Cartons", max_kg=D("12.5"), frequency="frequent"),
        None,
        Limit("push", "Roll cage", avoid=True, note="until assessed"),  # never measured
        Limit("standing", "Bench", max_minutes=45),
        None,  # no measure for stooping: left to the clinician
    ]


# --- the capability statement ----------------------------------------------------------------


def test_the_capability_reads_like_a_fit_note():
    assert rtw_rules.capability_text("not_fit", []) == "Not fit for work"
    assert (
        rtw_rules.capability_text("may_be_fit", ["altered_hours", "phased_return"])
        == "May be fit for work with: phased return to work, altered hours"
    )


def _statement(**changes: Any) -> set[str]:
    values: dict[str, Any] = {
        "fitness": "may_be_fit",
        "adjustments": ["phased_return"],
        "comments": "",
        "valid_from": date(2026, 11, 2),
        "valid_to": date(2026, 11, 29),
        "next_review": date(2026, 11, 16),
    }
    values.update(changes)
    return {field for field, _ in rtw_rules.statement_problems(**values)}


def test_a_complete_statement_has_no_problems():
    assert _statement() == set()
    assert _statement(next_review=None) == set()
    assert _statement(valid_to=date(2026, 11, 2), next_review=date(2026, 11, 2)) == set()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_to": date(2026, 11, 1)}, "valid_to"),
        ({"next_review": date(2026, 11, 1)}, "next_review"),
        ({"next_review": date(2026, 12, 1)}, "next_review"),
        ({"valid_from": None}, "valid_from"),
        ({"fitness": "not_fit"}, "fitness"),  # "not fit" with an adjustment ticked
        ({"adjustments": []}, "fitness"),  # "may be fit" with nothing to go on
        ({"fitness": "fit"}, "fitness"),
    ],
)
def test_a_statement_with_dates_out_of_order_or_a_contradiction_is_refused(changes, field):
    assert field in _statement(**changes)


def test_may_be_fit_with_only_a_functional_comment_is_enough():
    assert _statement(adjustments=[], comments="Can do desk-based stock control.") == set()
