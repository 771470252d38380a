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


# Schema-valid requests refused and schema-violating ones accepted (schemathesis's
# positive_data_acceptance and negative_data_rejection): the schema now states what the server
# checks, and the server refuses what the schema forbids.


def request_schemas(schema: dict):
    """(operation, location, name, schema) of every parameter and request body property."""
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", ()):
                yield label, parameter["in"], parameter["name"], parameter["schema"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body = content["schema"]
                if "$ref" in body:
                    body = components[body["$ref"].rsplit("/", 1)[1]]
                for choice in body.get("anyOf", [body]):
                    if "$ref" in choice:
                        choice = components[choice["$ref"].rsplit("/", 1)[1]]
                    for name, field in choice.get("properties", {}).items():
                        yield label, "body", name, field


def body_schema(operation: str) -> dict:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {name: field for op, where, name, field in request_schemas(schema) if op == operation}


def test_every_string_a_request_carries_states_that_it_holds_no_nul():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for operation, where, name, field in request_schemas(schema):
        for choice in field.get("anyOf", [field]):
            if choice.get("type") == "string":
                stated = {"pattern", "enum", "format"} & choice.keys()
                assert stated, (operation, where, name)


@pytest.mark.parametrize(
    "body", ["[null, null]", '{"everywhere": 0}', '{"everywhere": true, "x": 1}']
)
def test_logout_refuses_a_body_the_schema_forbids(client, regency, body):
    token = ApiToken.issue(regency.user, timedelta(days=1))
    response = client.post(
        "/api/v1/auth/logout", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code == 422
    assert ApiToken.objects.filter(user=regency.user).exists()  # nothing revoked


def test_an_unknown_body_field_is_refused_naming_it(client, regency):
    token = ApiToken.issue(regency.user, timedelta(days=1))
    response = client.post(
        "/api/v1/flags/mine/1/answer", {"text": "Saya sedang rapat.", "note": "x"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"field": "note", "message": "Isian ini tidak dikenal di sini."}
    ]


def test_a_blank_identifier_is_stated_by_the_login_and_activation_schemas(client, db):
    for operation in ("POST /api/v1/auth/login", "POST /api/v1/auth/activate"):
        identifier = body_schema(operation)["identifier"]
        assert identifier["minLength"] == 1, operation
        assert identifier["pattern"], operation
    response = client.post(
        "/api/v1/auth/login", {"identifier": "   ", "password": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert (response.status_code, response.json()["fields"][0]["field"]) == (422, "identifier")


def test_a_wrong_activation_code_is_refused_as_a_credential(client, regency):
    response = client.post(
        "/api/v1/auth/activate",
        {"identifier": regency.employee.identifier, "code": "ACDEF-GHJKM", "password": "x" * 12},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_code"


def test_device_and_leave_decisions_each_have_their_own_schema(client, regency, device):
    # Both were called DecisionIn: the OpenAPI schema showed one of them for both operations.
    assert body_schema("POST /api/v1/devices/{device_id}/reject")["reason"]["maxLength"] == 300
    assert body_schema("POST /api/v1/leave/{leave_id}/approve")["reason"]["maxLength"] == 2000
    assert body_schema("POST /api/v1/devices/{device_id}/revoke")["reason"]["minLength"] == 1
    token = ApiToken.issue(make_user("admin-r", role=RoleKind.SUPERADMIN), timedelta(days=1))
    enrolled = regency.employee.devices.get()
    response = client.post(
        f"/api/v1/devices/{enrolled.pk}/revoke", {"reason": "x" * 301},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert (response.status_code, response.json()["fields"][0]["field"]) == (422, "reason")


def test_a_device_description_within_the_schema_is_accepted(client, regency):
    from hadir.client import DeviceKey

    token = ApiToken.issue(regency.user, timedelta(days=1))
    key = DeviceKey.generate("p256")
    description = {f"{n:02d}" + "k" * 38: "v" * 300 for n in range(16)}  # was over 2000 chars
    body = {"public_key": key.spki_b64, "algorithm": "p256", "description": description}
    response = client.post(
        "/api/v1/devices", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body["description"] = {"nested": {"a": 1}}
    response = client.post(
        "/api/v1/devices", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert (response.status_code, response.json()["fields"][0]["field"]) == (
        422,
        "description.nested",
    )


def test_december_9999_is_a_month_and_a_bad_month_is_said_in_indonesian(client, regency):
    token = ApiToken.issue(regency.user, timedelta(days=1))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/attendance/mine", {"month": "9999-12"}, **auth).status_code == 200
    response = client.get("/api/v1/attendance/mine", {"month": ""}, **auth)
    assert response.status_code == 422
    assert response.json()["message"]
    assert response.json()["fields"] == [
        {"field": "month", "message": "Pilih bulan dengan format TTTT-BB."}
    ]


def test_an_optional_form_field_is_optional_not_null_in_the_schema():
    # Sent as the text "null" it was refused: a form has no null.
    for operation in ("POST /api/v1/leave", "POST /api/v1/app/leave"):
        for name in ("destination_lat", "destination_lon", "employee"):
            field = body_schema(operation).get(name)
            if field is not None:
                assert "anyOf" not in field, (operation, name)
                assert field.get("type") != "null", (operation, name)


def test_what_a_review_and_a_push_subscription_need_is_in_their_schemas():
    review = body_schema("POST /api/v1/flags/{nip}/{day}/review")
    assert review["decision"]["enum"] == ["confirmed", "dismissed"]
    assert review["reason"]["pattern"]
    push = body_schema("POST /api/v1/app/push")
    assert push["endpoint"]["pattern"].startswith("^https://")
    assert (push["p256dh"]["minLength"], push["auth"]["minLength"]) == (20, 8)


def test_a_query_parameter_given_twice_is_refused_naming_it(client, regency):
    # GET /employees?opd=A&opd=B answered 200 with the last one: the schema has one opd.
    token = ApiToken.issue(regency.user, timedelta(days=1))
    response = client.get(
        "/api/v1/employees?opd=DISDIK&opd=DINKES", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"field": "opd", "message": "Berikan nilai ini sekali saja."}
    ]
    once = client.get("/api/v1/employees?opd=DISDIK", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert once.status_code == 200
