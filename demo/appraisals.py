"""The demo's scheme money (issue 16): Orchard Close's viability appraisal, agreed on 14 November
2024 at the s106 gate, before the CLT bought the freehold (the worked example of
tests/schemes/test_appraisals.py, so a finance officer can follow it line by line); its Homes
England grant, 40% on start on site (claimed and paid) and 60% on completion; and the district
council's s106 sum, claimed on the start and not yet paid. Safe to repeat."""

from datetime import date
from decimal import Decimal

from accounts.models import Umbrella, User
from schemes.appraisals.models import Appraisal, AppraisalStatus
from schemes.funding.models import CapitalFunding, FundingClaim, FundingKind
from schemes.models import Scheme
from schemes.stages import Stage

D = Decimal


def load_appraisals_demo() -> None:
    umbrella = Umbrella.objects.get(slug="wessex")
    orchard = Scheme.objects.get(umbrella=umbrella, name="Orchard Close, Ashcombe Magna")
    if Appraisal.objects.filter(scheme=orchard).exists():
        return
    Appraisal.objects.create(
        umbrella=umbrella,
        scheme=orchard,
        version=1,
        status=AppraisalStatus.AGREED,
        agreed_on=date(2024, 11, 14),
        agreed_at_stage=Stage.S106_SIGNED,
        agreed_by=User.objects.get(email="wessex-staff@fieldgate.test"),
        social_rent_homes=4,
        social_rent_weekly=D("110.00"),
        affordable_rent_homes=4,
        affordable_rent_weekly=D("150.00"),
        market_rent_weekly=D("200.00"),
        shared_ownership_homes=4,
        shared_ownership_value=D("240000.00"),
        shared_ownership_share=D("25"),
        shared_ownership_rent=D("2.75"),
        build_cost=D("2000000.00"),
        on_costs=D("100000.00"),
        fees=D("160000.00"),
        land_price=D("138000.00"),
        lease_premium=D("137999.00"),
        ground_rent=D("100.00"),
        grant=D("1080000.00"),
        management_per_home=D("1200.00"),
        voids_percent=D("3"),
        term_years=40,
        discount_rate=D("4.5"),
        notes="Agreed by Aster's development committee and the CLT board before the freehold purchase.",
    )


def load_funding_demo() -> None:
    umbrella = Umbrella.objects.get(slug="wessex")
    orchard = Scheme.objects.get(umbrella=umbrella, name="Orchard Close, Ashcombe Magna")
    if CapitalFunding.objects.filter(scheme=orchard).exists():
        return
    homes_england = CapitalFunding.objects.create(
        umbrella=umbrella, scheme=orchard, kind=FundingKind.GRANT, funder="Homes England",
        programme="Affordable Homes Programme 2021 to 2026", reference="AHP-SW-0142",
        allocation=D("1080000.00"), allocated_on=date(2024, 12, 2),
        acquisition_percent=D("0"), start_on_site_percent=D("40"), completion_percent=D("60"),
    )  # fmt: skip
    FundingClaim.objects.create(
        umbrella=umbrella, funding=homes_england, milestone="start_on_site",
        amount=homes_england.tranche_amount("start_on_site"), claimed_on=date(2025, 3, 20),
        evidence="Contractor's start notice of 10 March 2025, and the site photographs", paid_on=date(2025, 4, 15),
    )  # fmt: skip
    s106 = CapitalFunding.objects.create(
        umbrella=umbrella, scheme=orchard, kind=FundingKind.S106, funder="Somerset Council",
        programme="Commuted sum from the Ashcombe Fields s106", reference="24/00123/FUL",
        allocation=D("60000.00"), allocated_on=date(2022, 11, 3),
        acquisition_percent=D("0"), start_on_site_percent=D("100"), completion_percent=D("0"),
    )  # fmt: skip
    FundingClaim.objects.create(
        umbrella=umbrella, funding=s106, milestone="start_on_site", amount=s106.tranche_amount("start_on_site"),
        claimed_on=date(2025, 3, 24), evidence="Start notice sent to the council's s106 officer",
    )  # fmt: skip
