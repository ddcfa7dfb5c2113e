"""Issue 16.1: a scheme's viability appraisal, versioned, with its working, a sensitivity table,
and the total scheme cost a percentage fee is worked on. Worked by hand:

Orchard Close: 4 social rent at £110.00 a week, 4 affordable rent at £150.00 (market £200.00, so
75%), 4 shared ownership worth £240,000.00 with 25% sold and 2.75% a year on the rest; build
£2,000,000.00, on-costs £100,000.00, fees £160,000.00, land £138,000.00, lease premium £137,999.00
(the land less £1), ground rent £100.00 a home, grant £1,080,000.00; management £1,200.00 a rented
home, voids 3%, 40 years at 4.5%.

  social rent        4 × £110.00 × 52                        =  £22,880.00
  affordable rent    4 × £150.00 × 52                        =  £31,200.00
  voids              3% × (£22,880.00 + £31,200.00 = £54,080.00) = −£1,622.40
  management         8 × £1,200.00                           =  −£9,600.00
  ground rent        12 × £100.00                            =  −£1,200.00
  shared ownership   4 × (75% × £240,000.00 = £180,000.00) × 2.75% = £19,800.00
  net rent a year    22,880.00 + 31,200.00 − 1,622.40 − 9,600.00 − 1,200.00 + 19,800.00 = £61,457.60
  annuity factor     1.045^40 = 5.816365; 1 / 5.816365 = 0.171929; (1 − 0.171929) / 0.045 = 18.401584
  present value      £61,457.60 × 18.401584 = £1,130,917.19
  receipts           4 × 25% × £240,000.00 = £240,000.00
  total scheme cost  2,000,000.00 + 100,000.00 + 160,000.00 + 137,999.00 = £2,397,999.00
  NPV                1,130,917.19 + 240,000.00 + 1,080,000.00 − 2,397,999.00 = £52,918.19
  residual land value  52,918.19 + 137,999.00 = £190,917.19

Sensitivity: build −10% (£1,800,000.00): total £2,197,999.00, NPV £252,918.19. Rents +10%: £121.00
and £165.00 a week, 3.025% on the unsold shares: 25,168.00 + 34,320.00 − 1,784.64 − 9,600.00 −
1,200.00 + 21,780.00 = £68,683.36 a year; × 18.401584 = £1,263,882.62; NPV £185,883.62.

A 1.5% fee on the agreed version: 1.5% × £2,397,999.00 = £35,969.985, to the penny £35,969.99.
"""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.access import access_for
from accounts.models import AuditEvent, Role
from partnerships.organisations.models import FeeBasis
from partnerships.recoupment.calculator import recoupment_calculate
from schemes.appraisals import services
from schemes.appraisals.calculations import annuity_factor, appraise, sensitivity
from schemes.appraisals.models import Appraisal, AppraisalStatus
from schemes.stages import Stage
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    SchemeFactory,
    UmbrellaFactory,
    membership,
)

D = Decimal
pytestmark = pytest.mark.django_db

INPUTS = {
    "social_rent_homes": "4", "social_rent_weekly": "110.00",
    "affordable_rent_homes": "4", "affordable_rent_weekly": "150.00", "market_rent_weekly": "200.00",
    "shared_ownership_homes": "4", "shared_ownership_value": "240000.00", "shared_ownership_share": "25",
    "shared_ownership_rent": "2.75",
    "discounted_sale_homes": "0", "discounted_sale_value": "0", "discounted_sale_discount": "30",
    "build_cost": "2000000.00", "on_costs": "100000.00", "fees": "160000.00", "land_price": "138000.00",
    "lease_premium": "137999.00", "ground_rent": "100.00", "grant": "1080000.00",
    "management_per_home": "1200.00", "voids_percent": "3", "term_years": "40", "discount_rate": "4.5",
    "notes": "",
}  # fmt: skip


@pytest.fixture
def orchard():
    u = UmbrellaFactory(name="Wessex CLT Project")
    staff = membership(u, Role.STAFF).user
    ha = HousingAssociationFactory(umbrella=u, name="Aster Group")
    scheme = SchemeFactory(clt=CLTFactory(umbrella=u), housing_association=ha, name="Orchard Close",
                           stage=Stage.S106_SIGNED, homes_social_rent=4, homes_affordable_rent=4,
                           homes_shared_ownership=4, total_cost=D("2940000.00"))  # fmt: skip
    client = Client()
    client.force_login(staff)
    return {"u": u, "staff": staff, "ha": ha, "scheme": scheme, "client": client,
            "access": access_for(user=staff, umbrella_slug=u.slug)}  # fmt: skip


