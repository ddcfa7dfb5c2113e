"""The demo data: loads, is safe to run twice, and gives every role in both umbrellas a login."""

from decimal import Decimal

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


def test_the_demos_dates_agree_with_each_other():
    """Issue 17: each scheme's stage history runs forward to its stage, after its CLT was
    incorporated; the lease, the s106 and the start notice fall on the moves they record; advisers
    are appointed, costs incurred and homes let when the scheme was at the point that allows it;
    nothing done is dated after today."""
    from django.utils import timezone

    from clts.allocations.models import AllocationPolicy
    from schemes.funding.models import FundingClaim
    from schemes.funding.services import reached_on
    from schemes.models import CostEntry, Lease, Milestone, Tender
    from schemes.relets.models import Let
    from schemes.stages import Stage

    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    wrong = []

    def check(ok, what):
        if not ok:
            wrong.append(what)

    for scheme in Scheme.objects.filter(umbrella__slug__in=["wessex", "south-essex"]).select_related("clt"):
        moves = [(timezone.localdate(c.changed_at), c.to_stage) for c in scheme.stage_changes.order_by("changed_at")]
        on = {stage: day for day, stage in moves}
        name = scheme.name
        if not moves:
            wrong.append(f"{name}: no stage history")
            continue
        check(moves[-1][1] == scheme.stage, f"{name}: its last move is not to its stage")
        check([d for d, _ in moves] == sorted(d for d, _ in moves), f"{name}: moves out of order")
        check(all(d <= today for d, _ in moves), f"{name}: a move after today")
        if Stage.CLT_FORMED in on and scheme.clt.incorporated_on:
            check(scheme.clt.incorporated_on <= on[Stage.CLT_FORMED], f"{name}: CLT formed before it was incorporated")
        lease = Lease.objects.filter(scheme=scheme).first()
        if lease and lease.start_on:
            check(on.get(Stage.FREEHOLD_AND_LEASE) == lease.start_on, f"{name}: the lease and its move disagree")
            check(lease.freehold_acquired_on <= lease.start_on, f"{name}: the lease before the freehold")
        policy = AllocationPolicy.objects.filter(clt=scheme.clt, s106_signed_on__isnull=False).order_by("version")
        if Stage.S106_SIGNED in on and policy.exists():
            check(policy.first().s106_signed_on == on[Stage.S106_SIGNED], f"{name}: the s106 and its move disagree")
        for tender in Tender.objects.filter(scheme=scheme, appointed_on__isnull=False):
            check(moves[0][0] <= tender.appointed_on <= today, f"{name}: {tender} appointed outside the scheme's life")
            if tender.role == "architect" and Stage.DESIGN in on:
                check(tender.appointed_on <= on[Stage.DESIGN], f"{name}: design began before the architect")
            if tender.role == "planning_consultant" and Stage.PLANNING_SUBMITTED in on:
                check(tender.appointed_on <= on[Stage.PLANNING_SUBMITTED], f"{name}: planning before its consultant")
        for milestone in Milestone.objects.filter(scheme=scheme, completed_on__isnull=False):
            check(moves[0][0] <= milestone.completed_on <= today, f"{name}: “{milestone}” done outside its life")
            if "starts on site" in milestone.title:
                check(milestone.completed_on == on.get(Stage.START_ON_SITE), f"{name}: the start and its move disagree")
        costs = CostEntry.objects.filter(scheme=scheme)
        check(not costs.filter(on__lt=moves[0][0]).exists(), f"{name}: costs before its enquiry")
        check(not costs.filter(on__gt=today).exists(), f"{name}: costs after today")
        if Stage.WITHDRAWN in on:
            check(not costs.filter(on__gt=on[Stage.WITHDRAWN]).exists(), f"{name}: costs after it was withdrawn")
        for claim in FundingClaim.objects.filter(funding__scheme=scheme):
            reached = reached_on(scheme, claim.milestone)
            check(reached and reached <= claim.claimed_on <= today, f"{name}: {claim} claimed before its milestone")
            check(not claim.paid_on or claim.claimed_on <= claim.paid_on <= today, f"{name}: {claim} paid oddly")
        for let in Let.objects.filter(home__scheme=scheme):
            check(
                Stage.PRACTICAL_COMPLETION in on and let.started_on >= on[Stage.PRACTICAL_COMPLETION],
                f"{name}: {let.home} let before the homes were finished",
            )
    assert not wrong, "\n".join(wrong)


def test_orchard_close_has_an_agreed_appraisal_a_finance_officer_can_follow():
    from schemes.appraisals.calculations import appraise
    from schemes.appraisals.models import Appraisal

    call_command("load_demo", verbosity=0)
    agreed = Appraisal.objects.get(scheme__name="Orchard Close, Ashcombe Magna", status="agreed")
    r = appraise(agreed)
    # The worked example of tests/schemes/test_appraisals.py, line by line.
    assert (r.net_rent, r.present_value, r.total_scheme_cost, r.npv, r.residual_land_value) == (
        Decimal("61457.60"), Decimal("1130917.19"), Decimal("2397999.00"), Decimal("52918.19"), Decimal("190917.19"),
    )  # fmt: skip
    assert agreed.agreed_at_stage == "s106_signed" and agreed.scheme.total_cost == r.total_scheme_cost
    staff = Client()
    staff.force_login(User.objects.get(email="aster-team@fieldgate.test"))
    page = staff.get(f"/u/wessex/appraisals/{agreed.public_id}/").content.decode()
    assert "£52,918.19" in page and "18.401584" in page


def test_orchard_closes_grant_claims_show_on_its_funding_timeline():
    call_command("load_demo", verbosity=0)
    orchard = Scheme.objects.get(name="Orchard Close, Ashcombe Magna")
    team = Client()
    team.force_login(User.objects.get(email="aster-team@fieldgate.test"))
    page = " ".join(team.get(f"/u/wessex/schemes/{orchard.public_id}/funding/").content.decode().split())
    # 40% × £1,080,000.00 = £432,000.00 claimed 20 Mar and paid 15 Apr 2025; 60% = £648,000.00 to come.
    assert "20 Mar 2025</td><td>Start on site tranche claimed" in page and "£432,000.00" in page
    assert "15 Apr 2025</td><td>Start on site tranche paid" in page
    assert "Practical completion tranche (60%)" in page and "£648,000.00" in page
    assert "s106 sum allocated" in page and "claimed, not yet paid" in page
