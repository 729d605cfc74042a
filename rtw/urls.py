from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rtw import views
from rtw.mfa import views as mfa_views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", mfa_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", include("rtw.mfa.urls")),
    path("", include("rtw.accounts.urls")),
    path("", include("rtw.audit_log.urls")),
    path("patients/", include("patients.urls")),
    path("patients/", include("assessments.urls")),
    path("jobs/", include("patients.job_urls")),
    path("employer/", include("patients.employer_urls")),
    path("", include("rtw.reports.urls")),
    path("", include("programs.urls")),
    path("admin/", admin.site.urls),
]
