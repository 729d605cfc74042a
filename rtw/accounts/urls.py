from django.urls import path

from rtw.accounts import views

app_name = "accounts"

urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("staff/invite/", views.invite_staff, name="invite_staff"),
    path("staff/invite-viewer/", views.invite_viewer, name="invite_viewer"),
    path("staff/employers/new/", views.create_employer, name="create_employer"),
    path("staff/<uuid:user_uuid>/role/", views.change_role, name="change_role"),
    path("staff/<uuid:user_uuid>/deactivate/", views.deactivate, name="deactivate"),
    path("staff/<uuid:user_uuid>/reactivate/", views.reactivate, name="reactivate"),
    path("staff/<uuid:user_uuid>/resend-invite/", views.resend_invite, name="resend_invite"),
    path("staff/<uuid:user_uuid>/reset-two-factor/", views.reset_mfa, name="reset_mfa"),
    path("invite/<str:token>/", views.accept_invite, name="accept_invite"),
]
