"""Rule 4: deload weeks on the rhythm, on soreness or fatigue, and after two weeks without
progress; then a resume at the pre-deload base, and progression the week after."""

from datetime import timedelta

import pytest

from programs.engine import Decision, ReasonCode, Settings

from .builders import CAP, D, codes, plan, values, week


def loading_weeks():
    """Weeks 1-3: the starting week at 20 kg, then 24 kg and 28.5 kg, all tolerated."""
    return (
        week(1, "20", decision=Decision.HOLD),
        week(2, "24"),
        week(3, "28.5"),
    )


def test_every_fourth_week_is_a_deload_at_sixty_percent_sets_and_ninety_percent_load():
    result = plan(*loading_weeks())
    assert result.decision is Decision.DELOAD
    assert ReasonCode.DELOAD_RHYTHM in codes(result)
    assert values(result) == (2, 10, D("25.5"))  # 3 x 0.6 = 1.8 -> 2 sets; 28.5 x 0.9 = 25.65


@pytest.mark.parametrize(("every", "deload_week"), [(3, 3), (4, 4), (5, 5), (8, 8)])
def test_deload_rhythm_follows_the_programs_setting(every, deload_week):
    settings = Settings(cap=CAP, deload_every=every)
    history = [week(1, decision=Decision.HOLD)]
    for number in range(2, deload_week):
        history.append(week(number))
    before = plan(*history[:-1], settings=settings) if len(history) > 1 else None
    assert plan(*history, settings=settings).decision is Decision.DELOAD
    if before is not None:
        assert before.decision is not Decision.DELOAD


@pytest.mark.parametrize(("sets", "deload_sets"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (10, 6)])
def test_deload_sets_are_sixty_percent_rounded_and_at_least_one(sets, deload_sets):
    history = (week(1, sets=sets, decision=Decision.HOLD), week(2, sets=sets, soreness=7))
    assert values(plan(*history))[0] == deload_sets


@pytest.mark.parametrize(
    ("soreness", "fatigue", "code"),
    [
        (7, 3, ReasonCode.DELOAD_SORENESS),
        (9, 3, ReasonCode.DELOAD_SORENESS),
        (3, 7, ReasonCode.DELOAD_FATIGUE),
        (6, 6, None),
    ],
)
def test_soreness_or_fatigue_of_seven_triggers_a_deload(soreness, fatigue, code):
    result = plan(week(1, decision=Decision.HOLD, soreness=soreness, fatigue=fatigue))
    if code is None:
        assert result.decision is Decision.PROGRESS
    else:
        assert result.decision is Decision.DELOAD
        assert code in codes(result)
        assert values(result) == (2, 10, D("18"))


def test_two_non_progress_weeks_in_a_row_trigger_a_deload():
    history = (week(1, decision=Decision.HOLD, pain=4), week(2, decision=Decision.HOLD, pain=4))
    result = plan(*history)
    assert result.decision is Decision.DELOAD
    assert ReasonCode.DELOAD_TWO_NON_PROGRESS_WEEKS in codes(result)


def test_one_non_progress_week_after_a_good_one_only_holds():
    history = (week(1, decision=Decision.HOLD), week(2, "24", pain=4))
    assert plan(*history).decision is Decision.HOLD


def test_resume_after_deload_returns_to_pre_deload_base():
    history = (*loading_weeks(), week(4, "25.5", sets=2, decision=Decision.DELOAD))
    result = plan(*history)
    assert result.decision is Decision.RESUME
    assert values(result) == (3, 10, D("28.5"))  # not 25.5 + 20 %, not 28.5 + 20 %
    assert result.items[0].base_quantity == D("28.5")
    assert ReasonCode.RESUME_AFTER_DELOAD in codes(result)


def test_progression_restarts_the_week_after_the_resume():
    history = (
        *loading_weeks(),
        week(4, "25.5", sets=2, decision=Decision.DELOAD),
        week(5, "28.5", decision=Decision.RESUME),
    )
    result = plan(*history)
    assert result.decision is Decision.PROGRESS
    assert values(result) == (3, 10, D("34"))  # 28.5 x 1.2 = 34.2 -> 34


def test_a_flare_up_after_a_deload_regresses_to_the_pre_deload_base_not_the_deload_values():
    history = (
        *loading_weeks(),
        week(4, "25.5", sets=2, decision=Decision.DELOAD),
        week(5, "28.5", decision=Decision.RESUME, pain=6),
    )
    result = plan(*history)
    assert result.decision is Decision.REGRESS
    assert values(result) == (3, 10, D("28.5"))


def test_cap_is_never_measured_from_a_deload_week_done_heavier_than_planned():
    # The deload week was logged at 30 kg; the cap still counts from the 28.5 kg base.
    history = (*loading_weeks(), week(4, "30", sets=2, decision=Decision.DELOAD))
    result = plan(*history)
    assert values(result) == (3, 10, D("28.5"))
    assert result.items[0].max_quantity == D("28.5") * D("1.2")


def test_regress_outranks_a_due_deload():
    history = (*loading_weeks()[:2], week(3, "28.5", pain=6, soreness=8))
    assert plan(*history).decision is Decision.REGRESS


def test_return_after_a_gap_that_followed_a_deload_takes_ninety_percent_of_the_deload_week():
    history = (*loading_weeks(), week(4, "25.5", sets=2, decision=Decision.DELOAD))
    result = plan(*history, today=history[-1].start + timedelta(days=21))
    assert result.decision is Decision.RESUME
    assert values(result) == (2, 10, D("22.5"))  # 25.5 x 0.9 = 22.95 -> 22.5, two sets


def test_return_after_a_gap_never_starts_above_the_base_even_from_a_heavy_deload_week():
    history = (*loading_weeks(), week(4, "30", sets=2, decision=Decision.DELOAD))
    result = plan(*history, today=history[-1].start + timedelta(days=21))
    assert values(result) == (2, 10, D("25.5"))  # 90 % of the 28.5 kg base, not of 30 kg
