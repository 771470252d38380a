"""Signed checkpoints of the evidence chain's head, anchored outside the database.

The hash chain alone shows edits only to someone who cannot re-hash: with write access to the
database, an attacker can change a row and recompute every later hash and the head. A
checkpoint is the chain's length and head hash at a moment, signed with an Ed25519 key that
lives in a file (CHAIN_CHECKPOINT_KEY_FILE, by default <var>/checkpoint_key.pem; keep a copy
of its public key somewhere else) and appended to a log file (CHAIN_CHECKPOINT_LOG) besides
the database table. `hadir verify-chain --checkpoints FILE` checks each signature and that the
chain still has that hash at that length: a re-hashed history no longer does. The monthly
recap prints the month's last checkpoint, so the paper copy anchors the chain too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.checkin.chain import ProblemText
from hadir.checkin.models import ChainCheckpoint, ChainHead, EvidenceRecord

FORMAT = "hadir-checkpoint-1"


# The key -------------------------------------------------------------------------------------


@cache
def private_key() -> ed25519.Ed25519PrivateKey:
    path = Path(settings.CHAIN_CHECKPOINT_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # two processes keep one key
        partial.write_bytes(pem)
        partial.chmod(0o600)
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_pem(key: ed25519.Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_key(path: str) -> ed25519.Ed25519PublicKey:
    """A PEM file with the public key, or the private key itself."""
    data = Path(path).read_bytes()
    if b"PRIVATE KEY" in data:
        return serialization.load_pem_private_key(data, password=None).public_key()
    return serialization.load_pem_public_key(data)


def key_id(key: ed25519.Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# Making checkpoints ---------------------------------------------------------------------------


def _signed_part(entry: dict) -> bytes:
    content = {k: v for k, v in entry.items() if k != "signature"}
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def make_entry(length: int, head: str, last_id: int | None, at: datetime) -> dict:
    key = private_key()
    entry = {
        "format": FORMAT,
        "chain": "evidence",
        "length": length,
        "head": head,
        "last_id": last_id,
        "at": at.isoformat(),
        "key_id": key_id(key.public_key()),
    }
    entry["signature"] = base64.b64encode(key.sign(_signed_part(entry))).decode()
    return entry


def write_checkpoint(now: datetime) -> ChainCheckpoint | None:
    """Signs the chain head as it is now (None if nothing was added since the last one), into
    the table and the log file."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(name="evidence").first()
        if head is None or head.length == 0:
            return None
        last = ChainCheckpoint.objects.order_by("-length").first()
        if last is not None and last.length == head.length:
            return None
        newest = EvidenceRecord.objects.order_by("-id").values("id", "row_hash").first()
        last_id = newest["id"] if newest and newest["row_hash"] == head.last_hash else None
        entry = make_entry(head.length, head.last_hash, last_id, now)
    _append(entry)
    return ChainCheckpoint.objects.create(
        at=now,
        length=entry["length"],
        head=entry["head"],
        last_id=last_id,
        key_id=entry["key_id"],
        signature=entry["signature"],
    )


def _append(entry: dict) -> None:
    path = Path(settings.CHAIN_CHECKPOINT_LOG)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, sort_keys=True) + "\n")
        log.flush()
        os.fsync(log.fileno())


def entry_of(checkpoint: ChainCheckpoint) -> dict:
    return {
        "format": FORMAT,
        "chain": "evidence",
        "length": checkpoint.length,
        "head": checkpoint.head,
        "last_id": checkpoint.last_id,
        "at": checkpoint.at.isoformat(),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


# Checking them -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointProblem:
    line: int
    text: str  # a hadir.checkin.chain.ProblemText


def read_entries(path: str) -> list[tuple[int, dict | None]]:
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        entries.append((number, entry if isinstance(entry, dict) else None))
    return entries


def signature_ok(entry: dict, key: ed25519.Ed25519PublicKey) -> bool:
    try:
        key.verify(base64.b64decode(entry["signature"], validate=True), _signed_part(entry))
    except (InvalidSignature, KeyError, ValueError, TypeError):
        return False
    return True


def check_entries(entries, key, hashes_at: dict, rows: int) -> list[CheckpointProblem]:
    """Each entry signed by `key`, and the chain (`hashes_at`: position -> row hash, `rows`
    long) still holding that head at that length."""
    problems = []
    for number, entry in entries:
        if entry is None or entry.get("format") != FORMAT:
            problems.append(CheckpointProblem(number, ProblemText("not_a_checkpoint")))
            continue
        if not signature_ok(entry, key):
            problems.append(CheckpointProblem(number, ProblemText("checkpoint_signature")))
            continue
        length = entry.get("length")
        if not isinstance(length, int) or length < 1:
            problems.append(CheckpointProblem(number, ProblemText("checkpoint_length")))
        elif length > rows:
            said = ProblemText("checkpoint_beyond", length=length, rows=rows)
            problems.append(CheckpointProblem(number, said))
        elif hashes_at.get(length) != entry.get("head"):
            head = str(entry.get("head"))[:12]
            said = ProblemText("checkpoint_rehashed", length=length, head=head)
            problems.append(CheckpointProblem(number, said))
    return problems


def wanted_positions(entries) -> frozenset[int]:
    return frozenset(
        e["length"] for _, e in entries if isinstance(e, dict) and isinstance(e.get("length"), int)
    )


# For the monthly recap -------------------------------------------------------------------------


def month_checkpoint(last_day) -> ChainCheckpoint | None:
    """The last checkpoint signed before the end of the month whose last day is `last_day`
    (in the regency's time)."""
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    return ChainCheckpoint.objects.filter(at__lt=end).order_by("-at", "-length").first()


def month_checkpoint_text(last_day) -> str:
    """One line for the recap's paper copy: the month's final checkpoint of the evidence."""
    checkpoint = month_checkpoint(last_day)
    if checkpoint is None:
        return _("Evidence chain checkpoint: none signed yet for this month.")
    at = timezone.localtime(checkpoint.at)
    return _(
        "Evidence chain checkpoint %(at)s: %(length)s records, head %(head)s, signed by key %(key)s"
    ) % {
        "at": at.strftime("%Y-%m-%d %H:%M"),
        "length": checkpoint.length,
        "head": checkpoint.head,
        "key": checkpoint.key_id,
    }
