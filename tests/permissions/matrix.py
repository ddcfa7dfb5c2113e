"""The permission matrix: (url name, method) -> {role: expected status}.

Every URL pattern under /u/<umbrella_slug>/ must appear here for every method its view allows
(tests/permissions/test_permission_matrix.py fails otherwise). Roles are those of tenant A, seen from A:

- admin, staff: umbrella admin and staff of A;
- volunteer: a volunteer of A's first CLT; other_clt_volunteer: of A's second CLT;
- ha_team: A's first HA's team; other_ha_team: A's second HA's team;
- other_umbrella_admin, other_umbrella_staff: tenant B's, knocking on A's door;
- anonymous: not signed in.

Object kwargs come from tenant A's objects: the first CLT, HA and scheme are the volunteer's and
the HA team's own.
"""

from tests.permissions.matrix_base import IN_TENANT, NO_OBJECT, OUTSIDE, OUTSIDERS, ROLES, Case, obj, roles  # noqa: F401

ADMIN_ONLY = dict(staff=403, volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
STAFF_ONLY = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)


def _invite_data(t):
    return {"email": "new.person@example.test", "role": "clt_volunteer", "clt": t.objects["clt"].pk}


def _membership_data(t):
    return {"role": "clt_volunteer", "clt": t.objects["clt"].pk, "is_allocation_panel": "on"}


def _settings_data(t):
    return {
        "name": t.umbrella.name,
        "require_mfa_for_staff": "",
        "applicant_retention_months": 24,
        "invoice_prefix": "INV",
    }


MATRIX: list[Case] = [
    # accounts
    Case("umbrella_home", "GET", roles(200)),
    Case("member_list", "GET", roles(200, **STAFF_ONLY)),
    Case("invitation_create", "GET", roles(200, **ADMIN_ONLY)),
    Case("invitation_create", "POST", roles(302, **ADMIN_ONLY), data=_invite_data),
    Case("membership_edit", "GET", roles(200, **ADMIN_ONLY), kwargs=obj("membership")),
    Case("membership_edit", "POST", roles(302, **ADMIN_ONLY), kwargs=obj("membership"), data=_membership_data),
    Case("membership_revoke", "GET", roles(200, **ADMIN_ONLY), kwargs=obj("membership")),
    Case("membership_revoke", "POST", roles(302, **ADMIN_ONLY), kwargs=obj("membership")),
    Case("invitation_revoke", "POST", roles(302, **ADMIN_ONLY), kwargs=obj("invitation")),
    Case("umbrella_settings", "GET", roles(200, **ADMIN_ONLY)),
    Case("umbrella_settings", "POST", roles(302, **ADMIN_ONLY), data=_settings_data),
    Case("umbrella_help", "GET", roles(200)),
    # A CSV export is its asker's alone (the staff member's here): anyone else gets 404.
    Case("export_detail", "GET", roles(404, staff=200), kwargs=obj("export")),
    Case("export_download", "GET", roles(404, staff=200), kwargs=obj("export")),
    Case("import_detail", "GET", roles(404, staff=200), kwargs=obj("import_job")),
    # partnerships
    Case("ha_list", "GET", roles(200, volunteer=403, other_clt_volunteer=403)),
    Case("ha_list", "GET", roles(200, volunteer=403, other_clt_volunteer=403), query="format=csv"),
    Case("ha_detail", "GET", roles(200, volunteer=403, other_clt_volunteer=403, other_ha_team=404), kwargs=obj("ha")),
    # clts
    Case("clt_list", "GET", roles(200, ha_team=403, other_ha_team=403)),
    Case("clt_list", "GET", roles(200, ha_team=403, other_ha_team=403), query="format=csv"),
    Case("clt_detail", "GET", roles(200, other_clt_volunteer=404, ha_team=403, other_ha_team=403), kwargs=obj("clt")),
    # schemes
    Case("scheme_list", "GET", roles(200)),
    Case("scheme_list", "GET", roles(200), query="format=csv"),
    Case("scheme_detail", "GET", roles(200, other_clt_volunteer=404, other_ha_team=404), kwargs=obj("scheme")),
]

# Each app's later URLs live in their own module, so parallel work never edits one file.
from tests.permissions.matrix_allocations import MATRIX_ALLOCATIONS  # noqa: E402
from tests.permissions.matrix_clts import MATRIX_CLTS  # noqa: E402
from tests.permissions.matrix_documents import MATRIX_DOCUMENTS  # noqa: E402
from tests.permissions.matrix_programmes import MATRIX_PROGRAMMES  # noqa: E402
from tests.permissions.matrix_relets import MATRIX_RELETS  # noqa: E402
from tests.permissions.matrix_schemes import MATRIX_SCHEMES  # noqa: E402
from tests.permissions.matrix_stewardship import MATRIX_STEWARDSHIP  # noqa: E402

MATRIX = (
    MATRIX
    + MATRIX_CLTS
    + MATRIX_SCHEMES
    + MATRIX_PROGRAMMES
    + MATRIX_ALLOCATIONS
    + MATRIX_DOCUMENTS
    + MATRIX_STEWARDSHIP
    + MATRIX_RELETS
)
