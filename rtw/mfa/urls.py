from django.urls import path

from rtw.mfa import views

app_name = "account"

urlpatterns = [
    path("", views.account, name="home"),
    path("email/", views.change_email, name="email"),
    path("password/", views.change_password, name="password"),
    path("reauthenticate/", views.reauthenticate, name="reauthenticate"),
    path("two-factor/setup/", views.mfa_setup, name="mfa_setup"),
    path("two-factor/verify/", views.mfa_verify, name="mfa_verify"),
    path("two-factor/replace/", views.replace_second_factor, name="replace_mfa"),
    path("two-factor/backup-codes/", views.regenerate_backup_codes, name="backup_codes"),
]
