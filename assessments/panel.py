"""The clinical part of the patient page. (Stub: the assessments work replaces it.)"""

from typing import Any

from patients.models import Patient


def patient_panel_context(patient: Patient) -> dict[str, Any]:
    return {}
