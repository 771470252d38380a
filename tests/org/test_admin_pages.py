"""The admin is in Bahasa Indonesia by default and every registered page opens."""

import pytest
from django.contrib import admin
from django.urls import reverse

from hadir.org.models import RoleKind
from tests.factories import make_employee, make_opd, make_user, make_workplace

pytestmark = pytest.mark.django_db


def test_the_admin_index_speaks_indonesian_and_links_the_tools(client):
    make_user("root", role=RoleKind.SUPERADMIN, superuser=True)
    client.login(username="root", password="rahasia-kuat-123")
    page = client.get("/admin/").content.decode()
    assert "Administrasi" in page or "administrasi" in page
    assert reverse("import_master") in page


def test_every_admin_changelist_opens_for_the_superadmin(client):
    opd = make_opd()
    make_employee(opd, [make_workplace(opd)])
    make_user("root", role=RoleKind.SUPERADMIN, superuser=True)
    client.login(username="root", password="rahasia-kuat-123")
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
