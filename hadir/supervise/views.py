"""The supervisors' web: thin views over hadir.supervise.selectors and services."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import auth, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hadir.attendance.recap import month_recap, write_recap_csv
from hadir.attendance.recap_pdf import write_recap_pdf
from hadir.attendance.recap_xlsx import write_recap_xlsx
from hadir.attendance.selectors import days_between, parse_month
from hadir.attendance.tpp_report import month_tpp, write_tpp_xlsx
from hadir.org.models import AuditAction, AuditEntry, Unit
from hadir.supervise import charts, selectors, services
from hadir.supervise import overview as overview_reads
from hadir.supervise import spot_checks as spot_check_service
from hadir.supervise.access import REGENCY, UNIT, acting_required, supervisor_required
from hadir.supervise.models import SpotCheck, SpotCheckKind

BOARD_REFRESH_SECONDS = 60
MAX_PHOTO_BYTES = 5 * 1024 * 1024


@supervisor_required
def home(request):
    return redirect("supervise:overview" if request.viewer.level == REGENCY else "supervise:board")


@supervisor_required
def board(request):
    viewer = request.viewer
    opds = list(viewer.opds().order_by("code"))
    opd = _chosen(opds, request.GET.get("opd"))
    employees = viewer.employees()
    if viewer.level != UNIT:
        opd = opd or (opds[0] if opds else None)
        employees = employees.filter(opd=opd)
    units = list(Unit.objects.filter(opd=opd).order_by("code")) if opd else []
    unit = _chosen(units, request.GET.get("unit"))
    if unit is not None:
        employees = employees.filter(unit=unit)
    employees = selectors.search(employees, request.GET.get("q", ""))
    today = selectors.board(employees)
    wanted = request.GET.get("status", "")
    context = {
        "board": today,
        "rows": selectors.only(today.rows, wanted),
        "wanted": wanted,
        "counts": [
            (key, label, today.counts[key]) for key, label in selectors.CATEGORY_LABELS.items()
        ],
        "opds": opds if viewer.level != UNIT else [],
        "opd": opd,
        "units": units if viewer.level != UNIT else [],
        "unit": unit,
        "q": request.GET.get("q", ""),
        "query": request.GET.urlencode(),
        "refresh_seconds": BOARD_REFRESH_SECONDS,
    }
    if request.htmx:
        return render(request, "supervise/_board.html", context)
    return render(request, "supervise/board.html", context)


def _chosen(items, value):
    return next((item for item in items if str(item.pk) == (value or "")), None)


@supervisor_required
def employee_day(request, employee_id: int):
    employee = get_object_or_404(
        request.viewer.employees().select_related("opd", "unit"), pk=employee_id
    )
    day = _day(request.GET.get("tanggal"))
    detail = selectors.employee_day(employee, day)
    services.log_location_view(request.user, employee, day, request.get_full_path())
    context = {"employee": employee, "cases_installed": apps.is_installed("hadir.cases"), **detail}
    return render(request, "supervise/employee_day.html", context)


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return timezone.localdate()


@supervisor_required
def spot_checks(request):
    viewer = request.viewer
    if request.method == "POST":
        if viewer.read_only:
            raise PermissionDenied
        workplace = get_object_or_404(viewer.acting_workplaces(), pk=request.POST.get("workplace"))
        kind = request.POST.get("kind", SpotCheckKind.SIDAK)
        if kind not in SpotCheckKind.values:
            kind = SpotCheckKind.SIDAK
        spot = spot_check_service.start(viewer, workplace, kind)
        return redirect("supervise:spot_check", spot_id=spot.pk)
    spots = visible_spot_checks(viewer).select_related("workplace", "opd")[:50]
    return render(
        request,
        "supervise/spot_checks.html",
        {
            "spots": spots,
            "workplaces": viewer.acting_workplaces().order_by("code"),
            "kinds": SpotCheckKind.choices,
        },
    )


def visible_spot_checks(viewer):
    """Spot checks at workplaces the viewer sees (an atasan: where his staff were listed)."""
    spots = SpotCheck.objects.all()
    if viewer.level == UNIT:
        return spots.filter(entries__employee__in=viewer.employees()).distinct()
    return viewer.scope.filter_by_opd(spots)


def _spot(request, spot_id):
    return get_object_or_404(visible_spot_checks(request.viewer), pk=spot_id)


def _may_act(viewer, spot) -> bool:
    return viewer.acting_workplaces().filter(pk=spot.workplace_id).exists()


def _acting_spot(request, spot_id):
    spot = _spot(request, spot_id)
    if not _may_act(request.viewer, spot):
        raise PermissionDenied
    return spot


@supervisor_required
def spot_check(request, spot_id: int):
    spot = _spot(request, spot_id)
    entries = list(
        spot.entries.filter(employee__in=request.viewer.employees()).select_related(
            "employee", "employee__unit"
        )
    )
    unseen = [e for e in entries if e.unseen]
    if not spot.is_open and not request.viewer.read_only and apps.is_installed("hadir.cases"):
        for entry in unseen:
            entry.case_url = reverse("cases:case_open") + "?" + _case_query(spot, entry)
    context = {
        "spot": spot,
        "checked_in": [e for e in entries if e.checked_in],
        "not_checked_in": [e for e in entries if not e.checked_in],
        "unseen": unseen,
        "seen_not_checked_in": [e for e in entries if e.seen_not_checked_in],
        "may_act": spot.is_open and _may_act(request.viewer, spot),
    }
    return render(request, "supervise/spot_check.html", context)


def _case_query(spot, entry) -> str:
    """A discipline case about this finding, filled in on hadir.cases' form."""
    at = timezone.localtime(spot.started_at)
    violation = _(
        "Checked in at %(check_in)s but not seen at %(workplace)s by the spot check of "
        "%(day)s %(at)s"
    ) % {
        "check_in": f"{timezone.localtime(entry.check_in_at):%H:%M}" if entry.check_in_at else "–",
        "workplace": spot.workplace.name,
        "day": date_format(at.date(), "j F Y"),
        "at": f"{at:%H:%M}",
    }
    return urlencode(
        {
            "employee": entry.employee_id,
            "ground": "spot_check",
            "source_ref": _("spot check no. %(n)s") % {"n": spot.pk},
            "violation": violation,
        }
    )


