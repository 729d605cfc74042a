"""Employer progress reports: requested by a physiotherapist, rendered to PDF by a Celery
task from the allowlisted employer snapshot, shared with the employer's viewers."""
