"""The demo data: loads, is safe to run twice, and gives every role in both umbrellas a login."""

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Membership, Role, Umbrella, User
from demo.schemes import DEMO_PASSWORD
from schemes.models import Scheme, StageChange

pytestmark = pytest.mark.django_db


def counts():
    return (
        Umbrella.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Scheme.objects.count(),
        StageChange.objects.count(),
    )


def test_load_demo_twice_changes_nothing_and_prints_the_logins(capsys):
    call_command("load_demo")
    first = counts()
    out = capsys.readouterr().out
    call_command("load_demo")
    assert counts() == first
    assert "wessex-admin@fieldgate.test" in out and DEMO_PASSWORD in out

    wessex = Umbrella.objects.get(slug="wessex")
    essex = Umbrella.objects.get(slug="south-essex")
    for umbrella in (wessex, essex):
        roles = set(Membership.objects.active().filter(umbrella=umbrella).values_list("role", flat=True))
        assert roles == {Role.ADMIN, Role.STAFF, Role.CLT_VOLUNTEER, Role.HA_TEAM}
        assert umbrella.require_mfa_for_staff is False
    both = User.objects.get(email="consultant@fieldgate.test")
    assert {m.umbrella.slug for m in both.memberships.all()} == {"wessex", "south-essex"}
    has = set(wessex.memberships.values_list("user__email", flat=True))
    assert "aster-team@fieldgate.test" in has
    ha_names = set(Scheme.objects.filter(umbrella=wessex).values_list("housing_association__name", flat=True))
    assert {"Aster Group", "Hastoe", "Yarlington", "Teign Housing", "Alliance"} <= ha_names


def test_every_printed_demo_login_works(capsys):
    call_command("load_demo")
    emails = [line.split()[0] for line in capsys.readouterr().out.splitlines() if "@fieldgate.test" in line]
    assert len(emails) == 9
    for email in emails:
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        home = client.get("/", follow=True)
        assert home.status_code == 200, email


def test_the_demo_clt_ranks_eight_applicants_across_three_tiers_and_aster_sees_the_issued_list():
    from accounts.access import access_for
    from schemes.allocations.ranking import ranking_for
    from schemes.allocations.selectors import nomination_list_list

    call_command("load_demo")
    call_command("load_demo")  # twice: still one policy history, eight applicants, one list
    panel = User.objects.get(email="ashcombe-volunteer@fieldgate.test")
    scheme = Scheme.objects.get(name="Orchard Close, Ashcombe Magna")
    ranking = ranking_for(access=access_for(user=panel, umbrella_slug="wessex"), scheme=scheme)
    assert ranking.policy.version == 2
    assert len(ranking.places) == 8 and not ranking.not_ranked
    assert sorted({p.assessment.tier.position for p in ranking.places}) == [1, 2, 3]
    assert [p.rank_label for p in ranking.places] == ["1", "2=", "2=", "4", "5", "6", "7", "8"]
    aster = User.objects.get(email="aster-team@fieldgate.test")
    [issued] = nomination_list_list(access=access_for(user=aster, umbrella_slug="wessex"))
    assert issued.status == "ready" and issued.entries.count() == 8
