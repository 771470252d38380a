"""The health endpoint answers 200 only when the database accepts a write; while it does not
(locked beyond a second, down, read-only) the server answers 503 with Retry-After, and it
serves again by itself when the database does."""

import subprocess
import sys
import textwrap

import pytest
from django.db import OperationalError, connection, connections

from hadir.core import health
from hadir.core.models import HealthProbe

pytestmark = pytest.mark.django_db


def test_it_answers_200_after_writing_the_probe(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert HealthProbe.objects.filter(pk=1).exists()


def test_it_answers_503_with_retry_after_when_the_write_fails(client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(health.HealthProbe.objects, "update_or_create", refuse)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
    assert response.json()["message"]


def test_any_request_meeting_a_database_failure_gets_503_not_500(client, monkeypatch):
    from hadir.org import api as org_api

    def down(*_args, **_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(org_api, "login_wait_s", down)
    response = client.post(
        "/api/v1/auth/login",
        {"identifier": "pegawai", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_long_lock_gives_503_and_its_release_200(client):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: test_on_sqlite_a_held_write_lock_gives_503_then_200")
    client.get("/api/v1/health")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("LOCK TABLE core_healthprobe IN ACCESS EXCLUSIVE MODE")
            locked = client.get("/api/v1/health")
        other.rollback()
    finally:
        other.close()
    assert locked.status_code == 503
    assert locked["Retry-After"] == "5"
    assert client.get("/api/v1/health").status_code == 200


SQLITE_SCRIPT = textwrap.dedent(
    """
    import os, sqlite3, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    call_command("migrate", verbosity=0)
    from django.conf import settings
    web = Client()
    answers = [web.get("/api/v1/health").status_code]
    holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing for a long time
    locked = web.get("/api/v1/health")
    answers += [locked.status_code, locked["Retry-After"]]
    login = web.post("/api/v1/auth/login", {"identifier": "x", "password": "y"},
                     content_type="application/json")
    answers.append(login.status_code)  # the attempt cannot be recorded: 503, not 401
    holder.execute("ROLLBACK")
    answers.append(web.get("/api/v1/health").status_code)
    print(answers)
    """
)


def test_on_sqlite_a_held_write_lock_gives_503_then_200_without_a_restart(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "hadir.settings",
        "HADIR_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hadir.sqlite3'}",
        "HADIR_SECRET_KEY": "x" * 60,
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[200, 503, '5', 503, 200]"
