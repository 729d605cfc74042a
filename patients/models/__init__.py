from patients.models.consent import Consent
from patients.models.jobs import FrequencyClass, JobDemandProfile, JobTask, TaskType
from patients.models.patients import BodyRegion, Patient, PatientStatus, RedFlagTier, Sex

__all__ = [
    "BodyRegion",
    "Consent",
    "FrequencyClass",
    "JobDemandProfile",
    "JobTask",
    "Patient",
    "PatientStatus",
    "RedFlagTier",
    "Sex",
    "TaskType",
]
