from django.urls import path

from rtw.reports import views

app_name = "reports"

R = "reports/<uuid:report_uuid>/"

urlpatterns = [
    path("patients/<uuid:patient_uuid>/reports/", views.patient_reports, name="patient_reports"),
    path("patients/<uuid:patient_uuid>/reports/new/", views.generate, name="generate"),
    path(R + "status/", views.status, name="status"),
    path(R + "retry/", views.retry, name="retry"),
    path(R + "share/", views.share, name="share"),
    path(R + "download/", views.download, name="download"),
]
