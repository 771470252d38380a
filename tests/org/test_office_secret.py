"""The office-code secret leaves the server once per rotation, to the screens being provisioned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hadir.org.models import AuditEntry, RoleKind, Workplace
from hadir.org.office_secret import PROVISIONING_WINDOW
from tests.factories import make_opd, make_user, make_workplace

pytestmark = pytest.mark.django_db
URL = "/office/DISDIK-KANTOR/provision/"


@pytest.fixture
def admin_client(client):
    opd = make_opd()
    make_workplace(opd, "DISDIK-KANTOR")
    make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=opd)
    client.login(username="admin_disdik", password="rahasia-kuat-123")
    return client


def secret() -> str:
    return Workplace.objects.get(code="DISDIK-KANTOR").office_secret


def test_opening_the_link_asks_first_and_shows_no_secret(admin_client):
    page = admin_client.get(URL)

    assert page.status_code == 200
    assert secret() not in page.content.decode()
    assert "Siapkan layar ini" in page.content.decode()
    assert Workplace.objects.get().office_secret_provisioned_at is None


def test_provisioning_hands_out_the_secret_and_closes_after_the_window(admin_client):
    first = admin_client.post(URL)
    second = admin_client.post(URL)  # a second screen, within the window
    assert secret() in first.content.decode()
    assert secret() in second.content.decode()
    assert AuditEntry.objects.filter(action="provision").count() == 2

    started = timezone.now() - PROVISIONING_WINDOW - dt.timedelta(seconds=1)
    Workplace.objects.update(office_secret_provisioned_at=started)
    late = admin_client.post(URL)
    look = admin_client.get(URL)

    assert late.status_code == 409
    assert secret() not in late.content.decode()
    assert secret() not in look.content.decode()
    assert "tidak dapat ditampilkan lagi" in look.content.decode()


def test_the_secret_is_in_no_admin_page(admin_client):
    workplace = Workplace.objects.get()
    pages = [
        admin_client.get("/admin/org/workplace/"),
        admin_client.get(f"/admin/org/workplace/{workplace.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert secret() not in page.content.decode()


def test_rotating_asks_for_confirmation_then_reopens_provisioning(admin_client):
    workplace = Workplace.objects.get()
    old = secret()
    Workplace.objects.update(office_secret_provisioned_at=timezone.now() - dt.timedelta(days=9))
    form = {"action": "rotate_office_secret", "_selected_action": [workplace.pk]}

    confirm = admin_client.post("/admin/org/workplace/", form)
    assert confirm.status_code == 200
    assert "disiapkan ulang" in confirm.content.decode() or "Siapkan ulang" in (
        confirm.content.decode()
    )
    assert secret() == old

    done = admin_client.post("/admin/org/workplace/", {**form, "post": "yes"}, follow=True)

    assert done.status_code == 200
    assert secret() != old
    assert Workplace.objects.get().office_secret_provisioned_at is None
    assert secret() in admin_client.post(URL).content.decode()


def test_the_office_screen_command_prints_the_provisioning_url(capsys):
    make_workplace(make_opd(), "DISDIK-KANTOR")

    call_command("office_screen", "DISDIK-KANTOR")

    out = capsys.readouterr().out
    assert "/office/DISDIK-KANTOR/provision/" in out.splitlines()[0]
    with pytest.raises(CommandError, match="NOPE"):
        call_command("office_screen", "NOPE")


def test_every_command_that_hadir_help_lists_exists():
    from django.core.management import get_commands

    from hadir.cli import COMMANDS

    missing = [name for name in COMMANDS if name.replace("-", "_") not in get_commands()]
    assert not missing
    assert "office-screen" in COMMANDS
