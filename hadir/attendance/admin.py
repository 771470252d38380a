"""Admin for attendance, scoped by role like hadir.org.admin: an OPD's people see their OPD (and
an atasan their subordinates). Writes go through the services, so that every change recomputes
the days it touches and every refusal reads as a form error."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hadir.attendance import leave as leave_service
from hadir.attendance import refresh, rules, services
from hadir.attendance.admin_paging import LookaheadPaginator, requested_page, search_statuses
from hadir.attendance.messages import PHASES, live_text, note_text, plan_text
from hadir.attendance.models import (
    CalendarOverride,
    DailyStatus,
    DisciplineRecommendation,
    LeaveRequest,
    MonthClosure,
    OpdTransfer,
    Outage,
    RamadanPeriod,
    RecomputeReason,
    RecomputeRequest,
    RuleKey,
    RuleSet,
    ScheduleAssignment,
    ShiftRosterEntry,
    StatusCorrection,
    WorkSchedule,
    attachment_type,
    split_codes,
)
from hadir.domain.status import Phase
from hadir.org.models import Employee, Opd, Workplace
from hadir.org.scope import scope_for


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


def _show_errors(form, errors: dict[str, list[str]]) -> None:
    for field, problems in errors.items():
        target = field if field in form.fields else None
        for problem in problems:
            form.add_error(target, problem)


def request_scope(request):
    """What the user may see, read once per request: the admin's sidebar asks every model admin
    for its permissions, and each would read the user's roles again."""
    scope = getattr(request, "_hadir_scope", None)
    if scope is None:
        scope = request._hadir_scope = scope_for(request.user)
    return scope


