"""Issue 16.2: capital grants and s106 sums in tranches on milestones, claimed with evidence once
the scheme reaches each, paid or not, on a funding timeline. Worked figures:

  Homes England, £1,080,000.00 allocated 1 Jun 2025, 0% on acquisition, 40% on start on site, 60%
  on completion: 40% × £1,080,000.00 = £432,000.00; the rest, £1,080,000.00 − £432,000.00 = £648,000.00.
  Orchard Close started on site on 10 Mar 2026; the start tranche is claimed 20 Mar, paid 15 Apr 2026.
  An s106 sum from the district council, £60,000.00, all on start on site.
  Thirds of £100,000.01 at 33.33%, 33.33%, 33.34%: £33,330.00, £33,330.00, and the rest £33,340.01.
"""

import html
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Role
from clts.models import RevenueGrant
from schemes.funding.models import CapitalFunding, FundingClaim
from schemes.models import StageChange
from schemes.stages import Stage
from tests.factories import CLTFactory, HousingAssociationFactory, SchemeFactory, UmbrellaFactory, membership

D = Decimal
pytestmark = pytest.mark.django_db

GRANT = {
    "kind": "grant", "funder": "Homes England", "programme": "Affordable Homes Programme 2021 to 2026",
    "reference": "AHP-0042", "allocation": "1080000.00", "allocated_on": "2025-06-01",
    "acquisition_percent": "0", "start_on_site_percent": "40", "completion_percent": "60",
}  # fmt: skip


@pytest.fixture
def o():
    u = UmbrellaFactory(name="Wessex CLT Project")
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u, name="Aster Group")
    scheme = SchemeFactory(clt=CLTFactory(umbrella=u), housing_association=ha, name="Orchard Close",
                           stage=Stage.START_ON_SITE)  # fmt: skip
    for stage, day in ((Stage.FREEHOLD_AND_LEASE, date(2026, 1, 6)), (Stage.START_ON_SITE, date(2026, 3, 10))):
        StageChange.objects.create(umbrella=u, scheme=scheme, to_stage=stage,
                                   changed_at=timezone.make_aware(datetime.combine(day, datetime.min.time())))  # fmt: skip
    client = Client()
    client.force_login(staff)
    return {"u": u, "ha": ha, "scheme": scheme, "client": client}


def url(o, name, obj):
    return reverse(name, kwargs={"umbrella_slug": o["u"].slug, "public_id": obj.public_id})


def page(response) -> str:
    return html.unescape(" ".join(response.content.decode().split()))


def grant(o, **changes) -> CapitalFunding:
    response = o["client"].post(url(o, "funding_create", o["scheme"]), {**GRANT, **changes})
    assert response.status_code == 302, page(response)[-3000:]
    return CapitalFunding.objects.filter(scheme=o["scheme"]).latest("pk")


def test_the_tranches_are_the_programmes_split_of_the_allocation(o):
    g = grant(o)
    assert g.split() == [("start_on_site", D("40.00"), D("432000.00")), ("completion", D("60.00"), D("648000.00"))]
    thirds = grant(o, allocation="100000.01", acquisition_percent="33.33", start_on_site_percent="33.33",
                   completion_percent="33.34")  # fmt: skip
    assert [a for _, _, a in thirds.split()] == [D("33330.00"), D("33330.00"), D("33340.01")]
    assert sum(a for _, _, a in thirds.split()) == D("100000.01")
    # Tenths that floats cannot hold exactly still add up to 100, checked in Decimal.
    odd = grant(o, acquisition_percent="10.1", start_on_site_percent="20.2", completion_percent="69.7")
    assert [p for _, p, _ in odd.split()] == [D("10.10"), D("20.20"), D("69.70")]


def test_a_split_that_does_not_add_to_100_or_a_bad_sum_is_refused_and_nothing_saved(o):
    before = (CapitalFunding.objects.count(), AuditEvent.objects.count())
    response = o["client"].post(
        url(o, "funding_create", o["scheme"]),
        {**GRANT, "acquisition_percent": "30", "start_on_site_percent": "40", "completion_percent": "20",
         "allocation": "-5", "allocated_on": "2099-01-01"},
    )  # fmt: skip
    body = page(response)
    assert response.status_code == 400
    assert "The tranches add up to 90%: they must add up to 100%." in body
    assert "Give more than £0.00." in body
    assert "1 Jan 2099 is after today" in body
    assert (CapitalFunding.objects.count(), AuditEvent.objects.count()) == before


def test_a_tranche_is_claimed_once_the_scheme_reaches_its_milestone_and_then_paid(o):
    g = grant(o)
    claim_url = url(o, "funding_claim", g)
    early = o["client"].post(claim_url, {"milestone": "start_on_site", "claimed_on": "2026-03-05", "evidence": "x"})
    assert early.status_code == 400
    assert "Orchard Close reached start on site on 10 Mar 2026: claim on or after it." in page(early)
    later = o["client"].post(claim_url, {"milestone": "completion", "claimed_on": "2026-03-20", "evidence": "x"})
    assert "Orchard Close has not reached practical completion yet." in page(later)
    none = o["client"].post(claim_url, {"milestone": "acquisition", "claimed_on": "2026-03-20", "evidence": "x"})
    assert "Nothing of this funding is paid on acquisition" in page(none)
    no_evidence = o["client"].post(claim_url, {"milestone": "start_on_site", "claimed_on": "2026-03-20"})
    assert "Say what shows the milestone was reached" in page(no_evidence)
    assert not FundingClaim.objects.filter(funding=g).exists()

    made = o["client"].post(claim_url, {"milestone": "start_on_site", "claimed_on": "2026-03-20",
                                        "evidence": "Start notice of 10 March 2026"})  # fmt: skip
    assert made.status_code == 302
    claim = FundingClaim.objects.get(funding=g)
    assert (claim.amount, claim.paid_on) == (D("432000.00"), None)
    again = o["client"].post(claim_url, {"milestone": "start_on_site", "claimed_on": "2026-03-21", "evidence": "x"})
    assert "The start on site tranche has been claimed already." in page(again)

    paid_url = url(o, "funding_claim_paid", claim)
    response = o["client"].post(paid_url, {"paid_on": "2026-03-19"}, follow=True)
    assert "It was claimed on 20 Mar 2026: paid on or after that." in page(response)
    o["client"].post(paid_url, {"paid_on": "2026-04-15"})
    claim.refresh_from_db()
    assert claim.paid_on == date(2026, 4, 15)