@require_POST
@acting_required
def spot_check_mark(request, spot_id: int, entry_id: int):
    spot = _acting_spot(request, spot_id)
    entry = get_object_or_404(
        spot.entries.filter(employee__in=request.viewer.employees()).select_related("employee"),
        pk=entry_id,
    )
    try:
        spot_check_service.mark(entry, request.POST.get("seen") == "1")
    except spot_check_service.SpotCheckError as exc:
        raise PermissionDenied from exc
    context = {"entry": entry, "spot": spot, "may_act": True}
    if request.htmx:
        return render(request, "supervise/_spot_entry.html", context)
    return redirect("supervise:spot_check", spot_id=spot.pk)


@require_POST
@acting_required
def spot_check_close(request, spot_id: int):
    spot = _acting_spot(request, spot_id)
    photo = request.FILES.get("sheet_photo")
    if photo is not None and (
        photo.size > MAX_PHOTO_BYTES or not (photo.content_type or "").startswith("image/")
    ):
        messages.error(request, _("The photo must be an image of at most 5 MB."))
        return redirect("supervise:spot_check", spot_id=spot.pk)
    try:
        flagged = spot_check_service.close(spot, photo, request.POST.get("note", ""))
    except spot_check_service.SpotCheckError as exc:
        raise PermissionDenied from exc
    messages.success(
        request,
        ngettext(
            "Spot check reconciled: %(n)s employee checked in but not seen, flagged.",
            "Spot check reconciled: %(n)s employees checked in but not seen, flagged.",
            flagged,
        )
        % {"n": flagged},
    )
    return redirect("supervise:spot_check", spot_id=spot.pk)


@supervisor_required
def spot_check_photo(request, spot_id: int):
    spot = _spot(request, spot_id)
    if not spot.sheet_photo:
        raise Http404
    return FileResponse(spot.sheet_photo.open("rb"))


def _month(text: str | None) -> tuple[date, date]:
    try:
        return parse_month(text or "")
    except ValueError:
        return parse_month(f"{timezone.localdate():%Y-%m}")


