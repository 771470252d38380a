"""From stored evidence to flags a reviewer can check, through `hadir analyze` and `flags`."""

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hadir.checkin.ingest import ingest
from hadir.checkin.models import EvidenceRecord, PresenceChallenge
from hadir.client import DeviceClock, ManualTime
from hadir.fraud.challenges import issue_due_challenges
from hadir.fraud.models import DayFlag, FlagReview
from hadir.org.models import RoleKind
from tests.checkin.conftest import PASSWORD
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 2, 0, 20, tzinfo=UTC)  # 07:20 WIB
OFFICE = (-2.5375, 112.95)
HOME = (-2.5600, 112.9800)
REMOTE = (-1.35, 112.60)


def phone_for(regency, start):
    clock = ManualTime(start)
    device = regency.enrolled_device(now=clock)
    device.clock = DeviceClock(clock, uptime=timedelta(hours=2))
    return device, clock


def week_of_check_ins(device, clock, where, *, mock=False, offline_delay=None, accuracy=12):
    rng = random.Random(7)  # real fixes wander by metres from one reading to the next
    for day in range(5):
        clock.advance(MONDAY + timedelta(days=day, minutes=day) - clock())
        for kind, later in (
            ("check_in", timedelta(0)),
            ("check_out", timedelta(hours=8, minutes=45)),
        ):
            clock.advance(later)
            lat, lon = (c + rng.uniform(-0.00012, 0.00012) for c in where)
            event = device.make_event(
                kind, lat, lon, accuracy, mock=mock, queued_offline=offline_delay is not None
            )
            received = clock() + (offline_delay or timedelta(0))
            ingest(event.body, event.headers, "100.64.1.2", received)


def test_a_fake_gps_user_is_flagged_with_the_events_as_evidence(regency, capsys):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    flags = DayFlag.objects.filter(employee=regency.employee, level__in=["review", "strong"])
    assert flags.count() == 5
    evidence = flags.first().evidence
    assert "mock_location" in {e["code"] for e in evidence}
    stored = {f"#{pk}" for pk in EvidenceRecord.objects.values_list("id", flat=True)}
    assert {ev for e in evidence for ev in e["events"]} <= stored


def test_an_honest_remote_worker_syncing_a_day_late_is_not_flagged(regency):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, REMOTE, offline_delay=timedelta(hours=30), accuracy=60)
    assert EvidenceRecord.objects.filter(outcome="rejected").count() == 0
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    assert not DayFlag.objects.filter(level__in=["review", "strong"]).exists()


def test_analysing_twice_gives_the_same_flags_and_keeps_reviews(regency):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    first = sorted(DayFlag.objects.values_list("day", "score", "level"))
    flag = DayFlag.objects.order_by("day").first()
    FlagReview.objects.create(
        employee=flag.employee,
        day=flag.day,
        decision="confirmed",
        reason="seen at home",
        reviewer="user:x",
        flag_level=flag.level,
        flag_score=flag.score,
        flag_codes=flag.codes,
    )
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    assert sorted(DayFlag.objects.values_list("day", "score", "level")) == first
    assert FlagReview.objects.count() == 1


def test_absurd_records_are_set_aside_and_counted_not_a_crash(regency, capsys):
    for when, lat, lon, accuracy in [
        (datetime(1970, 1, 1, tzinfo=UTC), -2.5, 112.9, 10.0),
        (datetime(2026, 11, 3, 1, tzinfo=UTC), 0.0, 0.0, 10.0),
        (datetime(2026, 11, 3, 2, tzinfo=UTC), -2.5, 112.9, 0.0),
    ]:
        EvidenceRecord.objects.create(
            received_at=datetime(2026, 11, 3, 3, tzinfo=UTC),
            remote_addr="x",
            headers={},
            body=b"{}",
            body_size=2,
            body_hash="0" * 64,
            event_id="x",
            kind="check_in",
            employee=regency.employee,
            outcome="accepted",
            http_status=201,
            reasons=[],
            time_of_record=when,
            lat=lat,
            lon=lon,
            accuracy_m=accuracy,
            mock=False,
            queued_offline=False,
            prev_hash="0" * 64,
            row_hash=f"{when}{lat}{accuracy}",
        )
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    out = capsys.readouterr().out
    assert "3 rekaman rusak disisihkan" in out  # Indonesian by default, like every CLI output
    assert "koordinat 0, 0: 1" in out
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06", "--language", "en")
    assert "set aside 3 bad records" in capsys.readouterr().out


