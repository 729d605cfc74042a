from programs.models.carry import ProgramCarry
from programs.models.exercises import Exercise, ExerciseCategory, QuantityKind
from programs.models.programs import Phase, Prescription, Program, ProgramStatus, ProgressionMode
from programs.models.rtw import Fitness, RtwPlan, RtwRestriction, RtwStep
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
    "Fitness",
    "Phase",
    "PhaseProposalStatus",
    "Prescription",
    "Program",
    "ProgramCarry",
    "ProgramStatus",
    "ProgressionMode",
    "QuantityKind",
    "RtwPlan",
    "RtwRestriction",
    "RtwStep",
    "SessionItem",
    "SessionLog",
    "Week",
    "WeekDecision",
    "WeekItem",
    "WeekStatus",
]
