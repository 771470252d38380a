"""The device admin speaks the user's language: its actions, their outcome and their refusals."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from hadir.checkin.models import Device as DeviceRow
from hadir.checkin.models import DeviceStatus
from hadir.client import DeviceKey
from tests.checkin.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def pending_device(regency, **changes):
    token = regency.http.login(regency.employee.identifier, PASSWORD)
    regency.http.enrol(token, DeviceKey.generate(), {"model": "Redmi 9A"})
    answer = regency.http.enrol(token, DeviceKey.generate(), {"model": "Samsung A14"})
    assert answer["status"] == "pending"
    DeviceRow.objects.filter(pk=answer["device_id"]).update(**changes)
    return DeviceRow.objects.get(pk=answer["device_id"])


def run_action(client, action, device, language=None):
    admin = get_user_model().objects.create_superuser("bkpsdm-admin", "", "s3cret-pass")
    client.force_login(admin)
    if language:
        client.cookies["django_language"] = language  # chosen at /i18n/setlang/
    changelist = reverse("admin:checkin_device_changelist")
    page = client.get(changelist)
    answer = client.post(
        changelist, {"action": action, "_selected_action": [device.pk]}, follow=True
    )
    return page.content.decode(), [str(m) for m in get_messages(answer.wsgi_request)]


def test_the_actions_and_their_outcome_are_in_indonesian(regency, client):
    device = pending_device(regency)
    page, said = run_action(client, "approve", device)
    assert "Setujui perangkat terpilih yang menunggu persetujuan" in page
    assert "Cabut perangkat terpilih" in page
    assert said == ["1 perangkat diperbarui"]
    assert DeviceRow.objects.get(pk=device.pk).status == DeviceStatus.ACTIVE


def test_a_refused_decision_is_said_in_indonesian(regency, client):
    device = pending_device(regency, enrolled_at=timezone.now() + timedelta(hours=1))
    _, said = run_action(client, "reject", device)
    assert len(said) == 1
    assert "keputusan tidak dapat mendahului pendaftaran perangkat" in said[0]
    assert DeviceRow.objects.get(pk=device.pk).status == DeviceStatus.PENDING


def test_english_when_chosen(regency, client):
    device = pending_device(regency)
    try:
        page, said = run_action(client, "approve", device, language="en")
    finally:
        translation.deactivate()  # the request leaves English active in this thread
    assert "Approve the selected pending devices" in page
    assert said == ["1 device(s) updated"]
