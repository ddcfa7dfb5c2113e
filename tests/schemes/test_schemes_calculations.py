"""Calculations with their worked figures, checkable by hand."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from schemes.calculations import (
    add_years,
    buy_back_fixed_formula,
    buy_back_outstanding_debt,
    buy_back_valuation,
    lease_years_remaining,
    rank_bids,
    whole_years_between,
)


def test_lease_dates():
    # A 125-year lease from 1 April 2026 ends on the day before the 125th anniversary.
    assert add_years(date(2026, 4, 1), 125) == date(2151, 4, 1)
    # 29 February falls back to 28 February in a common year.
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert whole_years_between(date(2025, 4, 1), date(2035, 3, 31)) == 9
    assert whole_years_between(date(2025, 4, 1), date(2035, 4, 1)) == 10


def test_years_remaining():
    # From 1 April 2025 for 125 years: the term runs to 1 April 2150. On 24 November 2026 that is
    # 45,053 days away; 45,053 ÷ 365.25 = 123.348… → 123.3 years.
    assert lease_years_remaining(start_on=date(2025, 4, 1), term_years=125, on=date(2026, 11, 24)) == Decimal("123.3")
    assert lease_years_remaining(start_on=date(2025, 4, 1), term_years=125, on=date(2150, 4, 1)) == Decimal("0.0")
    assert lease_years_remaining(start_on=date(2025, 4, 1), term_years=125, on=date(2024, 1, 1)) == Decimal("125.0")


def test_buy_back_fixed_formula():
    # £250,000 indexed at 2.5% a year for the 10 completed years from 1 April 2025 to 1 April 2035:
    # 250,000 × 1.025^10 = 250,000 × 1.280085 = £320,021.14 (to the penny, half up).
    estimate = buy_back_fixed_formula(
        base_price=Decimal("250000"), indexation_percent=Decimal("2.5"), start_on=date(2025, 4, 1), on=date(2035, 4, 1)
    )
    assert estimate.amount == Decimal("320021.14")
    assert "Completed years from 1 April 2025 to 1 April 2035: 10" in estimate.working[0]
    assert estimate.working[-1] == "= £320,021.14"
    # A day before the 10th anniversary only 9 years have completed: 250,000 × 1.025^9 = £312,215.74.
    assert buy_back_fixed_formula(
        base_price=Decimal("250000"), indexation_percent=Decimal("2.5"), start_on=date(2025, 4, 1), on=date(2035, 3, 31)
    ).amount == Decimal("312215.74")


def test_buy_back_outstanding_debt():
    # £1,000,000 over 30 years at 5%: annual repayment 1,000,000 × 0.05 ÷ (1 − 1.05^−30) = £65,051.44.
    # After 10 years: 1,000,000 × 1.05^10 − 65,051.435 × (1.05^10 − 1) ÷ 0.05
    #   = 1,628,894.63 − 65,051.435 × 12.577893 = £810,684.67.
    estimate = buy_back_outstanding_debt(
        principal=Decimal("1000000"),
        rate_percent=Decimal("5"),
        term_years=30,
        start_on=date(2025, 4, 1),
        on=date(2035, 4, 1),
    )
    assert estimate.amount == Decimal("810684.67")
    assert "£65,051.44" in estimate.working[0]
    # No interest: £300,000 over 30 years repays £10,000 a year; after 12 years £180,000 is left.
    flat = buy_back_outstanding_debt(
        principal=Decimal("300000"),
        rate_percent=Decimal("0"),
        term_years=30,
        start_on=date(2020, 1, 1),
        on=date(2032, 1, 1),
    )
    assert flat.amount == Decimal("180000.00")
    # Past the end of the loan nothing is owed.
    assert buy_back_outstanding_debt(
        principal=Decimal("300000"),
        rate_percent=Decimal("4"),
        term_years=5,
        start_on=date(2020, 1, 1),
        on=date(2032, 1, 1),
    ).amount == Decimal("0.00")


def test_buy_back_valuation():
    # £1,200,000 valuation at 85% of value: £1,020,000.00.
    estimate = buy_back_valuation(valuation=Decimal("1200000"), valued_on=date(2026, 6, 30), percent=Decimal("85"))
    assert estimate.amount == Decimal("1020000.00")


def bid(name, price, quality):
    return SimpleNamespace(firm=name, price=Decimal(price), quality_score=Decimal(quality))


def test_tender_ranking_with_stated_weighting():
    # Weighting 40% price, 60% quality. Lowest price £20,000.
    # A: £20,000, quality 70: price score 100 → 40.00; quality 70 × 0.6 = 42.00; total 82.00
    # B: £25,000, quality 90: 20,000 ÷ 25,000 × 100 = 80 → 32.00; 54.00; total 86.00
    # C: £40,000, quality 95: 50 → 20.00; 57.00; total 77.00
    ranking = rank_bids([bid("A", "20000", "70"), bid("B", "25000", "90"), bid("C", "40000", "95")], price_weight=40)
    assert [(r.bid.firm, r.total, r.rank) for r in ranking] == [
        ("B", Decimal("86.00"), 1),
        ("A", Decimal("82.00"), 2),
        ("C", Decimal("77.00"), 3),
    ]
    assert ranking[1].price_score == Decimal("100.00") and ranking[0].price_score == Decimal("80.00")
    # All on price: the cheapest wins.
    assert rank_bids([bid("A", "20000", "70"), bid("B", "25000", "90")], price_weight=100)[0].bid.firm == "A"


def test_ties_are_shown_as_ties():
    ranking = rank_bids([bid("D", "20000", "70"), bid("E", "20000", "70"), bid("F", "30000", "60")], price_weight=50)
    assert [r.rank for r in ranking] == [1, 1, 3]
    assert ranking[0].tied and ranking[1].tied and not ranking[2].tied
