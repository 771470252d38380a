# ruff: noqa: F811 - the check-in fixtures, imported
"""A chain that proves what was read: every column a decision reads is covered, every broken row
is named, and signed checkpoints outside the database catch a re-hashed history."""

import base64
import hashlib
import io
import json
import re
import zlib
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation

from hadir.attendance.recap import MonthRecap
from hadir.attendance.recap_pdf import write_recap_pdf
from hadir.checkin import chain, checkpoints
from hadir.checkin.models import ChainCheckpoint, ChainHead, EvidenceRecord
from hadir.jobs.registry import JobContext, discover, get
from tests.checkin.conftest import at_office, device, regency  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_files(settings, tmp_path):
    settings.CHAIN_CHECKPOINT_KEY_FILE = str(tmp_path / "checkpoint_key.pem")
    settings.CHAIN_CHECKPOINT_LOG = str(tmp_path / "checkpoints.jsonl")
    checkpoints.private_key.cache_clear()
    yield tmp_path
    checkpoints.private_key.cache_clear()


def send(regency, device, count=3):
    for n in range(count):
        status, _ = regency.http.send(at_office(device, "check_in" if n % 2 == 0 else "check_out"))
        assert status == 201


def verify(*args) -> str:
    call_command("verify_chain", *args)
    return ""


def broken(*args) -> str:
    with pytest.raises(CommandError) as error:
        call_command("verify_chain", *args)
    return str(error.value)


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_new_rows_hash_every_column_a_decision_reads(regency, device, capsys):
    send(regency, device)
    assert set(EvidenceRecord.objects.values_list("hash_version", flat=True)) == {2}
    call_command("verify_chain")
    assert "rantai utuh: 3 baris" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("lat", -2.0),
        ("lon", 113.5),
        ("mock", True),
        ("office_code_valid", True),
        ("geofence_distance_m", 0.0),
        ("workplace_network", True),
        ("seq", 99),
        ("queued_offline", True),
        ("monotonic_ms", 1),
    ],
)
def test_an_edit_of_a_column_the_fraud_batch_reads_is_caught(regency, device, column, value):
    send(regency, device)
    row = EvidenceRecord.objects.order_by("id")[1]
    sql(f"UPDATE checkin_evidencerecord SET {column} = %s WHERE id = %s", [value, row.pk])
    assert f"baris bukti {row.pk} " in broken()


def test_every_broken_row_is_reported_not_only_the_first(regency, device, capsys):
    send(regency, device, 4)
    ids = list(EvidenceRecord.objects.order_by("id").values_list("id", flat=True))
    sql("UPDATE checkin_evidencerecord SET lat = 0 WHERE id = %s", [ids[0]])
    sql("UPDATE checkin_evidencerecord SET outcome = 'rejected' WHERE id = %s", [ids[2]])
    message = broken()
    assert "rantai rusak: 2 masalah dalam 4 baris; " in message
    printed = capsys.readouterr().err
    assert f"baris bukti {ids[0]} " in printed
    assert f"baris bukti {ids[2]} " in printed
    assert f"baris bukti {ids[1]} " not in printed


def make_legacy(rows=None):
    """Turns the chain into what version 1 wrote (before this change), hashes and head."""
    prev = chain.GENESIS
    for row in EvidenceRecord.objects.order_by("id").values(*chain.VERIFIED_FIELDS):
        row.update(hash_version=1, location_digest="", prev_hash=prev)
        digest = chain.row_hash(prev, row)
        sql(
            "UPDATE checkin_evidencerecord SET hash_version = 1, location_digest = '', "
            "prev_hash = %s, row_hash = %s WHERE id = %s",
            [prev, digest, row["id"]],
        )
        prev = digest
    ChainHead.objects.filter(name="evidence").update(last_hash=prev)


def test_rows_written_before_stay_verifiable(regency, device, capsys):
    send(regency, device)
    make_legacy()
    call_command("verify_chain")
    assert "rantai utuh: 3 baris" in capsys.readouterr().out


