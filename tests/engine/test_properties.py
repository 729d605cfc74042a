"""Property-based checks (hypothesis) over generated histories, prescriptions and settings:
the cap holds for every proposal in load and in weekly volume, rounding never crosses it,
the same input always gives the same plan, a pause always wins, and impossible input is
refused with the engine's own exception."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_UP, Context, Decimal, localcontext

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.engine import (
    CapOutOfRangeError,
    Criterion,
    Decision,
    DeloadRhythmError,
    DoseOutOfRangeError,
    IncrementError,
    ItemLog,
    Mode,
    PlanInput,
    PlannedItem,
    Prescription,
    RedFlagState,
    RedFlagTier,
    ScoreOutOfRangeError,
    SessionLog,
    Settings,
    WeekRecord,
    check_within_cap,
    criterion_text,
    next_quantity,
    parse_criterion,
    plan_next_week,
)

from .builders import MONDAY, session

FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
KEYS = ("lift", "carry")

caps = st.integers(100, 200).map(lambda n: Decimal(n) / 1000)
increments = st.sampled_from([Decimal(v) for v in ("0.1", "0.25", "0.5", "1", "1.25", "2.5", "5")])
quantities = st.integers(0, 2000).map(lambda n: Decimal(n) / 10)
targets = st.none() | st.integers(5, 3000).map(lambda n: Decimal(n) / 10)
scores = st.integers(0, 10)


@st.composite
def item_logs(draw):
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=2))
    return tuple(
        ItemLog(key, draw(st.integers(0, 6)), draw(st.integers(0, 20)), draw(quantities))
        for key in keys
    )


@st.composite
def weeks(draw, start, *, flags):
    """Half the weeks are calm and done as planned, so that progression is reached too."""
    planned = tuple(
        PlannedItem(key, draw(st.integers(1, 6)), draw(st.integers(1, 20)), draw(quantities))
        for key in KEYS
    )
    calm = draw(st.booleans())
    as_planned = tuple(ItemLog(p.key, p.sets, p.reps, p.quantity) for p in planned)
    low, some = st.integers(0, 3), st.integers(0, 6)
    days = sorted(draw(st.lists(st.integers(0, 6), min_size=2 if calm else 0, max_size=4)))
    sessions = tuple(
        SessionLog(
            day=start + timedelta(days=day),
            items=as_planned if calm else draw(item_logs()),
            pain_during=draw(low if calm else scores),
            pain_next_morning=0 if calm else draw(st.none() | st.integers(0, 10 if flags else 7)),
            soreness=draw(some if calm else scores),
            fatigue=draw(some if calm else scores),
            rpe=draw(some if calm else scores),
            red_flag=draw(st.none() | st.sampled_from(RedFlagTier)) if flags and not calm else None,
            pain_at_rest=None if calm else draw(st.none() | st.integers(0, 10 if flags else 7)),
        )
        for day in days
    )
    decisions = [d for d in Decision if d not in (Decision.PAUSED, Decision.SUSPENDED)]
    return WeekRecord(
        start,
        draw(st.sampled_from(decisions)),
        planned,
        sessions,
        draw(st.integers(1, 3 if calm else 5)),
    )


@st.composite
def prescriptions(draw, key, last_week):
    """Usually the last week's plan (as the web layer passes it), sometimes edited since."""
    planned = last_week.planned_item(key) if last_week is not None else None
    if planned is not None and draw(st.booleans()):
        sets, reps, quantity = planned.sets, planned.reps, planned.quantity
    else:
        sets, reps, quantity = draw(st.integers(1, 6)), draw(st.integers(1, 20)), draw(quantities)
    return Prescription(
        key=key,
        name=key,
        unit="kg",
        sets=sets,
        reps=reps,
        quantity=quantity,
        increment=draw(increments),
        target=draw(targets),
        start_sets=draw(st.integers(1, 6)),
        start_reps=draw(st.integers(1, 20)),
        start_quantity=draw(quantities),
        max_reps=draw(st.integers(1, 20)),
        max_sets=draw(st.integers(1, 6)),
    )


