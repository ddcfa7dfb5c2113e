"""Pure calculations with their working shown: lease dates, buy-back price, tender ranking.

Money is Decimal in pounds, rounded to the penny (half up) only at the end of a calculation.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")


def pounds(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def money(value: Decimal) -> str:
    return f"£{pounds(value):,.2f}"


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def whole_years_between(start: date, end: date) -> int:
    """Completed years from start to end (0 if end is before the first anniversary)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def lease_years_remaining(*, start_on: date, term_years: int, on: date) -> Decimal:
    """Years left on the lease at `on`, to one decimal place (0 once it has ended)."""
    expires_on = add_years(start_on, term_years)
    if on >= expires_on:
        return Decimal("0.0")
    if on < start_on:
        return Decimal(term_years).quantize(Decimal("0.1"))
    days_left = (expires_on - on).days
    return (Decimal(days_left) / Decimal("365.25")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Estimate:
    amount: Decimal | None
    working: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def buy_back_fixed_formula(*, base_price: Decimal, indexation_percent: Decimal, start_on: date, on: date) -> Estimate:
    """Base price indexed by a fixed percentage for each completed year since the lease began."""
    years = whole_years_between(start_on, on)
    factor = (1 + indexation_percent / HUNDRED) ** years
    amount = pounds(base_price * factor)
    return Estimate(
        amount,
        [
            f"Completed years from {long_date(start_on)} to {long_date(on)}: {years}",
            f"{money(base_price)} × (1 + {indexation_percent}%)^{years} = {money(base_price)} × {factor:.6f}",
            f"= {money(amount)}",
        ],
    )


def buy_back_outstanding_debt(
    *, principal: Decimal, rate_percent: Decimal, term_years: int, start_on: date, on: date
) -> Estimate:
    """What remains of a repayment loan (equal annual payments) after the completed years."""
    years = min(whole_years_between(start_on, on), term_years)
    r = rate_percent / HUNDRED
    if r == 0:
        payment = principal / term_years
        outstanding = principal - payment * years
        lines = [
            f"Annual repayment with no interest: {money(principal)} ÷ {term_years} = {money(payment)}",
            f"Outstanding after {years} years: {money(principal)} − {years} × {money(payment)}",
        ]
    else:
        growth_n = (1 + r) ** term_years
        payment = principal * r * growth_n / (growth_n - 1)
        growth_k = (1 + r) ** years
        outstanding = principal * growth_k - payment * (growth_k - 1) / r
        lines = [
            f"Annual repayment: {money(principal)} × {rate_percent}% ÷ (1 − (1 + {rate_percent}%)^−{term_years})"
            f" = {money(payment)}",
            f"Outstanding after {years} completed years: {money(principal)} × (1 + {rate_percent}%)^{years}"
            f" − {money(payment)} × ((1 + {rate_percent}%)^{years} − 1) ÷ {rate_percent}%",
        ]
    amount = pounds(max(outstanding, Decimal("0")))
    return Estimate(amount, lines + [f"= {money(amount)}"])


def buy_back_valuation(*, valuation: Decimal, valued_on: date | None, percent: Decimal) -> Estimate:
    amount = pounds(valuation * percent / HUNDRED)
    when = f" (valued {long_date(valued_on)})" if valued_on else ""
    return Estimate(
        amount,
        [
            f"Latest valuation{when}: {money(valuation)}",
            f"{money(valuation)} × {percent}% = {money(amount)}",
            "A valuation at the time of exercise sets the actual price.",
        ],
    )


# --- tender ranking --------------------------------------------------------------------------


@dataclass
class RankedBid:
    bid: object
    price_score: Decimal
    weighted_price: Decimal
    weighted_quality: Decimal
    total: Decimal
    rank: int = 0
    tied: bool = False


def rank_bids(bids, *, price_weight: int) -> list[RankedBid]:
    """The lowest price scores 100 on price; others lowest ÷ price × 100. The total weights price
    and quality (both out of 100) by the tender's stated weighting. Equal totals share a rank."""
    bids = list(bids)
    if not bids:
        return []
    lowest = min(b.price for b in bids)
    pw = Decimal(price_weight)
    qw = HUNDRED - pw
    rows = []
    for b in bids:
        price_score = (lowest / b.price * HUNDRED).quantize(PENNY, rounding=ROUND_HALF_UP)
        weighted_price = (price_score * pw / HUNDRED).quantize(PENNY, rounding=ROUND_HALF_UP)
        weighted_quality = (Decimal(b.quality_score) * qw / HUNDRED).quantize(PENNY, rounding=ROUND_HALF_UP)
        rows.append(RankedBid(b, price_score, weighted_price, weighted_quality, weighted_price + weighted_quality))
    rows.sort(key=lambda r: (-r.total, r.bid.price))
    for i, row in enumerate(rows):
        if i and row.total == rows[i - 1].total:
            row.rank = rows[i - 1].rank
            row.tied = rows[i - 1].tied = True
        else:
            row.rank = i + 1
    return rows