@pytest.mark.parametrize(("column", "value"), [("lat", -2.0), ("mock", True), ("seq", 7)])
def test_an_old_rows_unhashed_column_is_checked_against_its_signed_body(
    regency, device, column, value
):
    send(regency, device)
    make_legacy()
    row = EvidenceRecord.objects.order_by("id")[1]
    sql(f"UPDATE checkin_evidencerecord SET {column} = %s WHERE id = %s", [value, row.pk])
    assert f"{column} berbeda dari body yang ditandatangani (diubah)" in broken()


def test_an_old_rows_office_code_flag_is_checked_against_its_reasons(regency, device):
    send(regency, device)
    make_legacy()
    row = EvidenceRecord.objects.order_by("id")[0]
    flipped = not row.office_code_valid if row.office_code_valid is not None else True
    sql(
        "UPDATE checkin_evidencerecord SET office_code_valid = %s WHERE id = %s",
        [flipped, row.pk],
    )
    assert "office_code_valid berbeda dari body" in broken()


def test_a_new_row_downgraded_to_the_old_hash_is_caught(regency, device):
    send(regency, device)
    last = EvidenceRecord.objects.order_by("id").last()
    sql("UPDATE checkin_evidencerecord SET hash_version = 1 WHERE id = %s", [last.pk])
    assert f"baris bukti {last.pk} " in broken()


def rehash_everything():
    """What an attacker with write access does after an edit: recompute every hash and the
    head with the project's own function."""
    prev = chain.GENESIS
    for row in EvidenceRecord.objects.order_by("id").values(*chain.VERIFIED_FIELDS):
        row["prev_hash"] = prev
        row["location_digest"] = chain.location_digest(row)
        digest = chain.row_hash(prev, row)
        sql(
            "UPDATE checkin_evidencerecord SET prev_hash = %s, row_hash = %s, "
            "location_digest = %s WHERE id = %s",
            [prev, digest, row["location_digest"], row["id"]],
        )
        prev = digest
    ChainHead.objects.filter(name="evidence").update(last_hash=prev)


def test_checkpoints_prove_nobody_rehashed_history(regency, device, checkpoint_files, capsys):
    send(regency, device, 2)
    assert checkpoints.write_checkpoint(timezone.now()) is not None
    send(regency, device, 1)
    assert checkpoints.write_checkpoint(timezone.now()) is not None
    log = str(checkpoint_files / "checkpoints.jsonl")
    call_command("verify_chain", "--checkpoints", log)
    assert "rantai utuh: 3 baris, 2 checkpoint sesuai" in capsys.readouterr().out

    first = EvidenceRecord.objects.order_by("id").first()
    sql("UPDATE checkin_evidencerecord SET lat = 0, lon = 0 WHERE id = %s", [first.pk])
    rehash_everything()
    call_command("verify_chain")  # the chain alone is fooled
    message = broken("--checkpoints", log)
    assert "rantai rusak: 2 masalah dalam 3 baris; " in message
    assert "(riwayat di-hash ulang)" in message


def test_a_checkpoint_signed_with_another_key_is_refused(regency, device, checkpoint_files):
    send(regency, device, 1)
    checkpoints.write_checkpoint(timezone.now())
    log = checkpoint_files / "checkpoints.jsonl"
    entry = json.loads(log.read_text())
    other = ed25519.Ed25519PrivateKey.generate()
    forged = dict(entry, signature="")
    forged["signature"] = base64.b64encode(other.sign(checkpoints._signed_part(forged))).decode()
    log.write_text(json.dumps(forged) + "\n")
    assert "tanda tangan tidak sah untuk kunci ini" in broken("--checkpoints", str(log))


