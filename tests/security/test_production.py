"""Production mode: one switch, HADIR_HTTPS=1, for running behind a TLS proxy. Django's own
deployment check passes in that mode (and does not without it)."""

import json
import os
import re
import subprocess
import sys

import pytest


def deploy_check(tmp_path, **extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HADIR_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hadir.sqlite3'}",
        "HADIR_SECRET_KEY": "k3y-" + "Zq8vX2mT5nR1pL7wY4bC9dF6gH0jK3sA" * 2,
        "HADIR_ALLOWED_HOSTS": "hadir.example.go.id",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING",
         "--settings", "hadir.settings"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_check_deploy_passes_in_production_mode(tmp_path):
    done = deploy_check(tmp_path, HADIR_HTTPS="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_names_what_the_switch_fixes_without_it(tmp_path):
    done = deploy_check(tmp_path)
    assert done.returncode != 0
    found = set(re.findall(r"security\.W\d+", done.stdout + done.stderr))
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= found


SHOW = (
    "import json, hadir.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
    "'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'HADIR_TRUST_PROXY']}))"
)


def production_settings(tmp_path, **extra):
    env = {"PATH": os.environ.get("PATH", ""), "HADIR_VAR_DIR": str(tmp_path), **extra}
    done = subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_switch_sets_secure_cookies_hsts_redirect_and_the_proxy_header(tmp_path):
    on = production_settings(tmp_path, HADIR_HTTPS="1")
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["SECURE_SSL_REDIRECT"] is True
    assert on["SESSION_COOKIE_SECURE"] is True
    assert on["CSRF_COOKIE_SECURE"] is True
    assert on["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert on["HADIR_TRUST_PROXY"] is True
    off = production_settings(tmp_path)
    assert off["SECURE_PROXY_SSL_HEADER"] is None
    assert off["SECURE_SSL_REDIRECT"] is None
    assert off["HADIR_TRUST_PROXY"] is False


@pytest.mark.django_db
def test_behind_the_proxy_http_is_redirected_https_gets_hsts_and_health_is_exempt(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get("/admin/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    secure = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    assert client.get("/api/v1/health").status_code == 200
