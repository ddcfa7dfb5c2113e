"""The API's permission matrix: (url name) -> {role: expected status}, each role reading with a
token of its own (tests/permissions/test_api_matrix.py walks it; a meta-test fails when a URL
under /api/v1/u/<umbrella_slug>/ is missing). The API only reads, so every case is a GET.

The roles are the page matrix's (tests/permissions/matrix.py), and:
- other_umbrella_admin, other_umbrella_staff: a token made in tenant B, sent to A's URLs: 401,
  the token does not work here;
- anonymous: no token: 401;
- revoked: the admin's token, revoked: 401.
"""

from tests.permissions.matrix_base import IN_TENANT, NO_OBJECT, Case, obj

API_ROLES = [*IN_TENANT, "other_umbrella_admin", "other_umbrella_staff", "anonymous", "revoked"]
NO_TOKEN_HERE = {"other_umbrella_admin": 401, "other_umbrella_staff": 401, "anonymous": 401, "revoked": 401}
NOT_VOLUNTEERS = {"volunteer": 403, "other_clt_volunteer": 403}


def api_roles(default: int, **overrides: int) -> dict[str, int]:
    expect = {role: default for role in IN_TENANT}
    expect.update(NO_TOKEN_HERE)
    expect.update(NOT_VOLUNTEERS)
    unknown = set(overrides) - set(API_ROLES)
    assert not unknown, f"unknown roles {unknown}"
    expect.update(overrides)
    return expect


def ApiCase(url_name: str, expect: dict, kwargs=NO_OBJECT, query: str = "") -> Case:
    return Case(url_name, "GET", expect, kwargs=kwargs, query=query)


API_MATRIX: list[Case] = [
    ApiCase("api_umbrella", api_roles(200)),
    ApiCase("api_scheme_list", api_roles(200)),
    ApiCase("api_scheme_list", api_roles(200), query="stage=enquiry&page=1&page_size=10"),
    ApiCase("api_scheme_list", api_roles(400), query="stage=nowhere"),
    ApiCase("api_scheme_detail", api_roles(200, other_ha_team=404), kwargs=obj("scheme")),
    ApiCase("api_statement_list", api_roles(200)),
    ApiCase("api_statement_list", api_roles(200), query="status=issued"),
    ApiCase("api_statement_detail", api_roles(200, other_ha_team=404), kwargs=obj("statement")),
    ApiCase("api_statement_pdf", api_roles(200, other_ha_team=404), kwargs=obj("statement")),
]