def url(o, name, obj):
    return reverse(name, kwargs={"umbrella_slug": o["u"].slug, "public_id": obj.public_id})


def made(o, **changes) -> Appraisal:
    response = o["client"].post(url(o, "appraisal_create", o["scheme"]), {**INPUTS, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Appraisal.objects.filter(scheme=o["scheme"]).latest("version")


def test_the_worked_figures(orchard):
    a = made(orchard)
    r = appraise(a)
    assert [line.amount for line in r.income] == [
        D("22880.00"), D("31200.00"), D("-1622.40"), D("-9600.00"), D("-1200.00"), D("19800.00"),
    ]  # fmt: skip
    assert r.net_rent == D("61457.60")
    assert annuity_factor(D("4.5"), 40) == r.annuity_factor == D("18.401584")
    assert annuity_factor(D("0"), 40) == D("40")  # no discounting: each year counts whole
    assert r.present_value == D("1130917.19")
    assert r.capital_receipts == D("240000.00")
    assert r.total_scheme_cost == D("2397999.00")
    assert r.npv == D("52918.19")
    assert r.residual_land_value == D("190917.19")
    grid = {b: dict(row) for b, row in sensitivity(a)}
    assert grid[D("0")][D("0")] == D("52918.19")
    assert grid[D("-10")][D("0")] == D("252918.19")
    assert grid[D("0")][D("10")] == D("185883.62")


def test_the_page_shows_the_working_and_the_sensitivity_table(orchard):
    a = made(orchard)
    body = html.unescape(" ".join(orchard["client"].get(url(orchard, "appraisal_detail", a)).content.decode().split()))
    assert "4 × £110.00 × 52" in body and "£22,880.00" in body
    assert "4 × £180,000.00 unsold × 2.75%" in body and "£19,800.00" in body
    assert (
        "Net rent a year £61,457.60 × annuity factor 18.401584 (40 years at 4.5%) = present value £1,130,917.19" in body
    )
    assert "− total scheme cost £2,397,999.00 = £52,918.19" in body
    assert "Residual land value = NPV £52,918.19 + lease premium £137,999.00 = £190,917.19" in body
    assert "£252,918.19" in body and "£185,883.62" in body  # two cells of the sensitivity table
    assert "75.0% of the market rent" in body and "Draft" in body


def test_bad_input_says_every_problem_at_once_and_saves_nothing(orchard):
    before = (Appraisal.objects.count(), AuditEvent.objects.count())
    response = orchard["client"].post(
        url(orchard, "appraisal_create", orchard["scheme"]),
        {**INPUTS, "affordable_rent_weekly": "170.00", "build_cost": "-5", "discount_rate": "25",
         "shared_ownership_share": "120"},
    )  # fmt: skip
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Affordable rent is at most 80% of the market rent: at most £160.00 a week here." in body
    assert "Give £0.00 or more." in body  # the build cost
    assert "Give a percentage from 0 to 20." in body  # the discount rate
    assert "Give a percentage from 0 to 100." in body  # the share sold
    assert (Appraisal.objects.count(), AuditEvent.objects.count()) == before


def test_versions_are_kept_the_agreed_one_is_marked_and_never_changes(orchard):
    first = made(orchard)
    assert first.version == 1 and first.status == AppraisalStatus.DRAFT
    response = orchard["client"].post(url(orchard, "appraisal_agree", first))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.agreed_at_stage, first.agreed_by) == (
        AppraisalStatus.AGREED, "s106_signed", orchard["staff"],
    )  # fmt: skip
    # An agreed version does not change: its edit page sends back to it.
    response = orchard["client"].post(url(orchard, "appraisal_edit", first), {**INPUTS, "build_cost": "1"})
    assert response.status_code == 302 and Appraisal.objects.get(pk=first.pk).build_cost == D("2000000.00")
    # A new version starts as a copy of the latest, and is a draft of its own.
    page = orchard["client"].get(url(orchard, "appraisal_create", orchard["scheme"])).content.decode()
    assert 'value="2000000.00"' in page
    second = made(orchard, build_cost="2100000.00")
    assert second.version == 2 and second.status == AppraisalStatus.DRAFT
    listing = html.unescape(orchard["client"].get(url(orchard, "appraisal_list", orchard["scheme"])).content.decode())
    assert "Agreed</strong> at “s106 agreement signed”" in listing and "Draft" in listing


@pytest.mark.parametrize("stage", [Stage.ENQUIRY, Stage.SITE_SECURED, Stage.FREEHOLD_AND_LEASE])
def test_an_appraisal_agreed_at_a_stage_with_a_long_name_keeps_its_code(orchard, stage):
    """The stage is kept by its code: "Freehold acquired and lease granted" (35 characters) once
    overflowed the column that held the name, and agreeing failed on PostgreSQL."""
    from schemes.models import Scheme

    Scheme.objects.filter(pk=orchard["scheme"].pk).update(stage=stage)
    appraisal = made(orchard)
    response = orchard["client"].post(url(orchard, "appraisal_agree", appraisal), follow=True)
    appraisal.refresh_from_db()
    assert (appraisal.status, appraisal.agreed_at_stage) == (AppraisalStatus.AGREED, stage)
    assert f"is agreed at “{Stage(stage).label}”" in html.unescape(response.content.decode())


def test_a_percentage_fee_is_worked_on_the_agreed_appraisals_total_scheme_cost(orchard):
    AgreementFactory(housing_association=orchard["ha"], fee_basis=FeeBasis.PERCENT_OF_COST, fee_per_home=None,
                     fee_percent=D("1.5"), fees_subject_to_vat=False)  # fmt: skip
    scheme, access = orchard["scheme"], orchard["access"]
    from datetime import datetime

    from django.utils import timezone

    from schemes.models import StageChange

    StageChange.objects.create(umbrella=orchard["u"], scheme=scheme, to_stage=Stage.START_ON_SITE,
                               changed_at=timezone.make_aware(datetime(2026, 6, 1, 9)))  # went ahead  # fmt: skip

    def fee(period_end=date(2099, 12, 31)):
        r = recoupment_calculate(access=access, housing_association=orchard["ha"], period_start=date(2026, 4, 1),
                                 period_end=period_end)  # fmt: skip
        return r.schemes[0].recoverable, r.schemes[0].working

    # No appraisal agreed: the scheme's recorded figure, 1.5% × £2,940,000.00 = £44,100.00.
    assert fee() == (D("44100.00"), "1.50% × £2,940,000.00 total scheme cost (as recorded on the scheme) = £44,100.00")
    a = made(orchard)
    assert fee()[0] == D("44100.00")  # a draft changes nothing
    services.appraisal_agree(access=access, appraisal=a)
    assert fee() == (
        D("35969.99"),
        "1.50% × £2,397,999.00 total scheme cost (agreed appraisal, version 1) = £35,969.99",
    )
    # A period that ended before the appraisal was agreed (today) keeps the figure it had then.
    a.refresh_from_db()
    assert fee(period_end=a.agreed_on - timedelta(days=1))[0] == D("44100.00")


def test_who_sees_appraisals(orchard):
    a = made(orchard)
    u, scheme = orchard["u"], orchard["scheme"]
    team = Client()
    team.force_login(membership(u, Role.HA_TEAM, ha=orchard["ha"]).user)
    assert team.get(url(orchard, "appraisal_detail", a)).status_code == 200
    assert team.get(url(orchard, "appraisal_list", scheme)).status_code == 200
    assert team.get(url(orchard, "appraisal_create", scheme)).status_code == 403
    other_team = Client()
    other_team.force_login(membership(u, Role.HA_TEAM, ha=HousingAssociationFactory(umbrella=u)).user)
    assert other_team.get(url(orchard, "appraisal_detail", a)).status_code == 404
    volunteer = Client()
    volunteer.force_login(membership(u, Role.CLT_VOLUNTEER, clt=scheme.clt).user)
    # The HA's finances are not the CLT's: its volunteers are refused by the rule, before any lookup.
    assert volunteer.get(url(orchard, "appraisal_detail", a)).status_code == 403
    assert volunteer.get(url(orchard, "appraisal_list", scheme)).status_code == 403
