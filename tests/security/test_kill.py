"""SIGKILL of the production server under concurrent signed check-ins loses no acknowledged
event, stores none twice, and leaves the chain intact: on SQLite and on PostgreSQL.

Each phone sends its events one after another (as the app does) from its own thread; an event
without an answer is sent again, byte for byte, until it has one (the app's queue). Midway the
whole server (gunicorn master and workers) gets SIGKILL and is started again.
"""

from __future__ import annotations

import http.client
import sqlite3
import threading
import time
from collections import Counter

from tests.security import serverside
from tests.security.databases import engine, scratch_database

PHONES = 16
EVENTS_PER_PHONE = 12


def count_stored(database_url: str) -> Counter:
    """(device key id, event id) -> rows, read straight from the database."""
    sql = (
        "SELECT d.key_id, r.event_id FROM checkin_evidencerecord r "
        "JOIN checkin_device d ON d.id = r.device_id"
    )
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            rows = db.execute(sql).fetchall()
    else:
        import psycopg

        with psycopg.connect(database_url) as db:
            rows = db.execute(sql).fetchall()
    return Counter(rows)


class Load:
    def __init__(self, phones):
        self.phones = phones
        self.port = None
        self.sent = 0  # requests, retries included
        self.acknowledged: list[tuple[str, str]] = []
        self.refused: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run_phone(self, phone) -> None:
        for n in range(EVENTS_PER_PHONE):
            event = serverside.new_event(phone, "check_in" if n % 2 == 0 else "check_out")
            while not self.stop.is_set():
                try:
                    with self.lock:
                        self.sent += 1
                    status, answer = serverside.send(self.port, event)
                except (OSError, http.client.HTTPException):
                    time.sleep(0.05)  # the server is down: the app retries the same bytes
                    continue
                if 200 <= status < 300:
                    with self.lock:
                        self.acknowledged.append((phone.key.key_id, answer["event_id"]))
                else:
                    with self.lock:
                        self.refused.append((status, answer))
                break


def test_sigkill_under_load_loses_and_duplicates_nothing(tmp_path):
    with scratch_database(engine(), tmp_path) as database_url:
        env = serverside.prepare(database_url, tmp_path / "var", PHONES)
        server = serverside.Server(env)
        server.start()
        load = Load(serverside.phones(PHONES))
        load.port = server.port
        threads = [threading.Thread(target=load.run_phone, args=(p,)) for p in load.phones]
        for thread in threads:
            thread.start()
        try:
            while len(load.acknowledged) < PHONES * EVENTS_PER_PHONE // 3:
                time.sleep(0.01)
            server.kill()
            killed_at = len(load.acknowledged)
            server = serverside.Server(env)
            server.start()
            load.port = server.port
            for thread in threads:
                thread.join(timeout=120)
        finally:
            load.stop.set()
            server.stop()
        stored = count_stored(database_url)
        verify = serverside.hadir(env, "verify-chain")
        print(
            f"\n{engine()}: {PHONES * EVENTS_PER_PHONE} events in {load.sent} requests, "
            f"acknowledged {len(load.acknowledged)} ({killed_at} before the kill), "
            f"stored {sum(stored.values())}"
        )
        assert not load.refused
        assert len(load.acknowledged) == PHONES * EVENTS_PER_PHONE
        assert all(stored[key] == 1 for key in load.acknowledged)
        assert max(stored.values()) == 1
        assert set(stored) == set(load.acknowledged)
        assert verify.returncode == 0, verify.stderr
