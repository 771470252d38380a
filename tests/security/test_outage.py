"""A database outage: while the database cannot take a write the server answers no check-in
with a 2xx, and when it can again the same server (never restarted) stores check-ins again.

SQLite: another process holds the write lock longer than the server's busy timeout (a long
backup, a stuck admin shell). PostgreSQL: the database refuses connections and the server's
are cut (what a restart of PostgreSQL does), then it accepts them again.
"""

from __future__ import annotations

import contextlib
import http.client
import sqlite3
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from tests.security import serverside
from tests.security.databases import engine, scratch_database
from tests.security.test_kill import count_stored

RECOVERY_WAIT_S = 60  # a bound on waiting for the server, not a speed requirement


@contextlib.contextmanager
def outage(database_url: str):
    if database_url.startswith("sqlite"):
        db = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            db.execute("ROLLBACK")
            db.close()
        return
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        try:
            yield
        finally:
            db.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def attempt(port: int, event) -> int:
    try:
        return serverside.send(port, event, timeout=30)[0]
    except (OSError, http.client.HTTPException):
        return 0


def test_the_server_serves_again_after_a_database_outage_without_a_restart(tmp_path):
    with scratch_database(engine(), tmp_path) as database_url:
        env = serverside.prepare(database_url, tmp_path / "var", 4)
        phones = serverside.phones(4)
        server = serverside.Server(env, workers=1, threads=4)
        server.start()
        answered: list[tuple[str, str, int]] = []

        def send(phone, kind="check_in") -> int:
            event = serverside.new_event(phone, kind)
            status = attempt(server.port, event)
            answered.append((phone.key.key_id, event.data["event_id"], status))
            return status

        try:
            assert send(phones[0]) == 201
            during = []
            with outage(database_url):
                senders = [
                    threading.Thread(target=lambda p=p: during.append(send(p))) for p in phones
                ]
                for thread in senders:
                    thread.start()
                for thread in senders:
                    thread.join(timeout=60)
                time.sleep(1)
            assert during
            assert not [s for s in during if 200 <= s < 300]
            assert all(s == 503 for s in during), during
            deadline, after = time.monotonic() + RECOVERY_WAIT_S, None
            while time.monotonic() < deadline:
                after = send(phones[1], "check_out")
                if after == 201:
                    break
                time.sleep(0.5)
            assert after == 201
            assert [send(p, "check_out") for p in (phones[0], phones[2], phones[3])] == [201] * 3
        finally:
            server.stop()
        stored = count_stored(database_url)
        acknowledged = {(key, event) for key, event, status in answered if 200 <= status < 300}
        assert set(stored) == acknowledged
        assert serverside.hadir(env, "verify-chain").returncode == 0
