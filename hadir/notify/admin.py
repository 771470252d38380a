from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hadir.core.admin import RegencyWideReadOnlyAdmin
from hadir.notify.messages import render
from hadir.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(RegencyWideReadOnlyAdmin):
    """The outbox, for an administrator checking that notifications go out."""

    list_display = ("created_at", "recipient", "text", "sent_at", "read_at", "attempts")
    list_filter = ("topic", ("sent_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("recipient__username", "topic")
    list_select_related = ("recipient",)
    fields = (
        "recipient",
        "topic",
        "text",
        "link",
        "created_at",
        "sent_at",
        "read_at",
        "attempts",
        "next_attempt_at",
        "delivered_via",
        "last_error",
        "failed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("text"))
    def text(self, obj):
        return render(obj, language=self._language()).body

    @staticmethod
    def _language():
        from django.utils import translation

        return translation.get_language()
