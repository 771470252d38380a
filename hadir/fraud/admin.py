from django.contrib import admin
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hadir.core.admin import ReadOnlyAdmin, RegencyWideReadOnlyAdmin
from hadir.fraud.evidence_text import evidence_text, names_for, reason_label, signal_label
from hadir.fraud.models import AnalysisRun, ChallengeGroup, DayFlag, FlagReview, MonthFlag
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


def evidence_html(items: list[dict]):
    """Each evidence item: the signal's name, its weight, the sentence and the events behind it."""
    names = names_for(items)
    return format_html_join(
        "\n",
        "<p><b>{}</b> ({}) <code>{}</code>: {}<br><small>{}</small></p>",
        (
            (
                signal_label(e["code"]),
                e.get("contribution", ""),
                e["code"],
                evidence_text(e, names),
                event_links(e["events"]),
            )
            for e in items
        ),
    )


def signal_names(codes) -> str:
    return ", ".join(signal_label(code) for code in codes or ())


@admin.register(DayFlag)
class DayFlagAdmin(ReadOnlyScoped):
    list_display = ("day", "employee", "level", "score", "tier", "signals")
    list_filter = ("level", "tier", "day")
    search_fields = ("employee__identifier", "employee__name")
    readonly_fields = (
        "employee",
        "day",
        "score",
        "level",
        "tier",
        "signals",
        "evidence_list",
        "excused_list",
    )
    exclude = ("evidence", "excused", "codes", "run")

    @admin.display(description=_("signals"))
    def signals(self, obj):
        return signal_names(obj.codes)

    @admin.display(description=_("evidence"))
    def evidence_list(self, obj):
        return evidence_html(obj.evidence)

    @admin.display(description=_("excused evidence"))
    def excused_list(self, obj):
        return evidence_html(obj.excused or [])


@admin.register(MonthFlag)
class MonthFlagAdmin(ReadOnlyScoped):
    list_display = ("month", "employee", "level", "score", "review_days", "strong_days")
    list_filter = ("level", "month")
    search_fields = ("employee__identifier", "employee__name")
    readonly_fields = (
        "employee",
        "month",
        "score",
        "level",
        "review_days",
        "strong_days",
        "pattern_list",
        "evidence_list",
    )
    exclude = ("evidence", "patterns", "run")

    @admin.display(description=_("patterns"))
    def pattern_list(self, obj):
        return ", ".join(
            _("%(signal)s on %(days)s days") % {"signal": signal_label(code), "days": days}
            for code, days in (obj.patterns or {}).items()
        )

    @admin.display(description=_("evidence"))
    def evidence_list(self, obj):
        return evidence_html(obj.evidence)


@admin.register(FlagReview)
class FlagReviewAdmin(ReadOnlyScoped):
    list_display = ("at", "employee", "day", "decision", "reviewer", "flag_level")
    list_filter = ("decision",)
    exclude = ("flag_codes",)
    readonly_fields = ("flag_signals",)

    @admin.display(description=_("flag signals"))
    def flag_signals(self, obj):
        return signal_names(obj.flag_codes)


# Steps of a run besides the signals (hadir.domain.signals.runner).
STEP_LABELS = {
    "validate": _("checking the records"),
    "context": _("leave, duty and schedules"),
    "scoring": _("scoring"),
}


def step_label(step: str) -> str:
    label = STEP_LABELS.get(step)
    return str(label) if label is not None else signal_label(step)


@admin.register(AnalysisRun)
class AnalysisRunAdmin(RegencyWideReadOnlyAdmin):
    list_display = ("started_at", "first_day", "last_day", "analysed", "set_aside_text")
    exclude = ("set_aside", "seconds", "signal_errors")
    readonly_fields = ("set_aside_text", "seconds_text", "errors_text")

    @admin.display(description=_("records set aside"))
    def set_aside_text(self, obj):
        return ", ".join(f"{reason_label(k)}: {v}" for k, v in (obj.set_aside or {}).items())

    @admin.display(description=_("seconds per step"))
    def seconds_text(self, obj):
        return ", ".join(
            f"{step_label(k)}: {number_format(v, 2)} s" for k, v in (obj.seconds or {}).items()
        )

    @admin.display(description=_("signal errors"))
    def errors_text(self, obj):
        return format_html_join(
            "\n",
            "<p>{}: <code>{}</code></p>",
            ((step_label(k), v) for k, v in (obj.signal_errors or {}).items()),
        )


@admin.register(ChallengeGroup)
class ChallengeGroupAdmin(RegencyWideReadOnlyAdmin):
    """A suspected set of phones asked at one moment, and what their answers showed."""

    list_display = ("issued_at", "group_id", "size", "answered", "spread_s", "spread_m")
    list_filter = ("day",)
    search_fields = ("group_id",)
    exclude = ("members", "result", "source")
    readonly_fields = ("member_list", "suspected_by", "answer_list", "pairs")

    @admin.display(description=_("members asked / in the set"))
    def size(self, obj):
        asked = (obj.result or {}).get("asked")
        return f"{'–' if asked is None else asked} / {len(obj.members or [])}"

    @admin.display(description=_("answered"))
    def answered(self, obj):
        if obj.result is None:
            return _("not recorded yet")
        return len(obj.result.get("answered") or [])

    @admin.display(description=_("seconds between first and last answer"))
    def spread_s(self, obj):
        value = (obj.result or {}).get("spread_s")
        return "–" if value is None else value

    @admin.display(description=_("metres between the answers' fixes, at most"))
    def spread_m(self, obj):
        value = (obj.result or {}).get("spread_m")
        return "–" if value is None else number_format(value, 1)

    @admin.display(description=_("suspected set"))
    def member_list(self, obj):
        names = names_for([{"values": {"members": obj.members or []}}])
        return ", ".join(names.employees.get(e, str(e)) for e in obj.members or [])

    @admin.display(description=_("suspected by"))
    def suspected_by(self, obj):
        source = obj.source or {}
        if "employee" not in source:
            return "–"
        names = names_for([{"values": {"employee": source["employee"]}}])
        return _("the flag of %(employee)s on %(day)s") % {
            "employee": names.employees.get(source["employee"], source["employee"]),
            "day": source.get("day", "–"),
        }

    @admin.display(description=_("answers"))
    def answer_list(self, obj):
        result = obj.result or {}
        answered = result.get("answered") or []
        missed = list(result.get("missed") or [])
        people = [a["employee"] for a in answered] + missed
        names = names_for([{"values": {"members": people}}])
        rows = format_html_join(
            "\n",
            "<li>{}: {} {} ({} s, {} m, {} dB)</li>",
            (
                (
                    names.employees.get(a["employee"], a["employee"]),
                    event_link(a["event"]),
                    a["at"],
                    a["seconds_after_first"],
                    "–" if a["metres_from_first"] is None else a["metres_from_first"],
                    "–" if a["rssi_db_from_first"] is None else a["rssi_db_from_first"],
                )
                for a in answered
            ),
        )
        missed_text = ", ".join(names.employees.get(e, str(e)) for e in missed) or "–"
        return format_html("<ul>{}</ul><p>{}: {}</p>", rows, _("not answered"), missed_text)

    @admin.display(description=_("pairs of answers together / apart"))
    def pairs(self, obj):
        result = obj.result or {}
        return f"{result.get('pairs_together', '–')} / {result.get('pairs_apart', '–')}"
