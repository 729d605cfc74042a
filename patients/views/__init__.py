"""Views by noun: patients (caseload, page, edit), consent, job-demand profiles, employer."""