def test_flags_export_one_record_per_flagged_day_as_jsonl_and_csv(regency, tmp_path, capsys):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    capsys.readouterr()
    call_command("flags", "--from", "2026-11-02", "--to", "2026-11-06", "--format", "jsonl")
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 5
    assert {x["nip"] for x in lines} == {regency.employee.identifier}
    assert all(x["level"] in {"review", "strong"} and x["events"] for x in lines)
    out = tmp_path / "flags.csv"
    call_command(
        "flags", "--from", "2026-11-02", "--to", "2026-11-06", "--format", "csv", "--out", str(out)
    )
    rows = out.read_text().splitlines()
    assert rows[0].startswith("NIP,nama,OPD,tanggal,skor,tingkat,sinyal,bukti")
    assert len(rows) == 6


def test_the_export_speaks_indonesian_and_keeps_the_codes_beside_the_text(regency, capsys):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    capsys.readouterr()
    call_command("flags", "--from", "2026-11-02", "--to", "2026-11-02")
    [record] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    mock = next(e for e in record["evidence"] if e["code"] == "mock_location")
    assert mock["signal"] == "tanda lokasi palsu (mock location)"
    assert mock["text"].startswith("2 dari 2 kejadian pada 2026-11-02 membawa tanda lokasi palsu")
    assert "presensi masuk #" in mock["text"]
    assert mock["message"] == "mock_location"
    assert mock["values"]["flagged"] == 2
    assert record["level_label"] in {"perlu ditinjau", "kuat"}
    call_command("flags", "--from", "2026-11-02", "--to", "2026-11-02", "--language", "en")
    [english] = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    mock = next(e for e in english["evidence"] if e["code"] == "mock_location")
    assert mock["text"].startswith("2 of 2 events on 2026-11-02 carried the mock-location flag")
    call_command("flags", "--from", "2026-11-02", "--to", "2026-11-02", "--format", "csv")
    [_header, row] = capsys.readouterr().out.splitlines()
    assert "mock_location" not in row  # codes are in the JSON lines, texts in the CSV
    assert "tanda lokasi palsu" in row
    assert "membawa tanda" in row


@pytest.mark.parametrize(
    ("first", "last"), [("2026-13-01", "2026-11-06"), ("2026-11-06", "2026-11-02")]
)
def test_bad_dates_are_a_clear_error(first, last):
    with pytest.raises(CommandError):
        call_command("analyze", "--from", first, "--to", last)


def test_a_kepala_opd_confirms_a_flag_and_precision_is_reported(regency, client):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=regency.opd)
    make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN)
    token = regency.http.login("kepala", PASSWORD)
    nip = regency.employee.identifier
    listed = regency.http._json(
        "GET", "/api/v1/flags?first=2026-11-02&last=2026-11-06", token=token
    )
    assert len(listed) == 5
    texts = [e["text"] for e in listed[0]["evidence"]]
    assert any("membawa tanda lokasi palsu" in t for t in texts)
    for day, decision in (("2026-11-02", "confirmed"), ("2026-11-03", "dismissed")):
        regency.http._json(
            "POST",
            f"/api/v1/flags/{nip}/{day}/review",
            {"decision": decision, "reason": "checked the CCTV at the gate"},
            token=token,
        )
    stats = regency.http._json(
        "GET", "/api/v1/flags/precision", token=regency.http.login("bkpsdm", PASSWORD)
    )
    level = DayFlag.objects.get(day="2026-11-02").level
    assert stats[level]["confirmed"] + stats[level]["dismissed"] >= 1
    total = sum(s["confirmed"] for s in stats.values())
    assert total == 1