class StaffView(admin.ModelAdmin):
    """Visible to staff; changes only for editing roles (decided per model below)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def _regency_editor(self, request) -> bool:
        scope = request_scope(request)
        return scope.can_edit_master_data and scope.regency_wide


class EmployeeScoped(StaffView):
    """Rows of employees the user may see; editable by editing roles within their OPDs."""

    employee_field = "employee"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = request_scope(request)
        if scope.regency_wide:
            return qs
        visible = scope.filter_employees(Employee.objects.all()).values("pk")
        return qs.filter(**{f"{self.employee_field}__in": visible})

    def _may_edit(self, request, employee_opd_id: int | None = None) -> bool:
        scope = request_scope(request)
        if not scope.can_edit_master_data:
            return False
        return employee_opd_id is None or scope.regency_wide or employee_opd_id in scope.opd_ids

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj.employee.opd_id if obj is not None else None)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "employee":
            scope = request_scope(request)
            employees = Employee.objects.all()
            if not scope.regency_wide:
                employees = employees.filter(opd_id__in=scope.opd_ids)
            kwargs["queryset"] = employees
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnly(EmployeeScoped):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Calendar -------------------------------------------------------------------------------------


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(StaffView):
    list_display = ("date", "action", "name", "kind", "scope", "reference", "created_by")
    list_filter = ("action", "kind", "opd")
    search_fields = ("name", "reference")
    date_hierarchy = "date"
    fields = (
        "date",
        "action",
        "name",
        "kind",
        "reference",
        "works_like_weekday",
        "opd",
        "workplace",
    )

    @admin.display(description=_("applies to"))
    def scope(self, obj):
        if obj.workplace_id:
            return obj.workplace
        return obj.opd or _("whole regency")

    def _may_edit(self, request, obj=None) -> bool:
        scope = request_scope(request)
        if not scope.can_edit_master_data:
            return False
        if obj is None or scope.regency_wide:
            return True
        opd_id = obj.opd_id or (obj.workplace.opd_id if obj.workplace_id else None)
        return opd_id in scope.opd_ids

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = request_scope(request)
        if not scope.regency_wide and db_field.name == "opd":
            kwargs["queryset"] = Opd.objects.filter(pk__in=scope.opd_ids)
        if not scope.regency_wide and db_field.name == "workplace":
            kwargs["queryset"] = Workplace.objects.filter(opd_id__in=scope.opd_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        regency_wide = request_scope(request).regency_wide

        class ScopedForm(form):
            def clean(self):
                data = super().clean()
                if not regency_wide and not (data.get("opd") or data.get("workplace")):
                    raise forms.ValidationError(_("choose your OPD or one of its workplaces"))
                return data

        return ScopedForm

    def save_model(self, request, obj, form, change):
        result = services.save_calendar_override(obj, by=_actor(request))
        self.message_user(request, _recomputed(result))

    def delete_model(self, request, obj):
        self.message_user(request, _recomputed(services.delete_calendar_override(obj)))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _recomputed(result) -> str:
    if isinstance(result, services.Recomputation):
        if result.queued is not None:
            return _(
                "The days to recompute are many: queued, the worker recomputes them within a "
                "few minutes (or run: hadir recompute --pending)."
            )
        if result.result is None:
            return _("Nothing to recompute.")
        result = result.result
    return _("Recomputed %(days)d employee-days (%(written)d changed).") % {
        "days": result.days,
        "written": result.written,
    }


# When attendance counts -------------------------------------------------------------------


@admin.register(Outage)
class OutageAdmin(StaffView):
    """Declared outages: regency-wide or one OPD by the regency's editors, a workplace or an OPD
    of their own by an OPD's editors. Saving recomputes the days it covers (they lose their
    status); deleting gives it back."""

    list_display = ("first_day", "last_day", "scope", "reason", "created_by", "created_at")
    list_filter = ("opd",)
    search_fields = ("reason",)
    date_hierarchy = "first_day"
    fields = ("first_day", "last_day", "reason", "opd", "workplace")

    @admin.display(description=_("applies to"))
    def scope(self, obj):
        if obj.workplace_id:
            return obj.workplace
        return obj.opd or _("whole regency")

    def _may_edit(self, request, obj=None) -> bool:
        scope = request_scope(request)
        if not scope.can_edit_master_data:
            return False
        if obj is None or scope.regency_wide:
            return True
        opd_id = obj.opd_id or (obj.workplace.opd_id if obj.workplace_id else None)
        return opd_id in scope.opd_ids

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = request_scope(request)
        if not scope.regency_wide and db_field.name == "opd":
            kwargs["queryset"] = Opd.objects.filter(pk__in=scope.opd_ids)
        if not scope.regency_wide and db_field.name == "workplace":
            kwargs["queryset"] = Workplace.objects.filter(opd_id__in=scope.opd_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        regency_wide = request_scope(request).regency_wide

        class ScopedForm(form):
            def clean(self):
                data = super().clean()
                if not regency_wide and not (data.get("opd") or data.get("workplace")):
                    raise forms.ValidationError(_("choose your OPD or one of its workplaces"))
                return data

        return ScopedForm

    def save_model(self, request, obj, form, change):
        self.message_user(request, _recomputed(services.save_outage(obj, by=_actor(request))))

    def delete_model(self, request, obj):
        self.message_user(request, _recomputed(services.delete_outage(obj, by=_actor(request))))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class TransferForm(forms.ModelForm):
    class Meta:
        model = OpdTransfer
        fields = ("employee", "to_opd", "effective_on", "reference")

    def clean(self):
        data = super().clean()
        if data.get("employee") and data.get("to_opd") and data.get("effective_on"):
            errors = services.transfer_errors(
                data["employee"], data["to_opd"], data["effective_on"]
            )
            _show_errors(self, errors)
        return data


@admin.register(OpdTransfer)
class OpdTransferAdmin(EmployeeScoped):
    """Moves between OPDs. Recording one (today or back-dated) moves the employee; editing an
    employee's OPD directly records one effective that day. Never edited: a mistaken transfer
    is deleted by the regency's editors, and the days are recomputed."""

    form = TransferForm
    list_display = ("employee", "from_opd", "to_opd", "effective_on", "reference", "created_by")
    list_filter = ("to_opd", "from_opd")
    search_fields = ("employee__identifier", "employee__name", "reference")
    date_hierarchy = "effective_on"
    raw_id_fields = ("employee",)
    list_select_related = ("employee", "from_opd", "to_opd")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._regency_editor(request)

    def save_model(self, request, obj, form, change):
        created = services.transfer_employee(
            obj.employee, obj.to_opd, obj.effective_on, reference=obj.reference, by=_actor(request)
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        employee_id, first = obj.employee_id, obj.effective_on
        obj.delete()
        services.compute_days([employee_id], first, services.selectors.today())

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# Schedules ------------------------------------------------------------------------------------


class RamadanFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        periods = [
            (form.cleaned_data["first_day"], form.cleaned_data["last_day"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("first_day")
            and form.cleaned_data.get("last_day")
        ]
        periods.sort()
        for (_first, last), (first, _last) in itertools.pairwise(periods):
            if first <= last:
                raise forms.ValidationError(_("Ramadan periods overlap"))


class RamadanInline(admin.TabularInline):
    model = RamadanPeriod
    formset = RamadanFormSet
    extra = 0


class RegencyEditable(StaffView):
    def has_add_permission(self, request):
        return self._regency_editor(request)

    def has_change_permission(self, request, obj=None):
        return self._regency_editor(request)

    def has_delete_permission(self, request, obj=None):
        return self._regency_editor(request)


@admin.register(WorkSchedule)
class WorkScheduleAdmin(RegencyEditable):
    list_display = ("name", "kind", "is_default", "weekly_hours")
    list_filter = ("kind", "is_default")
    search_fields = ("name",)
    inlines = [RamadanInline]

    @admin.display(description=_("hours a week"))
    def weekly_hours(self, obj):
        try:
            return f"{obj.to_domain(periods=[]).weekly.weekly_minutes / 60:g}"
        except ValueError:
            return "?"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            done = services.recompute_or_queue(
                RecomputeReason.SCHEDULE,
                services.open_period_start(),
                services.selectors.today(),
                by=_actor(request),
                schedule=form.instance,
            )
            self.message_user(request, _recomputed(done))
            self.message_user(
                request,
                _("Months before last month keep their statuses unless recomputed by hand."),
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        in_use = obj is not None and obj.assignments.exists()
        return super().has_delete_permission(request, obj) and not in_use


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = ScheduleAssignment
        fields = ("employee", "schedule", "valid_from")

    def clean(self):
        data = super().clean()
        if data.get("employee") and data.get("valid_from"):
            _show_errors(self, services.assignment_errors(data["employee"], data["valid_from"]))
        return data


@admin.register(ScheduleAssignment)
class ScheduleAssignmentAdmin(EmployeeScoped):
    """History is kept: a new assignment closes the open one; rows are never edited."""

    form = AssignmentForm
    list_display = ("employee", "schedule", "valid_from", "valid_to", "created_by")
    list_filter = ("schedule",)
    search_fields = ("employee__identifier", "employee__name")
    raw_id_fields = ("employee",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.assign_schedule(
            obj.employee, obj.schedule, obj.valid_from, by=_actor(request)
        )
        obj.pk = created.pk


@admin.register(ShiftRosterEntry)
class ShiftRosterEntryAdmin(EmployeeScoped):
    list_display = ("employee", "date", "code", "start", "end")
    list_filter = ("code",)
    search_fields = ("employee__identifier", "employee__name")
    date_hierarchy = "date"
    raw_id_fields = ("employee",)
    exclude = ("date",)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.save_shift(obj)

    def delete_model(self, request, obj):
        employee_id, day = obj.employee_id, obj.date
        obj.delete()
        services.compute_days([employee_id], day, day)


# Leave ----------------------------------------------------------------------------------------


class LeaveForm(forms.ModelForm):
    """Recording leave on an employee's behalf: checked like the employee's own request."""

    class Meta:
        model = LeaveRequest
        fields = (
            "employee",
            "kind",
            "first_day",
            "last_day",
            "portion",
            "reason",
            "assignment_letter",
            "destination",
            "destination_lat",
            "destination_lon",
            "destination_radius_m",
            "attachment",
        )

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        attachment = self.cleaned_data.get("attachment") or None
        _show_errors(self, leave_service.leave_errors(self.instance, attachment))


@admin.register(LeaveRequest)
class LeaveRequestAdmin(EmployeeScoped):
    form = LeaveForm
    list_display = (
        "employee",
        "kind",
        "first_day",
        "last_day",
        "portion",
        "status",
        "recorded_on_behalf",
        "decided_by",
    )
    list_filter = ("status", "kind", "recorded_on_behalf")
    search_fields = ("employee__identifier", "employee__name", "assignment_letter")
    date_hierarchy = "first_day"
    raw_id_fields = ("employee",)
    actions = ["approve", "reject"]
    readonly_fields = (
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "recorded_on_behalf",
    )

    def has_change_permission(self, request, obj=None):
        # Requests are decided with the actions, never edited; the form is for new records.
        return obj is None and super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = list(LeaveForm.Meta.fields)
        if obj is None:
            return fields
        shown = [f for f in fields if f != "attachment"]
        return [*shown, "destination_map", "attachment_link", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*LeaveForm.Meta.fields, "destination_map", "attachment_link", *self.readonly_fields]

    @admin.display(description=_("destination on the map"))
    def destination_map(self, obj):
        """The dinas luar destination's point, to check against the check-ins of those days."""
        if obj.destination_lat is None or obj.destination_lon is None:
            return "-"
        lat, lon = obj.destination_lat, obj.destination_lon
        link = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            link,
            _("%(lat).5f, %(lon).5f on OpenStreetMap") % {"lat": lat, "lon": lon},
        )

    @admin.display(description=_("attachment"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return "-"
        link = reverse("admin:attendance_leaverequest_attachment", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', link, _("open the attachment"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.attachment_view)
        name = "attendance_leaverequest_attachment"
        return [path("<int:pk>/attachment/", view, name=name), *super().get_urls()]

    def attachment_view(self, request, pk: int):
        # Served through the admin, scoped like the list: media files are not public.
        leave = self.get_queryset(request).filter(pk=pk).first()
        if leave is None or not leave.attachment:
            raise Http404
        kind = attachment_type(leave.attachment.open("rb").read(8))
        leave.attachment.seek(0)
        content_type = "application/pdf" if kind == "pdf" else "image/jpeg"
        return FileResponse(leave.attachment, content_type=content_type)

    def save_model(self, request, obj, form, change):
        created = leave_service.request_leave(
            obj.employee,
            kind=obj.kind,
            first_day=obj.first_day,
            last_day=obj.last_day,
            portion=obj.portion,
            reason=obj.reason,
            assignment_letter=obj.assignment_letter,
            destination=obj.destination,
            destination_lat=obj.destination_lat,
            destination_lon=obj.destination_lon,
            destination_radius_m=obj.destination_radius_m,
            attachment=form.cleaned_data.get("attachment") or None,
            requested_by=request.user,
            on_behalf=True,
        )
        obj.pk = created.pk

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True, reason="")

    @admin.action(description=_("Reject the selected requests (with a reason)"))
    def reject(self, request, queryset):
        reason = (request.POST.get("decision_reason") or "").strip()
        if "apply" in request.POST and reason:
            return self._decide(request, queryset, approve=False, reason=reason)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject leave requests"),
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "missing_reason": "apply" in request.POST,
        }
        return TemplateResponse(request, "admin/attendance/leave_reject.html", context)

    def _decide(self, request, queryset, *, approve: bool, reason: str):
        done, now = 0, timezone.now()
        for item in queryset.select_related("employee__supervisor"):
            try:
                leave_service.decide_leave(
                    item, approve=approve, by=request.user, now=now, reason=reason
                )
                done += 1
            except PermissionDenied:
                self.message_user(request, _("Not allowed for %(r)s") % {"r": item}, messages.ERROR)
            except services.AttendanceError as exc:
                self.message_user(request, f"{item}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d request(s) decided") % {"n": done})


# Corrections and statuses ---------------------------------------------------------------------


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = StatusCorrection
        fields = ("employee", "date", "codes", "late_minutes", "early_minutes", "reason")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors = services.correction_errors(
            data["employee"],
            data["date"],
            split_codes(data["codes"]),
            data.get("reason", ""),
            self.author_name,
            data.get("late_minutes"),
            data.get("early_minutes"),
        )
        _show_errors(self, errors)
        return data


@admin.register(StatusCorrection)
class StatusCorrectionAdmin(EmployeeScoped):
    """Create-only: a correction is never edited; a newer one overrides it."""

    form = CorrectionForm
    list_display = (
        "employee",
        "date",
        "codes",
        "reason",
        "author_name",
        "created_at",
        "after_closure",
    )
    list_filter = ("after_closure",)
    search_fields = ("employee__identifier", "employee__name", "reason")
    date_hierarchy = "date"
    raw_id_fields = ("employee",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.author_name = _actor(request)
        return form

    def save_model(self, request, obj, form, change):
        created = services.record_correction(
            obj.employee,
            obj.date,
            obj.codes,
            obj.reason,
            request.user,
            late_minutes=obj.late_minutes,
            early_minutes=obj.early_minutes,
        )
        obj.pk = created.pk


class DayFilter(admin.SimpleListFilter):
    """Which days: today by default (a regency-month is hundreds of thousands of rows), or
    yesterday, this month, last month, a date (?day=2026-11-05), or every day."""

    title = _("date")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("yesterday", _("Yesterday")),
            ("month", _("This month")),
            ("last_month", _("Last month")),
            ("all", _("All")),
        ]

    def choices(self, changelist):
        value = self.value() or "today"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        span = day_span(self.value())
        return queryset if span is None else queryset.filter(date__range=span)


def day_span(value: str | None):
    """(first, last) for a DayFilter value; None for every day."""
    today = services.selectors.today()
    if value in (None, "", "today"):
        return today, today
    if value == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if value == "month":
        return today.replace(day=1), today
    if value == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if value == "all":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return today, today
    return day, day


class ClosingFilter(admin.SimpleListFilter):
    """For auditors: closed-month days whose inputs changed after closing, or that were
    corrected after closing."""

    title = _("after closing")
    parameter_name = "closing"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("inputs changed, status frozen")),
            ("corrected", _("corrected after closing")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.exclude(pending_codes="")
        if self.value() == "corrected":
            return queryset.filter(correction__after_closure=True)
        return queryset


@admin.register(DailyStatus)
class DailyStatusAdmin(ReadOnly):
    """Status harian. Today's rows show the live state at the time the page is read ("belum
    presensi", the running late band), not what was stored: a day in progress changes by the
    minute. If no worker has refreshed today lately, opening today's page does it first."""

    list_display = (
        "date",
        "employee",
        "status_now",
        "late_minutes",
        "early_minutes",
        "corrected",
        "pending_codes",
    )
    list_filter = (DayFilter, "employee__opd", "final", ClosingFilter)
    search_fields = ("employee__identifier", "employee__name", "codes")  # see get_search_results
    search_help_text = _("NIP, name or status code")
    list_select_related = ("employee",)
    show_full_result_count = False  # a COUNT over millions of rows on every page is wasted
    exclude = ("explanation", "inputs_hash", "correction")
    readonly_fields = (
        "employee",
        "date",
        "codes",
        "computed_codes",
        "final",
        "late_minutes",
        "early_minutes",
        "explained",
        "correction_link",
        "pending_codes",
        "computed_at",
    )

    def changelist_view(self, request, extra_context=None):
        span = day_span(request.GET.get(DayFilter.parameter_name))
        today = services.selectors.today()
        if span is not None and span[0] <= today <= span[1]:
            refresh.sweep_if_stale()  # no worker yet: today's rows exist before they are listed
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return search_statuses(queryset, search_term), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # Nor a COUNT of every row the filters let through: only as far as the page links go.
        current = requested_page(request)
        return LookaheadPaginator(queryset, per_page, orphans, allow_empty_first_page, current)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        provisional = [row for row in changelist.result_list if not row.final]
        if provisional:
            now = timezone.now()
            by_day: dict[date, list[int]] = {}
            for row in provisional:
                by_day.setdefault(row.date, []).append(row.employee_id)
            live = {
                (pk, day): state
                for day, ids in by_day.items()
                for pk, state in services.selectors.live_states(ids, day, now).items()
            }
            for row in provisional:
                row.live = live.get((row.employee_id, row.date))
        return changelist

    @admin.display(description=_("status"), ordering="codes")
    def status_now(self, obj):
        live = getattr(obj, "live", None)
        if live is not None and live.status is not None:
            return live_text(live.status)
        if not obj.final and not obj.codes:
            return PHASES[Phase.NOT_YET]
        return obj.codes

    @admin.display(boolean=True, description=_("corrected"))
    def corrected(self, obj):
        return obj.correction_id is not None

    @admin.display(description=_("correction"))
    def correction_link(self, obj):
        return obj.correction or "-"

    @admin.display(description=_("explanation"))
    def explained(self, obj):
        plan = (obj.explanation or {}).get("plan")
        head = format_html("<p>{}</p>", plan_text(plan))
        notes = format_html_join(
            "\n",
            "<p>{} <small>{}</small></p>",
            (
                (note_text(n), " ".join(n.get("events", ())))
                for n in (obj.explanation or {}).get("notes", ())
            ),
        )
        return head + notes


class CurrentOrHistory(admin.SimpleListFilter):
    """Current recommendations by default; superseded ones (the history) when asked."""

    title = _("recommendation")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("current", _("current")), ("superseded", _("superseded")), ("all", _("all"))]

    def choices(self, changelist):
        value = self.value() or "current"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "current"
        if value == "current":
            return queryset.filter(superseded_at__isnull=True)
        if value == "superseded":
            return queryset.filter(superseded_at__isnull=False)
        return queryset


@admin.register(DisciplineRecommendation)
class DisciplineRecommendationAdmin(ReadOnly):
    list_display = (
        "year",
        "employee",
        "employee_type",
        "tk_days",
        "longest_run",
        "minute_days",
        "equivalent_days",
        "rung_name",
        "level",
        "reached_by",
        "superseded_at",
    )
    list_filter = (CurrentOrHistory, "year", "employee_type", "level", "employee__opd")
    search_fields = ("employee__identifier", "employee__name")
    list_select_related = ("employee",)
    exclude = ("evidence", "rung_code")  # the ladder's code: rung_name says it in words
    readonly_fields = (
        "employee",
        "year",
        "employee_type",
        "tk_days",
        "longest_run",
        "late_minutes",
        "early_minutes",
        "minute_days",
        "equivalent_days",
        "rung_name",
        "level",
        "reached_by",
        "dates",
        "computed_through",
        "refreshed_at",
        "superseded_at",
    )

    @admin.display(description=_("dates"))
    def dates(self, obj):
        evidence = obj.evidence or {}
        minutes = ", ".join(
            f"{d} ({late}+{early})" for d, late, early in evidence.get("minutes", ())
        )
        return format_html(
            "<p><b>TK</b>: {}</p><p><b>{}</b>: {}</p><p><b>{}</b>: {}</p>",
            ", ".join(evidence.get("tk_dates", ())) or "-",
            _("longest run"),
            ", ".join(evidence.get("longest_run", ())) or "-",
            _("late + early minutes"),
            minutes or "-",
        )


# Months and rules -----------------------------------------------------------------------------


@admin.register(MonthClosure)
class MonthClosureAdmin(StaffView):
    list_display = ("month", "opd", "closed_by_name", "closed_at")
    list_filter = ("opd",)
    fields = ("month", "opd")

    def has_add_permission(self, request):
        return self._regency_editor(request)

    def has_change_permission(self, request, obj=None):
        return obj is None and self._regency_editor(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting reopens the month: for a superuser only, since a closed month is changed by
        # corrections (recorded, with a reason and an author), not by reopening it.
        return request.user.is_superuser

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ClosingForm(form):
            def clean(self):
                data = super().clean()
                if data.get("month"):
                    data["month"] = data["month"].replace(day=1)
                    _show_errors(self, services.closure_errors(data["month"], data.get("opd")))
                return data

        return ClosingForm

    def save_model(self, request, obj, form, change):
        created = services.close_month(obj.month, obj.opd, by=request.user)
        obj.pk = created.pk


@admin.register(RecomputeRequest)
class RecomputeRequestAdmin(StaffView):
    """The queue of recomputations too large for a web request: what, when, and the result."""

    list_display = (
        "requested_at",
        "reason",
        "first_day",
        "last_day",
        "opd",
        "workplace",
        "schedule",
        "requested_by",
        "started_at",
        "done_at",
    )
    list_filter = ("reason",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ("key", "value")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        key = self.initial.get("key") or (self.instance.key if self.instance.pk else None)
        if "value" in self.fields:
            default = rules.DEFAULTS.get(key) if key else None
            example = json.dumps(default or rules.DEFAULTS["tpp"], indent=1, ensure_ascii=False)
            self.fields["value"].help_text = format_html(
                "{}<pre style='max-height:20em;overflow:auto'>{}</pre>",
                _("The default, to copy and edit:"),
                example,
            )


@admin.register(RuleSet)
class RuleSetAdmin(RegencyEditable):
    form = RuleForm
    list_display = ("key", "updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.updated_by = _actor(request)
        before = services.selectors.current_rules().regency.go_live
        super().save_model(request, obj, form, change)
        if obj.key == RuleKey.REGENCY:
            after = rules.parse(obj.key, obj.value).go_live
            deleted = services.apply_go_live(before, after, by=_actor(request))
            if deleted:
                message = _("%(n)d statuses before the go-live date were removed.")
                self.message_user(request, message % {"n": deleted})
        if obj.key == RuleKey.STATUS_POLICY:
            done = services.recompute_or_queue(
                RecomputeReason.RULES,
                services.open_period_start(),
                services.selectors.today(),
                by=_actor(request),
            )
            self.message_user(request, _recomputed(done))
