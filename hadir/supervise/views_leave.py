"""The leave page of the supervisors' web: requests to decide, decisions made, the letters.

A decision goes through `hadir.attendance.leave.decide_leave`, as the API's does (its checks,
the decider recorded, the days recomputed). With htmx the decided row comes back in place (a
refusal too, with its reason: htmx swaps only 2xx answers); without JavaScript a plain POST
redirects back to the page, or shows it again with the refusal (422).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hadir.attendance import leave as leave_service
from hadir.attendance.models import LeaveStatus, attachment_type
from hadir.attendance.services import AttendanceError
from hadir.supervise import leave as reads
from hadir.supervise import services
from hadir.supervise.access import supervisor_required

DECISIONS = {"approve": True, "reject": False}


@supervisor_required
def leave_list(request):
    tab = reads.DECIDED if request.GET.get("tab") == reads.DECIDED else reads.PENDING
    return _page(request, tab)


def _page(request, tab: str, refused=None, status: int = 200):
    """The page; `refused`: the row whose decision was refused, carrying `errors` and `form`."""
    viewer = request.viewer
    rows = reads.pending_rows(viewer) if tab == reads.PENDING else reads.decided_rows(viewer)
    if refused is not None:  # shown with its refusal, first if it has left this tab meanwhile
        rest = [item for item in rows if item.pk != refused.pk]
        rows = [refused if item.pk == refused.pk else item for item in rows]
        if len(rest) == len(rows):
            rows = [refused, *rows]
    context = {
        "tab": tab,
        "rows": rows,
        "refused": refused,
        "pending_shown": reads.PENDING_SHOWN,
        "decided_shown": reads.DECIDED_SHOWN,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "supervise/leave.html", context, status=status)


@require_POST
@supervisor_required
def leave_decide(request, leave_id: int):
    viewer = request.viewer
    leave = get_object_or_404(
        reads.visible(viewer).select_related(*reads.ROW_RELATIONS), pk=leave_id
    )
    approve = DECISIONS.get(request.POST.get("decision", ""))
    if approve is None:
        return HttpResponseBadRequest(_("Choose to approve or to reject."))
    was_pending = leave.status == LeaveStatus.PENDING
    reason = request.POST.get("reason", "")
    try:
        # PermissionDenied (seen here but not decided by this user: Inspektorat) is a 403.
        leave_service.decide_leave(
            leave, approve=approve, by=request.user, now=timezone.now(), reason=reason
        )
    except AttendanceError as exc:
        leave.refresh_from_db()
        refused = reads.row(viewer, leave)
        refused.errors = exc.errors
        refused.form = {"reason": reason, "decision": request.POST["decision"]}
        if request.htmx:
            return _row(request, refused, pending_changed=False)
        return _page(request, reads.PENDING if was_pending else reads.DECIDED, refused, 422)
    if request.htmx:
        return _row(request, reads.row(viewer, leave), pending_changed=was_pending)
    messages.success(request, _decided_text(leave))
    query = "" if was_pending else f"?tab={reads.DECIDED}"
    return redirect(reverse("supervise:leave") + query)


def _row(request, leave, *, pending_changed: bool):
    context = {
        "item": leave,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "oob_count": pending_changed,
    }
    return render(request, "supervise/_leave_row.html", context)


def _decided_text(leave) -> str:
    values = {"name": leave.employee.name, "kind": leave.get_kind_display()}
    if leave.status == LeaveStatus.APPROVED:
        return _("%(kind)s of %(name)s approved.") % values
    return _("%(kind)s of %(name)s rejected.") % values


@supervisor_required
def leave_attachment(request, leave_id: int):
    """The letter attached to a request, for whoever may decide it (as the API's); each look is
    written to the access log, a doctor's letter being personal data."""
    leave = get_object_or_404(
        reads.decidable_among(request.viewer, [leave_id]).select_related("employee"), pk=leave_id
    )
    if not leave.attachment:
        raise Http404
    services.log_attachment_view(request.user, leave, request.get_full_path())
    head = leave.attachment.open("rb").read(8)
    leave.attachment.seek(0)
    content_type = "application/pdf" if attachment_type(head) == "pdf" else "image/jpeg"
    return FileResponse(leave.attachment, content_type=content_type)
