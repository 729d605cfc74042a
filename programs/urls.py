from django.urls import path

from programs.views import building, programs, weeks

app_name = "programs"

P = "programs/<uuid:program_uuid>/"
W = P + "weeks/<int:index>/"

urlpatterns = [
    path(
        "patients/<uuid:patient_uuid>/programs/", programs.patient_programs, name="patient_programs"
    ),
    path("patients/<uuid:patient_uuid>/programs/new/", programs.create, name="create"),
    path("programs/exercises/", building.exercises, name="exercises"),
    path(P, programs.detail, name="detail"),
    path(P + "settings/", programs.edit_settings, name="settings"),
    path(P + "activate/", programs.activate, name="activate"),
    path(P + "resume/", programs.resume, name="resume"),
    path(P + "acwr/acknowledge/", programs.acknowledge_acwr, name="acknowledge_acwr"),
    path(P + "save-as-template/", programs.save_template, name="save_template"),
    path(P + "phases/<int:order>/", building.phase_edit, name="phase_edit"),
    path(
        P + "phases/<int:order>/prescriptions/new/",
        building.prescription_add,
        name="prescription_add",
    ),
    path(
        P + "prescriptions/<int:prescription_id>/",
        building.prescription_edit,
        name="prescription_edit",
    ),
    path(P + "plan/", weeks.plan, name="plan"),
    path(W + "accept/", weeks.accept, name="accept"),
    path(W + "items/<int:item_id>/", weeks.item_edit, name="item_edit"),
    path(W + "log/", weeks.log_session, name="log_session"),
    path(W + "phase-change/", weeks.phase_change, name="phase_change"),
]
