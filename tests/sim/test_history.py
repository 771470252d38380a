"""A few simulated days of a 100-employee demo regency, through the real check-in pipeline."""

import json
from collections import Counter
from datetime import date

import pytest
from django.db import transaction

from hadir.checkin.models import Device, EvidenceRecord, PresenceChallenge
from hadir.sim.behaviours import (
    CATALOGUE,
    FAKE_GPS_NAIVE,
    HONEST_PHONE_CHANGE,
    HONEST_REMOTE,
    HONEST_SHARED_LINE,
    HONEST_TOWN,
    PASSWORD_SHARING,
    REPLAY,
)
from hadir.sim.demo import build_demo
from hadir.sim.history import build_history

SEED = 2026

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(seed=SEED, employees=100, password="demo-pass-4321")
        sim, counts = build_history(SEED, 2025, 10, days=6)
        yield sim, counts
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def evidence(history, django_db_blocker):
    """(request, evidence record) for every request that left a record, by event id."""
    sim, _ = history
    with django_db_blocker.unblock():
        records = {
            (r.employee.identifier, r.event_id): r
            for r in EvidenceRecord.objects.select_related("employee")
        }
    pairs = []
    for request in sim.requests:
        body = json.loads(request.body)
        record = records.get((request.meta.employee, body["event_id"]))
        if record is not None:
            pairs.append((request, body, record))
    return pairs


def _codes(record) -> set[str]:
    return {r["code"] for r in record.reasons}


def _warnings(record) -> set[str]:
    return {r["code"] for r in record.reasons if r["severity"] != "info"}


def test_it_ingests_every_request(history, evidence):
    sim, counts = history
    assert counts["requests"] == len(sim.requests) == len(evidence)
    assert counts["repeated"] == 0


def test_honest_town_events_are_accepted_mostly_without_warnings(history, evidence):
    sim, _ = history
    outcomes = Counter(
        record.outcome
        for request, _, record in evidence
        if sim.labels[request.meta.employee] in (HONEST_TOWN, HONEST_SHARED_LINE)
    )
    total = sum(outcomes.values())
    assert total > 400  # the honest look-alikes (DL, carpools, bad GPS...) take their share
    assert outcomes["rejected"] == 0
    assert outcomes["accepted"] / total > 0.9


def test_fake_gps_naive_events_carry_mock_location(evidence):
    naive = [record for request, _, record in evidence if request.meta.practice == FAKE_GPS_NAIVE]
    assert naive
    assert all("mock_location" in _codes(record) and record.mock for record in naive)


def test_replayed_bodies_are_rejected_as_replays(evidence):
    replays = [record for request, _, record in evidence if request.meta.practice == REPLAY]
    assert replays
    for record in replays:
        assert record.outcome == "rejected"
        assert record.http_status == 409
        assert "sequence_replay" in _codes(record)


def test_a_shared_password_leaves_rejected_events_of_a_pending_device(evidence):
    shared = [
        record for request, _, record in evidence if request.meta.practice == PASSWORD_SHARING
    ]
    assert shared
    for record in shared:
        assert record.outcome == "rejected"
        assert "device_pending" in _codes(record)
        assert record.device.status == "pending"


def test_honest_remote_offline_events_are_accepted_without_offline_late(history, evidence):
    sim, _ = history
    offline = [
        record
        for request, body, record in evidence
        if sim.labels[request.meta.employee] == HONEST_REMOTE and body["queued_offline"]
    ]
    assert len(offline) > 50
    for record in offline:
        assert record.outcome != "rejected"
        assert not _codes(record) & {
            "offline_late",
            "offline_too_late",
            "device_clock_skew",
            "clock_tampering",
        }
        assert record.derived_time is not None


def test_challenges_answered_by_honest_employees_are_linked(history, evidence):
    sim, counts = history
    answers = [
        (body, record)
        for request, body, record in evidence
        if request.meta.kind == "presence_check"
        and CATALOGUE[sim.labels[request.meta.employee]].honest
    ]
    assert answers
    linked = dict(
        PresenceChallenge.objects.filter(answered_by__isnull=False).values_list(
            "challenge_id", "answered_by_id"
        )
    )
    for body, record in answers:
        assert "challenge_answered" in _codes(record)
        assert linked[body["challenge_id"]] == record.pk
    assert counts["challenges"] == PresenceChallenge.objects.count() == len(sim.challenges)


def test_a_changed_phone_is_approved_and_the_old_one_revoked(history):
    sim, _ = history
    for employee in (e for e, label in sim.labels.items() if label == HONEST_PHONE_CHANGE):
        statuses = sorted(
            Device.objects.filter(employee__identifier=employee).values_list("status", flat=True)
        )
        assert statuses in (["active"], ["active", "revoked"])
    assert Device.objects.filter(status="active").count() == 100


@pytest.mark.parametrize(
    ("practice", "expected"),
    [
        ("clock_tamper", {"device_clock_skew", "offline_time_unverifiable"}),
        ("backdated_offline", {"offline_late"}),
    ],
)
def test_a_check_in_made_to_look_on_time_carries_its_evidence(evidence, practice, expected):
    check_ins = [
        record
        for request, _, record in evidence
        if request.meta.practice == practice and request.meta.kind == "check_in"
    ]
    assert check_ins
    assert all(_warnings(record) & expected for record in check_ins)


def test_the_months_dinas_luar_are_recorded_as_approved_leave_with_their_destination(history):
    from types import SimpleNamespace

    from hadir.attendance.models import LeaveRequest
    from hadir.org.models import Employee
    from hadir.sim.history import _record_duties

    employee = Employee.objects.order_by("pk").first()
    day = date(2025, 10, 6)
    sim = SimpleNamespace(
        duties=(
            (employee.identifier, day, -2.2, 113.9, 1000.0),
            (employee.identifier, day.replace(day=7), None, None, None),
        )
    )
    _record_duties(sim, {employee.identifier: employee.pk})
    pinned, named = LeaveRequest.objects.filter(employee=employee, kind="DL").order_by("first_day")
    assert (pinned.status, pinned.first_day) == ("approved", day)
    assert (pinned.destination_lat, pinned.destination_radius_m) == (-2.2, 1000)
    assert named.destination_lat is None
