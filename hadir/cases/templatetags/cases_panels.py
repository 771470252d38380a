"""Panels other supervisors' pages include: `{% load cases_panels %}{% overdue_cases_panel %}`
shows the open discipline cases past their deadline in the viewer's scope (PP 94/2021 art. 28),
for the Kepala OPD's and BKPSDM's boards."""

from django import template

from hadir.cases.access import viewer_for
from hadir.cases.models import DisciplineCase
from hadir.cases.services import overdue_cases

register = template.Library()


def overdue_for(user, limit: int = 10) -> dict:
    viewer = viewer_for(user)
    if not viewer.supervises:
        return {"shown": False}
    rows = overdue_cases(viewer.cases(DisciplineCase.objects.all())).select_related(
        "employee", "opd"
    )
    return {
        "shown": True,
        "count": rows.count(),
        "cases": list(rows.order_by("due_on")[:limit]),
    }


@register.inclusion_tag("cases/_overdue_panel.html", takes_context=True)
def overdue_cases_panel(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"shown": False}
    return overdue_for(request.user)
