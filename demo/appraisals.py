"""The demo's viability appraisal (issue 16.1): Orchard Close's, agreed on 14 November 2024 at the
s106 gate, before the CLT bought the freehold. Its figures are those of the worked example in
tests/schemes/test_appraisals.py, so a finance officer can follow them line by line. Safe to repeat."""

from datetime import date
from decimal import Decimal

from accounts.models import Umbrella, User
from schemes.appraisals.models import Appraisal, AppraisalStatus
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
        agreed_at_stage=Stage.S106_SIGNED.label,
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
