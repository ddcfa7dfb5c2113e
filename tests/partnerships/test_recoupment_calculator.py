"""The recoupment calculator, figure by figure. Every expected amount is worked by hand here.

The set-up, shared by every test:
- rates: Project manager £50.00/h from 1 Jan 2026, £55.00/h from 1 Jul 2026; Adviser £40.00/h
  from 1 Jan 2025;
- scheme Orchard (10 homes, total cost £2,000,000) reached Start on site on 1 Aug 2026:
    15 Jun 2026  PM 10 h       10 × £50.00 = £500.00   (stage: Design and consultation)
    10 Jul 2026  PM 4 h         4 × £55.00 = £220.00   (the rate changed on 1 Jul)
     1 Sep 2026  Adviser 3.5 h 3.5 × £40.00 = £140.00  (stage: Start on site)
     5 Sep 2026  expense (net)               £80.00   (VAT £16.00 is not a cost to recover)
    costs to 30 Sep 2026: £940.00; in the period 1 Jul – 30 Sep 2026: £440.00
- scheme Glebe (at design): PM 2 h on 1 Aug 2026 at £55.00 = £110.00, at risk;
- scheme Station Yard (withdrawn, never went ahead): Adviser 5 h on 1 May 2026 = £200.00, absorbed.
"""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.access import access_for
from accounts.models import Role
from partnerships.organisations.models import FeeBasis, RoleRate, StaffRole
from partnerships.recoupment.calculator import recoupment_calculate, recoupment_figures
from partnerships.recoupment.models import Statement, StatementStatus
from schemes.models import CostEntry, StageChange
from schemes.stages import Stage
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    SchemeFactory,
    UmbrellaFactory,
    membership,
)

pytestmark = pytest.mark.django_db
D = Decimal
PERIOD = (date(2026, 7, 1), date(2026, 9, 30))


def at(day: date):
    return timezone.make_aware(datetime.combine(day, time(9)))


@pytest.fixture
def setup():
    u = UmbrellaFactory()
    staff = membership(u, Role.STAFF).user
    access = access_for(user=staff, umbrella_slug=u.slug)
    ha = HousingAssociationFactory(umbrella=u, name="Test HA")
    pm = StaffRole.objects.create(umbrella=u, name="Project manager")
    adviser = StaffRole.objects.create(umbrella=u, name="Adviser")
    RoleRate.objects.create(umbrella=u, staff_role=pm, hourly_rate=D("50.00"), effective_from=date(2026, 1, 1))
    RoleRate.objects.create(umbrella=u, staff_role=pm, hourly_rate=D("55.00"), effective_from=date(2026, 7, 1))
    RoleRate.objects.create(umbrella=u, staff_role=adviser, hourly_rate=D("40.00"), effective_from=date(2025, 1, 1))
    clt = CLTFactory(umbrella=u)
    orchard = SchemeFactory(
        clt=clt,
        housing_association=ha,
        name="Orchard",
        stage=Stage.START_ON_SITE,
        homes_affordable_rent=6,
        homes_shared_ownership=4,
        total_cost=D("2000000"),
    )
    glebe = SchemeFactory(clt=clt, housing_association=ha, name="Glebe", stage=Stage.DESIGN)
    station = SchemeFactory(clt=clt, housing_association=ha, name="Station Yard", stage=Stage.WITHDRAWN)
    for scheme, moves in (
        (
            orchard,
            [
                (Stage.ENQUIRY, date(2026, 1, 5)),
                (Stage.DESIGN, date(2026, 3, 1)),
                (Stage.START_ON_SITE, date(2026, 8, 1)),
            ],
        ),
        (glebe, [(Stage.ENQUIRY, date(2026, 1, 5)), (Stage.DESIGN, date(2026, 6, 1))]),
        (station, [(Stage.ENQUIRY, date(2025, 1, 5)), (Stage.WITHDRAWN, date(2026, 6, 1))]),
    ):
        for to, day in moves:
            StageChange.objects.create(umbrella=u, scheme=scheme, to_stage=to, changed_at=at(day))

    def time_entry(scheme, role, hours, day):
        CostEntry.objects.create(
            umbrella=u,
            kind="time",
            clt=clt,
            scheme=scheme,
            on=day,
            person=staff,
            staff_role=role,
            hours=D(hours),
            activity="Project management",
        )

    time_entry(orchard, pm, "10", date(2026, 6, 15))
    time_entry(orchard, pm, "4", date(2026, 7, 10))
    time_entry(orchard, adviser, "3.5", date(2026, 9, 1))
    CostEntry.objects.create(
        umbrella=u,
        kind="expense",
        clt=clt,
        scheme=orchard,
        on=date(2026, 9, 5),
        description="Community consultation event hall hire",
        amount=D("80.00"),
        vat=D("16.00"),
    )
    time_entry(glebe, pm, "2", date(2026, 8, 1))
    time_entry(station, adviser, "5", date(2026, 5, 1))
    # After the period: not counted.
    time_entry(orchard, pm, "20", date(2026, 10, 1))
    return access, ha


def calc(access, ha):
    return recoupment_calculate(access=access, housing_association=ha, period_start=PERIOD[0], period_end=PERIOD[1])


def by_name(r):
    return {s.scheme.name: s for s in r.schemes}


