"""Permission matrix entries for allocation URLs: policies and the eligibility checker (clts/),
applicants, rankings and nomination lists (schemes/). Roles and helpers: tests/permissions/matrix.py.

Who may do what (accounts/rules.py, clts/allocations.py, schemes/allocations.py):

- policies: staff draft, change and agree them; the CLT's volunteers read them (403 on every
  manage URL: the rule refuses before any object is looked up); HA teams 403. A change to a
  version that is no longer a draft answers 400 with the service's message.
- the eligibility checker of a CLT: staff and that CLT's volunteers (GET and POST: it stores
  nothing); HA teams 403.
- applicants and the ranking: personal data. Staff, and the allocation panel of the scheme's CLT
  (the world's volunteer sits on it). The rule lets any CLT volunteer in so that the selectors
  answer 404 to one who is not on that panel, exactly like a record that does not exist; HA teams
  403. The lists answer 200 to other volunteers, empty (tests/permissions/test_allocations_access.py checks it).
- nomination lists: staff and the panel see all of their schemes'; the HA team of the scheme's
  HA sees an issued (ready) one and its PDF and CSV, and nothing earlier (404 on a failed list).

Another CLT's volunteer and another HA's team get 404 on the first CLT's and first HA's objects
(the lists are 200, without the rows); the other umbrella's people 404 everywhere, anonymous 302.
"""

from tests.permissions.matrix_base import Case, obj, roles

# Policies: staff manage them; the volunteer reads.
MANAGE_POLICY = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
NOT_HA = dict(ha_team=403, other_ha_team=403)
# The first CLT's policies and checker: its volunteer reads them, another CLT's volunteer 404.
OWN_CLT = dict(other_clt_volunteer=404, **NOT_HA)
# Applicants and ranking of the first CLT's scheme: its panel and staff.
PANEL = dict(other_clt_volunteer=404, **NOT_HA)
# An issued nomination list of the first scheme: its HA's team too.
ISSUED = dict(other_clt_volunteer=404, other_ha_team=404)
# A list whose files failed: not issued, so the HA team sees nothing of it either.
NOT_ISSUED = dict(other_clt_volunteer=404, ha_team=404, other_ha_team=404)
# Issuing and retrying: staff and the panel (the rule refuses HA teams before the lookup).
ISSUE = dict(other_clt_volunteer=404, **NOT_HA)

POLICY, DRAFT = obj("policy"), obj("policy_draft")
CLT = obj("clt")
APPLICANT = obj("applicant")
SCHEME = obj("scheme")
LIST = obj("nomination_list")


def _policy_data(t):
    return {
        "summary": "Homes for local people",
        "s106_reference": "25/00123/FUL",
        "s106_signed_on": "2025-10-01",
        "housing_association": t.objects["ha"].pk,
        "district_council": "Somerset Council",
        "nomination_signed_on": "2025-10-01",
    }


def _agree_data(t):
    return {"agreed_on": "2026-02-01"}


def _tier_data(position):
    def data(t):
        return {
            "position": position,
            "name": "Adjoining parishes",
            "scope": "adjoining",
            "parishes": [str(t.objects["parish"].public_id)],
            "district": "",
            "lives_years": 3,
            "works_hours": 16,
        }

    return data


def _band_data(position):
    def data(t):
        return {"position": position, "name": "Overcrowded", "description": "Short of a bedroom"}

    return data


def _check_data(t):
    return {"lives_place": f"p:{t.objects['parish'].public_id}", "lives_amount": 4, "need_band": 1}


def _applicant_data(t):
    return {
        "name": "Jo Newcomer",
        "email": "jo@example.test",
        "phone": "",
        "address": "",
        "household_size": 2,
        "bedrooms_needed": 1,
        "registered_on": "2025-09-01",
        "need_band": 2,
        "status": "waiting",
        "notes": "",
        "lives_place": f"p:{t.objects['parish'].public_id}",
        "lives_amount": 4,
        "lives_evidence": "Council tax bills 2021 to 2025",
        "lives_checked": "on",
    }


def _erase_data(t):
    return {"reason": "Asked to be removed (email of 3 March)", "confirm": "on"}


def _list_cases(name: str, allowed: dict):
    return [Case(name, "GET", roles(200, **allowed)), Case(name, "GET", roles(200, **allowed), query="format=csv")]


