from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("<uuid:patient_uuid>/assessments/new/", views.new_assessment, name="new"),
    path(
        "<uuid:patient_uuid>/assessments/<uuid:assessment_uuid>/",
        views.assessment_detail,
        name="detail",
    ),
    path(
        "<uuid:patient_uuid>/assessments/<uuid:assessment_uuid>/edit/",
        views.edit_assessment,
        name="edit",
    ),
]
