from django.http import HttpResponse
from django.shortcuts import render

from patients.scoping import shared_workers, visible_patients
from rtw.http import AuthedRequest, role_required
from rtw.models import Role
from rtw.models.users import CLINICIAN_ROLES


@role_required(CLINICIAN_ROLES)
def caseload(request: AuthedRequest) -> HttpResponse:
    patients = (
        visible_patients(request.user)
        .filter(physiotherapist=request.user)
        .select_related("employer", "physiotherapist")
    )
    return render(request, "patients/caseload.html", {"patients": patients})


@role_required([Role.EMPLOYER_VIEWER])
def employer_dashboard(request: AuthedRequest) -> HttpResponse:
    workers = shared_workers(request.user).only("uuid", "first_name", "last_name", "job_title")
    return render(request, "employer/dashboard.html", {"workers": workers})
