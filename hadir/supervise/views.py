"""The supervisors' web: thin views over hadir.supervise.selectors and services."""

from __future__ import annotations

from django.contrib import auth
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hadir.supervise.access import REGENCY, supervisor_required


@supervisor_required
def home(request):
    return redirect("supervise:overview" if request.viewer.level == REGENCY else "supervise:board")


@supervisor_required
def board(request):
    return render(request, "supervise/board.html", {"opds": request.viewer.opds()})


@supervisor_required
def spot_checks(request):
    return render(request, "supervise/spot_checks.html", {})


@supervisor_required
def overview(request):
    return render(request, "supervise/overview.html", {"opds": request.viewer.opds()})


@require_http_methods(["GET", "POST"])
def logout(request):
    """POST logs out; GET (a typed address, an old link) asks first."""
    if request.method == "POST":
        auth.logout(request)
        return redirect("supervise:login")
    return render(request, "supervise/logout.html")
