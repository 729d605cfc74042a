from django.urls import path

from patients.views import consent, patients, rights

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
    path("<uuid:patient_uuid>/export/", rights.export, name="export"),
    path("<uuid:patient_uuid>/sharing/restrict/", rights.restrict, name="restrict_sharing"),
    path("<uuid:patient_uuid>/sharing/lift/", rights.lift, name="lift_restriction"),
]
