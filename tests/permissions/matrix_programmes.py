"""Permission matrix entries for strategic partnership programme URLs (see tests/permissions/matrix.py).

Staff read and change everything; an HA team reads the programmes its HA is a member of (the
world's programme has A's first HA as a member, so other_ha_team gets 404); CLT volunteers 403.
"""

from tests.permissions.matrix_base import Case, obj, roles  # noqa: F401

NON_STAFF = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
READ = dict(volunteer=403, other_clt_volunteer=403)
READ_MEMBER = dict(volunteer=403, other_clt_volunteer=403, other_ha_team=404)


def _programme_data(t):
    return {
        "name": "A second programme",
        "aim": "Deliver more homes together",
        "status": "proposed",
        "funder": "LGA",
        "funding_programme": "Housing Advisers Programme",
        "funding_amount": "15000.00",
        "starts_on": "2026-01-05",
        "ends_on": "2026-09-30",
        "lead_authority": t.objects["prog_council"].pk,
    }


def _programme_edit_data(t):
    return {**_programme_data(t), "name": t.objects["programme"].name, "status": "active"}


def _organisation_data(t):
    return {"name": "New District Council", "kind": "local_authority"}


def _organisation_edit_data(t):
    return {
        "name": t.objects["prog_org"].name,
        "kind": "housing_association",
        "housing_association": t.objects["ha"].pk,
    }


def _member_data(t):
    return {"organisation": t.objects["prog_org"].pk, "role": "Representing HAs"}  # edit keeps its organisation


def _member_create_data(t):
    from partnerships.programmes.models import Organisation

    org = Organisation.objects.get(umbrella=t.umbrella, kind="homes_england")
    return {"organisation": org.pk, "role": "Funder and enabler"}


def _representative_data(t):
    return {"member": t.objects["prog_member"].pk, "name": "Alex Newman", "title": "Director of Development"}


def _representative_edit_data(t):
    return {"member": t.objects["prog_member"].pk, "name": t.objects["prog_rep"].name, "title": "Chief Executive"}


def _engagement_data(t):
    return {
        "title": "Workshop two",
        "kind": "workshop",
        "format": "online",
        "held_on": "2021-04-08",
        "attendees": [t.objects["prog_rep"].pk],
    }


def _reschedule_data(t):
    return {"new_date": "2021-04-15", "reason": "National lockdown"}


def _commitment_data(t):
    return {
        "member": t.objects["prog_member"].pk,
        "title": "Bring two sites forward",
        "status": "agreed",
        "committed_on": "2021-09-01",
        "due_on": "2022-03-31",
    }


def _agreement_data(t):
    return {
        "kind": "spv",
        "name": "Delivery SPV",
        "status": "in_development",
        "purpose": "Deliver sites",
        "parties": [t.objects["prog_member"].pk],
    }


def _agreement_edit_data(t):
    return {"kind": "mou", "name": t.objects["prog_agreement"].name, "status": "signed", "signed_on": "2022-01-17"}


def _exemplar_data(t):
    return {"site": t.objects["spare_site"].pk, "notes": "A small first site"}


def _exemplar_edit_data(t):
    return {"site": t.objects["site"].pk, "notes": "Changed notes"}


def _next_step_data(t):
    return {"title": "Set up the delivery model"}


def _lesson_data(t):
    return {"title": "Take time to meet"}


def _quote_data(t):
    return {"text": "We did more together.", "attribution_name": "Sam Example", "attribution_title": "Chief Executive"}


def _record_cases(kind, world_key, create_data, edit_data=None):
    return [
        Case(f"programme_{kind}_create", "GET", roles(200, **NON_STAFF), kwargs=obj("programme")),
        Case(f"programme_{kind}_create", "POST", roles(302, **NON_STAFF), kwargs=obj("programme"), data=create_data),
        Case(f"programme_{kind}_edit", "GET", roles(200, **NON_STAFF), kwargs=obj(world_key)),
        Case(
            f"programme_{kind}_edit",
            "POST",
            roles(302, **NON_STAFF),
            kwargs=obj(world_key),
            data=edit_data or create_data,
        ),
    ]


MATRIX_PROGRAMMES: list[Case] = [
    Case("programme_list", "GET", roles(200, **READ)),
    Case("programme_list", "GET", roles(200, **READ), query="format=csv"),
    Case("programme_create", "GET", roles(200, **NON_STAFF)),
    Case("programme_create", "POST", roles(302, **NON_STAFF), data=_programme_data),
    Case("programme_detail", "GET", roles(200, **READ_MEMBER), kwargs=obj("programme")),
    Case("programme_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("programme")),
    Case("programme_edit", "POST", roles(302, **NON_STAFF), kwargs=obj("programme"), data=_programme_edit_data),
    Case("programme_organisation_list", "GET", roles(200, **NON_STAFF)),
    Case("programme_organisation_list", "GET", roles(200, **NON_STAFF), query="format=csv"),
    Case("programme_organisation_create", "GET", roles(200, **NON_STAFF)),
    Case("programme_organisation_create", "POST", roles(302, **NON_STAFF), data=_organisation_data),
    Case("programme_organisation_edit", "GET", roles(200, **NON_STAFF), kwargs=obj("prog_org")),
    Case(
        "programme_organisation_edit",
        "POST",
        roles(302, **NON_STAFF),
        kwargs=obj("prog_org"),
        data=_organisation_edit_data,
    ),
    *_record_cases("member", "prog_member", _member_create_data, _member_data),
    *_record_cases("representative", "prog_rep", _representative_data, _representative_edit_data),
    *_record_cases("engagement", "engagement", _engagement_data),
    Case("programme_engagement_reschedule", "GET", roles(200, **NON_STAFF), kwargs=obj("engagement")),
    Case(
        "programme_engagement_reschedule",
        "POST",
        roles(302, **NON_STAFF),
        kwargs=obj("engagement"),
        data=_reschedule_data,
    ),
    *_record_cases("commitment", "commitment", _commitment_data),
    *_record_cases("agreement", "prog_agreement", _agreement_data, _agreement_edit_data),
    *_record_cases("exemplar_site", "exemplar", _exemplar_data, _exemplar_edit_data),
    *_record_cases("next_step", "next_step", _next_step_data),
    *_record_cases("lesson", "lesson", _lesson_data),
    *_record_cases("quote", "quote", _quote_data),
    Case("case_study_request", "POST", roles(302, **NON_STAFF), kwargs=obj("programme")),
    Case("case_study_detail", "GET", roles(200, **READ_MEMBER), kwargs=obj("case_study")),
    Case("case_study_status", "GET", roles(200, **READ_MEMBER), kwargs=obj("case_study")),
    Case("case_study_download", "GET", roles(200, **READ_MEMBER), kwargs=obj("case_study")),
]
