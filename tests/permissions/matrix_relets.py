"""The permission matrix for homes and re-lets (issue 15.3): everyone who sees the scheme sees its
homes and re-lets (household names only staff and the CLT's panel); staff record homes; the
scheme's HA team (and staff) record a vacancy and the let; the panel (and staff) issue the list."""

from tests.permissions.matrix_base import Case, obj, roles

SEEN_AS_SCHEME = dict(other_clt_volunteer=404, other_ha_team=404)
STAFF_ONLY = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
# The rule lets HA teams in; the scheme's selector answers 404 to another HA's.
HA_OR_STAFF = dict(volunteer=403, other_clt_volunteer=403, other_ha_team=404)
# The rule lets volunteers in; the panel's selector answers 404 to another CLT's.
PANEL_OR_STAFF = dict(other_clt_volunteer=404, ha_team=403, other_ha_team=403)


def _home_data(t):
    return {"name": "3 Test Row", "bedrooms": "3", "tenure": "social_rent", "let_since": "2025-05-01"}


MATRIX_RELETS = [
    Case("home_list", "GET", roles(200, **SEEN_AS_SCHEME), kwargs=obj("scheme")),
    Case("home_list", "GET", roles(200, **SEEN_AS_SCHEME), kwargs=obj("scheme"), query="format=csv"),
    Case("home_create", "GET", roles(200, **STAFF_ONLY), kwargs=obj("scheme")),
    Case("home_create", "POST", roles(302, **STAFF_ONLY), kwargs=obj("scheme"), data=_home_data),
    Case("home_detail", "GET", roles(200, **SEEN_AS_SCHEME), kwargs=obj("vacant_home")),
    Case("home_edit", "GET", roles(200, **STAFF_ONLY), kwargs=obj("home")),
    Case(
        "home_edit",
        "POST",
        roles(302, **STAFF_ONLY),
        kwargs=obj("home"),
        data=lambda t: {"name": "1 Test Row, renamed", "bedrooms": "2", "tenure": "social_rent"},
    ),
    Case("vacancy_create", "GET", roles(200, **HA_OR_STAFF), kwargs=obj("home")),
    Case(
        "vacancy_create",
        "POST",
        roles(302, **HA_OR_STAFF),
        kwargs=obj("home"),
        data=lambda t: {"vacant_from": "2026-06-01", "notes": "Tenant moving away"},
    ),
    Case("vacancy_list", "GET", roles(200)),
    Case("vacancy_list", "GET", roles(200), query="format=csv"),
    Case("vacancy_detail", "GET", roles(200, **SEEN_AS_SCHEME), kwargs=obj("vacancy")),
    Case(
        "vacancy_detail", "POST", roles(302, **PANEL_OR_STAFF), kwargs=obj("vacancy"), data=lambda t: {"confirm": "on"}
    ),
    Case("let_create", "GET", roles(200, **HA_OR_STAFF), kwargs=obj("vacancy")),
    Case(
        "let_create",
        "POST",
        roles(302, **HA_OR_STAFF),
        kwargs=obj("vacancy"),
        data=lambda t: {"nominee": t.objects["relet_entry"].pk, "started_on": "2026-01-12"},
    ),
]
