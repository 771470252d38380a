"""One of several worker processes racing for the same job (tests/jobs/test_concurrency.py).

    race_worker.py BARRIER_DIR NAME COUNT

Registers only the racing job, waits until COUNT processes are ready (a file each in
BARRIER_DIR) so that they begin together, then asks for due jobs as fast as it can for four
seconds. Each run prints `ran <occurrence> <start> <end> <process>`.
"""

import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
django.setup()

from hadir.jobs import registry  # noqa: E402
from hadir.jobs.registry import JobResult, every, job  # noqa: E402
from hadir.jobs.services import sync_jobs  # noqa: E402
from hadir.jobs.worker import Worker  # noqa: E402

barrier, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
registry._REGISTRY.clear()  # only the racing job, not the real ones


@job("test_process_race", title="race", description="", schedule=every(seconds=1))
def racing(ctx):
    started = time.time()
    time.sleep(0.2)
    print(f"ran {ctx.scheduled_for.isoformat()} {started} {time.time()} {name}", flush=True)
    return JobResult("done")


sync_jobs()
(barrier / f"ready-{name}").touch()
deadline = time.time() + 120
while len(list(barrier.glob("ready-*"))) < count and time.time() < deadline:
    time.sleep(0.01)
worker = Worker(f"race-{name}")
until = time.time() + 4
while time.time() < until:
    worker.run_due()
    time.sleep(0.005)
print(f"done {name}", flush=True)