def test_a_review_needs_a_reason_and_a_reviewer_role(regency):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    nip = regency.employee.identifier
    from hadir.client import HadirClientError

    make_user("kepala", role=RoleKind.OPD_HEAD, opd=regency.opd)
    with pytest.raises(HadirClientError) as missing_reason:
        regency.http._json(
            "POST",
            f"/api/v1/flags/{nip}/2026-11-02/review",
            {"decision": "confirmed", "reason": ""},
            token=regency.http.login("kepala", PASSWORD),
        )
    assert missing_reason.value.status == 422
    with pytest.raises(HadirClientError) as not_reviewer:
        regency.http._json(
            "POST",
            f"/api/v1/flags/{nip}/2026-11-02/review",
            {"decision": "dismissed", "reason": "it was me, honestly"},
            token=regency.http.login(nip, PASSWORD),
        )
    assert not_reviewer.value.status == 403
    assert not FlagReview.objects.exists()


def test_challenges_are_issued_once_to_checked_in_employees(regency, settings):
    device, _clock = phone_for(regency, MONDAY - timedelta(hours=1))
    event = device.make_event("check_in", *OFFICE, 12.0)
    ingest(event.body, event.headers, "100.64.1.2", MONDAY)
    from hadir.domain.challenges import ChallengePolicy

    policy = ChallengePolicy(base_rate=1.0)
    end_of_day = MONDAY + timedelta(hours=8, minutes=20)  # 15:40 WIB, still working hours
    assert issue_due_challenges(end_of_day, policy) == 1
    assert issue_due_challenges(end_of_day, policy) == 0
    challenge = PresenceChallenge.objects.get()
    assert MONDAY + timedelta(hours=1) <= challenge.issued_at <= end_of_day
    assert challenge.deadline - challenge.issued_at == timedelta(minutes=10)


def test_a_check_in_synced_late_never_meets_an_already_expired_challenge(regency):
    from hadir.domain.challenges import ChallengePolicy

    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    clock.advance(hours=1)
    event = device.make_event("check_in", *OFFICE, 12.0, queued_offline=True)
    synced = MONDAY + timedelta(hours=5)  # made at 07:20, uploaded at 12:20
    assert ingest(event.body, event.headers, "100.64.1.2", synced).status == 201
    latest_planned = MONDAY + timedelta(hours=8, minutes=10)  # 15:30 WIB, end minus 30 min
    assert issue_due_challenges(latest_planned, ChallengePolicy(base_rate=1.0)) == 1
    challenge = PresenceChallenge.objects.get()
    assert challenge.issued_at >= synced
    assert challenge.deadline - challenge.issued_at == timedelta(minutes=10)


def test_a_reviewer_opens_a_flag_and_its_events_link_to_the_evidence(regency, client):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, HOME, mock=True)
    call_command("analyze", "--from", "2026-11-02", "--to", "2026-11-06")
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=regency.opd)
    client.login(username="kepala", password=PASSWORD)
    flag = DayFlag.objects.order_by("day").first()
    page = client.get(f"/admin/fraud/dayflag/{flag.pk}/change/").content.decode()
    record = EvidenceRecord.objects.order_by("id").first()
    assert f'href="/admin/checkin/evidencerecord/{record.pk}/change/"' in page
    assert "mock_location" in page  # the code, beside its name and its sentence
    assert "tanda lokasi palsu (mock location)" in page
    assert "membawa tanda lokasi palsu" in page
    listing = client.get("/admin/fraud/dayflag/").content.decode()
    assert "Berdasarkan tanggal" in listing
    assert "Berdasarkan tingkat jaringan" in listing
    assert "Berdasarkan day" not in listing
    assert "Berdasarkan tier" not in listing
    assert "Deteksi kecurangan" in client.get("/admin/").content.decode()


def test_the_wifi_scan_of_the_signed_body_reaches_the_signals(regency):
    from hadir.fraud.analysis import load_input

    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    clock.advance(MONDAY - clock())
    scan = [("aa:bb:cc:00:11:22", -48), ("aa:bb:cc:00:11:23", -80)]
    event = device.make_event("check_in", *OFFICE, 12, wifi=scan)
    ingest(event.body, event.headers, "100.64.1.2", clock())
    clock.advance(timedelta(hours=8))
    event = device.make_event("check_out", *OFFICE, 12)
    ingest(event.body, event.headers, "100.64.1.2", clock())
    inp = load_input(MONDAY.date(), MONDAY.date())
    by_kind = {o.kind: o for o in inp.observations}
    assert by_kind["check_in"].wifi == tuple(scan)
    assert by_kind["check_out"].wifi == ()


