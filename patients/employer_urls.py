from django.urls import path

from patients import views

app_name = "employer"

urlpatterns = [
    path("", views.employer_dashboard, name="dashboard"),
]
