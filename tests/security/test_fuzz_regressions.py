# ruff: noqa: F811 - the check-in fixtures, imported
"""The inputs that answered 500 before, each now a 4xx JSON answer naming what is wrong."""

import json
from datetime import timedelta

import pytest

from hadir.api import api
from hadir.checkin.models import EvidenceRecord
from hadir.org.models import ApiToken, RoleKind
from tests.checkin.conftest import at_office, call_wsgi, device, regency  # noqa: F401 - fixtures
from tests.factories import make_user

pytestmark = pytest.mark.django_db
DEEP = 4000


def signed(device, body: bytes) -> dict:
    return {"X-Hadir-Key-Id": device.key.key_id, "X-Hadir-Signature": device.key.sign(body)}


@pytest.mark.parametrize(
    ("body", "stranger", "known"),
    [
        (b"[" * DEEP + b"]" * DEEP, 401, 400),
        (b'{"event_id":' * DEEP + b"1" + b"}" * DEEP, 413, 413),  # over the 16 KiB of an event
    ],
)
def test_a_body_nested_4000_deep_is_refused_not_a_crash(regency, device, body, stranger, known):
    status, _, content = call_wsgi("POST", "/api/v1/events", body, {"X-Hadir-Key-Id": "x" * 32})
    assert status == stranger
    status, _, content = call_wsgi("POST", "/api/v1/events", body, signed(device, body))
    assert status == known
    assert json.loads(content)["outcome"] == "rejected"


@pytest.mark.parametrize(
    ("field", "value"),
    [("seq", 2**64), ("monotonic_ms", 2**63), ("boot_count", 10**30), ("employee", "19\x0085")],
)
def test_out_of_range_numbers_and_nul_characters_in_an_event_are_a_400(
    regency, device, field, value
):
    data = at_office(device).data
    data[field] = value
    body = json.dumps(data).encode()
    status, _, content = call_wsgi("POST", "/api/v1/events", body, signed(device, body))
    assert status == 400
    fields = {r["detail"].get("field") for r in json.loads(content)["reasons"]}
    assert field in fields
    assert EvidenceRecord.objects.get().outcome == "rejected"


def test_an_offset_beyond_any_table_is_a_422_naming_it(client, regency):
    token = ApiToken.issue(make_user("admin-x", role=RoleKind.SUPERADMIN), timedelta(days=1))
    response = client.get(
        "/api/v1/employees", {"offset": 10**30}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 422
    assert "offset" in response.json()["fields"][0]["field"]


def test_a_nul_character_in_a_query_or_path_is_a_422(client, regency):
    token = ApiToken.issue(regency.user, timedelta(days=1))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get("/api/v1/employees", {"opd": "DIS\x00DIK"}, **auth)
    assert (response.status_code, response.json()["fields"][0]["field"]) == (422, "opd")
    assert client.get("/api/v1/employees/1985%00", **auth).status_code == 422


def test_a_nul_character_or_deep_nesting_in_a_json_body_is_a_400(client, regency):
    token = ApiToken.issue(regency.user, timedelta(days=1))
    for body in (
        json.dumps({"public_key": "a", "algorithm": "ed25519", "description": {"m": "\x00"}}),
        '{"public_key": "a", "algorithm": "ed25519", "description": '
        + '{"a":' * 100
        + "1"
        + "}" * 100
        + "}",
    ):
        response = client.post(
            "/api/v1/devices",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_json"


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_every_operation_documents_its_refusals():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = {int(code) for code in operation["responses"]}
            assert {401, 403, 404, 422, 429} <= documented, (method, path)
