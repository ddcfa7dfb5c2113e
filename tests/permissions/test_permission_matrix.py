"""Walk the permission matrix for every role, and prove the matrix covers every tenant URL."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.views_base import TenantView
from tests.conftest import SECURITY_SUMMARY, client_for
from tests.permissions.matrix import MATRIX, ROLES

TENANT_PREFIX = "u/<slug:umbrella_slug>/"


def tenant_url_patterns(under: str = TENANT_PREFIX):
    """(name, view class, route) for every URL pattern mounted under /u/<umbrella_slug>/ (or `under`)."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith(under):
                found.append((p.name, getattr(p.callback, "view_class", None), route))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_tenant_url_goes_through_tenant_view():
    offenders = [
        (name, route) for name, view, route in tenant_url_patterns() if not (view and issubclass(view, TenantView))
    ]
    assert not offenders, f"views under /u/ that bypass TenantView: {offenders}"


def test_every_tenant_url_and_method_is_in_the_matrix():
    covered = {(case.url_name, case.method) for case in MATRIX}
    missing = []
    for name, view, route in tenant_url_patterns():
        assert name, f"unnamed tenant URL {route}"
        for method in view.permissions:
            if (name, method) not in covered:
                missing.append(f"{name} {method} ({route})")
    assert not missing, "add these to tests/permissions/matrix.py:\n" + "\n".join(missing)


def test_matrix_names_no_stale_urls():
    names = {name for name, _, _ in tenant_url_patterns()}
    stale = {case.url_name for case in MATRIX} - names
    assert not stale


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id)
def test_matrix(world, case, role):
    tenant = world.a
    url = reverse(case.url_name, kwargs={"umbrella_slug": tenant.umbrella.slug, **case.kwargs(tenant)})
    if case.query:
        url += "?" + case.query
    client = client_for(world, role)
    if case.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data=case.data(tenant))
    expected = case.expect[role]
    SECURITY_SUMMARY["matrix_cases"] += 1
    refused = expected in (403, 404) or (role == "anonymous" and expected == 302)
    got_through = 200 <= response.status_code < 300 or (response.status_code == 302 and expected in (403, 404))
    if refused and got_through:
        SECURITY_SUMMARY["matrix_leaks"] += 1
    assert response.status_code == expected, (
        f"{role} {case.method} {url}: got {response.status_code}, expected {expected}"
    )
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
