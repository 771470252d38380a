import json
import sys
from collections import Counter
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

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


class Command(BaseCommand):
    help = (
        "Run archived check-in requests (JSONL: received_at, remote_addr, headers, body) "
        "through the verification pipeline with received_at as the server time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file, or - for standard input")

    def handle(self, *args, file, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        outcomes, repeated, bad = Counter(), 0, []
        with stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    received_at, remote, headers, body = parse_line(line, number)
                except ValueError as exc:
                    bad.append(str(exc))
                    continue
                result = ingest(body, headers, remote, received_at, source="replay")
                if result.repeated:
                    repeated += 1
                else:
                    outcomes[result.payload["outcome"]] += 1
        for message in bad[:20]:
            self.stderr.write(message)
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "none new"
        self.stdout.write(
            f"stored {sum(outcomes.values())} ({summary}); "
            f"already stored: {repeated}; unreadable lines: {len(bad)}"
        )
        if bad:
            raise CommandError(f"{len(bad)} line(s) could not be read")
