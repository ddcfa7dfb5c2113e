"""The permission matrix for a live scheme's stewardship (issue 15): everyone who sees the scheme
sees its ledger and checks; staff and the freeholder CLT's volunteers record payments and checks."""

from tests.permissions.matrix_base import Case, obj, roles

SEEN_AS_SCHEME = dict(other_clt_volunteer=404, other_ha_team=404)
# The rule lets CLT volunteers in; the scheme's selector answers 404 to another CLT's.
RECORDERS = dict(other_clt_volunteer=404, ha_team=403, other_ha_team=403)


def _check(t):
    return {"public_id": t.objects["scheme"].public_id, "check_id": t.objects["covenant_check"].public_id}


MATRIX_STEWARDSHIP = [
    Case("stewardship", "GET", roles(200, **SEEN_AS_SCHEME), kwargs=obj("scheme")),
    Case("stewardship", "GET", roles(200, **SEEN_AS_SCHEME), kwargs=obj("scheme"), query="format=csv"),
    Case("ground_rent_payment_create", "GET", roles(200, **RECORDERS), kwargs=obj("scheme")),
    Case(
        "ground_rent_payment_create",
        "POST",
        roles(302, **RECORDERS),
        kwargs=obj("scheme"),
        data=lambda t: {"paid_on": "2026-06-01", "amount": "250.00", "reference": "BACS 1234"},
    ),
    Case("covenant_check_create", "GET", roles(200, **RECORDERS), kwargs=obj("scheme")),
    Case(
        "covenant_check_create",
        "POST",
        roles(302, **RECORDERS),
        kwargs=obj("scheme"),
        data=lambda t: {"kind": "annual_return", "due_on": "2027-03-31", "recurs_yearly": "on"},
    ),
    Case("covenant_check_done", "GET", roles(200, **RECORDERS), kwargs=_check),
    Case(
        "covenant_check_done",
        "POST",
        roles(302, **RECORDERS),
        kwargs=_check,
        data=lambda t: {"done_on": "2026-05-01", "evidence": "Certificate from the insurer, emailed 1 May"},
    ),
]
