"""Role rules, as a table. Predicates take the request's `Access` (and sometimes an object).

A view names the rule it needs per HTTP method; services test the object-level rules again.
Read with DESIGN.md section 1.
"""

import rules


@rules.predicate
def is_member(access) -> bool:
    return access is not None


@rules.predicate
def is_admin(access) -> bool:
    return access is not None and access.is_admin


@rules.predicate
def is_staff(access) -> bool:
    return access is not None and access.is_staff


@rules.predicate
def is_clt_volunteer(access) -> bool:
    return access is not None and access.is_clt_volunteer


@rules.predicate
def is_ha_team(access) -> bool:
    return access is not None and access.is_ha_team


@rules.predicate
def volunteer_of_clt(access, clt) -> bool:
    return access is not None and access.is_clt_volunteer and clt is not None and clt.pk in access.clt_ids


@rules.predicate
def ha_team_of_scheme(access, scheme) -> bool:
    return (
        access is not None
        and access.is_ha_team
        and scheme is not None
        and scheme.housing_association_id in access.ha_ids
    )


RULES = {
    # Any member of the umbrella.
    "umbrella.view": is_member,
    # Members, invitations and umbrella settings.
    "members.view": is_staff,
    "members.manage": is_admin,
    "umbrella.manage": is_admin,
    # Partner organisations and collaboration agreements: staff; HA teams see their own HA.
    "partners.view": is_staff | is_ha_team,
    "partners.manage": is_staff,
    # Recoupment statements: staff; an HA team sees its own HA's once ready.
    "statements.view": is_staff | is_ha_team,
    # Cost entries and rates are the umbrella's own business, never the CLT's or the HA's.
    "costs.view": is_staff,
    # CLTs: staff everything; volunteers see their CLTs' records and change their CLT's
    # profile, board, members and AGMs (object rule: volunteer_of_clt). Advice sessions and
    # grants are the umbrella's work: volunteers read them.
    "clts.view": is_staff | is_clt_volunteer,
    "clts.manage": is_staff,
    "clts.change_clt": is_staff | volunteer_of_clt,
    # Documents: whoever may see the record they belong to (the selectors ask its owner's
    # selector; an HA team only what staff share with it); staff upload and change them.
    "documents.view": is_member,
    "documents.manage": is_staff,
    # Stewardship of a live scheme (ground rent, covenant checks): everyone who sees the scheme;
    # staff and the freeholder CLT's volunteers record payments and checks (object rule on the CLT).
    "stewardship.view": is_member,
    "stewardship.record": is_staff | is_clt_volunteer,
    "stewardship.record_for_clt": is_staff | volunteer_of_clt,
    # Homes and re-lets: everyone who sees the scheme sees its homes (household names only staff
    # and the CLT's allocation panel); staff record the homes; the scheme's HA team (or staff)
    # records a vacancy, which asks for a nomination, and whom the home was let to. The panel
    # nominates through the nominations rules.
    "relets.view": is_member,
    "relets.manage_homes": is_staff,
    "relets.report": is_staff | is_ha_team,
    "relets.report_for_scheme": is_staff | ha_team_of_scheme,
    # Viability appraisals: staff, and the scheme's HA team (its finances); never the CLT's
    # volunteers (the selector answers 404). Staff write and agree them.
    "appraisals.view": is_staff | is_ha_team,
    "appraisals.manage": is_staff,
    # Capital funding (grants, s106 sums) and its claims: the same people as appraisals.
    "funding.view": is_staff | is_ha_team,
    "funding.manage": is_staff,
    # The read-only API (api/): staff and HA teams, each seeing what their pages show (the same
    # selectors); not CLT volunteers, whose CLT's pages are theirs to read in the browser.
    "api.use": is_staff | is_ha_team,
    # Schemes: everyone in scope sees them (selectors narrow); staff change them.
    "schemes.view": is_member,
    "schemes.manage": is_staff,
    # Sites and landowner talks: staff and the CLT's volunteers see them; staff change them.
    "sites.view": is_staff | is_clt_volunteer,
    # Milestones: staff all; HA teams their schemes' development milestones; volunteers and HA
    # teams the tasks they own (object rule in schemes.services).
    "milestones.update": is_member,
    # Allocation policies: staff draft and agree them; the CLT's volunteers read them and use the
    # eligibility checker (which stores nothing). HA teams see the agreed one on their schemes.
    "allocations.view_policy": is_staff | is_clt_volunteer,
    "allocations.manage_policy": is_staff,
    "allocations.check": is_staff | is_clt_volunteer,
    # Applicants are personal data: staff and the allocation panel of the scheme's CLT. The rule
    # lets CLT volunteers reach the pages so that the selectors (which narrow to the CLTs whose
    # panel they sit on) answer 404 to everyone else, as for a record that does not exist. The
    # HA team sees an issued nomination list of its scheme, nothing earlier (selector).
    "applicants.view": is_staff | is_clt_volunteer,
    "applicants.manage": is_staff | is_clt_volunteer,
    "nominations.view": is_staff | is_clt_volunteer | is_ha_team,
    "nominations.issue": is_staff | is_clt_volunteer,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)


def can(access, rule: str, obj=None) -> bool:
    return rules.test_rule(rule, access, obj)


def access_that_can(*, user_id: int | None, umbrella_id: int, rule: str):
    """For queued work, which has ids, not a request: the access of that person in that umbrella
    now (a membership revoked since the click counts), or None when they have none or it may not
    do `rule`."""
    from accounts.access import access_for_user_id

    access = access_for_user_id(user_id=user_id, umbrella_id=umbrella_id) if user_id else None
    return access if access is not None and can(access, rule) else None