def test_checkpoints_are_checked_with_a_public_key_given_apart(regency, device, checkpoint_files):
    send(regency, device, 1)
    checkpoints.write_checkpoint(timezone.now())
    public = checkpoint_files / "public.pem"
    public.write_text(checkpoints.public_key_pem(checkpoints.private_key().public_key()))
    stranger = checkpoint_files / "stranger.pem"
    stranger.write_bytes(
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    log = str(checkpoint_files / "checkpoints.jsonl")
    call_command("verify_chain", "--checkpoints", log, "--public-key", str(public))
    stranger_said = broken("--checkpoints", log, "--public-key", str(stranger))
    assert "checkpoint pada baris 1: tanda tangan tidak sah untuk kunci ini" in stranger_said


def test_a_checkpoint_beyond_the_chain_means_rows_were_removed(regency, device, checkpoint_files):
    send(regency, device, 2)
    checkpoints.write_checkpoint(timezone.now())
    last = EvidenceRecord.objects.order_by("id").last()
    sql("DELETE FROM checkin_evidencerecord WHERE id = %s", [last.pk])
    ChainHead.objects.filter(name="evidence").update(
        length=1, last_hash=EvidenceRecord.objects.get().row_hash
    )
    message = broken("--checkpoints", str(checkpoint_files / "checkpoints.jsonl"))
    assert "ditandatangani pada 2 baris, rantai berisi 1" in message


def test_the_job_signs_only_when_the_chain_grew(regency, device, checkpoint_files):
    discover()
    spec = get("checkpoint_chain")
    now = timezone.now()
    context = JobContext(
        now=now,
        tz=timezone.get_default_timezone(),
        scheduled_for=now,
        last_success=None,
        options={},
    )
    send(regency, device, 1)
    assert spec.func(context).values == {"length": 1}
    assert spec.func(context).message == "nothing new to sign"
    assert ChainCheckpoint.objects.count() == 1
    assert len((checkpoint_files / "checkpoints.jsonl").read_text().splitlines()) == 1


def test_the_recap_line_names_the_months_last_checkpoint(regency, device):
    today = timezone.localdate()
    with translation.override("en"):
        assert "none signed yet" in checkpoints.month_checkpoint_text(today)
    send(regency, device, 1)
    made = checkpoints.write_checkpoint(timezone.now())
    text = checkpoints.month_checkpoint_text(today)
    assert made.head in text
    assert "1" in text
    assert checkpoints.month_checkpoint(today - timedelta(days=40)) is None
    assert checkpoints.month_checkpoint(date(2100, 1, 31)) == made


def pdf_text(data: bytes) -> str:
    """The text drawn in a ReportLab PDF (its page streams, decoded), enough to search."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        for decode in (
            lambda s: zlib.decompress(base64.a85decode(s.strip(), adobe=True)),
            zlib.decompress,
            lambda s: s,
        ):
            try:
                chunks.append(decode(stream).decode("latin-1"))
                break
            except Exception:  # try the next encoding
                continue
    return "".join(chunks)


def test_the_monthly_recap_pdf_prints_the_months_checkpoint(regency, device):
    send(regency, device, 1)
    made = checkpoints.write_checkpoint(timezone.now())
    today = timezone.localdate()
    recap = MonthRecap(today.replace(day=1), today)
    buffer = io.BytesIO()
    write_recap_pdf(recap, buffer)
    assert made.head[:40] in pdf_text(buffer.getvalue()).replace(") Tj", "")


def test_a_made_up_body_is_caught_by_its_signature_even_when_everything_is_rehashed(
    regency, device
):
    send(regency, device, 2)
    first = EvidenceRecord.objects.order_by("id").first()
    data = json.loads(bytes(first.body))
    data["location"]["lat"] = -2.0
    body = json.dumps(data).encode()
    sql(
        "UPDATE checkin_evidencerecord SET body = %s, body_hash = %s, lat = -2.0 WHERE id = %s",
        [body, hashlib.sha256(body).hexdigest(), first.pk],
    )
    rehash_everything()
    message = broken()
    assert "rantai rusak: 1 masalah dalam 2 baris; " in message
    assert f"baris bukti {first.pk} " in message
    assert "body tidak ditandatangani dengan kunci perangkatnya (baris dibuat-buat?)" in message
