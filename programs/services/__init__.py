"""State changes to programs. Each is one transaction that takes the acting user, runs
the models' validation (the cap lives there) and writes its audit event."""

from programs.services.building import (
    activate,
    add_prescription,
    create_exercise,
    create_program,
    exercises_for,
    save_as_template,
    templates_for,
    update_phase,
    update_prescription,
    update_settings,
)
from programs.services.common import StaleEdit
from programs.services.flags import resume, still_flagged
from programs.services.weekly import (
    Done,
    PlanOutcome,
    SessionValues,
    accept_week,
    acknowledge_acwr,
    change_item,
    close_week,
    decide_phase_change,
    log_session,
    plan_next_week,
)

__all__ = [
    "Done",
    "PlanOutcome",
    "SessionValues",
    "StaleEdit",
    "accept_week",
    "acknowledge_acwr",
    "activate",
    "add_prescription",
    "change_item",
    "close_week",
    "create_exercise",
    "create_program",
    "decide_phase_change",
    "exercises_for",
    "log_session",
    "plan_next_week",
    "resume",
    "save_as_template",
    "still_flagged",
    "templates_for",
    "update_phase",
    "update_prescription",
    "update_settings",
]
