import getpass
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hadir.checkin import replay
from hadir.checkin.ingest import ingest

REQUIRED = ("received_at", "remote_addr", "headers", "body")


def parse_line(line: str, number: int) -> tuple[datetime, str, dict, bytes]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(item, dict):
        raise ValueError(f"line {number}: must be a JSON object")
    missing = [k for k in REQUIRED if k not in item]
    if missing:
        raise ValueError(f"line {number}: missing {', '.join(missing)}")
    try:
        received_at = datetime.fromisoformat(item["received_at"])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"line {number}: received_at is not an ISO 8601 time") from exc
    if received_at.tzinfo is None:
        raise ValueError(f"line {number}: received_at needs a UTC offset")
    if not isinstance(item["headers"], dict) or not isinstance(item["body"], str):
        raise ValueError(f"line {number}: headers must be an object and body a string")
    return received_at, str(item["remote_addr"]), item["headers"], item["body"].encode()


def verdict_of(number: int, result) -> dict:
    """One replayed line's verdict, as `--verdicts` writes it."""
    payload = result.payload
    return {
        "line": number,
        "event_id": payload.get("event_id"),
        "outcome": payload.get("outcome"),
        "reasons": [
            r.get("code") if isinstance(r, dict) else r for r in payload.get("reasons") or ()
        ],
        "record_id": result.record_id,
        "status": result.status,
        "repeated": result.repeated,
    }


def _write_verdict(out, verdict: dict) -> None:
    if out is not None:
        out.write(json.dumps(verdict, ensure_ascii=False) + "\n")


def _operator() -> str:
    """Who runs the replay, for the audit entries of the decisions it makes."""
    try:
        return f"cli:replay:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in this environment
        return "cli:replay"


def _decision_lines(stream) -> tuple[dict[int, replay.Decision], list[str]]:
    """Pass one: the archive's decision lines by number, and every reason to refuse them."""
    decisions, problems = {}, []
    for number, line in enumerate(stream, start=1):
        if '"type"' not in line:  # an event line (its body's own keys are escaped)
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue  # reported as unreadable by pass two
        if not replay.is_decision(item):
            continue
        try:
            decisions[number] = replay.parse_decision(item, number)
        except replay.DecisionRefused as exc:
            problems.append(str(exc))
    return decisions, problems


class Command(BaseCommand):
    help = (
        "Run archived check-in requests (JSONL: received_at, remote_addr, headers, body) "
        "through the verification pipeline with received_at as the server time, and the "
        "archived device and leave decisions at their archived time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file, or - for standard input")
        parser.add_argument(
            "--verdicts",
            metavar="FILE",
            help="write each line's verdict as JSON lines (line, event_id, outcome, reasons, "
            "record_id, status, repeated); see docs/api.md",
        )

    def handle(self, *args, file, verdicts=None, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        with stream:
            if file == "-":  # read twice: once to check the decisions, once to replay
                with _spooled(stream) as copy:
                    self._check_and_replay(copy, file, verdicts)
            else:
                self._check_and_replay(stream, file, verdicts)

    def _check_and_replay(self, stream, file, verdicts):
        decisions, problems = _decision_lines(stream)
        problems += replay.check(list(decisions.values()), timezone.now())
        if problems:
            for message in problems[:20]:
                self.stderr.write(message)
            raise CommandError(f"{len(problems)} decision line(s) refused; nothing was replayed")
        stream.seek(0)
        self._replay(stream, decisions, file, verdicts)

    def _replay(self, stream, decisions, file, verdicts):
        try:
            out = open(verdicts, "w", encoding="utf-8") if verdicts else None  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot write {verdicts}: {exc.strerror}") from exc
        outcomes, repeated, bad = Counter(), 0, []
        made, operator = Counter(), _operator()
        archive = "-" if file == "-" else os.path.basename(file)
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            if number in decisions:
                try:
                    verdict = replay.make(decisions[number], operator=operator, archive=archive)
                except replay.DecisionRefused as exc:
                    bad.append(str(exc))
                    verdict = {"line": number, "outcome": "refused", "error": str(exc)}
                else:
                    made["already made" if verdict["repeated"] else "made"] += 1
                _write_verdict(out, verdict)
                continue
            try:
                received_at, remote, headers, body = parse_line(line, number)
            except ValueError as exc:
                bad.append(str(exc))
                _write_verdict(out, {"line": number, "outcome": "unreadable", "error": str(exc)})
                continue
            result = ingest(body, headers, remote, received_at, source="replay")
            _write_verdict(out, verdict_of(number, result))
            if result.repeated:
                repeated += 1
            else:
                outcomes[result.payload["outcome"]] += 1
        if out is not None:
            out.close()
        for message in bad[:20]:
            self.stderr.write(message)
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "none new"
        decided = f"; decisions made: {made['made']}, already made: {made['already made']}"
        self.stdout.write(
            f"stored {sum(outcomes.values())} ({summary}); "
            f"already stored: {repeated}; unreadable lines: {len(bad)}"
            + (decided if decisions else "")
        )
        if bad:
            raise CommandError(f"{len(bad)} line(s) could not be read or made")


def _spooled(stream):
    copy = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
    shutil.copyfileobj(stream, copy)
    copy.seek(0)
    return copy
