# ruff: noqa: F811 - the check-in fixtures, imported
"""Every API operation, fuzzed by schemathesis from the OpenAPI schema through the server's own
WSGI application (the events fast path included): no input may answer 5xx, and every answer
must be one the schema documents, in the documented shape.

The number of examples per operation is bounded (HADIR_FUZZ_EXAMPLES, default 15) so CI stays
within minutes on two cores; the generation is derandomized, so a failure reproduces.
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from hadir.api import api
from hadir.org.models import ApiToken, RoleKind
from hadir.wsgi import application
from tests.checkin.conftest import _connections_kept, device, regency  # noqa: F401 - fixtures
from tests.factories import make_user

EXAMPLES = int(os.environ.get("HADIR_FUZZ_EXAMPLES", "15"))
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application  # requests go through the server's WSGI application, in process
ROLES = ["employee", "superadmin"]


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
        # Not checked: refusing some schema-valid input (business rules, such as a leave's
        # first day before its last, say more than a schema can) and accepting a request with
        # unknown query parameters or headers (ignored by design: proxies and apps add them).
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
