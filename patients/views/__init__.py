"""Views by noun: patients (caseload, page, edit), consent, job-demand profiles.

The employer portal lives in ``patients.employer``."""