def test_the_timeline_puts_the_schemes_money_in_date_order(o):
    g = grant(o)
    grant(o, kind="s106", funder="Somerset Council", programme="", reference="", allocation="60000.00",
          allocated_on="2025-09-01", start_on_site_percent="100", completion_percent="0")  # fmt: skip
    o["client"].post(url(o, "funding_claim", g), {"milestone": "start_on_site", "claimed_on": "2026-03-20",
                                                   "evidence": "Start notice"})  # fmt: skip
    o["client"].post(url(o, "funding_claim_paid", FundingClaim.objects.get(funding=g)), {"paid_on": "2026-04-15"})
    body = page(o["client"].get(url(o, "scheme_funding", o["scheme"])))
    timeline = body.split('id="timeline-title"')[1]
    order = [
        "1 Jun 2025 Capital grant allocated Homes England £1,080,000.00",
        "1 Sep 2025 s106 sum allocated Somerset Council £60,000.00",
        "20 Mar 2026 Start on site tranche claimed Homes England £432,000.00 paid",
        "15 Apr 2026 Start on site tranche paid Homes England £432,000.00 paid",
        "To come Practical completion tranche (60%) Homes England £648,000.00 to claim",
        "To come Start on site tranche (100%) Somerset Council £60,000.00 to claim",
    ]
    flat = " ".join(timeline.replace("</td><td>", " ").replace('</td><td class="num">', " ").split())
    positions = [flat.find(line) for line in order]
    assert all(p >= 0 for p in positions), [line for line, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_who_sees_the_funding(o):
    g = grant(o)
    u, scheme = o["u"], o["scheme"]
    team, other, volunteer = Client(), Client(), Client()
    team.force_login(membership(u, Role.HA_TEAM, ha=o["ha"]).user)
    other.force_login(membership(u, Role.HA_TEAM, ha=HousingAssociationFactory(umbrella=u)).user)
    volunteer.force_login(membership(u, Role.CLT_VOLUNTEER, clt=scheme.clt).user)
    assert team.get(url(o, "scheme_funding", scheme)).status_code == 200
    assert team.get(url(o, "funding_claim", g)).status_code == 403
    assert other.get(url(o, "scheme_funding", scheme)).status_code == 404
    assert volunteer.get(url(o, "scheme_funding", scheme)).status_code == 403


def test_a_claim_before_the_allocation_or_for_nothing_is_refused(o):
    # Allocated 15 Mar 2026, after the start on site of 10 Mar: a claim of 12 Mar follows the
    # milestone but comes before there was any funding to claim.
    g = grant(o, allocated_on="2026-03-15")
    claim_url = url(o, "funding_claim", g)
    early = o["client"].post(claim_url, {"milestone": "start_on_site", "claimed_on": "2026-03-12", "evidence": "x"})
    assert early.status_code == 400
    assert "The funding was allocated on 15 Mar 2026: claim on or after it." in page(early)
    # £0.01 in thirds: 33% × £0.01 = £0.0033, £0.00 to two places; the completion tranche takes the penny.
    tiny = grant(o, allocation="0.01", acquisition_percent="0", start_on_site_percent="33", completion_percent="67")
    assert [a for _, _, a in tiny.split()] == [D("0.00"), D("0.01")]
    nothing = o["client"].post(url(o, "funding_claim", tiny),
                               {"milestone": "start_on_site", "claimed_on": "2026-03-20", "evidence": "x"})  # fmt: skip
    assert "The start on site tranche comes to £0.00: there is nothing to claim." in page(nothing)
    # Nor is it offered: the funding page says so and the timeline leaves it out.
    body = page(o["client"].get(url(o, "scheme_funding", o["scheme"])))
    assert "Nothing to claim" in body and "Start on site tranche (33%)" not in body
    assert not FundingClaim.objects.filter(funding__scheme=o["scheme"]).exists()


def test_a_refused_or_withdrawn_revenue_grant_is_not_on_the_timeline(o):
    clt = o["scheme"].clt
    for status, funder in (("awarded", "Awarded Fund"), ("refused", "Refused Fund"), ("withdrawn", "Withdrawn Fund"),
                           ("submitted", "Waiting Fund")):  # fmt: skip
        RevenueGrant.objects.create(umbrella=o["u"], clt=clt, funder=funder, amount_requested=D("5000.00"),
                                    status=status, submitted_on=date(2025, 5, 1))  # fmt: skip
    grant(o)
    timeline = page(o["client"].get(url(o, "scheme_funding", o["scheme"]))).split('id="timeline-title"')[1]
    assert "Awarded Fund" in timeline and "Waiting Fund" in timeline
    assert "Refused Fund" not in timeline and "Withdrawn Fund" not in timeline
