from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hadir.core.admin import ReadOnlyAdmin, RegencyWideReadOnlyAdmin, titled
from hadir.fraud.models import AnalysisRun, DayFlag, FlagReview, MonthFlag
from hadir.org.scope import scope_for


class ReadOnlyScoped(ReadOnlyAdmin):
    """Flags are for reviewers of an OPD (or the whole regency), not for atasan langsung."""

    def get_queryset(self, request):
        return scope_for(request.user).filter_by_opd(super().get_queryset(request), "employee__opd")

    def has_module_permission(self, request):
        scope = scope_for(request.user)
        return request.user.is_staff and (scope.regency_wide or bool(scope.opd_ids))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


def event_link(name: str):
    """An evidence record (#123) links to the record; a challenge id stays plain text."""
    if name.startswith("#") and name[1:].isdigit():
        url = reverse("admin:checkin_evidencerecord_change", args=[name[1:]])
        return format_html('<a href="{}">{}</a>', url, name)
    return name


def event_links(names: list[str]):
    return format_html_join(" ", "{}", ((event_link(name),) for name in names))


@admin.register(DayFlag)
class DayFlagAdmin(ReadOnlyScoped):
    list_display = ("day", "employee", "level", "score", "tier", "codes")
    list_filter = (
        ("level", titled(_("level"))),
        ("tier", titled(_("connectivity tier"))),
        ("day", titled(_("day"))),
    )
    search_fields = ("employee__identifier", "employee__name")
    readonly_fields = ("employee", "day", "score", "level", "tier", "codes", "evidence_list")
    exclude = ("evidence", "run")

    @admin.display(description=_("evidence"))
    def evidence_list(self, obj):
        return format_html_join(
            "\n",
            "<p><b>{}</b> ({}): {}<br><small>{}</small></p>",
            (
                (e["code"], e["contribution"], e["summary"], event_links(e["events"]))
                for e in obj.evidence
            ),
        )


@admin.register(MonthFlag)
class MonthFlagAdmin(ReadOnlyScoped):
    list_display = ("month", "employee", "level", "score", "review_days", "strong_days")
    list_filter = (("level", titled(_("level"))), ("month", titled(_("month"))))
    search_fields = ("employee__identifier", "employee__name")


@admin.register(FlagReview)
class FlagReviewAdmin(ReadOnlyScoped):
    list_display = ("at", "employee", "day", "decision", "reviewer", "flag_level")
    list_filter = (("decision", titled(_("decision"))),)


@admin.register(AnalysisRun)
class AnalysisRunAdmin(RegencyWideReadOnlyAdmin):
    list_display = ("started_at", "first_day", "last_day", "analysed", "set_aside")
