"""The employee app's weight and speed on a slow connection, through the production server.

    .venv/bin/python bench/bench_pwa.py [--runs 3]

Starts `hadir serve` (gunicorn + WhiteNoise) on a fresh SQLite database in a temporary folder,
then drives headless Chromium at 360x740 with the network throttled by the DevTools protocol:

- first visit: bytes transferred (encoded, headers included) until the login screen is
  interactive, and the time to interactive (navigation start to the app's `data-ready`);
- the service worker's offline copy (everything, the QR decoder included), fetched after;
- a returning, logged-in employee: time until the home screen's check-in button is usable;
- a check-in: time from the tap to the server's verdict on screen.

Goal (issue #10): under 300 KB for the first load. Each figure is the median of --runs.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PROFILES = {
    # DevTools-like presets: round-trip latency (ms), download / upload (bytes per second).
    "regular 3G": (100, 750_000 / 8, 250_000 / 8),
    "slow 3G": (400, 400_000 / 8, 400_000 / 8),
}
NIPS = [f"199204182019032{n:03d}" for n in range(1, 41)]  # a fresh phone for each run
PASSWORD = "rahasia-kuat-123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(env: dict) -> None:
    """A migrated database with one office and one employee (in a child process, so this one
    never imports Django with the wrong settings)."""
    script = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import make_employee, make_opd, make_user, make_workplace
opd = make_opd()
workplace = make_workplace(opd, "DISDIK-KANTOR")
for nip in {NIPS!r}:
    make_employee(opd, [workplace], identifier=nip, user=make_user(nip, staff=False))
"""
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


def serve(env: dict, port: int) -> subprocess.Popen:
    hadir = Path(sys.executable).with_name("hadir")
    server = subprocess.Popen(
        [str(hadir), "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/time", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


class Meter:
    """Bytes on the wire for one page, read from the DevTools protocol."""

    def __init__(self, context, page, profile):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        latency, down, up = PROFILES[profile]
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency,
                "downloadThroughput": down,
                "uploadThroughput": up,
            },
        )
        self.bytes = 0
        self.requests = 0
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        self.bytes += event.get("encodedDataLength", 0)
        self.requests += 1


def first_visit(browser, base: str, profile: str) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    meter = Meter(context, page, profile)
    page.goto(f"{base}/app/", wait_until="commit")
    page.wait_for_selector("body[data-ready] #login button")
    tti = page.evaluate("performance.now()")
    interactive_bytes, requests = meter.bytes, meter.requests
    page.evaluate("navigator.serviceWorker.ready")
    context.close()
    return {"bytes": interactive_bytes, "requests": requests, "tti_ms": tti}


def offline_copy_bytes(base: str) -> int:
    """What the service worker fetches for offline use, as the server sends it (gzip where it
    has a compressed copy)."""
    source = urllib.request.urlopen(f"{base}/app/sw.js").read().decode()
    files = eval(source.split("const FILES = ", 1)[1].split(";", 1)[0])  # a JSON list
    total = 0
    for path in files:
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            total += len(response.read()) + sum(
                len(k) + len(v) + 4 for k, v in response.headers.items()
            )
    return total


def returning_employee(browser, base: str, profile: str, nip: str) -> dict:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="id-ID",
        geolocation={"latitude": -2.5373, "longitude": 112.95, "accuracy": 10},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(f"{base}/app/")
    page.fill("#identifier", nip)
    page.fill("#password", PASSWORD)
    page.click("#login button[type=submit]")
    try:
        page.wait_for_selector("#check-in")
    except Exception:
        raise SystemExit("login failed: " + page.inner_text("main")) from None
    page.evaluate("navigator.serviceWorker.ready")
    page.close()
    page = context.new_page()
    meter = Meter(context, page, profile)
    page.goto(f"{base}/app/", wait_until="commit")
    page.wait_for_selector("body[data-ready] #check-in")
    tti = page.evaluate("performance.now()")
    page.wait_for_function("document.querySelector('#where')?.textContent.includes('±')")
    started = time.monotonic()
    page.click("#check-in")
    page.wait_for_function(
        "(() => { const r = document.querySelector('#result');"
        " return r && !r.classList.contains('wait'); })()"
    )
    check_in_ms = (time.monotonic() - started) * 1000
    outcome = page.inner_text("#result").splitlines()[0]
    context.close()
    return {"tti_ms": tti, "bytes": meter.bytes, "check_in_ms": check_in_ms, "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "HADIR_VAR_DIR": var,
            "DATABASE_URL": "",
            "DJANGO_SETTINGS_MODULE": "hadir.settings",
            "PYTHONPATH": str(ROOT),
        }
        prepare(env)
        port = free_port()
        server = serve(env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                print(
                    f"employee app at {base}/app/ (gunicorn, WhiteNoise), 360x740, "
                    f"median of {args.runs}"
                )
                offline = offline_copy_bytes(base)
                nips = iter(NIPS)
                for profile in PROFILES:
                    firsts = [first_visit(browser, base, profile) for _ in range(args.runs)]
                    again = [
                        returning_employee(browser, base, profile, next(nips))
                        for _ in range(args.runs)
                    ]
                    kb = statistics.median(f["bytes"] for f in firsts) / 1000
                    print(
                        f"\n{profile} ({PROFILES[profile][0]} ms RTT, "
                        f"{PROFILES[profile][1] * 8 / 1000:.0f} kbit/s down)"
                    )
                    print(
                        f"  first load until interactive: {kb:.1f} KB in "
                        f"{firsts[0]['requests']} requests (goal < 300 KB)"
                    )
                    print(
                        f"  time to interactive, first visit: "
                        f"{statistics.median(f['tti_ms'] for f in firsts):.0f} ms"
                    )
                    print(
                        f"  time to interactive, returning employee (cached app): "
                        f"{statistics.median(a['tti_ms'] for a in again):.0f} ms, "
                        f"{statistics.median(a['bytes'] for a in again) / 1000:.1f} KB"
                    )
                    print(
                        f"  check-in, tap to verdict: "
                        f"{statistics.median(a['check_in_ms'] for a in again):.0f} ms "
                        f"({again[0]['outcome']})"
                    )
                print(
                    f"\nservice worker's offline copy (shell, modules, QR decoder, icons): "
                    f"{offline / 1000:.1f} KB, fetched after the app is interactive"
                )
                print(f"first visit in all: {(kb + offline / 1000):.1f} KB")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
