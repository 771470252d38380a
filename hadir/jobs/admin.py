"""The schedule (editable by superadmins and BKPSDM) and the run log (read-only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from hadir.core.admin import RegencyWideReadOnlyAdmin
from hadir.domain.job_schedule import Daily, Every
from hadir.jobs.models import Job, JobRun, RunStatus
from hadir.jobs.services import reschedule, run_soon
from hadir.org.models import Role, RoleKind

SCHEDULE_FIELDS = ("kind", "every_seconds", "at_time", "day_of_month")


def may_edit_jobs(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    kinds = [RoleKind.SUPERADMIN, RoleKind.BKPSDM_ADMIN]
    return Role.objects.filter(user=user, kind__in=kinds).exists()


def describe_schedule(job: Job) -> str:
    rule = job.rule()
    if isinstance(rule, Every):
        if rule.seconds % 3600 == 0:
            return gettext("every %(n)d hours") % {"n": rule.seconds // 3600}
        if rule.seconds % 60 == 0:
            return gettext("every %(n)d minutes") % {"n": rule.seconds // 60}
        return gettext("every %(n)d seconds") % {"n": rule.seconds}
    at = rule.at.strftime("%H:%M")
    if isinstance(rule, Daily):
        return gettext("daily at %(at)s") % {"at": at}
    return gettext("monthly on day %(day)d at %(at)s") % {"day": rule.day, "at": at}


def local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "-"


class RecentRuns(admin.TabularInline):
    model = JobRun
    verbose_name_plural = _("recent runs")
    fields = ("started_at", "attempt", "status", "seconds", "outcome", "worker")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        recent = JobRun.objects.order_by("-started_at").values_list("pk", flat=True)
        job_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        ids = list(recent.filter(job_id=job_id)[:20]) if job_id else []
        return super().get_queryset(request).filter(pk__in=ids)

    def has_view_permission(self, request, obj=None):
        return True  # shown inside the job's page, whose own permission decides

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return obj.rendered_error() or obj.rendered_summary()


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "title_display",
        "enabled",
        "schedule_display",
        "next_run_display",
        "last_run_at",
        "last_status_display",
        "running_display",
    )
    list_filter = ("enabled", "kind")
    actions = ["run_now"]
    inlines = [RecentRuns]
    readonly_fields = (
        "name_display",
        "title_display",
        "description_display",
        "defaults_display",
        "next_run_at",
        "running_display",
        "failures",
        "last_run_at",
        "last_success_at",
        "reported_at",
    )
    fieldsets = (
        (None, {"fields": ("title_display", "description_display", "name_display", "enabled")}),
        (_("Schedule"), {"fields": (*SCHEDULE_FIELDS, "max_attempts", "retry_seconds")}),
        (_("Options"), {"fields": ("options", "defaults_display")}),
        (
            _("State"),
            {
                "fields": (
                    "next_run_at",
                    "running_display",
                    "failures",
                    "last_run_at",
                    "last_success_at",
                    "reported_at",
                )
            },
        ),
    )

    def has_module_permission(self, request):
        return request.user.is_staff and self._regency_wide(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return may_edit_jobs(request.user)

    def has_add_permission(self, request):
        return False  # jobs come from the code (the registry); their rows are created for them

    def has_delete_permission(self, request, obj=None):
        return False

    @staticmethod
    def _regency_wide(user) -> bool:
        from hadir.org.scope import scope_for

        return scope_for(user).regency_wide

    def save_model(self, request, obj, form, change):
        if any(name in form.changed_data for name in SCHEDULE_FIELDS):
            reschedule(obj)
        if "enabled" in form.changed_data and obj.enabled:
            reschedule(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Run the selected jobs now"), permissions=["change"])
    def run_now(self, request, queryset):
        count = run_soon(queryset.filter(enabled=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d job will run at the worker's next look.",
                "%(count)d jobs will run at the worker's next look.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("job"), ordering="name")
    def title_display(self, obj):
        return obj.title

    @admin.display(description=_("what it does"))
    def description_display(self, obj):
        spec = obj.spec
        return spec.description if spec else gettext("This job is not in this version of Hadir.")

    # The job's identifier and its option names are what an operator types (hadir worker, the
    # options field), so they are shown as code, not as words.
    @admin.display(description=_("identifier"))
    def name_display(self, obj):
        return format_html("<code>{}</code>", obj.name)

    @admin.display(description=_("default options"))
    def defaults_display(self, obj):
        spec = obj.spec
        if not spec or not spec.options:
            return "-"
        return format_html_join(", ", "<code>{} = {}</code>", spec.options.items())

    @admin.display(description=_("schedule"))
    def schedule_display(self, obj):
        return describe_schedule(obj)

    @admin.display(description=_("next run"), ordering="next_run_at")
    def next_run_display(self, obj):
        return local(obj.next_run_at) if obj.enabled else gettext("disabled")

    @admin.display(description=_("last result"))
    def last_status_display(self, obj):
        return RunStatus(obj.last_status).label if obj.last_status else "-"

    @admin.display(description=_("running in"))
    def running_display(self, obj):
        if obj.lease_until and obj.lease_until > timezone.now():
            return obj.claimed_by
        return "-"


@admin.register(JobRun)
class JobRunAdmin(RegencyWideReadOnlyAdmin):
    list_display = (
        "started_at",
        "job_title",
        "attempt",
        "status_display",
        "seconds",
        "outcome",
        "worker",
    )
    list_filter = ("status", "job", "started_at")
    list_select_related = ("job",)
    fields = (
        "job",
        "scheduled_for",
        "attempt",
        "worker",
        "started_at",
        "finished_at",
        "seconds",
        "status",
        "outcome",
        "retry_at",
        "reported",
        "traceback_display",
    )
    readonly_fields = fields

    @admin.display(description=_("job"), ordering="job__name")
    def job_title(self, obj):
        return obj.job.title

    @admin.display(description=_("result"), ordering="status")
    def status_display(self, obj):
        colour = {RunStatus.FAILED: "#ba2121", RunStatus.INTERRUPTED: "#b36b00"}.get(obj.status)
        label = obj.get_status_display()
        return format_html('<b style="color:{}">{}</b>', colour, label) if colour else label

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return obj.rendered_error() or obj.rendered_summary()

    @admin.display(description=_("traceback"))
    def traceback_display(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "-"
