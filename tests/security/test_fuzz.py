# ruff: noqa: F811 - the check-in fixtures, imported
"""Every API operation, fuzzed by schemathesis from the OpenAPI schema through the server's own
WSGI application (the events fast path included): no input may answer 5xx, every answer must be
one the schema documents, in the documented shape, every request the schema forbids is refused
(negative_data_rejection) and every one it allows is accepted (positive_data_acceptance).

The one allowance: a few operations refuse a schema-valid request by a rule no JSON schema can
state (a leave's last day before its first, annual leave used up, a key that is not a key).
Such a 422 passes only on the fields listed for its operation in RULES, and only with the
service's own words: a refusal in the words of the schema's validation (hadir.api's
FIELD_MESSAGES) is the schema failing to tell the truth, and fails.

Unknown query parameters and headers are ignored, not refused (proxies, browsers and analytics
add them). negative_data_rejection means to skip a request whose only fault is one of them, but
at 50 examples it flagged such requests (GET /employees?limit=1&<unknown>=null answered 200);
those alone are skipped here (only_unknown_parameters). An unknown field in a body is refused
(the bodies' schemas say additionalProperties: false).

The number of examples per operation is bounded (HADIR_FUZZ_EXAMPLES, default 15) so CI stays
within minutes on two cores; the generation is derandomized, so a failure reproduces.
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.utils import translation
from hypothesis import HealthCheck, settings
from schemathesis.core.jsonschema import make_validator_for
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from hadir.api import FIELD_MESSAGES, NOT_VALID, PATTERN_MESSAGE, api
from hadir.org.models import ApiToken, RoleKind
from hadir.wsgi import application
from tests.checkin.conftest import _connections_kept, device, regency  # noqa: F401 - fixtures
from tests.factories import make_user

EXAMPLES = int(os.environ.get("HADIR_FUZZ_EXAMPLES", "15"))
OPENAPI = api.get_openapi_schema(path_prefix="/api/v1/")
schema = schemathesis.openapi.from_dict(OPENAPI)
QUERY = {
    f"{method.upper()} {path}": {
        p["name"]: (p["schema"], p.get("required", False))
        for p in operation.get("parameters", ())
        if p["in"] == "query"
    }
    for path, operations in OPENAPI["paths"].items()
    for method, operation in operations.items()
}
schema.app = application  # requests go through the server's WSGI application, in process
ROLES = ["employee", "superadmin"]
LEAVE_RULES = {
    # the last day after the first, half a day on one day, the calendar (another request, the
    # days of service, the working days, annual leave left), the sick letter the policy asks
    "first_day", "last_day", "portion", "kind", "attachment",
    # dinas luar: the letter and the destination it needs, its point both or neither
    "assignment_letter", "destination", "destination_lat", "destination_lon",
    "destination_radius_m",
}  # fmt: skip
RULES = {
    # a public key that parses as an SPKI key of the stated algorithm
    "POST /api/v1/devices": {"public_key", "algorithm"},
    # a range of at most 92 days that ends after it starts
    "GET /api/v1/flags": {"last"},
    "POST /api/v1/leave": LEAVE_RULES,
    "POST /api/v1/app/leave": LEAVE_RULES,
    # key_id must name one of the caller's own phones
    "POST /api/v1/app/push": {"key_id"},
}


@pytest.fixture
def server(db, regency, device):
    tokens = {
        "employee": ApiToken.issue(regency.user, timedelta(days=1)),
        "superadmin": ApiToken.issue(
            make_user("fuzz-admin", role=RoleKind.SUPERADMIN), timedelta(days=1)
        ),
    }
    with _connections_kept():
        yield tokens


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_gets_a_5xx_or_an_undocumented_answer(case, server, role):
    case.call_and_validate(
        base_url="http://localhost",
        headers={"Authorization": f"Bearer {server[role]}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
        additional_checks=[
            positive_data_accepted_unless_a_rule_refused_it,
            negative_data_refused_unless_only_unknown_parameters,
        ],
    )


def negative_data_refused_unless_only_unknown_parameters(ctx, response, case):
    if only_unknown_parameters(case):
        return None
    return negative_data_rejection(ctx, response, case)


def only_unknown_parameters(case) -> bool:
    """No fault in the body, the path or a declared query parameter: what the request adds
    beyond the schema is only query parameters or headers it does not name."""
    meta = case.meta
    if meta is None or any(
        meta.is_negative_at(where) for where in (ParameterLocation.BODY, ParameterLocation.PATH)
    ):
        return False
    declared = QUERY.get(case.operation.label, {})
    query = case.query or {}
    if not all(
        a_valid(query[name], s) if name in query else not required
        for name, (s, required) in declared.items()
    ):
        return False
    return bool(set(query) - set(declared)) or not meta.is_negative_at(ParameterLocation.QUERY)


def a_valid(value, parameter_schema: dict) -> bool:
    validator = make_validator_for(parameter_schema)
    if validator.is_valid(value):
        return True
    if isinstance(value, str):  # as read from the query string
        for read in (int, float, {"true": True, "false": False}.__getitem__):
            try:
                if validator.is_valid(read(value)):
                    return True
            except (ValueError, KeyError):
                pass
    return False


def positive_data_accepted_unless_a_rule_refused_it(ctx, response, case):
    if response.status_code == 422 and refused_by_a_rule(case.operation.label, response.json()):
        return None
    return positive_data_acceptance(ctx, response, case)


def refused_by_a_rule(operation: str, body) -> bool:
    fields = body.get("fields") or [] if isinstance(body, dict) else []
    with translation.override("id"):
        schema_words = {str(m) for m in (*FIELD_MESSAGES.values(), *PATTERN_MESSAGE.values())}
        schema_words.add(str(NOT_VALID))
    return bool(fields) and all(
        field.get("field") in RULES.get(operation, ()) and field.get("message") not in schema_words
        for field in fields
    )
