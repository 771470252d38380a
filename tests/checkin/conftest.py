import contextlib
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signals
from django.db import close_old_connections
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


@contextlib.contextmanager
def _connections_kept():
    # As Django's test client does: closing "old" connections would end the test transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call_wsgi(method: str, path: str, body: bytes, headers: dict, remote_addr="127.0.0.1"):
    """One request through the server's own WSGI application (hadir.wsgi.application)."""
    from hadir.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote_addr,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    answer = {}

    def start_response(status, response_headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

    with _connections_kept():
        content = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], content


def server_transport(client):
    """Signed events through the WSGI fast path the server uses; everything else through
    Django's test client."""
    django = django_transport(client)

    def transport(method, url, headers, body):
        path = urlsplit(url).path
        if method == "POST" and path == "/api/v1/events":
            status, _, content = call_wsgi(method, path, body or b"", headers)
            return status, content
        return django(method, url, headers, body)

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
        self.http = HadirClient("http://testserver", transport=server_transport(client))

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
