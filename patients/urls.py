from django.urls import path

from patients.views import consent, patients

app_name = "patients"

urlpatterns = [
    path("", patients.caseload, name="caseload"),
    path("new/", patients.create, name="create"),
    path("<uuid:patient_uuid>/", patients.detail, name="detail"),
    path("<uuid:patient_uuid>/edit/", patients.edit, name="edit"),
    path("<uuid:patient_uuid>/discharge/", patients.discharge, name="discharge"),
    path("<uuid:patient_uuid>/consent/new/", consent.record, name="consent_record"),
    path(
        "<uuid:patient_uuid>/consent/<int:consent_id>/withdraw/",
        consent.withdraw,
        name="consent_withdraw",
    ),
]
