from programs.models.exercises import Exercise, ExerciseCategory, QuantityKind
from programs.models.programs import Phase, Prescription, Program, ProgramStatus, ProgressionMode
from programs.models.weeks import (
    PhaseProposalStatus,
    SessionItem,
    SessionLog,
    Week,
    WeekDecision,
    WeekItem,
    WeekStatus,
)

__all__ = [
    "Exercise",
    "ExerciseCategory",
    "Phase",
    "PhaseProposalStatus",
    "Prescription",
    "Program",
    "ProgramStatus",
    "ProgressionMode",
    "QuantityKind",
    "SessionItem",
    "SessionLog",
    "Week",
    "WeekDecision",
    "WeekItem",
    "WeekStatus",
]
