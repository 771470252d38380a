"""Pages of the check-in app: the office screen that shows the rotating code."""

import json

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from hadir.org.models import AuditEntry, Role, RoleKind, Workplace
from hadir.org.office_secret import PROVISIONING_WINDOW, claim_secret, provisioning_open

OFFICE_CODE_DIGITS = 6


def can_provision(user, workplace: Workplace) -> bool:
    if user.is_superuser:
        return True
    roles = Role.objects.filter(user=user)
    return roles.filter(kind__in=[RoleKind.BKPSDM_ADMIN, RoleKind.SUPERADMIN]).exists() or (
        roles.filter(
            kind__in=[RoleKind.OPD_ADMIN, RoleKind.OPD_HEAD], opd_id=workplace.opd_id
        ).exists()
    )


def office_screen(request):
    return render(request, "checkin/office_screen.html", {"provision_json": "null"})


@never_cache
@login_required
def office_provision(request, code: str):
    workplace = get_object_or_404(Workplace, code=code)
    if not can_provision(request.user, workplace):
        raise PermissionDenied
    # The secret is handed out by an explicit POST, once per rotation (hadir.org.office_secret).
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": workplace.name,
        "workplace": workplace,
        "open": provisioning_open(workplace, now),
        "window_minutes": int(PROVISIONING_WINDOW.total_seconds() // 60),
    }
    if request.method != "POST":
        return render(request, "office/provision.html", context)
    secret = claim_secret(workplace, now)
    if secret is None:
        return render(request, "office/provision.html", {**context, "open": False}, status=409)
    AuditEntry.objects.create(
        actor=f"user:{request.user.get_username()}",
        action="provision",
        model="org.Workplace",
        object_pk=str(workplace.pk),
        object_repr=str(workplace)[:300],
        before=None,
        after={"office_code_step_s": workplace.office_code_step_s},
    )
    provision = {
        "workplace": workplace.code,
        "name": workplace.name,
        "secret": secret,
        "step": workplace.office_code_step_s,
        "digits": OFFICE_CODE_DIGITS,
    }
    return render(request, "checkin/office_screen.html", {"provision_json": json.dumps(provision)})


def office_service_worker(request):
    path = settings.BASE_DIR / "checkin" / "static" / "hadir" / "office_sw.js"
    response = FileResponse(path.open("rb"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/office/"
    response["Cache-Control"] = "no-cache"
    return response
