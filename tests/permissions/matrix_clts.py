"""Permission matrix entries for clts/ URLs (roles and helpers: tests/permissions/matrix.py, tests/permissions/matrix_base.py).

Who may do what (accounts/rules.py): staff everything; a CLT volunteer sees their CLT and its
records and changes its profile, governance, people and AGMs; advice sessions, grants and
parishes are the umbrella's (staff) work; HA teams see none of it. Another CLT's volunteer gets
404 for the first CLT's records (they are not theirs to see); a role the view's rule refuses gets
403 before any object is looked up.
"""

from tests.permissions.matrix_base import Case, obj, roles

STAFF_ONLY = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
NOT_HA = dict(ha_team=403, other_ha_team=403)
# The first CLT's own records: its volunteer may, the other CLT's volunteer cannot see them.
OWN_CLT = dict(other_clt_volunteer=404, **NOT_HA)


def _clt_data(t):
    clt = t.objects["clt"]
    return {
        "name": clt.name,
        "legal_form": "cbs",
        "registration_number": "RS001234",
        "incorporated_on": "2021-03-18",
        "parishes": [str(t.objects["parish"].public_id)],
        "membership_count": "52",
        "contact_name": "A Clerk",
        "contact_email": "clerk@example.test",
        "setup_status": "active",
    }


def _new_clt_data(t):
    return {**_clt_data(t), "name": "Newly formed Community Land Trust", "setup_status": "forming"}


def _governance_data(t):
    return {"s79_defined_community": "on", "s79_community_benefit": "on", "s79_asset_lock": "on"}


def _parish_data(t):
    return {"name": "Newfield", "district": "Somerset", "county": "Somerset"}


def _person_data(t):
    return {
        "name": "Jo Treasurer",
        "role": "treasurer",
        "email": "",
        "term_start": "2025-06-01",
        "term_end": "2028-06-01",
        "notes": "",
    }


def _advice_data(t):
    return {
        "given_on": "2025-03-04",
        "topic": "governance",
        "hours": "1.50",
        "given_by": str(t.users["staff"].public_id),
        "attendees": "The board",
        "notes": "",
    }


def _grant_data(t):
    return {
        "funder": "Homes England",
        "programme": "Community Housing Fund (revenue)",
        "status": "submitted",
        "amount_requested": "45000.00",
        "amount_awarded": "",
        "submitted_on": "2025-01-10",
        "decision_on": "",
        "conditions": "",
    }


def _agm_data(t):
    return {"held_on": "2026-06-20", "members_present": "28", "resolutions": "Accounts adopted", "notes": ""}


def _form_cases(prefix: str, *, kwargs, data, allowed: dict, create_kwargs=obj("clt"), create_allowed=None):
    """GET and POST of the create, edit and delete pages of one record type."""
    create_allowed = allowed if create_allowed is None else create_allowed
    return [
        Case(f"{prefix}_create", "GET", roles(200, **create_allowed), kwargs=create_kwargs),
        Case(f"{prefix}_create", "POST", roles(302, **create_allowed), kwargs=create_kwargs, data=data),
        Case(f"{prefix}_edit", "GET", roles(200, **allowed), kwargs=kwargs),
        Case(f"{prefix}_edit", "POST", roles(302, **allowed), kwargs=kwargs, data=data),
        Case(f"{prefix}_delete", "GET", roles(200, **allowed), kwargs=kwargs),
        Case(f"{prefix}_delete", "POST", roles(302, **allowed), kwargs=kwargs),
    ]


def _list_cases(name: str, allowed: dict):
    return [
        Case(name, "GET", roles(200, **allowed)),
        Case(name, "GET", roles(200, **allowed), query="format=csv"),
    ]


