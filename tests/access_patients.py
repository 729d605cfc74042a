from tests.access import CLINICIAN_PAGE, VIEWER_PAGE, Case

PATIENT_CASES: list[Case] = [
    Case("patients:caseload", lambda w: "/patients/", CLINICIAN_PAGE),
    Case("employer:dashboard", lambda w: "/employer/", VIEWER_PAGE),
]
