from django.urls import path

from rtw.audit_log import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.log, name="log"),
    path("patients/<uuid:patient_uuid>/access-log/", views.patient_access, name="patient_access"),
    path(
        "patients/<uuid:patient_uuid>/access-log.csv",
        views.patient_access_csv,
        name="patient_access_csv",
    ),
]
