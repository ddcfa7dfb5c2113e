"""The clts demo loader: fills the demo CLTs, and running it again changes nothing."""

import pytest

from accounts.models import Umbrella
from clts.models import AGM, CLT, AdviceSession, GrantStatus, Person, RevenueGrant
from demo.clts import load_clts_demo
from demo.schemes import load_demo

pytestmark = pytest.mark.django_db

MODELS = (Person, AGM, AdviceSession, RevenueGrant)


def state():
    rows = {}
    for model in MODELS:
        rows[model.__name__] = sorted(
            tuple(str(v) for k, v in row.items() if k != "updated_at") for row in model.objects.values()
        )
    rows["CLT"] = sorted(CLT.objects.values_list("name", "s79_asset_lock", "s79_member_control"))
    return rows


def test_load_clts_demo_twice_changes_nothing():
    load_demo()
    load_clts_demo()
    first = state()
    load_clts_demo()
    assert state() == first
    for model in MODELS:
        assert model.objects.exists(), model.__name__

    wessex = Umbrella.objects.get(slug="wessex")
    ashcombe = CLT.objects.get(umbrella=wessex, name="Ashcombe Magna Community Land Trust")
    assert ashcombe.s79_asset_lock and ashcombe.people.count() >= 3
    grant = RevenueGrant.objects.get(clt=ashcombe, funder="Homes England")
    assert grant.programme == "Community Housing Fund (revenue)" and grant.status == GrantStatus.AWARDED
    # Every record sits in its CLT's umbrella, and advice is given by that umbrella's staff.
    for model in MODELS:
        for obj in model.objects.select_related("clt"):
            assert obj.umbrella_id == obj.clt.umbrella_id
    for session in AdviceSession.objects.select_related("clt__umbrella", "given_by"):
        assert session.given_by.memberships.filter(umbrella=session.clt.umbrella, role__in=["admin", "staff"]).exists()
    essex = Umbrella.objects.get(slug="south-essex")
    assert RevenueGrant.objects.filter(umbrella=essex).exists()