def test_the_loader_reads_what_the_orm_reads(regency):
    """The batch reads the evidence with plain SQL (codes picked out of the reasons by the
    database, times parsed from text): every observation must say what the stored record says."""
    from hadir.fraud.analysis import load_input

    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    clock.advance(MONDAY - clock())
    for kind, place in (("check_in", OFFICE), ("check_out", (-2.60, 112.90))):
        event = device.make_event(kind, *place, 35)
        ingest(event.body, event.headers, "100.64.1.2", clock())
        clock.advance(timedelta(hours=8, microseconds=123457))
    observations = {o.event_id: o for o in load_input(MONDAY.date(), MONDAY.date()).observations}
    records = EvidenceRecord.objects.filter(employee__isnull=False).exclude(kind="")
    assert len(observations) == records.count() >= 2
    for record in records:
        seen = observations[f"#{record.pk}"]
        assert seen.reason_codes == {r["code"] for r in record.reasons}
        assert seen.reason_codes  # every stored event carries its reasons
        assert seen.received_at == record.received_at
        assert seen.received_at.utcoffset() == timedelta(0)
        assert seen.time_of_record == (record.time_of_record or record.received_at)
        assert seen.fix_time == record.fix_time
        assert seen.device_time == record.device_time
        assert (seen.lat, seen.lon, seen.kind) == (record.lat, record.lon, record.kind)


@pytest.mark.parametrize(
    ("body", "scan"),
    [
        (
            b'{"kind":"check_in","wifi":[{"bssid":"AA:BB:CC:00:11:22","rssi":-48}]}',
            (("aa:bb:cc:00:11:22", -48),),
        ),
        (
            b'{"wifi":[{"rssi":-48,"bssid":"aa:bb:cc:00:11:22"}],"kind":"check_in"}',
            (("aa:bb:cc:00:11:22", -48),),
        ),
        (b'{"kind":"check_in","wifi":[]}', ()),
        (b'{"kind":"check_in","wifi":null}', ()),
        (b'{"kind":"check_in"}', ()),
        (b'{"wifi":[{"bssid":"aa:bb:cc:00:11:22"}]}', ()),  # unreadable: no scan, no crash
        (b'not json at all "wifi" "bssid"', ()),
        (None, ()),
    ],
)
def test_reading_the_wifi_scan_never_fails_on_a_bad_body(body, scan):
    from hadir.fraud.analysis import wifi_scan

    assert wifi_scan(body) == scan


@pytest.mark.parametrize(
    ("codes", "level", "at_risk"),
    [
        (["checkout_far_away"], "below_review", True),
        (["challenge_missed"], "below_review", True),
        (["weak_accuracy", "office_code_missing"], "below_review", False),
        (["mock_location"], "strong", True),
    ],
)
def test_a_sign_of_leaving_after_check_in_makes_an_employee_at_risk(regency, codes, level, at_risk):
    from hadir.domain.challenges import ChallengePolicy
    from hadir.fraud.challenges import at_risk_employees

    DayFlag.objects.create(
        employee=regency.employee,
        day=MONDAY.date() - timedelta(days=3),
        score=0.35,
        level=level,
        tier="good",
        codes=codes,
        evidence=[],
    )
    assert (regency.employee.pk in at_risk_employees(MONDAY.date())) is at_risk
    device, _clock = phone_for(regency, MONDAY - timedelta(hours=1))
    event = device.make_event("check_in", *OFFICE, 12.0)
    ingest(event.body, event.headers, "100.64.1.2", MONDAY)
    policy = ChallengePolicy(base_rate=0.0, at_risk_rate=1.0)
    assert issue_due_challenges(MONDAY + timedelta(hours=8, minutes=20), policy) == int(at_risk)
