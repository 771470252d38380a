"""API tokens: a short access token with a rotating refresh token, a logout that revokes, and
no token that outlives a password change."""

from datetime import timedelta

import pytest

from hadir.org.models import ApiToken, TokenKind
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-kuat-123"


@pytest.fixture
def user():
    return make_user("pegawai")


def login(client):
    response = client.post(
        "/api/v1/auth/login",
        {"identifier": "pegawai", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def me(client, token):
    return client.get("/api/v1/employees", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def refresh(client, refresh_token):
    return client.post(
        "/api/v1/auth/refresh", {"refresh_token": refresh_token}, content_type="application/json"
    )


def logout(client, token, body=None):
    return client.post(
        "/api/v1/auth/logout",
        body or {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_login_gives_an_hour_long_access_token_and_a_refresh_token(client, user):
    session = login(client)
    assert session["expires_in_s"] == 3600
    assert session["refresh_expires_in_s"] == 30 * 24 * 3600
    assert me(client, session["token"]) == 200


def test_a_password_change_ends_every_token(client, user):
    session = login(client)
    user.set_password("kata-sandi-baru-456")
    user.save()
    assert me(client, session["token"]) == 401
    assert refresh(client, session["refresh_token"]).status_code == 401


def test_logout_revokes_this_session_and_leaves_the_others(client, user):
    phone, laptop = login(client), login(client)
    answer = logout(client, phone["token"])
    assert answer.status_code == 200
    assert answer.json() == {"revoked": 2}
    assert me(client, phone["token"]) == 401
    assert refresh(client, phone["refresh_token"]).status_code == 401
    assert me(client, laptop["token"]) == 200


def test_logout_everywhere_ends_every_session_of_the_account(client, user):
    phone, laptop = login(client), login(client)
    assert logout(client, phone["token"], {"everywhere": True}).json() == {"revoked": 4}
    assert me(client, laptop["token"]) == 401


def test_a_refresh_token_works_once_and_replaces_the_access_token(client, user):
    first = login(client)
    renewed = refresh(client, first["refresh_token"])
    assert renewed.status_code == 200
    second = renewed.json()
    assert me(client, second["token"]) == 200
    assert me(client, first["token"]) == 401
    assert refresh(client, first["refresh_token"]).status_code == 401
    assert refresh(client, second["refresh_token"]).status_code == 200


def test_a_refresh_token_is_no_bearer_and_an_expired_access_token_is_refused(client, user):
    session = login(client)
    assert me(client, session["refresh_token"]) == 401
    expired = ApiToken.issue(user, timedelta(seconds=-1), TokenKind.ACCESS)
    assert me(client, expired) == 401


def test_logout_needs_a_token(client, user):
    response = client.post("/api/v1/auth/logout", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_the_openapi_schema_documents_the_token_operations_and_their_refusals(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"429", "401", "422"} <= set(paths["/api/v1/auth/login"]["post"]["responses"])
    assert "401" in paths["/api/v1/auth/refresh"]["post"]["responses"]
    assert "/api/v1/auth/logout" in paths
