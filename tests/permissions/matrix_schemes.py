"""Permission matrix entries for schemes/ and partnerships/ URLs (roles and helpers: tests/permissions/matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permissions.matrix_base import Case, obj, roles

NON_STAFF = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
IN_SCHEME = dict(other_clt_volunteer=404, other_ha_team=404)
SITE_VIEW = dict(ha_team=403, other_ha_team=403, other_clt_volunteer=404)
STAFF_ONLY_LIST = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)


def _scheme_data(t):
    data = {"name": "A new scheme", "clt": t.objects["clt"].pk, "rag": "green"}
    for f in (
        "homes_social_rent",
        "homes_affordable_rent",
        "homes_shared_ownership",
        "homes_discounted_sale",
        "homes_first_homes",
        "bedrooms_1",
        "bedrooms_2",
        "bedrooms_3",
        "bedrooms_4_plus",
    ):
        data[f] = 0
    data["homes_affordable_rent"] = 4
    return data


def _site_data(t):
    return {"name": "Land by the church", "parish": t.objects["parish"].pk, "planning_status": "none"}


def _negotiation_data(t):
    return {"on": "2026-05-01", "contact": "The landowner", "status_after": "heads_of_terms"}


def _lease_data(t):
    return {
        "freehold_acquired_on": "2025-03-01",
        "term_years": 125,
        "start_on": "2025-04-01",
        "premium": "1",
        "ground_rent": "0",
        "option_notice_months": 6,
        "option_basis": "fixed_formula",
        "option_base_price": "250000",
        "option_indexation_percent": "2.5",
        "option_valuation_percent": "100",
    }


def _appraisal_data(t):
    return {
        "social_rent_homes": "2", "social_rent_weekly": "110", "affordable_rent_homes": "0",
        "affordable_rent_weekly": "0", "market_rent_weekly": "0", "shared_ownership_homes": "0",
        "shared_ownership_value": "0", "shared_ownership_share": "25", "shared_ownership_rent": "2.75",
        "discounted_sale_homes": "0", "discounted_sale_value": "0", "discounted_sale_discount": "30",
        "build_cost": "400000", "on_costs": "0", "fees": "0", "land_price": "0", "lease_premium": "0",
        "ground_rent": "0", "grant": "120000", "management_per_home": "0", "voids_percent": "3",
        "term_years": "30", "discount_rate": "5", "notes": "",
    }  # fmt: skip


def _funding_data(t):
    return {
        "kind": "s106", "funder": "District council", "programme": "", "reference": "", "allocation": "60000",
        "allocated_on": "2025-09-01", "acquisition_percent": "0", "start_on_site_percent": "100",
        "completion_percent": "0",
    }  # fmt: skip


# Appraisals (and capital funding) are the HA's finances and the umbrella's: its team sees its schemes' (another HA's
# team finds no such scheme); CLT volunteers are refused by the rule.
APPRAISAL_VIEW = dict(volunteer=403, other_clt_volunteer=403, other_ha_team=404)


def _tender_data(t):
    return {"role": "architect", "title": "Architect", "price_weight": 40, "invited_firms": [t.objects["firm"].pk]}


def _bid_data(t):
    return {"firm": t.objects["firm2"].pk, "price": "26000", "quality_score": "80", "received_on": "2026-06-01"}


def _bid_edit_data(t):
    return {"firm": t.objects["firm"].pk, "price": "23000", "quality_score": "75", "received_on": "2026-06-01"}


def _milestone_data(t):
    return {"kind": "milestone", "title": "Planning decision", "scheme": t.objects["scheme"].pk, "due_on": "2026-12-01"}


def _progress_data(t):
    return {"due_on": "2026-09-15", "completed_on": "", "notes": "Contractor appointed"}


def _import_data(t):
    return {"file": SimpleUploadedFile("m.csv", b"title,due,kind\nSurvey,2026-08-01,task\n", "text/csv")}


def _ha_data(t):
    return {"name": "A new housing association", "develops_social_rent": "on"}


def _ha_edit_data(t):
    return {"name": t.objects["ha"].name, "min_scheme_homes": 4, "max_scheme_homes": 30}


def _firm_data(t):
    return {"name": "New Surveyors LLP"}


def _stage_data(t):
    return {"to_stage": "planning_submitted", "note": ""}


def _match_data(t):
    return {"housing_association": t.objects["ha"].pk}


S = obj("scheme")
STATEMENT_VIEW = dict(volunteer=403, other_clt_volunteer=403, other_ha_team=404)


def _earlier_invoice_data(t):
    return {"scheme": t.objects["scheme"].pk, "reference": "PAPER-7", "invoiced_on": "2025-03-01", "amount": "500.00"}


def _statement_request_data(t):
    return {"housing_association": t.objects["ha"].pk, "period_start": "2026-07-01", "period_end": "2026-09-30"}


def _cost_data(t):
    return {
        "kind": "time",
        "on": "2026-06-01",
        "scheme": t.objects["scheme"].pk,
        "person": t.users["staff"].pk,
        "staff_role": t.objects["staff_role"].pk,
        "hours": "2.5",
        "activity": "Design workshop",
        "vat": "0",
    }


def _history_data(t):
    text = "clt,scheme,stage,stage date\nBrought-in CLT,Brought-in scheme,Design,2025-01-01\n"
    return {"file": SimpleUploadedFile("h.csv", text.encode(), "text/csv")}


def _timesheet_data(t):
    text = (
        f"date,person email,role,hours,activity,scheme\n"
        f"2026-06-02,{t.users['staff'].email},{t.objects['staff_role'].name},1.5,Call,{t.objects['scheme'].name}\n"
    )
    return {"file": SimpleUploadedFile("t.csv", text.encode(), "text/csv")}


def _agreement_data(t):
    return {
        "status": "active",
        "fee_basis": "fixed_per_home",
        "fee_per_home": "4000",
        "goes_ahead_at": "start_on_site",
        "vat_rate": "20",
        "fees_subject_to_vat": "on",
        "invoice_terms_days": 30,
    }


MATRIX_SCHEMES: list[Case] = [
    # costs, staff roles and rates, agreements: umbrella staff only
    Case("cost_entry_list", "GET", roles(200, **NON_STAFF)),
    Case("cost_entry_list", "GET", roles(200, **NON_STAFF), query="format=csv"),
    Case("cost_entry_create", "GET", roles(200, **NON_STAFF)),
    Case("cost_entry_create", "POST", roles(302, **NON_STAFF), data=_cost_data),
    Case("cost_entry_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("cost_entry")),
    Case("cost_entry_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("cost_entry"), data=_cost_data),
    Case("cost_entry_delete", "GET", roles(200, **NON_STAFF), kwargs=obj("cost_entry")),
    Case("cost_entry_delete", "POST", roles(302, **NON_STAFF), kwargs=obj("cost_entry")),
    Case("scheme_import", "GET", roles(200, **NON_STAFF)),
    Case("scheme_import", "POST", roles(302, **NON_STAFF), data=_history_data),
    Case("timesheet_import", "GET", roles(200, **NON_STAFF)),
    Case("timesheet_import", "POST", roles(302, **NON_STAFF), data=_timesheet_data),
    Case("staff_role_list", "GET", roles(200, **NON_STAFF)),
    Case("staff_role_create", "GET", roles(200, **NON_STAFF)),
    Case("staff_role_create", "POST", roles(302, **NON_STAFF), data=lambda t: {"name": "Senior adviser"}),
    Case("role_rate_create", "GET", roles(200, **NON_STAFF), kwargs=obj("staff_role")),
    Case(
        "role_rate_create",
        "POST",
        roles(302, **NON_STAFF),
        kwargs=obj("staff_role"),
        data=lambda t: {"hourly_rate": "60.00", "effective_from": "2026-12-01"},
    ),
    Case("agreement_create", "GET", roles(200, **NON_STAFF), kwargs=obj("ha")),
    Case("agreement_create", "POST", roles(302, **NON_STAFF), kwargs=obj("ha"), data=_agreement_data),
    Case("agreement_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("agreement")),
    Case("agreement_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("agreement"), data=_agreement_data),
    # recoupment statements
    Case("statement_list", "GET", roles(200, volunteer=403, other_clt_volunteer=403)),
    Case("statement_list", "GET", roles(200, volunteer=403, other_clt_volunteer=403), query="format=csv"),
    Case("statement_request", "GET", roles(200, **NON_STAFF)),
    Case("statement_request", "POST", roles(302, **NON_STAFF), data=_statement_request_data),
    Case("statement_detail", "GET", roles(200, **STATEMENT_VIEW), kwargs=obj("statement")),
    Case("statement_status", "GET", roles(200, **STATEMENT_VIEW), kwargs=obj("statement")),
    Case("statement_download", "GET", roles(200, **STATEMENT_VIEW), kwargs=obj("statement")),
    Case("statement_issue", "GET", roles(200, **NON_STAFF), kwargs=obj("statement")),
    Case("statement_issue", "POST", roles(302, **NON_STAFF), kwargs=obj("statement")),
    Case(
        "statement_paid",
        "POST",
        roles(302, **NON_STAFF),
        kwargs=obj("statement"),
        data=lambda t: {"paid_on": "2026-11-01"},
    ),
    Case("statement_retry", "POST", roles(302, **NON_STAFF), kwargs=obj("statement")),
    Case("earlier_invoice_list", "GET", roles(200, **NON_STAFF)),
    Case("earlier_invoice_list", "GET", roles(200, **NON_STAFF), query="format=csv"),
    Case("earlier_invoice_create", "GET", roles(200, **NON_STAFF)),
    Case("earlier_invoice_create", "POST", roles(302, **NON_STAFF), data=_earlier_invoice_data),
    Case("earlier_invoice_delete", "GET", roles(200, **NON_STAFF), kwargs=obj("earlier_invoice")),
    Case("earlier_invoice_delete", "POST", roles(302, **NON_STAFF), kwargs=obj("earlier_invoice")),
    # schemes
    Case("scheme_create", "GET", roles(200, **NON_STAFF)),
    Case("scheme_create", "POST", roles(302, **NON_STAFF), data=_scheme_data),
    Case("scheme_edit", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("scheme_edit", "POST", roles(302, **NON_STAFF), kwargs=S, data=_scheme_data),
    Case("scheme_stage", "POST", roles(302, **NON_STAFF), kwargs=S, data=_stage_data),
    Case("scheme_match", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("scheme_match", "POST", roles(302, **NON_STAFF), kwargs=S, data=_match_data),
    Case("lease_detail", "GET", roles(200, **IN_SCHEME), kwargs=S),
    Case("lease_edit", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("lease_edit", "POST", roles(302, **NON_STAFF), kwargs=S, data=_lease_data),
    Case("appraisal_list", "GET", roles(200, **APPRAISAL_VIEW), kwargs=S),
    Case("appraisal_create", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("appraisal_create", "POST", roles(302, **NON_STAFF), kwargs=S, data=_appraisal_data),
    Case("appraisal_detail", "GET", roles(200, **APPRAISAL_VIEW), kwargs=obj("appraisal")),
    Case("appraisal_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("appraisal")),
    Case("appraisal_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("appraisal"), data=_appraisal_data),
    Case("appraisal_agree", "POST", roles(302, **NON_STAFF), kwargs=obj("appraisal")),
    Case("scheme_funding", "GET", roles(200, **APPRAISAL_VIEW), kwargs=S),
    Case("open_data_schemes", "GET", roles(200, **NON_STAFF)),
    Case("open_data_sites", "GET", roles(200, **NON_STAFF)),
    Case("funding_create", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("funding_create", "POST", roles(302, **NON_STAFF), kwargs=S, data=_funding_data),
    Case("funding_claim", "GET", roles(200, **NON_STAFF), kwargs=obj("funding")),
    # The world's scheme pays nothing on completion: staff are told so (400), the rest refused first.
    Case(
        "funding_claim",
        "POST",
        roles(400, **NON_STAFF),
        kwargs=obj("funding"),
        data=lambda t: {"milestone": "completion", "claimed_on": "2026-03-20", "evidence": "Completion"},
    ),  # fmt: skip
    Case(
        "funding_claim_paid",
        "POST",
        roles(302, **NON_STAFF),
        kwargs=obj("funding_claim"),
        data=lambda t: {"paid_on": "2026-04-15"},
    ),  # fmt: skip
    Case("tender_create", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("tender_create", "POST", roles(302, **NON_STAFF), kwargs=S, data=_tender_data),
    Case("milestone_import", "GET", roles(200, **NON_STAFF), kwargs=S),
    Case("milestone_import", "POST", roles(302, **NON_STAFF), kwargs=S, data=_import_data),
    # sites and landowner talks
    Case("site_list", "GET", roles(200, ha_team=403, other_ha_team=403)),
    Case("site_list", "GET", roles(200, ha_team=403, other_ha_team=403), query="format=csv"),
    Case("site_create", "GET", roles(200, **NON_STAFF)),
    Case("site_create", "POST", roles(302, **NON_STAFF), data=_site_data),
    Case("site_detail", "GET", roles(200, **SITE_VIEW), kwargs=obj("site")),
    Case("site_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("site")),
    Case("site_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("site"), data=_site_data),
    Case("site_delete", "GET", roles(200, **NON_STAFF), kwargs=obj("spare_site")),
    Case("site_delete", "POST", roles(302, **NON_STAFF), kwargs=obj("spare_site")),
    Case("negotiation_create", "GET", roles(200, **NON_STAFF), kwargs=obj("site")),
    Case("negotiation_create", "POST", roles(302, **NON_STAFF), kwargs=obj("site"), data=_negotiation_data),
    Case("negotiation_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("negotiation")),
    Case("negotiation_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("negotiation"), data=_negotiation_data),
    Case("negotiation_delete", "GET", roles(200, **NON_STAFF), kwargs=obj("negotiation")),
    Case("negotiation_delete", "POST", roles(302, **NON_STAFF), kwargs=obj("negotiation")),
    # tenders and bids
    Case("tender_list", "GET", roles(200)),
    Case("tender_list", "GET", roles(200), query="format=csv"),
    Case("tender_detail", "GET", roles(200, **IN_SCHEME), kwargs=obj("tender")),
    Case("tender_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("tender")),
    Case("tender_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("tender"), data=_tender_data),
    Case("tender_status", "POST", roles(302, **NON_STAFF), kwargs=obj("tender"), data=lambda t: {"status": "closed"}),
    Case("bid_create", "GET", roles(200, **NON_STAFF), kwargs=obj("tender")),
    Case("bid_create", "POST", roles(302, **NON_STAFF), kwargs=obj("tender"), data=_bid_data),
    Case("bid_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("bid")),
    Case("bid_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("bid"), data=_bid_edit_data),
    Case("bid_delete", "GET", roles(200, **NON_STAFF), kwargs=obj("bid")),
    Case("bid_delete", "POST", roles(302, **NON_STAFF), kwargs=obj("bid")),
    Case("tender_appoint", "POST", roles(302, **NON_STAFF), kwargs=obj("bid")),
    # milestones and tasks
    Case("milestone_list", "GET", roles(200)),
    Case("milestone_list", "GET", roles(200), query="format=csv"),
    Case("milestone_create", "GET", roles(200, **NON_STAFF)),
    Case("milestone_create", "POST", roles(302, **NON_STAFF), data=_milestone_data),
    Case("milestone_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("milestone")),
    Case("milestone_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("milestone"), data=_milestone_data),
    Case("milestone_delete", "GET", roles(200, **NON_STAFF), kwargs=obj("milestone")),
    Case("milestone_delete", "POST", roles(302, **NON_STAFF), kwargs=obj("milestone")),
    # the volunteer owns it; the HA team may update it because it is a development milestone of their scheme
    Case("milestone_progress", "GET", roles(200, **IN_SCHEME), kwargs=obj("milestone")),
    Case("milestone_progress", "POST", roles(302, **IN_SCHEME), kwargs=obj("milestone"), data=_progress_data),
    # partnerships
    Case("ha_create", "GET", roles(200, **NON_STAFF)),
    Case("ha_create", "POST", roles(302, **NON_STAFF), data=_ha_data),
    Case("ha_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("ha")),
    Case("ha_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("ha"), data=_ha_edit_data),
    Case("adviser_firm_list", "GET", roles(200, **STAFF_ONLY_LIST)),
    Case("adviser_firm_list", "GET", roles(200, **STAFF_ONLY_LIST), query="format=csv"),
    Case("adviser_firm_create", "GET", roles(200, **NON_STAFF)),
    Case("adviser_firm_create", "POST", roles(302, **NON_STAFF), data=_firm_data),
    Case("adviser_firm_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("firm")),
    Case("adviser_firm_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("firm"), data=_firm_data),
]