MATRIX_CLTS: list[Case] = [
    # CLT profile and governance
    Case("clt_create", "GET", roles(200, **STAFF_ONLY)),
    Case("clt_create", "POST", roles(302, **STAFF_ONLY), data=_new_clt_data),
    Case("clt_edit", "GET", roles(200, **OWN_CLT), kwargs=obj("clt")),
    Case("clt_edit", "POST", roles(302, **OWN_CLT), kwargs=obj("clt"), data=_clt_data),
    Case("clt_governance_edit", "GET", roles(200, **OWN_CLT), kwargs=obj("clt")),
    Case("clt_governance_edit", "POST", roles(302, **OWN_CLT), kwargs=obj("clt"), data=_governance_data),
    Case("clt_delete", "GET", roles(200, **STAFF_ONLY), kwargs=obj("spare_clt")),
    Case("clt_delete", "POST", roles(302, **STAFF_ONLY), kwargs=obj("spare_clt")),
    # Parishes: staff only
    *_list_cases("parish_list", STAFF_ONLY),
    Case("parish_detail", "GET", roles(200, **STAFF_ONLY), kwargs=obj("parish")),
    Case("parish_create", "GET", roles(200, **STAFF_ONLY)),
    Case("parish_create", "POST", roles(302, **STAFF_ONLY), data=_parish_data),
    Case("parish_edit", "GET", roles(200, **STAFF_ONLY), kwargs=obj("parish")),
    Case("parish_edit", "POST", roles(302, **STAFF_ONLY), kwargs=obj("parish"), data=_parish_data),
    Case("parish_delete", "GET", roles(200, **STAFF_ONLY), kwargs=obj("spare_parish")),
    Case("parish_delete", "POST", roles(302, **STAFF_ONLY), kwargs=obj("spare_parish")),
    # Board members and volunteers: the CLT's volunteers change them
    *_list_cases("person_list", NOT_HA),
    Case("person_detail", "GET", roles(200, **OWN_CLT), kwargs=obj("person")),
    *_form_cases("person", kwargs=obj("person"), data=_person_data, allowed=OWN_CLT),
    # AGMs: the CLT's volunteers change them
    *_list_cases("agm_list", NOT_HA),
    Case("agm_detail", "GET", roles(200, **OWN_CLT), kwargs=obj("agm")),
    *_form_cases("agm", kwargs=obj("agm"), data=_agm_data, allowed=OWN_CLT),
    # Advice and training: staff change them; the CLT's volunteers read them
    *_list_cases("advice_session_list", NOT_HA),
    Case("advice_session_detail", "GET", roles(200, **OWN_CLT), kwargs=obj("advice_session")),
    *_form_cases("advice_session", kwargs=obj("advice_session"), data=_advice_data, allowed=STAFF_ONLY),
    # Revenue grants: staff change them; the CLT's volunteers read them
    *_list_cases("revenue_grant_list", NOT_HA),
    Case("revenue_grant_detail", "GET", roles(200, **OWN_CLT), kwargs=obj("revenue_grant")),
    *_form_cases("revenue_grant", kwargs=obj("revenue_grant"), data=_grant_data, allowed=STAFF_ONLY),
]


# --- housing needs surveys ----------------------------------------------------------------------
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

_NON_STAFF = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)


def _survey_data(t):
    return {
        "parish": t.objects["parish"].pk,
        "surveyed_on": "2026-05-31",
        "households_surveyed": 200,
        "responses": 80,
        "need_social_rent_2": 3,
        "need_shared_ownership_3": 2,
    }


def _need_csv(t):
    return {
        "file": SimpleUploadedFile(
            "n.csv", b"tenure,bedrooms,households\nSocial rent,1,4\nFirst Homes,2,1\n", "text/csv"
        )
    }


MATRIX_CLTS += [
    Case("survey_list", "GET", roles(200, ha_team=403, other_ha_team=403)),
    Case("survey_list", "GET", roles(200, ha_team=403, other_ha_team=403), query="format=csv"),
    Case("survey_create", "GET", roles(200, **_NON_STAFF)),
    Case("survey_create", "POST", roles(302, **_NON_STAFF), data=_survey_data),
    Case(
        "survey_detail",
        "GET",
        roles(200, other_clt_volunteer=404, ha_team=403, other_ha_team=403),
        kwargs=obj("survey"),
    ),
    Case("survey_edit", "GET", roles(200, **_NON_STAFF), kwargs=obj("survey")),
    Case("survey_edit", "POST", roles(302, **_NON_STAFF), kwargs=obj("survey"), data=_survey_data),
    Case("need_import", "GET", roles(200, **_NON_STAFF), kwargs=obj("survey")),
    Case("need_import", "POST", roles(302, **_NON_STAFF), kwargs=obj("survey"), data=_need_csv),
]