def test_costs_rates_and_states(setup):
    access, ha = setup
    AgreementFactory(housing_association=ha, fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=D("4500.00"))
    r = calc(access, ha)
    s = by_name(r)
    orchard = s["Orchard"]
    assert [line.amount for line in orchard.lines] == [D("500.00"), D("220.00"), D("140.00"), D("80.00")]
    assert [line.rate for line in orchard.lines[:3]] == [D("50.00"), D("55.00"), D("40.00")]
    assert orchard.costs_to_date == D("940.00") and orchard.costs_in_period == D("440.00")
    assert (orchard.state, orchard.went_ahead_on) == ("gone_ahead", date(2026, 8, 1))
    assert orchard.costs_by_stage == {"Design and consultation": D("720.00"), "Start on site": D("220.00")}
    assert (s["Glebe"].state, s["Glebe"].costs_to_date) == ("at_risk", D("110.00"))
    assert (s["Station Yard"].state, s["Station Yard"].costs_to_date) == ("absorbed", D("200.00"))
    assert r.total_at_risk == D("110.00") and r.total_absorbed == D("200.00")


def test_fixed_fee_per_home_with_vat(setup):
    access, ha = setup
    AgreementFactory(
        housing_association=ha,
        fee_basis=FeeBasis.FIXED_PER_HOME,
        fee_per_home=D("4500.00"),
        vat_rate=D("20.00"),
        fees_subject_to_vat=True,
    )
    r = calc(access, ha)
    # 10 homes × £4,500.00 = £45,000.00; VAT 20% = £9,000.00; due £54,000.00
    assert by_name(r)["Orchard"].recoverable == D("45000.00")
    assert by_name(r)["Orchard"].working == "10 homes × £4,500.00 = £45,000.00"
    assert (r.total_outstanding, r.vat, r.total_due) == (D("45000.00"), D("9000.00"), D("54000.00"))
    # Nothing is billed for the at-risk or the absorbed scheme.
    assert by_name(r)["Glebe"].recoverable == D("0.00") and by_name(r)["Station Yard"].outstanding == D("0.00")


def test_percentage_of_scheme_cost(setup):
    access, ha = setup
    AgreementFactory(
        housing_association=ha,
        fee_basis=FeeBasis.PERCENT_OF_COST,
        fee_per_home=None,
        fee_percent=D("2.50"),
        fees_subject_to_vat=False,
    )
    r = calc(access, ha)
    # 2.5% × £2,000,000.00 = £50,000.00; no VAT
    assert by_name(r)["Orchard"].recoverable == D("50000.00")
    assert (r.vat, r.total_due) == (D("0.00"), D("50000.00"))


@pytest.mark.parametrize("cap, expected", [("800.00", "800.00"), ("40000.00", "940.00")])
def test_actual_costs_up_to_a_cap(setup, cap, expected):
    access, ha = setup
    AgreementFactory(
        housing_association=ha,
        fee_basis=FeeBasis.ACTUAL_CAPPED,
        fee_per_home=None,
        cap_amount=D(cap),
        fees_subject_to_vat=False,
    )
    # Actual costs £940.00: capped at £800.00 → £800.00; under a £40,000.00 cap → £940.00
    assert by_name(calc(access, ha))["Orchard"].recoverable == D(expected)


def test_part_invoiced_scheme_shows_what_is_left(setup):
    access, ha = setup
    AgreementFactory(
        housing_association=ha, fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=D("4500.00"), vat_rate=D("20.00")
    )
    # An earlier statement, issued, invoiced £30,000.00 of Orchard's £45,000.00.
    orchard = by_name(calc(access, ha))["Orchard"].scheme
    Statement.objects.create(
        umbrella=ha.umbrella,
        housing_association=ha,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        reference="EARLIER-1",
        status=StatementStatus.ISSUED,
        figures={"schemes": [{"scheme_id": str(orchard.public_id), "state": "gone_ahead", "outstanding": "30000.00"}]},
    )
    r = calc(access, ha)
    row = by_name(r)["Orchard"]
    # £45,000.00 − £30,000.00 invoiced before = £15,000.00; VAT £3,000.00; due £18,000.00
    assert (row.invoiced_before, row.outstanding) == (D("30000.00"), D("15000.00"))
    assert (r.vat, r.total_due) == (D("3000.00"), D("18000.00"))


def test_a_missing_rate_is_reported_not_hidden(setup):
    access, ha = setup
    AgreementFactory(housing_association=ha, fee_basis=FeeBasis.ACTUAL_CAPPED, fee_per_home=None, cap_amount=D("1"))
    RoleRate.objects.filter(effective_from=date(2025, 1, 1)).delete()  # the adviser has no rate now
    r = calc(access, ha)
    assert any("No rate for Adviser on 01 Sep 2026" in p for p in r.problems)


def test_figures_freeze_as_json(setup):
    access, ha = setup
    AgreementFactory(housing_association=ha, fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=D("4500.00"))
    figures = recoupment_figures(calc(access, ha))
    assert figures["totals"]["outstanding"] == "45000.00" and figures["totals"]["due"] == "54000.00"
    orchard = next(s for s in figures["schemes"] if s["name"] == "Orchard")
    assert [line["amount"] for line in orchard["lines"]] == ["500.00", "220.00", "140.00", "80.00"]
