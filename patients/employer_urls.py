from django.urls import path

from patients.employer import views

app_name = "employer"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("workers/<uuid:patient_uuid>/", views.worker, name="worker"),
]
