"""Property-based tests of the API against its own OpenAPI description (schemathesis): every
operation, with generated path parameters and queries, answered by the real app over WSGI on the
real database. No answer may be a server error, and every answer must be one the description
lists, in its content type and its JSON schema.

Each generated case is sent with one of several tokens (chosen from the case, so a failure
repeats): tenant A's admin's, its first HA team's, its second HA team's (which sees neither the
first's scheme nor its statement), a CLT volunteer's, a revoked one, tenant B's admin's, or
none. Most cases are also pointed at tenant A's real slug and at real ids, so that they get past
the token and into the selectors instead of stopping at 401 and 404.
"""

import hashlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from config.wsgi import application
from tests.api.tokens import token_for
from tests.conftest import SECURITY_SUMMARY

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
ROLES = ["admin", "ha_team", "other_ha_team", "volunteer", "revoked", "tenant_b_admin", "anonymous"]


@pytest.fixture
def api_schema(world):
    # The app is called in this thread, inside the test's transaction: as Django's test client
    # does, keep a request's start and finish from closing the test's database connection.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _schema()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    schema.config.generation.update(max_examples=25)
    return schema


@pytest.fixture
def api_tokens(world):
    a, b = world.a, world.b
    return {
        "admin": token_for(a.users["admin"], a.umbrella),
        "ha_team": token_for(a.users["ha_team"], a.umbrella),
        "other_ha_team": token_for(a.users["other_ha_team"], a.umbrella),
        "volunteer": token_for(a.users["volunteer"], a.umbrella),
        "revoked": token_for(a.users["ha_team"], a.umbrella, revoked=True),
        "tenant_b_admin": token_for(b.users["admin"], b.umbrella),
        "anonymous": None,
    }


schema = schemathesis.pytest.from_fixture("api_schema")


def _pick(case, salt: str, n: int) -> int:
    seed = f"{case.operation.label}|{case.path_parameters}|{case.query}|{salt}"
    return int(hashlib.sha256(seed.encode()).hexdigest(), 16) % n


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_as_its_schema_says(case, world, api_tokens):
    a = world.a
    params = case.path_parameters or {}
    if "umbrella_slug" in params and _pick(case, "slug", 5):
        params["umbrella_slug"] = a.umbrella.slug  # four cases in five: the real umbrella
    if "public_id" in params and _pick(case, "id", 3):
        real = a.objects["statement" if "/statements/" in case.operation.path else "scheme"]
        params["public_id"] = str(real.public_id)  # two in three: a real record
    role = ROLES[_pick(case, "role", len(ROLES))]
    secret = api_tokens[role]
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = case.call(headers=headers)
    SECURITY_SUMMARY["api_fuzz_cases"] += 1
    SECURITY_SUMMARY[f"api_fuzz_{response.status_code // 100}xx"] = (
        SECURITY_SUMMARY.get(f"api_fuzz_{response.status_code // 100}xx", 0) + 1
    )
    case.validate_response(response, checks=CHECKS)
