"""Flag review pages: the queue, one flag's file with its map, the decision; the employee's own
confirmed flags and answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hadir.cases import selectors
from hadir.cases.access import supervising_viewer
from hadir.cases.flag_services import (
    AnswerError,
    answer_flag,
    confirmed_flags_of,
    decide_flag,
    log_location_view,
)
from hadir.cases.models import FlagAnswer
from hadir.fraud.models import FlagReview
from hadir.fraud.reviews import ReviewError, can_review
from hadir.org.models import Employee

PAGE = 30


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def queue(request):
    viewer = supervising_viewer(request)
    state = request.GET.get("status", "open")
    if state not in selectors.QUEUE_STATES:
        state = "open"
    search = request.GET.get("q", "")[:100]
    page = Paginator(selectors.flag_queue(viewer, state, search), PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "state": state, "search": search, "states": _state_tabs()}
    template = "cases/_flag_rows.html" if _is_htmx(request) else "cases/flag_queue.html"
    return render(request, template, context)


def _state_tabs():
    return [
        ("open", gettext("To review")),
        ("confirmed", gettext("Confirmed")),
        ("dismissed", gettext("Dismissed")),
        ("all", gettext("All")),
    ]


@login_required
def detail(request, flag_id: int):
    viewer = supervising_viewer(request)
    flag = selectors.visible_flag(viewer, flag_id)
    if flag is None:
        raise Http404
    return _render_detail(request, viewer, flag)


def _render_detail(request, viewer, flag, form_errors=None, form=None, status=200):
    file = selectors.flag_file(viewer, flag)
    log_location_view(viewer, flag, request.get_full_path())
    context = {
        "file": file,
        "flag": flag,
        "map_data": file.map_data(),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "can_decide": not viewer.read_only and can_review(request.user, flag),
        "can_open_case": viewer.can_open_for(flag.employee),
        "form_errors": form_errors or {},
        "form": form or {},
    }
    return render(request, "cases/flag_detail.html", context, status=status)


@login_required
@require_POST
def review(request, flag_id: int):
    viewer = supervising_viewer(request)
    flag = selectors.visible_flag(viewer, flag_id)
    if flag is None:
        raise Http404
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        made = decide_flag(viewer, request.user, flag, decision, reason)
    except ReviewError as exc:
        if exc.status == 403:
            return render(request, "cases/forbidden.html", {"message": exc.message}, status=403)
        form = {"decision": decision, "reason": reason}
        return _render_detail(request, viewer, flag, {exc.field: exc.message}, form, status=422)
    if made.decision == "confirmed":
        messages.success(request, gettext("Flag confirmed. The employee has been told."))
    else:
        messages.success(request, gettext("Flag dismissed."))
    return redirect("cases:flag", flag_id=flag.pk)


def _own_employee(request) -> Employee:
    employee = Employee.objects.filter(user=request.user).first()
    if employee is None:
        raise Http404
    return employee


@login_required
def mine(request):
    employee = Employee.objects.filter(user=request.user).first()
    if employee is None:
        return render(request, "cases/my_flags.html", {"items": [], "employee": None})
    reviews = confirmed_flags_of(employee)
    answers: dict[int, list[FlagAnswer]] = {}
    for answer in FlagAnswer.objects.filter(employee=employee).order_by("at"):
        answers.setdefault(answer.review_id, []).append(answer)
    items = [(r, answers.get(r.pk, [])) for r in reviews]
    return render(request, "cases/my_flags.html", {"items": items, "employee": employee})


@login_required
@require_POST
def answer(request, review_id: int):
    employee = _own_employee(request)
    review_row = get_object_or_404(FlagReview, pk=review_id, employee=employee)
    try:
        answer_flag(employee, review_row, request.POST.get("text", ""))
    except AnswerError as exc:
        messages.error(request, exc.message)
        return redirect("cases:my_flags")
    messages.success(request, gettext("Your answer was sent to the reviewers."))
    return redirect("cases:my_flags")
