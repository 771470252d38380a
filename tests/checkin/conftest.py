from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from hadir.client import Device, DeviceClock, DeviceKey, HadirClient
from hadir.org.models import RoleKind
from tests.factories import SAMPIT, make_employee, make_opd, make_user, make_workplace

PASSWORD = "rahasia-kuat-123"


def django_transport(client):
    def transport(method, url, headers, body):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = {
            f"HTTP_{k.upper().replace('-', '_')}": v
            for k, v in headers.items()
            if k.lower() != "content-type"
        }
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic(
                method,
                path,
                data=body or b"",
                content_type=headers.get("Content-Type", "application/json"),
                **extra,
            )
        return response.status_code, response.content

    return transport


class Regency:
    """A DISDIK office in Sampit (good network) and a remote school (poor network)."""

    def __init__(self, client):
        self.opd = make_opd()
        self.office = make_workplace(
            self.opd,
            "DISDIK-KANTOR",
            known_bssids=["aa:bb:cc:00:00:01"],
            public_networks=["203.0.113.0/28"],
        )
        self.remote = make_workplace(self.opd, "SDN-HULU", lat=-1.35, lon=112.60, tier="poor")
        boss_user = make_user("196901011990031001", role=RoleKind.SUPERVISOR, staff=False)
        self.boss = make_employee(
            self.opd,
            [self.office],
            identifier="196901011990031001",
            name="Pak Atasan",
            user=boss_user,
        )
        self.user = make_user("198503152010011002", staff=False)
        self.employee = make_employee(
            self.opd,
            [self.office, self.remote],
            identifier="198503152010011002",
            name="Budi",
            supervisor=self.boss,
            user=self.user,
        )
        self.http = HadirClient("http://testserver", transport=django_transport(client))

    def enrolled_device(self, algorithm="p256", now=None) -> Device:
        token = self.http.login(self.employee.identifier, PASSWORD)
        key = DeviceKey.generate(algorithm)
        answer = self.http.enrol(token, key, {"model": "Redmi 9A", "os": "Android 11"})
        assert answer["status"] == "active"
        clock = DeviceClock(now or timezone.now, uptime=timedelta(hours=3))
        return Device(key, self.employee.identifier, clock)


@pytest.fixture
def regency(db, client):
    return Regency(client)


@pytest.fixture
def device(regency):
    return regency.enrolled_device()


def at_office(device: Device, kind: str = "check_in", **kwargs):
    return device.make_event(kind, SAMPIT[0], SAMPIT[1], 12.0, **kwargs)
