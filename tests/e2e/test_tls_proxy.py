"""The README's TLS reverse-proxy recipe, run as written (nginx, a self-signed certificate):
the app loads over HTTPS as a secure context, logs in and checks in."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.pwa_helpers import INSIDE, PHONE, log_in, office_and_employee, result_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
README = Path(__file__).resolve().parents[2] / "README.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def recipe() -> str:
    match = re.search(r"<!-- tls-recipe -->\n```nginx\n(.*?)```", README.read_text(), re.DOTALL)
    assert match, "README.md lost its TLS recipe"
    return match.group(1)


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(tmp_path: Path, upstream_port: int, port: int) -> Path:
    cert, key = self_signed(tmp_path)
    server = (
        recipe()
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
        .replace("hadir.example.go.id", "localhost")
        .replace("/etc/ssl/hadir/fullchain.pem", str(cert))
        .replace("/etc/ssl/hadir/privkey.pem", str(key))
        .replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream_port}")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {name}_temp_path {tmp_path / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\npid {tmp_path / 'nginx.pid'};\n"
        f"error_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}{server}}}\n"
    )
    return config


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_the_readme_recipe_serves_the_app_over_https(playwright, live_server, tmp_path):
    _, employee = office_and_employee()
    port = free_port()
    upstream = int(live_server.url.rsplit(":", 1)[1])
    config = nginx_config(tmp_path, upstream, port)
    proxy = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    browser = None
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proxy.poll() is None, proxy.stderr.read().decode()
                time.sleep(0.1)
        # A trusted certificate in production; here the browser is told to accept ours.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--ignore-certificate-errors"]
        )
        context = browser.new_context(
            viewport=PHONE,
            locale="id-ID",
            geolocation=INSIDE,
            permissions=["geolocation"],
            ignore_https_errors=True,
        )
        page = context.new_page()
        base = f"https://localhost:{port}"
        log_in(page, base, employee.identifier)
        page.wait_for_selector("#check-in")
        assert page.evaluate("window.isSecureContext")
        assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)") == (
            f"{base}/app/sw.js"
        )
        page.wait_for_function("document.querySelector('#where')?.textContent.includes('±')")
        page.click("#check-in")
        assert "Diterima" in result_text(page)
        (record,) = employee.evidence.all()
        assert record.headers["x-forwarded-for"] == "127.0.0.1"
    finally:
        if browser is not None:
            browser.close()
        proxy.terminate()
        proxy.wait(timeout=10)
