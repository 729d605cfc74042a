"""Machine-readable choices. StrEnum values are what the web layer stores."""

from enum import StrEnum


class Decision(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    DELOAD = "deload"
    RESUME = "resume"
    REGRESS = "regress"
    PAUSED = "paused"
    SUSPENDED = "suspended"


class Mode(StrEnum):
    PAIN_CONTINGENT = "pain_contingent"
    TIME_CONTINGENT = "time_contingent"


class RedFlagTier(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    AMBER = "amber"


class AcwrStatus(StrEnum):
    INSUFFICIENT_DATA = "insufficient_data"
    OK = "ok"
    HIGH = "high"
    HOLD = "hold"


class CriterionStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURED = "not_measured"
    NO_DEMAND = "no_demand"


class PhaseDirection(StrEnum):
    ADVANCE = "advance"
    BACK = "back"


class ReasonCode(StrEnum):
    # week-level outcomes of the pain-monitoring gate
    FIRST_WEEK = "first_week"
    GATE_MET = "gate_met"
    PAIN_DURING_MODERATE = "pain_during_moderate"
    PAIN_DURING_HIGH = "pain_during_high"
    MORNING_PAIN_ONE_ABOVE_BASELINE = "morning_pain_one_above_baseline"
    MORNING_PAIN_TWO_ABOVE_BASELINE = "morning_pain_two_above_baseline"
    MORNING_PAIN_NOT_RECORDED = "morning_pain_not_recorded"
    WEEKLY_PAIN_RISING = "weekly_pain_rising"
    RPE_ABOVE_PROGRESS_LIMIT = "rpe_above_progress_limit"
    RPE_HIGH = "rpe_high"
    LOW_ADHERENCE = "low_adherence"
    NO_TOLERATED_WEEK = "no_tolerated_week"
    # per-item outcomes
    QUANTITY_INCREASED = "quantity_increased"
    CLAMPED_TO_TARGET = "clamped_to_target"
    TARGET_REACHED = "target_reached"
    REPS_INCREASED_INSTEAD = "reps_increased_instead"
    SETS_INCREASED_INSTEAD = "sets_increased_instead"
    NO_INCREASE_FITS = "no_increase_fits"
    REPS_NOT_COMPLETED = "reps_not_completed"
    NO_COMPLETED_DATA = "no_completed_data"
    # deload and resumption
    DELOAD_RHYTHM = "deload_rhythm"
    DELOAD_SORENESS = "deload_soreness"
    DELOAD_FATIGUE = "deload_fatigue"
    DELOAD_TWO_NON_PROGRESS_WEEKS = "deload_two_non_progress_weeks"
    RESUME_AFTER_DELOAD = "resume_after_deload"
    RESUME_AFTER_GAP = "resume_after_gap"
    # red flags
    RED_FLAG_EMERGENCY = "red_flag_emergency"
    RED_FLAG_URGENT = "red_flag_urgent"
    RED_FLAG_AMBER = "red_flag_amber"
    PAIN_AT_REST_UNCONTROLLED = "pain_at_rest_uncontrolled"
    RESTART_AFTER_EMERGENCY = "restart_after_emergency"
    RESUME_AFTER_REASSESSMENT = "resume_after_reassessment"
    # monitoring
    ACWR_HIGH = "acwr_high"
    ACWR_HOLD = "acwr_hold"
    ACWR_ACKNOWLEDGED = "acwr_acknowledged"
    # time-contingent mode
    QUOTA = "quota"
    QUOTA_DATE_NOT_FEASIBLE = "quota_date_not_feasible"
    NO_TARGET_FOR_QUOTA = "no_target_for_quota"
    # phases
    EXIT_CRITERIA_MET = "exit_criteria_met"
    TWO_REGRESSIONS_IN_THREE_WEEKS = "two_regressions_in_three_weeks"
