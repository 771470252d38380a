"""The navigation's figures: how many leave requests wait for the user's decision."""

from __future__ import annotations

from django import template

from hadir.supervise.leave import pending_count

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_leave_count(context) -> int:
    """One COUNT query per page (none for a visitor who is not logged in)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_pending_leave_count"):
        request._pending_leave_count = pending_count(user)
    return request._pending_leave_count