def _overview_viewer(request):
    """The overview shows whole OPDs: for the regency and Kepala / admin OPD, not an atasan."""
    if request.viewer.level == UNIT:
        raise PermissionDenied


@supervisor_required
def overview(request):
    _overview_viewer(request)
    first, last = _month(request.GET.get("bulan"))
    shown_last = min(last, max(first, timezone.localdate()))
    lines = overview_reads.opd_lines(request.viewer.opds().order_by("code"), first, shown_last)
    series = overview_reads.regency_series(lines, first, shown_last)
    labels = [f"{day.day}" for day in days_between(first, shown_last)]
    for line in lines:
        line.spark_attendance = charts.sparkline(line.daily_attendance, _("attendance"))
        line.spark_lateness = charts.sparkline(line.daily_lateness, _("lateness"))
    chart = charts.line_chart(
        [(_("attendance"), series["attendance"]), (_("lateness"), series["lateness"])],
        labels,
        _("Attendance and lateness, %(month)s") % {"month": date_format(first, "F Y")},
    )
    per_opd = charts.line_chart(
        [(line.opd.code, line.daily_attendance) for line in lines[:4]]
        + [(line.opd.code, line.daily_attendance) for line in lines[4:][-4:]],
        labels,
        _("Attendance of the best and the last OPDs"),
    )
    context = {
        "first": first,
        "month": f"{first:%Y-%m}",
        "month_title": date_format(first, "F Y"),
        "lines": lines,
        "chart": chart,
        "per_opd_chart": per_opd,
        "regency": request.viewer.level == REGENCY,
        "cases_available": overview_reads.cases_available(),
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "supervise/overview.html", context)


EXPORT_FORMATS = ("xlsx", "pdf", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def _export_opd(request):
    """The OPD asked for, in scope; None (the whole regency) only for regency-wide viewers."""
    _overview_viewer(request)
    if request.GET.get("opd"):
        return get_object_or_404(request.viewer.opds(), pk=request.GET["opd"])
    if request.viewer.level != REGENCY:
        raise PermissionDenied
    return None


def _download(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@supervisor_required
def recap_export(request):
    """The month's recap from the stored statuses (the worker keeps them current)."""
    opd = _export_opd(request)
    first, _last = _month(request.GET.get("bulan"))
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    recap = month_recap(first, opd)
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    if fmt == "csv":
        text = io.StringIO()
        write_recap_csv(recap, text)
        response.write(text.getvalue())
    elif fmt == "pdf":
        write_recap_pdf(recap, response)
    else:
        write_recap_xlsx(recap, response)
    scope_name = opd.code if opd else "kabupaten"
    return _download(response, f"rekap-{scope_name}-{first:%Y-%m}.{fmt}")


@supervisor_required
def tpp_export(request):
    opd = _export_opd(request)
    first, _last = _month(request.GET.get("bulan"))
    table, rows = month_tpp(first, opd)
    response = HttpResponse(content_type=CONTENT_TYPES["xlsx"])
    write_tpp_xlsx(first, table, rows, response)
    scope_name = opd.code if opd else "kabupaten"
    return _download(response, f"tpp-{scope_name}-{first:%Y-%m}.xlsx")


AUDIT_PAGE = 50


@supervisor_required
def audit_log(request):
    """The audit log (master data changes and views of personal data): regency-wide only."""
    if request.viewer.level != REGENCY:
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor__icontains=actor)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    model = request.GET.get("model", "")
    if model:
        entries = entries.filter(model=model)
    since, until = _day_or_none(request.GET.get("dari")), _day_or_none(request.GET.get("sampai"))
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    page = Paginator(entries, AUDIT_PAGE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {
        "page": page,
        "actions": AuditAction.choices,
        "models": AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct(),
        "filters": {"actor": actor, "action": action, "model": model},
        "since": since,
        "until": until,
        "query": query.urlencode(),
    }
    return render(request, "supervise/audit_log.html", context)


def _day_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def logout(request):
    """POST logs out; GET (a typed address, an old link) asks first."""
    if request.method == "POST":
        auth.logout(request)
        return redirect("supervise:login")
    return render(request, "supervise/logout.html")
