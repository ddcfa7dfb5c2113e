"""Walk the API's permission matrix with each role's token; prove it covers every API URL under
an umbrella; search every answer for the other tenant's canary; and send tenant B's ids under
A's slug."""

import json

import pytest
from django.urls import reverse

from api.base import TenantAPIView
from tests.api.tokens import ApiClient, api_client_for, token_for
from tests.conftest import SECURITY_SUMMARY
from tests.permissions.matrix_api import API_MATRIX, API_ROLES
from tests.permissions.test_isolation import _body
from tests.permissions.test_permission_matrix import tenant_url_patterns
from tests.worlds.world import CANARY

API_TENANT_PREFIX = "api/v1/u/<slug:umbrella_slug>/"


def api_tenant_patterns():
    return tenant_url_patterns(under=API_TENANT_PREFIX)


def _url(case, tenant, objects_from=None) -> str:
    kwargs = {"umbrella_slug": tenant.umbrella.slug, **case.kwargs(objects_from or tenant)}
    return reverse(case.url_name, kwargs=kwargs) + ("?" + case.query if case.query else "")


def test_every_api_url_goes_through_the_tenant_base_and_is_in_the_matrix():
    patterns = api_tenant_patterns()
    assert patterns
    bypass = [route for name, view, route in patterns if not (view and issubclass(view, TenantAPIView))]
    assert not bypass, f"API views under an umbrella that bypass TenantAPIView: {bypass}"
    covered = {case.url_name for case in API_MATRIX}
    missing = [f"{name} ({route})" for name, _, route in patterns if name not in covered]
    assert not missing, "add these to tests/permissions/matrix_api.py:\n" + "\n".join(missing)
    assert all(set(view.permissions) == {"GET"} for _, view, _ in patterns), "the API only reads"


@pytest.mark.parametrize("role", API_ROLES)
@pytest.mark.parametrize("case", API_MATRIX, ids=lambda c: c.id)
def test_api_matrix(world, case, role):
    response = api_client_for(world, role).get(_url(case, world.a))
    expected = case.expect[role]
    SECURITY_SUMMARY["matrix_cases"] += 1
    if expected in (401, 403, 404) and 200 <= response.status_code < 300:
        SECURITY_SUMMARY["matrix_leaks"] += 1
    assert response.status_code == expected, f"{role} {case.id}: got {response.status_code}, expected {expected}"
    if expected == 200 and case.url_name == "api_statement_pdf":
        assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(
            b"%PDF"
        )
        assert "no-store" in response["Cache-Control"]
        return
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if expected >= 400:
        assert set(body) <= {"detail", "errors"} and body["detail"]
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", API_ROLES)
def test_no_foreign_canary_in_the_api(world, role):
    """Everything tenant A's tokens can read carries nothing of tenant B."""
    client = api_client_for(world, role)
    for case in API_MATRIX:
        response = client.get(_url(case, world.a))
        SECURITY_SUMMARY["canary_pages"] += 1
        found = CANARY["b"] in _body(response)  # a PDF read back as text
        SECURITY_SUMMARY["canary_found"] += int(found)
        assert not found, f"{role} read tenant B's data at {case.id}"


def test_the_api_mirror_holds_the_other_way(world):
    """Tenant B's admin reads only B: A's canary nowhere, and B's own canary is there (the
    search would find a leak)."""
    client = ApiClient(token_for(world.b.users["admin"], world.b.umbrella))
    seen = ""
    for case in API_MATRIX:
        response = client.get(_url(case, world.b))
        assert response.status_code == case.expect["admin"], case.id
        body = _body(response)
        SECURITY_SUMMARY["canary_pages"] += 1
        assert CANARY["a"] not in body, case.id
        seen += body
    assert CANARY["b"] in json.loads(json.dumps(seen))


@pytest.mark.parametrize("case", [c for c in API_MATRIX if c.has_object], ids=lambda c: c.id)
@pytest.mark.parametrize("role", ["admin", "ha_team"])
def test_foreign_ids_answer_404_in_the_api(world, case, role):
    """Tenant B's ids under A's slug, with A's admin's or HA team's token: 404, as if they did not exist."""
    response = api_client_for(world, role).get(_url(case, world.a, objects_from=world.b))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: there is no such record, or it is not yours to see."}
