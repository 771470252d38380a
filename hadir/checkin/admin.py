"""Admin for devices (approve, reject, revoke; full history) and the evidence store (read-only)."""

import json

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hadir.checkin import devices as device_service
from hadir.checkin.models import (
    Device,
    DeviceStatus,
    EvidenceRecord,
    PresenceChallenge,
    RefusedSample,
    RefusedTally,
)
from hadir.core.admin import EmployeeScopedReadOnlyAdmin, RegencyWideReadOnlyAdmin
from hadir.org.models import AuditEntry


@admin.register(Device)
class DeviceAdmin(EmployeeScopedReadOnlyAdmin):
    list_display = (
        "employee",
        "status",
        "algorithm",
        "model_name",
        "enrolled_at",
        "decided_by",
        "revoked_at",
    )
    list_filter = ("status", "algorithm")
    search_fields = ("employee__identifier", "employee__name", "key_id")
    readonly_fields = fields = [
        "phone" if f.name == "description" else f.name
        for f in Device._meta.fields
        if f.name != "id"
    ]
    actions = ["approve", "reject", "revoke"]

    @admin.display(description=_("phone"))
    def model_name(self, obj):
        return (obj.description or {}).get("model", "")

    @admin.display(description=_("description"))
    def phone(self, obj):
        """What the phone says about itself, as sent (data from the app, shown as data)."""
        return technical(obj.description)

    def _decide(self, request, queryset, verb):
        done = 0
        for device in queryset.select_related("employee__supervisor"):
            if not device_service.can_decide(request.user, device):
                self.message_user(
                    request, _("Not allowed for %(d)s") % {"d": device}, messages.ERROR
                )
                continue
            try:
                by = f"user:{request.user.get_username()}"
                if verb == "approve":
                    device_service.approve_device(device, by, timezone.now())
                elif verb == "reject":
                    reason = gettext("rejected in the administration")
                    device_service.reject_device(device, by, reason, timezone.now())
                else:
                    reason = gettext("revoked in the administration")
                    device_service.revoke_device(device, by, reason, timezone.now())
                done += 1
            except device_service.DeviceError as exc:
                self.message_user(request, f"{device}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, gettext("%(n)d device(s) updated") % {"n": done})

    @admin.action(description=_("Approve the selected pending devices"))
    def approve(self, request, queryset):
        self._decide(request, queryset.filter(status=DeviceStatus.PENDING), "approve")

    @admin.action(description=_("Reject the selected pending devices"))
    def reject(self, request, queryset):
        self._decide(request, queryset.filter(status=DeviceStatus.PENDING), "reject")

    @admin.action(description=_("Revoke the selected devices"))
    def revoke(self, request, queryset):
        self._decide(request, queryset.exclude(status=DeviceStatus.REVOKED), "revoke")


SEVERITY_LABELS = {
    "hard": _("refused"),
    "soft": _("warning"),
    "info": _("information"),
}


def technical(value) -> str:
    """Data kept as evidence (JSON sent by the phone, HTTP headers), shown as it is."""
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    return format_html("<pre>{}</pre>", text)


def log_location_access(request, what: str, object_pk: str = "") -> None:
    """Location is personal data (UU 27/2022): every look at it is recorded."""
    AuditEntry.objects.create(
        actor=f"user:{request.user.get_username()}",
        action="view",
        model="checkin.EvidenceRecord",
        object_pk=object_pk,
        object_repr=what[:300],
        before=None,
        after={"path": request.get_full_path()[:500]},
    )


EVIDENCE_SHOWN_AS = {"body": "signed_body", "headers": "request_headers", "reasons": "reason_list"}


@admin.register(EvidenceRecord)
class EvidenceAdmin(EmployeeScopedReadOnlyAdmin):
    list_display = (
        "id",
        "received_at",
        "employee",
        "kind",
        "outcome",
        "http_status",
        "workplace",
        "geofence_distance_m",
        "queued_offline",
    )
    list_filter = ("outcome", "kind", "queued_offline", "source")
    search_fields = ("employee__identifier", "event_id")
    date_hierarchy = "received_at"
    readonly_fields = fields = [
        EVIDENCE_SHOWN_AS.get(f.name, f.name) for f in EvidenceRecord._meta.fields if f.name != "id"
    ]

    @admin.display(description=_("signed body"))
    def signed_body(self, obj):
        try:
            return technical(json.loads(bytes(obj.body)))
        except ValueError:
            return technical(bytes(obj.body).decode("utf-8", "replace"))

    @admin.display(description=_("request headers"))
    def request_headers(self, obj):
        return technical(obj.headers)

    @admin.display(description=_("reasons"))
    def reason_list(self, obj):
        return format_html_join(
            "\n",
            "<p><b>{}</b>: {}</p>",
            (
                (SEVERITY_LABELS.get(r.get("severity"), r.get("severity")), r.get("message", ""))
                for r in obj.reasons or []
            ),
        )

    def changelist_view(self, request, extra_context=None):
        log_location_access(request, "evidence list")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        log_location_access(request, f"evidence record {object_id}", str(object_id))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PresenceChallenge)
class ChallengeAdmin(EmployeeScopedReadOnlyAdmin):
    list_display = ("challenge_id", "employee", "issued_at", "deadline", "reason", "answered_by")
    readonly_fields = fields = [f.name for f in PresenceChallenge._meta.fields if f.name != "id"]


@admin.register(RefusedTally)
class RefusedTallyAdmin(RegencyWideReadOnlyAdmin):
    """Who keeps sending unauthenticated check-ins (kept apart from the evidence)."""

    list_display = ("key_id", "remote_addr", "reason", "count", "first_at", "last_at")
    list_filter = ("reason",)
    search_fields = ("key_id", "remote_addr")
    readonly_fields = fields = [f.name for f in RefusedTally._meta.fields if f.name != "id"]


@admin.register(RefusedSample)
class RefusedSampleAdmin(RegencyWideReadOnlyAdmin):
    list_display = ("received_at", "key_id", "remote_addr", "reason", "body_size")
    list_filter = ("reason",)
    readonly_fields = fields = [
        "received_at",
        "key_id",
        "remote_addr",
        "reason",
        "body_size",
        "request_headers",
        "sent_body",
    ]

    @admin.display(description=_("request headers"))
    def request_headers(self, obj):
        return technical(obj.headers)

    @admin.display(description=_("body (truncated)"))
    def sent_body(self, obj):
        return technical(bytes(obj.body).decode("utf-8", "replace"))
