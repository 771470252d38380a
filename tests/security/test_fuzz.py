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

Unknown query parameters and headers are ignored, not refused (proxies and browsers add them):
negative_data_rejection itself does not count a request whose only fault is one of them. An
unknown field in a body is refused (the bodies' schemas say additionalProperties: false).

The number of examples per operation is bounded (HADIR_FUZZ_EXAMPLES, default 15) so CI stays
within minutes on two cores; the generation is derandomized, so a failure reproduces.
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.utils import translation
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hadir.api import FIELD_MESSAGES, NOT_VALID, PATTERN_MESSAGE, api
from hadir.org.models import ApiToken, RoleKind
from hadir.wsgi import application
from tests.checkin.conftest import _connections_kept, device, regency  # noqa: F401 - fixtures
from tests.factories import make_user

EXAMPLES = int(os.environ.get("HADIR_FUZZ_EXAMPLES", "15"))
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
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
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_accepted_unless_a_rule_refused_it],
    )


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
