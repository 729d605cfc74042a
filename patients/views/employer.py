from django.http import HttpResponse
from django.shortcuts import render

from patients.scoping import shared_workers
from rtw.http import AuthedRequest, role_required
from rtw.models import Role


@role_required([Role.EMPLOYER_VIEWER])
def employer_dashboard(request: AuthedRequest) -> HttpResponse:
    workers = shared_workers(request.user).only("uuid", "first_name", "last_name", "job_title")
    return render(request, "employer/dashboard.html", {"workers": workers})
