from django.urls import path

from programs.views import building, programs, weeks
from programs.views import rtw as rtw_plan

app_name = "programs"

P = "programs/<uuid:program_uuid>/"
W = P + "weeks/<int:index>/"
R = P + "return-to-work/"

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
    path(R, rtw_plan.plan, name="rtw"),
    path(R + "edit/", rtw_plan.edit, name="rtw_edit"),
    path(R + "edit/steps/add/", rtw_plan.add_step, name="rtw_add_step"),
    path(R + "edit/steps/remove/", rtw_plan.remove_step, name="rtw_remove_step"),
    path(R + "edit/steps/ramp/", rtw_plan.apply_ramp, name="rtw_ramp"),
    path(R + "edit/restrictions/add/", rtw_plan.add_restriction, name="rtw_add_restriction"),
    path(
        R + "edit/restrictions/remove/",
        rtw_plan.remove_restriction,
        name="rtw_remove_restriction",
    ),
    path(R + "edit/restrictions/unmet/", rtw_plan.add_unmet, name="rtw_add_unmet"),
]
