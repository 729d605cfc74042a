"""The progression engine: plain frozen dataclasses in, a plan with reasons out.

Pure Python, no Django import. Deterministic: ``today`` is always passed in, nothing reads
the clock, the environment, files or settings, and every quantity, cap and ratio is a
``Decimal`` computed in the engine's own decimal context (50 kg + 15 % is exactly 57.5 kg).
Impossible input raises an ``EngineInputError`` (a ``ValueError``) subclass naming the field.

Public entry points
-------------------
``plan_next_week(PlanInput) -> WeekPlan``
    The next week's ``Decision``, its ``Reason``\\ s (a ``ReasonCode`` and a sentence) and
    each item's values with the ``max_quantity`` the web layer must not store above.
``cap_limit``, ``check_within_cap``, ``cap_violations``, ``next_quantity``, ``round_down``,
``default_cap``
    The one cap rule, for the engine and every validator (forms, admin, imports, API).
``evaluate_exit_criteria``, ``parse_criterion``, ``criterion_text``
    Phase exit criteria such as ``lift_floor_to_waist >= 80% demand`` or ``nprs <= 3``.
``time_contingent_quotas``
    Graded-activity quotas toward a target date, with the earliest feasible date.
``project``, ``what_if``
    The earliest week each job demand can be met and the full-duty date, under other caps.
``acwr``
    The acute:chronic workload ratio (EWMA, 7-day acute / 28-day chronic).

Example: a worker prescribed 20 kg chose 17.5 kg in every session and tolerated it, so the
cap is measured from 17.5 kg (+20 % = 21 kg)::

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from programs.engine import (
    ...     Decision, ItemLog, PlanInput, PlannedItem, Prescription, RedFlagState,
    ...     SessionLog, Settings, WeekRecord, plan_next_week,
    ... )
    >>> lift = Prescription(
    ...     key="lift", name="Floor-to-waist lift", unit="kg", sets=3, reps=10,
    ...     quantity=Decimal("20"), increment=Decimal("0.5"), target=Decimal("22.7"),
    ...     start_sets=3, start_reps=10, start_quantity=Decimal("20"),
    ... )
    >>> def session(day: int) -> SessionLog:
    ...     done = (ItemLog("lift", sets=3, reps=10, quantity=Decimal("17.5")),)
    ...     return SessionLog(date(2025, 3, day), done, pain_during=2, pain_next_morning=0,
    ...                       soreness=3, fatigue=3, rpe=5)
    >>> week = WeekRecord(
    ...     start=date(2025, 3, 3), decision=Decision.HOLD,
    ...     planned=(PlannedItem("lift", 3, 10, Decimal("20")),),
    ...     sessions=(session(3), session(5), session(7)), planned_sessions=3,
    ... )
    >>> plan = plan_next_week(PlanInput(
    ...     settings=Settings(cap=Decimal("0.20")), prescriptions=(lift,), history=(week,),
    ...     red_flags=RedFlagState(), today=date(2025, 3, 10),
    ... ))
    >>> plan.decision, plan.items[0].quantity, plan.items[0].max_quantity
    (<Decision.PROGRESS: 'progress'>, Decimal('21.0'), Decimal('21.000'))
    >>> print(plan.reasons[-1].text)
    Floor-to-waist lift: 17.5 → 21 kg, within the 20 % cap (at most 21 kg)
"""

from .acwr import Acwr, acwr
from .cap import (
    CapViolation,
    cap_limit,
    cap_violations,
    check_within_cap,
    default_cap,
    next_quantity,
    weekly_volume,
)
from .criteria import (
    Criterion,
    CriterionResult,
    criterion_text,
    evaluate_exit_criteria,
    parse_criterion,
)
from .enums import (
    AcwrStatus,
    CriterionStatus,
    Decision,
    Mode,
    PhaseDirection,
    ReasonCode,
    RedFlagTier,
)
from .errors import (
    CapExceededError,
    CapOutOfRangeError,
    CriterionSyntaxError,
    DateOrderError,
    DeloadRhythmError,
    DoseOutOfRangeError,
    DuplicateKeyError,
    EngineInputError,
    IncrementError,
    InvalidValueError,
    ScoreOutOfRangeError,
    SettingOutOfRangeError,
)
from .past import Carry, carry_from_data, carry_of, carry_to_data, fold
from .plan import plan_next_week
from .projection import ItemProjection, Projection, project, what_if
from .quantities import round_down
from .quotas import Quota, Quotas, time_contingent_quotas
from .types import (
    Assessment,
    ItemLog,
    PhaseProposal,
    PlanInput,
    PlannedItem,
    Prescription,
    Reason,
    RedFlagState,
    SessionLog,
    Settings,
    WeekPlan,
    WeekRecord,
)

__all__ = [
    "Acwr",
    "AcwrStatus",
    "Assessment",
    "CapExceededError",
    "CapOutOfRangeError",
    "CapViolation",
    "Carry",
    "Criterion",
    "CriterionResult",
    "CriterionStatus",
    "CriterionSyntaxError",
    "DateOrderError",
    "Decision",
    "DeloadRhythmError",
    "DoseOutOfRangeError",
    "DuplicateKeyError",
    "EngineInputError",
    "IncrementError",
    "InvalidValueError",
    "ItemLog",
    "ItemProjection",
    "Mode",
    "PhaseDirection",
    "PhaseProposal",
    "PlanInput",
    "PlannedItem",
    "Prescription",
    "Projection",
    "Quota",
    "Quotas",
    "Reason",
    "ReasonCode",
    "RedFlagState",
    "RedFlagTier",
    "ScoreOutOfRangeError",
    "SessionLog",
    "SettingOutOfRangeError",
    "Settings",
    "WeekPlan",
    "WeekRecord",
    "acwr",
    "cap_limit",
    "cap_violations",
    "carry_from_data",
    "carry_of",
    "carry_to_data",
    "check_within_cap",
    "criterion_text",
    "default_cap",
    "evaluate_exit_criteria",
    "fold",
    "next_quantity",
    "parse_criterion",
    "plan_next_week",
    "project",
    "round_down",
    "time_contingent_quotas",
    "weekly_volume",
    "what_if",
]
