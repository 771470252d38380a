"""Who may read a workplace's office-code secret: only the office screens being provisioned.

The secret leaves the server once per rotation: the first provisioning opens a short window in
which more screens of the same workplace may be set up; after it closes nobody can read the
secret again (not in the admin, not from the provisioning page). Rotating the secret makes a new
one, invalidates the screens provisioned with the old one and opens provisioning again.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from hadir.org.models import Workplace

PROVISIONING_WINDOW = dt.timedelta(minutes=15)


def provisioning_open(workplace: Workplace, now: dt.datetime) -> bool:
    started = workplace.office_secret_provisioned_at
    return started is None or now < started + PROVISIONING_WINDOW


def claim_secret(workplace: Workplace, now: dt.datetime) -> str | None:
    """The secret for a screen being provisioned now, or None when provisioning is closed."""
    open_rows = Workplace.objects.filter(pk=workplace.pk).filter(
        Q(office_secret_provisioned_at__isnull=True)
        | Q(office_secret_provisioned_at__gt=now - PROVISIONING_WINDOW)
    )
    # The first claim starts the window; the conditional UPDATE makes two first claims agree.
    open_rows.filter(office_secret_provisioned_at__isnull=True).update(
        office_secret_provisioned_at=now
    )
    return open_rows.values_list("office_secret", flat=True).first()
