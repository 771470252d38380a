"""A real server for the crash and outage tests: its own database and var directory, devices
whose keys both sides derive from seeds, `hadir serve` started in its own process group (so
the test can SIGKILL the whole server: master and workers), and signed check-ins sent over
HTTP from many threads.

    python tests/security/serverside.py setup COUNT [--from-models]
                                          (DATABASE_URL, HADIR_VAR_DIR set)
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HADIR = str(Path(sys.executable).with_name("hadir"))
OFFICE = (-2.5375, 112.95)


def seed(n: int) -> bytes:
    return n.to_bytes(32, "big")


def phones(count: int):
    from hadir.client import Device, DeviceClock, DeviceKey

    return [
        Device(DeviceKey.ed25519_from_seed(seed(n + 1)), f"KILL-{n:05d}", DeviceClock())
        for n in range(count)
    ]


def setup(count: int, from_models: bool = False) -> None:
    """Migrates the database named in DATABASE_URL and adds `count` employees with phones.

    from_models: the tables are created from the models at once instead (the schema the
    migrations end with; `makemigrations --check` says so), without the data migrations: about
    0.4 s of CPU instead of 6, for a test that builds its database in an empty cluster."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from hadir.checkin.models import Device as DeviceRow
    from hadir.domain.geo import Geofence
    from hadir.org.models import Employee, Opd, Workplace

    if from_models:
        from django.apps import apps
        from django.conf import settings

        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", verbosity=0, run_syncdb=from_models)
    with transaction.atomic():
        opd = Opd.objects.create(code="KILL", name="Dinas Uji", kind="dinas")
        office = Workplace.objects.create(
            code="KILL-1",
            opd=opd,
            name="Kantor uji",
            geofence=Geofence.circle(*OFFICE, 100).to_dict(),
            connectivity_tier="good",
        )
        for phone in phones(count):
            employee = Employee.objects.create(
                identifier=phone.employee,
                employee_type="NON_ASN",
                name=phone.employee,
                opd=opd,
                active_from=timezone.localdate() - timedelta(days=30),
            )
            employee.workplaces.add(office)
            DeviceRow.objects.create(
                employee=employee,
                key_id=phone.key.key_id,
                algorithm="ed25519",
                public_key=phone.key.spki_b64,
                status="active",
            )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, var_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HADIR_VAR_DIR": str(var_dir),
        "HADIR_EVENTS_RATE_ADDRESS": "off",  # one load generator stands in for many phones
        "HADIR_LOG_LEVEL": "CRITICAL",
        "PYTHONPATH": str(ROOT),
    }


def prepare(database_url: str, var_dir: Path, count: int, from_models: bool = False) -> dict:
    env = server_env(database_url, var_dir)
    options = ["--from-models"] if from_models else []
    subprocess.run(
        [sys.executable, __file__, "setup", str(count), *options], env=env, check=True, timeout=300
    )
    return env


class Server:
    def __init__(self, env: dict, workers: int = 2, threads: int = 4):
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        options = ["--port", str(self.port), "--workers", str(self.workers)]
        self.process = subprocess.Popen(
            [HADIR, "serve", *options, "--threads", str(self.threads)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killed whole
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/api/v1/time")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown code runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def send(port: int, event, timeout: float = 10) -> tuple[int, dict]:
    """POST one signed event; raises OSError (or http.client errors) when the server is gone."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json", **event.headers}
        conn.request("POST", "/api/v1/events", body=event.body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def new_event(phone, kind: str = "check_in"):
    return phone.make_event(kind, *OFFICE, 10.0, event_id=uuid.uuid4().hex)


def hadir(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [HADIR, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        setup(int(sys.argv[2]), from_models="--from-models" in sys.argv[3:])
