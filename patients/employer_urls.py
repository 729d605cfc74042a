from django.urls import path

from patients.views import employer

app_name = "employer"

urlpatterns = [
    path("", employer.employer_dashboard, name="dashboard"),
]
