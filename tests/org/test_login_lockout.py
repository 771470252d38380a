import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import identify_hasher

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_five_failures_lock_the_account_even_for_the_right_password(settings):
    settings.LOGIN_MAX_FAILURES = 5
    make_user("pegawai")
    for _ in range(5):
        assert authenticate(username="pegawai", password="salah") is None
    assert authenticate(username="pegawai", password="rahasia-kuat-123") is None


def test_a_success_before_the_limit_resets_the_count(settings):
    settings.LOGIN_MAX_FAILURES = 3
    make_user("pegawai")
    authenticate(username="pegawai", password="salah")
    authenticate(username="pegawai", password="salah")
    assert authenticate(username="pegawai", password="rahasia-kuat-123") is not None
    authenticate(username="pegawai", password="salah")
    assert authenticate(username="pegawai", password="rahasia-kuat-123") is not None


def test_the_api_login_answers_429_when_locked(client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    make_user("pegawai")
    for _ in range(2):
        client.post(
            "/api/v1/auth/login",
            {"identifier": "pegawai", "password": "x"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/login",
        {"identifier": "pegawai", "password": "rahasia-kuat-123"},
        content_type="application/json",
    )
    assert response.status_code == 429


def test_production_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("pegawai")
    assert identify_hasher(user.password).algorithm == "argon2"
