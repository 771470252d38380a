"""Discipline case pages: the list (overdue first), opening a case, one case with its next step
and letters, a letter's PDF, and an employee's case history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hadir.attendance.models import DisciplineRecommendation
from hadir.cases import services
from hadir.cases.access import supervising_viewer
from hadir.cases.forms import (
    DecisionForm,
    DeliveryForm,
    ExaminationForm,
    MissedForm,
    OpenCaseForm,
    SummonsForm,
)
from hadir.cases.letter_pdf import letter_pdf
from hadir.cases.models import DisciplineCase, Ground, Letter
from hadir.cases.templatetags.cases_panels import overdue_for
from hadir.domain.discipline_cases import Action, Stage, days_overdue
from hadir.fraud.models import DayFlag, Decision, FlagReview
from hadir.org.models import Employee

CASE_STATES = ("open", "overdue", "closed", "all")
PAGE = 30


def _cases(viewer):
    return viewer.cases(DisciplineCase.objects.all()).select_related("employee", "opd")


@login_required
def case_list(request):
    viewer = supervising_viewer(request)
    state = request.GET.get("status", "open")
    if state not in CASE_STATES:
        state = "open"
    today = services.today()
    rows = _cases(viewer)
    if state == "open":
        rows = rows.exclude(stage=Stage.CLOSED.value)
    elif state == "overdue":
        rows = services.overdue_cases(rows)
    elif state == "closed":
        rows = rows.filter(stage=Stage.CLOSED.value)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        rows = rows.filter(Q(employee__name__icontains=search) | Q(employee__identifier=search))
    rows = rows.annotate(
        late=Case(
            When(Q(due_on__lt=today) & ~Q(stage=Stage.CLOSED.value), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-late", "due_on", "-opened_at")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "search": search,
        "today": today,
        "states": [
            ("open", gettext("Open")),
            ("overdue", gettext("Past deadline")),
            ("closed", gettext("Closed")),
            ("all", gettext("All")),
        ],
        "can_open": not viewer.read_only,
    }
    template = (
        "cases/_case_rows.html" if request.headers.get("HX-Request") else "cases/case_list.html"
    )
    return render(request, template, context)


@login_required
def case_open(request):
    viewer = supervising_viewer(request)
    if viewer.read_only:
        return render(
            request,
            "cases/forbidden.html",
            {"message": gettext("Inspektorat reads cases but does not open them.")},
            status=403,
        )
    employees = viewer.employees(Employee.objects.all()).select_related("opd").order_by("name")
    flag_review, recommendation = _source(request, viewer)
    initial = {}
    if flag_review is not None:
        initial = {
            "employee": flag_review.employee_id,
            "ground": Ground.FLAG,
            "violation": gettext("Attendance on %(day)s not matching presence: %(reason)s")
            % {"day": flag_review.day.strftime("%d-%m-%Y"), "reason": flag_review.reason},
        }
    elif recommendation is not None:
        initial = {
            "employee": recommendation.employee_id,
            "ground": Ground.THRESHOLD,
            "violation": gettext(
                "%(days)s working days of absence without valid reason in %(year)s "
                "(recommended: %(sanction)s)"
            )
            % {
                "days": recommendation.equivalent_days,
                "year": recommendation.year,
                "sanction": recommendation.rung_name or "-",
            },
        }
    form = OpenCaseForm(
        request.POST or None, employees=employees, initial=initial or request.GET or None
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(
                viewer,
                form.cleaned_data["employee"],
                form.cleaned_data["ground"],
                form.cleaned_data["violation"],
                flag_review=flag_review,
                recommendation=recommendation,
                source_ref=form.cleaned_data["source_ref"],
            )
        except services.CaseError as exc:
            error = exc.message
        else:
            messages.success(request, gettext("Case opened. Issue the summons next."))
            return redirect("cases:case", case_id=case.pk)
    context = {
        "form": form,
        "error": error,
        "flag_review": flag_review,
        "recommendation": recommendation,
        "thresholds": _thresholds_without_case(viewer)
        if not (flag_review or recommendation)
        else [],
    }
    return render(
        request, "cases/case_open.html", context, status=422 if request.method == "POST" else 200
    )


def _thresholds_without_case(viewer, limit: int = 20):
    """Current recommendations of the sanction engine in scope that reached a sanction and have
    no case yet: grounds waiting for the atasan."""
    taken = DisciplineCase.objects.filter(recommendation__isnull=False).values("recommendation_id")
    return list(
        viewer.by_employee(
            DisciplineRecommendation.objects.filter(superseded_at__isnull=True).exclude(
                rung_code=""
            )
        )
        .exclude(pk__in=taken)
        .select_related("employee")
        .order_by("-equivalent_days")[:limit]
    )


def _source(request, viewer):
    """A confirmed flag (?flag=review id) or a recommendation (?rekomendasi=id), if visible."""
    params = request.POST if request.method == "POST" else request.GET
    flag_review = recommendation = None
    if params.get("flag", "").isdigit():
        flag_review = (
            viewer.by_employee(FlagReview.objects.filter(pk=int(params["flag"])))
            .filter(decision=Decision.CONFIRMED)
            .first()
        )
        if flag_review is None:
            raise Http404
    if params.get("rekomendasi", "").isdigit():
        recommendation = viewer.by_employee(
            DisciplineRecommendation.objects.filter(pk=int(params["rekomendasi"]))
        ).first()
        if recommendation is None:
            raise Http404
    return flag_review, recommendation


def _visible_case(viewer, pk: int) -> DisciplineCase:
    case = (
        _cases(viewer)
        .select_related("employee__supervisor", "employee__unit", "opd__head", "flag_review")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


ACTION_FORMS = {
    Action.SUMMON: ("summon", SummonsForm),
    Action.EXAMINE: ("examine", ExaminationForm),
    Action.MISSED: ("missed", MissedForm),
    Action.DECIDE: ("decide", DecisionForm),
    Action.DELIVER: ("deliver", DeliveryForm),
}


@login_required
def case_detail(request, case_id: int):
    viewer = supervising_viewer(request)
    case = _visible_case(viewer, case_id)
    return _render_case(request, viewer, case)


def _render_case(request, viewer, case, bound=None, error="", status=200):
    from hadir.domain.discipline_cases import NEXT_ACTIONS

    today = services.today()
    actions = []
    for action in NEXT_ACTIONS[Stage(case.stage)]:
        name, form_class = ACTION_FORMS[action]
        allowed = viewer.can_decide(case) if action is Action.DECIDE else viewer.can_act_on(case)
        if not allowed:
            continue
        initial = {"held_on": case.examination_on, "delivered_on": today}
        form = (
            bound
            if bound is not None and bound.prefix == name
            else form_class(prefix=name, initial=initial)
        )
        actions.append({"name": name, "form": form})
    ground_flag = None
    if case.flag_review_id:
        ground_flag = (
            viewer.by_employee(
                DayFlag.objects.filter(employee_id=case.employee_id, day=case.flag_review.day)
            )
            .values_list("pk", flat=True)
            .first()
        )
    context = {
        "case": case,
        "ground_flag": ground_flag,
        "steps": case.steps.all(),
        "letters": case.letters.all(),
        "actions": actions,
        "error": error,
        "overdue_days": days_overdue(case.due_on, services.timezone.now(), services.zone())
        if case.is_open
        else 0,
        "read_only": viewer.read_only,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@require_POST
def case_step(request, case_id: int, step: str):
    viewer = supervising_viewer(request)
    case = _visible_case(viewer, case_id)
    forms = dict(ACTION_FORMS.values())
    if step not in forms:
        raise Http404
    form = forms[step](request.POST, prefix=step)
    if not form.is_valid():
        return _render_case(request, viewer, case, form, status=422)
    data = form.cleaned_data
    try:
        if step == "summon":
            services.summon(viewer, case, **data)
            done = gettext("Summons issued. Download the letter below.")
        elif step == "examine":
            services.record_examination(viewer, case, **data)
            done = gettext("Examination recorded.")
        elif step == "missed":
            services.record_missed(viewer, case, note=data["note"])
            done = gettext("Absence from the examination recorded.")
        elif step == "decide":
            services.decide(viewer, case, **data)
            done = gettext("Decision recorded.")
        else:
            services.deliver(viewer, case, **data)
            done = gettext("Delivery recorded. The case is closed.")
    except services.CaseError as exc:
        if exc.status == 403:
            return render(request, "cases/forbidden.html", {"message": exc.message}, status=403)
        case.refresh_from_db()
        return _render_case(request, viewer, case, form, exc.message, status=422)
    messages.success(request, done)
    return redirect("cases:case", case_id=case.pk)


@login_required
def letter_download(request, letter_id: int):
    viewer = supervising_viewer(request)
    letter = Letter.objects.select_related("case").filter(pk=letter_id).first()
    if letter is None or not viewer.sees_case(letter.case):
        raise Http404
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    filename = f"{letter.kind}-{letter.number.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def employee_history(request, employee_id: int):
    viewer = supervising_viewer(request)
    employee = (
        viewer.employees(Employee.objects.filter(pk=employee_id)).select_related("opd").first()
    )
    if employee is None:
        raise Http404
    cases = _cases(viewer).filter(employee=employee).prefetch_related("letters")
    flags = FlagReview.objects.filter(employee=employee).order_by("-at")[:50]
    return render(
        request,
        "cases/employee_history.html",
        {"employee": employee, "cases": cases, "reviews": flags, "can_open": not viewer.read_only},
    )


@login_required
def overdue_panel(request):
    """The overdue-cases panel as an htmx fragment, for boards that load it."""
    supervising_viewer(request)
    return render(request, "cases/_overdue_panel.html", overdue_for(request.user))
