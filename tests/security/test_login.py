"""Login throttling slows a guesser with growing delays, per address and per account, without
letting a stranger lock the owner out (no hard lock anyone can renew)."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone

from hadir.org.auth import login_wait_s
from hadir.org.models import LoginAttempt
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-kuat-123"


def login(client, username, password, address="10.0.0.1", **headers):
    return client.post(
        "/api/v1/auth/login",
        {"identifier": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def time_passes(seconds):
    LoginAttempt.objects.update(at=timezone.now() - timedelta(seconds=seconds))


def failures(username, count, address):
    LoginAttempt.objects.bulk_create(
        LoginAttempt(username=username, succeeded=False, remote_addr=address, at=timezone.now())
        for _ in range(count)
    )


def test_it_delays_an_account_after_five_failures_with_429_and_retry_after(client):
    make_user("pegawai")
    for _ in range(5):
        assert login(client, "pegawai", "salah").status_code == 401
    refused = login(client, "pegawai", PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["error"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 5
    assert refused.json()["message"]


def test_it_lets_the_owner_in_once_the_delay_has_passed(client):
    make_user("pegawai")
    for _ in range(5):
        login(client, "pegawai", "salah")
    time_passes(6)
    assert login(client, "pegawai", PASSWORD).status_code == 200


def test_it_never_keeps_the_owner_out_longer_than_a_minute_whatever_a_stranger_does(client):
    make_user("superadmin", superuser=True)
    failures("superadmin", 500, address="203.0.113.9")  # a stranger, all morning
    assert login_wait_s("superadmin", "10.0.0.1") <= 60
    time_passes(61)
    assert login(client, "superadmin", PASSWORD, address="10.0.0.1").status_code == 200


def test_it_does_not_check_or_record_a_refused_attempt(client):
    make_user("pegawai")
    for _ in range(5):
        login(client, "pegawai", "salah")
    before = LoginAttempt.objects.count()
    assert login(client, "pegawai", "salah").status_code == 429
    assert LoginAttempt.objects.count() == before


def test_it_slows_an_address_spraying_many_usernames(client):
    for n in range(20):
        assert login(client, f"tebakan{n}", "salah", address="198.51.100.7").status_code == 401
    sprayed = login(client, "tebakan-baru", "salah", address="198.51.100.7")
    assert sprayed.status_code == 429
    assert int(sprayed["Retry-After"]) >= 1
    assert login(client, "tebakan-baru", "salah", address="10.0.0.2").status_code == 401


def test_the_address_delay_grows_to_a_quarter_of_an_hour_for_that_address_only():
    failures("siapa-saja", 200, address="198.51.100.7")
    assert 600 < login_wait_s("orang-lain", "198.51.100.7") <= 900
    assert login_wait_s("orang-lain", "10.0.0.3") == 0


def test_a_success_clears_the_accounts_delay():
    make_user("pegawai")
    failures("pegawai", 4, address="10.0.0.1")
    assert authenticate(username="pegawai", password=PASSWORD) is not None
    failures("pegawai", 1, address="10.0.0.1")
    assert login_wait_s("pegawai", "10.0.0.9") == 0


def test_it_takes_the_address_from_the_proxy_header_only_from_a_trusted_proxy(client, settings):
    for n in range(20):
        login(client, f"t{n}", "x", address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert login_wait_s("t-baru", "10.0.0.5") > 0  # not a proxy: the peer's address counts
    assert login_wait_s("t-baru", "198.51.100.7") == 0
    LoginAttempt.objects.all().delete()
    for n in range(20):  # the local proxy (loopback is trusted by default)
        login(
            client, f"t{n}", "x", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.8"
        )
    assert login_wait_s("t-baru", "198.51.100.8") > 0  # the entry the proxy wrote, not the client's
    assert login_wait_s("t-baru", "127.0.0.1") == 0
    assert login_wait_s("t-baru", "10.9.9.9") == 0
    LoginAttempt.objects.all().delete()
    settings.HADIR_TRUST_PROXY = True  # every peer is the proxy
    for n in range(20):
        login(client, f"t{n}", "x", address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert login_wait_s("t-baru", "198.51.100.7") > 0
    assert login_wait_s("t-baru", "10.0.0.5") == 0


def test_the_admin_login_says_how_long_to_wait(client):
    make_user("admin")
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "salah"})
    page = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "detik" in page.content.decode()  # "coba lagi dalam N detik"


def test_production_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("pegawai")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_an_attempt_counts_as_a_failure_while_its_password_is_checked(monkeypatch):
    """Attempts sent side by side: each must see the others already counted, not only those
    whose (slow) password check has finished."""
    from django.contrib.auth.backends import ModelBackend

    make_user("pegawai")
    failures("pegawai", 4, address="10.0.0.1")
    seen = []
    check = ModelBackend.authenticate

    def slow_check(self, request, **kwargs):
        seen.append(login_wait_s("pegawai", "10.0.0.2"))  # a parallel attempt asks now
        return check(self, request, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_check)
    assert authenticate(username="pegawai", password="salah") is None
    assert seen[0] > 0  # the fifth failure was counted before its check finished
    assert LoginAttempt.objects.filter(username="pegawai", succeeded=False).count() == 5
    seen.clear()
    time_passes(3600 * 24 + 1)
    assert authenticate(username="pegawai", password=PASSWORD) is not None
    assert seen == [0]  # one attempt alone never waits for itself
    assert LoginAttempt.objects.filter(username="pegawai", succeeded=True).count() == 1
    assert LoginAttempt.objects.filter(username="pegawai", succeeded=False).count() == 5
