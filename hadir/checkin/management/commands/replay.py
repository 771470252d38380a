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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hadir.checkin import replay
from hadir.checkin.ingest import ingest
from hadir.checkin.messages import decision_refusal_text
from hadir.checkin.models import Outcome

REQUIRED = ("received_at", "remote_addr", "headers", "body")

# Why an archived line cannot be read, by code. The English text goes into the --verdicts file
# (read by programs: it stays as it is); the operator reads the catalogue's on standard error.
LINE_PROBLEMS = {
    "not_json": "line %(line)s: not JSON (%(detail)s)",
    "not_an_object": "line %(line)s: must be a JSON object",
    "missing": "line %(line)s: missing %(names)s",
    "not_a_time": "line %(line)s: received_at is not an ISO 8601 time",
    "no_offset": "line %(line)s: received_at needs a UTC offset",
    "shape": "line %(line)s: headers must be an object and body a string",
}
LINE_TEXTS = {
    "not_json": gettext_lazy("line %(line)s: not JSON (%(detail)s)"),
    "not_an_object": gettext_lazy("line %(line)s: must be a JSON object"),
    "missing": gettext_lazy("line %(line)s: missing %(names)s"),
    "not_a_time": gettext_lazy("line %(line)s: received_at is not an ISO 8601 time"),
    "no_offset": gettext_lazy("line %(line)s: received_at needs a UTC offset"),
    "shape": gettext_lazy("line %(line)s: headers must be an object and body a string"),
}


class UnreadableLine(ValueError):
    """An archived line that is not a request: `code` (a key of LINE_PROBLEMS) and `values`;
    str() is the English text the verdicts file carries, `said()` the operator's language."""

    def __init__(self, code: str, /, **values: object) -> None:
        self.code = code
        self.values = {key: str(value) for key, value in values.items()}
        super().__init__(LINE_PROBLEMS[code] % self.values)

    def said(self) -> str:
        return str(LINE_TEXTS[self.code]) % self.values


def parse_line(line: str, number: int) -> tuple[datetime, str, dict, bytes]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UnreadableLine("not_json", line=number, detail=exc.msg) from exc
    if not isinstance(item, dict):
        raise UnreadableLine("not_an_object", line=number)
    missing = [k for k in REQUIRED if k not in item]
    if missing:
        raise UnreadableLine("missing", line=number, names=", ".join(missing))
    try:
        received_at = datetime.fromisoformat(item["received_at"])
    except (TypeError, ValueError) as exc:
        raise UnreadableLine("not_a_time", line=number) from exc
    if received_at.tzinfo is None:
        raise UnreadableLine("no_offset", line=number)
    if not isinstance(item["headers"], dict) or not isinstance(item["body"], str):
        raise UnreadableLine("shape", line=number)
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


def _decision_lines(stream) -> tuple[dict[int, replay.Decision], list[replay.DecisionRefused]]:
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
            problems.append(exc)
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
            said = _("cannot read %(path)s: %(error)s")
            raise CommandError(said % {"path": file, "error": exc.strerror}) from exc
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
            for refused in problems[:20]:
                self.stderr.write(decision_refusal_text(refused))
            said = ngettext(
                "%(count)s decision line refused; nothing was replayed",
                "%(count)s decision lines refused; nothing was replayed",
                len(problems),
            )
            raise CommandError(said % {"count": len(problems)})
        stream.seek(0)
        self._replay(stream, decisions, file, verdicts)

    def _replay(self, stream, decisions, file, verdicts):
        try:
            out = open(verdicts, "w", encoding="utf-8") if verdicts else None  # noqa: SIM115
        except OSError as exc:
            said = _("cannot write %(path)s: %(error)s")
            raise CommandError(said % {"path": verdicts, "error": exc.strerror}) from exc
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
                    bad.append(decision_refusal_text(exc))
                    verdict = {"line": number, "outcome": "refused", "error": str(exc)}
                else:
                    made["already made" if verdict["repeated"] else "made"] += 1
                _write_verdict(out, verdict)
                continue
            try:
                received_at, remote, headers, body = parse_line(line, number)
            except UnreadableLine as exc:
                bad.append(exc.said())
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
        counted = (f"{_outcome_label(k)}: {v}" for k, v in sorted(outcomes.items()))
        summary = ", ".join(counted) or _("none new")
        said = _(
            "stored %(stored)s (%(outcomes)s); already stored: %(repeated)s; "
            "unreadable lines: %(bad)s"
        ) % {
            "stored": sum(outcomes.values()),
            "outcomes": summary,
            "repeated": repeated,
            "bad": len(bad),
        }
        if decisions:
            said += _("; decisions made: %(made)s, already made: %(again)s") % {
                "made": made["made"],
                "again": made["already made"],
            }
        self.stdout.write(said)
        if bad:
            said = ngettext(
                "%(count)s line could not be read or made",
                "%(count)s lines could not be read or made",
                len(bad),
            )
            raise CommandError(said % {"count": len(bad)})


def _outcome_label(code: str) -> str:
    return str(Outcome(code).label) if code in Outcome.values else code


def _spooled(stream):
    copy = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
    shutil.copyfileobj(stream, copy)
    copy.seek(0)
    return copy
