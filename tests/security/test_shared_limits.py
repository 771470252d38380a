"""The check-in rate limits hold for the whole server, not for each of its processes: the real
`hadir serve` with several workers, requests from one address (and one phone's key id) sent over
many connections at once so that every worker takes some, and no more admitted before the 429s
than the configured rate. (Counted per process, as before hadir.core.rate_table, each worker
admitted the whole rate: up to WORKERS times as many.) The login delays, kept in the database,
hold for the whole server as well. On SQLite and PostgreSQL."""

from __future__ import annotations

import http.client
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.security import serverside
from tests.security.databases import engine, scratch_database

WORKERS = 3
ADDRESS_BURST = 20
KEY_BURST = 6
SENT = 90
CONCURRENCY = 12


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("shared-limits")
    with scratch_database(engine(), tmp_path) as database_url:
        env = serverside.prepare(database_url, tmp_path / "var", 1, from_models=True)
        env.update(
            HADIR_EVENTS_RATE_ADDRESS=f"{ADDRESS_BURST}/3600",  # a token back every 3 minutes
            HADIR_EVENTS_RATE_REFUSED="off",
            HADIR_EVENTS_RATE_KEY=f"{KEY_BURST}/3600",
        )
        running = serverside.Server(env, workers=WORKERS, threads=2)
        running.start()
        try:
            yield running
        finally:
            running.stop()


def post(port: int, body: bytes, headers: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:  # a connection of its own: any worker may accept it
        conn.request("POST", "/api/v1/events", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, {"retry-after": response.getheader("Retry-After")}
    finally:
        conn.close()


def send_all(port: int, requests: list[tuple[bytes, dict]]) -> list[tuple[int, dict]]:
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return list(pool.map(lambda request: post(port, *request), requests))


def forwarded(address: str) -> dict:
    # The server's peer is 127.0.0.1, a trusted proxy: the caller is the X-Forwarded-For entry.
    return {"Content-Type": "application/json", "X-Forwarded-For": address}


def test_one_address_gets_the_servers_rate_not_each_workers(server):
    requests = []
    for n in range(SENT):
        body = json.dumps({"event_id": f"stranger-{n}", "kind": "check_in"}).encode()
        headers = {**forwarded("203.0.113.7"), "X-Hadir-Key-Id": f"unknown-{n}"}
        requests.append((body, headers))
    answers = send_all(server.port, requests)
    statuses = Counter(status for status, _ in answers)
    assert statuses == {401: ADDRESS_BURST, 429: SENT - ADDRESS_BURST}, statuses
    waits = [int(headers["retry-after"]) for status, headers in answers if status == 429]
    assert min(waits) >= 1
    assert max(waits) <= 3600 // ADDRESS_BURST  # a token comes back every 180 s


def test_one_phone_gets_the_servers_rate_not_each_workers(server):
    phone = serverside.phones(1)[0]
    events = [serverside.new_event(phone) for _ in range(SENT // 2)]
    # Each from its own address, so only the key id's limit applies.
    requests = [
        (event.body, {**forwarded(f"198.51.100.{n + 1}"), **event.headers})
        for n, event in enumerate(events)
    ]
    answers = send_all(server.port, requests)
    statuses = Counter(status for status, _ in answers)
    admitted = len(events) - statuses[429]
    # Every admitted event was verified and stored (201, or a 4xx for events the concurrent
    # sending put out of order); none of them beyond the phone's rate.
    assert admitted == KEY_BURST, statuses
    assert statuses[500] == 0


def login(port: int, identifier: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = json.dumps({"identifier": identifier, "password": "wrong"})
        conn.request("POST", "/api/v1/auth/login", body=body, headers=forwarded("192.0.2.9"))
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_login_delays_count_for_the_whole_server_too(server):
    # Failed logins are rows in the database (hadir.org.auth), read by every worker: after the
    # account's 5 free failures the next login waits, whichever worker takes it.
    statuses = [login(server.port, "nobody-here") for _ in range(8)]
    assert statuses == [401] * 5 + [429] * 3
