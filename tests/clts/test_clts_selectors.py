"""clts selectors: each role sees exactly its own CLTs' records."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from accounts.access import access_for
from accounts.models import Role
from clts import selectors
from clts.models import Person
from tests.factories import UserFactory, membership

pytestmark = pytest.mark.django_db

RECORD_SELECTORS = [
    ("person", selectors.person_list, selectors.person_get),
    ("advice_session", selectors.advice_session_list, selectors.advice_session_get),
    ("revenue_grant", selectors.revenue_grant_list, selectors.revenue_grant_get),
    ("agm", selectors.agm_list, selectors.agm_get),
]


def access(world, role, tenant="a"):
    t = world.tenant(tenant)
    return access_for(user=t.users[role], umbrella_slug=t.umbrella.slug)


@pytest.mark.parametrize("key, list_fn, get_fn", RECORD_SELECTORS, ids=[k for k, _, _ in RECORD_SELECTORS])
def test_each_role_sees_only_its_clts_records(world, key, list_fn, get_fn):
    a = world.a
    record = a.objects[key]
    for role in ("admin", "staff", "volunteer"):
        assert list(list_fn(access=access(world, role))) == [record], role
        assert get_fn(access=access(world, role), public_id=record.public_id) == record
    for role in ("other_clt_volunteer", "ha_team", "other_ha_team"):
        assert list(list_fn(access=access(world, role))) == [], role
        with pytest.raises(Http404):
            get_fn(access=access(world, role), public_id=record.public_id)
    # Another umbrella's staff never reach it, even by its public id.
    with pytest.raises(Http404):
        get_fn(access=access(world, "staff", "b"), public_id=record.public_id)


def test_a_volunteer_of_two_clts_sees_both(world):
    a = world.a
    user = a.users["other_clt_volunteer"]
    membership(a.umbrella, Role.CLT_VOLUNTEER, user=user, clt=a.objects["clt"])
    both = access_for(user=user, umbrella_slug=a.umbrella.slug)
    assert set(selectors.clt_choice_list(access=both)) == {a.objects["clt"], a.objects["other_clt"]}
    assert list(selectors.person_list(access=both)) == [a.objects["person"]]


def test_term_states_flag_ending_within_90_days_and_ended(world):
    a = world.a
    today = date(2026, 3, 1)
    clt = a.objects["clt"]
    Person.objects.filter(clt=clt).delete()
    for name, end in [
        ("Ended", today - timedelta(days=1)),
        ("Ends today", today),
        ("Day 90", today + timedelta(days=90)),
        ("Day 91", today + timedelta(days=91)),
        ("Open", None),
    ]:
        Person.objects.create(
            umbrella=a.umbrella, clt=clt, name=name, role="board_member", term_start=date(2020, 1, 1), term_end=end
        )
    states = {p.name: p.term_state for p in selectors.person_list(access=access(world, "staff"), today=today)}
    assert states == {
        "Ended": "ended",
        "Ends today": "ending_soon",
        "Day 90": "ending_soon",
        "Day 91": "current",
        "Open": "current",
    }
    soon = selectors.person_list(access=access(world, "staff"), term="ending_soon", today=today)
    assert {p.name for p in soon} == {"Ends today", "Day 90"}


def test_advice_givers_are_this_umbrellas_current_admins_and_staff(world):
    a = world.a
    leaver = membership(a.umbrella, Role.STAFF, user=UserFactory())
    leaver.revoked_at = leaver.created_at
    leaver.save()
    givers = set(selectors.advice_giver_list(access=access(world, "staff")))
    assert givers == {a.users["admin"], a.users["staff"]}
    assert list(selectors.advice_giver_list(access=access(world, "volunteer"))) == []
    kept = selectors.advice_giver_list(access=access(world, "staff"), include=leaver.user)
    assert leaver.user in kept


def test_totals_for_the_clt_page(world):
    a = world.a
    clt = a.objects["clt"]
    staff = access(world, "staff")
    assert selectors.advice_session_totals(access=staff, clt=clt) == {"sessions": 1, "hours": Decimal("2.50")}
    assert selectors.revenue_grant_totals(access=staff, clt=clt) == {
        "requested": Decimal("45000.00"),
        "awarded": Decimal("40000.00"),
    }


def test_governance_checklist_names_what_is_missing(world):
    clt = world.a.objects["clt"]
    clt.s79_defined_community = True
    checklist = selectors.clt_governance_checklist(access=access(world, "staff"), clt=clt)
    assert len(checklist.tests) == 5 and not checklist.complete
    assert [t.field for t in checklist.missing] == [
        "s79_community_benefit",
        "s79_open_membership",
        "s79_member_control",
        "s79_asset_lock",
    ]


def test_parishes_are_for_staff_and_volunteers_only(world):
    assert selectors.parish_choice_list(access=access(world, "volunteer")).exists()
    assert not selectors.parish_choice_list(access=access(world, "ha_team")).exists()
    counted = selectors.parish_list(access=access(world, "staff"), with_counts=True).get(
        pk=world.a.objects["parish"].pk
    )
    assert counted.clt_count == 1
