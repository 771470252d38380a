#!/usr/bin/env python3
"""CPU time the check-in rate limits add to one check-in: a token from the address's bucket
and one from the phone's key id's (hadir.checkin.frontdoor.address_wait and key_wait, as the
events endpoint takes them), with the default rates. Process CPU time, best of 3 rounds, so the
machine's load hardly matters. No database is touched.

    .venv/bin/python bench/bench_rate_limits.py [--checkins 100000] [--phones 10000]

Honest morning: `--phones` phones, each from its own address, take turns until `--checkins`
(none is refused). Flood: one address sends `--checkins` requests (nearly all refused, 429).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def best_cpu_us(run, count: int, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--phones", type=int, default=10_000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()
    from django.conf import settings

    from hadir.checkin import frontdoor

    phones = [
        (f"10.{n // 65536}.{n // 256 % 256}.{n % 256}", f"k{n:08x}") for n in range(args.phones)
    ]
    turns = [phones[n % len(phones)] for n in range(args.checkins)]

    def morning():
        frontdoor.reset()
        for address, key_id in turns:
            frontdoor.address_wait(address)
            frontdoor.key_wait(key_id)

    def flood():
        frontdoor.reset()
        for _ in range(args.checkins):
            frontdoor.address_wait("203.0.113.66")

    rates = (settings.EVENTS_RATE_PER_ADDRESS, settings.EVENTS_RATE_PER_KEY)
    print(f"rates: address {rates[0]}, key id {rates[1]}; {args.checkins} check-ins")
    print(
        f"honest morning ({args.phones} phones): {best_cpu_us(morning, args.checkins):.2f} us "
        "CPU per check-in (address + key id)"
    )
    print(f"flood from one address: {best_cpu_us(flood, args.checkins):.2f} us CPU per request")


if __name__ == "__main__":
    main()