MATRIX_ALLOCATIONS: list[Case] = [
    # --- allocation policies -------------------------------------------------------------------
    *_list_cases("policy_list", NOT_HA),
    Case("policy_detail", "GET", roles(200, **OWN_CLT), kwargs=POLICY),
    Case("policy_detail", "GET", roles(200, **OWN_CLT), kwargs=obj("policy_superseded")),
    Case("policy_detail", "GET", roles(200, **OWN_CLT), kwargs=DRAFT),
    Case("policy_start", "GET", roles(200, **MANAGE_POLICY), kwargs=CLT),
    # The second CLT has no policy yet: a first draft. (The first CLT has a draft already: 400.)
    Case("policy_start", "POST", roles(302, **MANAGE_POLICY), kwargs=obj("other_clt")),
    Case("policy_start", "POST", roles(400, **MANAGE_POLICY), kwargs=CLT),
    Case("policy_edit", "GET", roles(200, **MANAGE_POLICY), kwargs=DRAFT),
    Case("policy_edit", "POST", roles(302, **MANAGE_POLICY), kwargs=DRAFT, data=_policy_data),
    Case("policy_edit", "POST", roles(400, **MANAGE_POLICY), kwargs=POLICY, data=_policy_data),
    Case("policy_agree", "GET", roles(200, **MANAGE_POLICY), kwargs=DRAFT),
    Case("policy_agree", "POST", roles(302, **MANAGE_POLICY), kwargs=DRAFT, data=_agree_data),
    Case("policy_agree", "POST", roles(400, **MANAGE_POLICY), kwargs=obj("policy_superseded"), data=_agree_data),
    Case("policy_delete", "GET", roles(200, **MANAGE_POLICY), kwargs=DRAFT),
    Case("policy_delete", "POST", roles(302, **MANAGE_POLICY), kwargs=DRAFT),
    Case("policy_delete", "POST", roles(400, **MANAGE_POLICY), kwargs=POLICY),
    # tiers and bands of the draft; of the agreed version: refused
    Case("tier_create", "GET", roles(200, **MANAGE_POLICY), kwargs=DRAFT),
    Case("tier_create", "POST", roles(302, **MANAGE_POLICY), kwargs=DRAFT, data=_tier_data(3)),
    Case("tier_create", "POST", roles(400, **MANAGE_POLICY), kwargs=POLICY, data=_tier_data(3)),
    Case("tier_edit", "GET", roles(200, **MANAGE_POLICY), kwargs=obj("draft_tier")),
    Case("tier_edit", "POST", roles(302, **MANAGE_POLICY), kwargs=obj("draft_tier"), data=_tier_data(1)),
    Case("tier_edit", "POST", roles(400, **MANAGE_POLICY), kwargs=obj("agreed_tier"), data=_tier_data(1)),
    Case("tier_delete", "GET", roles(200, **MANAGE_POLICY), kwargs=obj("draft_tier")),
    Case("tier_delete", "POST", roles(302, **MANAGE_POLICY), kwargs=obj("draft_tier")),
    Case("tier_delete", "POST", roles(400, **MANAGE_POLICY), kwargs=obj("agreed_tier")),
    Case("band_create", "GET", roles(200, **MANAGE_POLICY), kwargs=DRAFT),
    Case("band_create", "POST", roles(302, **MANAGE_POLICY), kwargs=DRAFT, data=_band_data(3)),
    Case("band_create", "POST", roles(400, **MANAGE_POLICY), kwargs=POLICY, data=_band_data(3)),
    Case("band_edit", "GET", roles(200, **MANAGE_POLICY), kwargs=obj("draft_band")),
    Case("band_edit", "POST", roles(302, **MANAGE_POLICY), kwargs=obj("draft_band"), data=_band_data(1)),
    Case("band_edit", "POST", roles(400, **MANAGE_POLICY), kwargs=obj("agreed_band"), data=_band_data(1)),
    Case("band_delete", "GET", roles(200, **MANAGE_POLICY), kwargs=obj("draft_band")),
    Case("band_delete", "POST", roles(302, **MANAGE_POLICY), kwargs=obj("draft_band")),
    Case("band_delete", "POST", roles(400, **MANAGE_POLICY), kwargs=obj("agreed_band")),
    # the eligibility checker: nothing stored, so a valid POST answers 200 with the result
    Case("eligibility_check", "GET", roles(200, **OWN_CLT), kwargs=CLT),
    Case("eligibility_check", "POST", roles(200, **OWN_CLT), kwargs=CLT, data=_check_data),
    # --- applicants and the ranking ------------------------------------------------------------
    *_list_cases("applicant_list", NOT_HA),
    Case("applicant_create", "GET", roles(200, **PANEL), kwargs=SCHEME),
    Case("applicant_create", "POST", roles(302, **PANEL), kwargs=SCHEME, data=_applicant_data),
    Case("applicant_detail", "GET", roles(200, **PANEL), kwargs=APPLICANT),
    Case("applicant_detail", "GET", roles(200, **PANEL), kwargs=obj("unranked_applicant")),
    Case("applicant_edit", "GET", roles(200, **PANEL), kwargs=APPLICANT),
    Case("applicant_edit", "POST", roles(302, **PANEL), kwargs=APPLICANT, data=_applicant_data),
    Case("applicant_export", "GET", roles(200, **PANEL), kwargs=APPLICANT),
    Case("applicant_erase", "GET", roles(200, **PANEL), kwargs=APPLICANT),
    Case("applicant_erase", "POST", roles(302, **PANEL), kwargs=APPLICANT, data=_erase_data),
    Case("scheme_ranking", "GET", roles(200, **PANEL), kwargs=SCHEME),
    Case("scheme_ranking", "POST", roles(302, **ISSUE), kwargs=SCHEME, data=lambda t: {"confirm": "on"}),
    # --- nomination lists ----------------------------------------------------------------------
    *_list_cases("nomination_list", {}),
    Case("nomination_detail", "GET", roles(200, **ISSUED), kwargs=LIST),
    Case("nomination_detail", "GET", roles(200, **NOT_ISSUED), kwargs=obj("failed_nomination_list")),
    Case("nomination_pdf", "GET", roles(200, **ISSUED), kwargs=LIST),
    Case("nomination_csv", "GET", roles(200, **ISSUED), kwargs=LIST),
    Case("nomination_retry", "POST", roles(302, **ISSUE), kwargs=obj("failed_nomination_list")),
]
