from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from rtw.http import AuthedRequest


def home(request: AuthedRequest) -> HttpResponse:
    """Each role lands on its own home page."""
    user = request.user
    if user.is_clinician:
        return redirect("patients:caseload")
    if user.is_clinic_admin:
        return redirect("accounts:staff")
    if user.is_employer_viewer:
        return redirect("employer:dashboard")
    if user.is_superuser:
        return redirect("admin:index")
    return render(request, "no_role.html", status=403)


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request: AuthedRequest) -> HttpResponse:
    """The smallest page a logged-in person can ask for: the benchmark's yardstick for what
    the middleware, the session and authentication cost on their own."""
    return HttpResponse("ok", content_type="text/plain")