@st.composite
def plan_inputs(draw, *, flags=False):
    history = []
    start = MONDAY
    for _ in range(draw(st.integers(0, 5))):
        history.append(draw(weeks(start, flags=flags)))
        start += timedelta(days=7 * draw(st.sampled_from([1, 1, 1, 2])))
    last = history[-1].start if history else MONDAY
    today = last + timedelta(days=draw(st.integers(6 if history else 0, 30)))
    mode = draw(st.sampled_from(Mode))
    target_date = today + timedelta(days=draw(st.integers(-30, 300)))
    config = Settings(
        cap=draw(caps),
        deload_every=draw(st.integers(2, 8)),
        mode=mode,
        baseline_morning_pain=draw(st.integers(0, 3)),
        target_date=target_date if mode is Mode.TIME_CONTINGENT else None,
    )
    last_week = history[-1] if history else None
    return PlanInput(
        settings=config,
        prescriptions=tuple(draw(prescriptions(key, last_week)) for key in KEYS),
        history=tuple(history),
        red_flags=RedFlagState(),
        today=today,
        acwr_acknowledged=draw(st.booleans()),
    )


@dataclass(frozen=True)
class Base:
    sets: int
    reps: int
    quantity: Decimal


def expected_base(history, key, baseline):
    """Rule 1 read straight from DESIGN.md: the last non-deload week that was tolerated (no
    pain during > 5, no next-morning pain >= baseline + 2, no flag, no pain at rest >= 8), in
    which the item was done; what was done in every session of it."""
    for week in reversed(history):
        if week.decision is Decision.DELOAD or not week.sessions:
            continue
        if any(
            s.pain_during > 5
            or (s.pain_next_morning is not None and s.pain_next_morning >= baseline + 2)
            or max(s.pain_next_morning or 0, s.pain_at_rest or 0) >= 8
            or s.red_flag is not None
            for s in week.sessions
        ):
            continue
        logs = [i for s in week.sessions for i in s.items if i.key == key and i.sets and i.reps]
        if logs:
            return Base(
                min(i.sets for i in logs), min(i.reps for i in logs), min(i.quantity for i in logs)
            )
    return None


@FAST
@given(plan_inputs())
def test_no_proposed_quantity_or_weekly_volume_ever_exceeds_base_plus_cap(inp):
    result = plan_next_week(inp)
    cap = inp.settings.cap
    for item, prescription in zip(result.items, inp.prescriptions, strict=True):
        base = expected_base(inp.history, item.key, inp.settings.baseline_morning_pain)
        if prescription.target is not None:
            assert item.quantity <= prescription.target
        assert item.max_quantity is not None
        assert item.quantity <= item.max_quantity
        if base is None:
            assert item.base_quantity is None
            continue
        assert (item.base_sets, item.base_reps, item.base_quantity) == (
            base.sets,
            base.reps,
            base.quantity,
        )
        assert item.quantity <= base.quantity * (1 + cap)
        volume = item.sets * item.reps * item.quantity
        assert volume <= base.sets * base.reps * base.quantity * (1 + cap)
        if base.quantity == 0:
            assert item.sets * item.reps <= base.sets * base.reps * (1 + cap)
        # and the web layer's validator, the one rule, accepts every proposal
        check_within_cap(
            base_sets=base.sets,
            base_reps=base.reps,
            base_quantity=base.quantity,
            sets=item.sets,
            reps=item.reps,
            quantity=item.quantity,
            cap=cap,
            target=prescription.target,
        )


@FAST
@given(quantities, caps, increments, targets)
def test_rounding_to_the_increment_never_crosses_the_cap(base, cap, increment, target):
    result = next_quantity(base, cap, increment, target)
    limit = base * (1 + cap) if target is None else min(base * (1 + cap), target)
    assert result <= limit
    assert result >= min(base, limit)
    on_grid = (result / increment) == (result / increment).to_integral_value()
    assert on_grid or result in (base, target)
    if on_grid and result not in (base, target):
        assert result + increment > limit  # the largest step that fits


@FAST
@given(plan_inputs(flags=True))
def test_the_same_input_always_gives_the_same_plan(inp):
    first = plan_next_week(inp)
    assert plan_next_week(inp) == first
    with localcontext(Context(prec=3, rounding=ROUND_UP)):  # the caller's context is ignored
        assert plan_next_week(inp) == first


@FAST
@given(plan_inputs(flags=True), st.sampled_from(RedFlagTier), st.data())
def test_a_pause_always_wins(inp, tier, data):
    if inp.history and inp.history[-1].sessions and data.draw(st.booleans()):
        week = inp.history[-1]
        flagged = SessionLog(**{**vars(week.sessions[-1]), "red_flag": tier})
        history = (
            *inp.history[:-1],
            WeekRecord(**{**vars(week), "sessions": (*week.sessions[:-1], flagged)}),
        )
        inp = PlanInput(**{**vars(inp), "history": history})
    else:
        raised = inp.today - timedelta(days=data.draw(st.integers(0, 6)))
        inp = PlanInput(**{**vars(inp), "red_flags": RedFlagState(tier, raised_on=raised)})
    result = plan_next_week(inp)
    assert result.decision in (Decision.PAUSED, Decision.SUSPENDED)
    assert result.items == ()
    if tier is RedFlagTier.EMERGENCY:
        assert result.decision is Decision.SUSPENDED
        assert "urgent medical assessment now" in result.reasons[0].text


@FAST
@given(
    st.integers().filter(lambda n: not 0 <= n <= 10),
    st.sampled_from(["pain", "morning", "rpe", "soreness", "fatigue"]),
)
def test_a_score_outside_zero_to_ten_is_refused(score, field):
    try:
        session(MONDAY, **{field: score})
    except ScoreOutOfRangeError:
        return
    raise AssertionError(f"{field}={score} was accepted")


@FAST
@given(
    st.decimals(places=3, allow_nan=False, allow_infinity=False).filter(
        lambda c: not Decimal("0.10") <= c <= Decimal("0.20")
    )
)
def test_a_cap_outside_ten_to_twenty_percent_is_refused(cap):
    try:
        Settings(cap=cap)
    except CapOutOfRangeError:
        return
    raise AssertionError(f"cap {cap} was accepted")


@FAST
@given(
    st.decimals(max_value=0, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(max_value=Decimal("-0.01"), places=2, allow_nan=False, allow_infinity=False),
    st.integers().filter(lambda n: not 2 <= n <= 8),
)
def test_non_positive_increments_negative_loads_and_odd_rhythms_are_refused(increment, load, every):
    for build, error in (
        (
            lambda: Prescription(
                "lift", "Lift", "kg", 3, 10, Decimal(20), increment, None, 3, 10, Decimal(20)
            ),
            IncrementError,
        ),
        (
            lambda: Prescription(
                "lift", "Lift", "kg", 3, 10, load, Decimal(1), None, 3, 10, Decimal(20)
            ),
            DoseOutOfRangeError,
        ),
        (lambda: Settings(cap=Decimal("0.1"), deload_every=every), DeloadRhythmError),
    ):
        try:
            build()
        except error:
            continue
        raise AssertionError(f"{error.__name__} expected")


@FAST
@given(
    st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    st.sampled_from(["<=", ">=", "<", ">"]),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_exit_criteria_survive_a_round_trip_through_text(measure, op, value, of_demand):
    criterion = Criterion(measure, op, value, of_demand)
    assert parse_criterion(criterion_text(criterion)) == criterion


def test_generated_histories_reach_the_interesting_decisions():
    """Guard against a generator that only ever produces trivial plans."""
    seen: set[Decision] = set()

    @settings(max_examples=300, deadline=None, database=None)
    @given(plan_inputs())
    def collect(inp):
        seen.add(plan_next_week(inp).decision)

    collect()
    wanted = {Decision.PROGRESS, Decision.HOLD, Decision.DELOAD, Decision.REGRESS, Decision.RESUME}
    assert wanted <= seen, f"never reached: {wanted - seen}"
