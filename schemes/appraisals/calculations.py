"""The appraisal's sums, in pounds and pence, each with its working (issue 16.1).

For the housing association over its term, at its discount rate, in today's money:

  rent a year       = homes × rent a week × 52, for social and affordable rent
  net rent          = rent less voids and bad debts, less management and maintenance of the rented
                      homes, less the ground rent to the CLT on every home, plus the rent on the
                      shared owners' unsold shares
  capital receipts  = shared ownership first shares sold + discounted sales
  total scheme cost = build cost + on-costs + fees + lease premium (what the HA pays for the scheme)
  annuity factor    = (1 − (1 + r)^−n) / r  (n if r is 0), to six places
  present value     = net rent × annuity factor
  NPV               = present value + capital receipts + grant − total scheme cost
  residual land value = NPV + lease premium: what the HA could pay for the land and break even

Each figure is rounded to the penny as it is worked (half up), so the working can be followed by
hand. The sensitivity table works NPV again with the build cost and the rents 5 and 10 per cent
either way.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from schemes.calculations import money, pounds

WEEKS = Decimal("52")
HUNDRED = Decimal("100")
SIX_PLACES = Decimal("0.000001")
STEPS = (Decimal("-10"), Decimal("-5"), Decimal("0"), Decimal("5"), Decimal("10"))


@dataclass
class Line:
    label: str
    working: str
    amount: Decimal


@dataclass
class Result:
    income: list[Line] = field(default_factory=list)
    receipts: list[Line] = field(default_factory=list)
    costs: list[Line] = field(default_factory=list)
    net_rent: Decimal = Decimal("0.00")
    annuity_factor: Decimal = Decimal("0")
    present_value: Decimal = Decimal("0.00")
    capital_receipts: Decimal = Decimal("0.00")
    total_scheme_cost: Decimal = Decimal("0.00")
    grant: Decimal = Decimal("0.00")
    npv: Decimal = Decimal("0.00")
    residual_land_value: Decimal = Decimal("0.00")
    working: list[str] = field(default_factory=list)


def annuity_factor(rate_percent: Decimal, years: int) -> Decimal:
    r = Decimal(rate_percent) / HUNDRED
    if r == 0:
        return Decimal(years).quantize(SIX_PLACES)
    return ((1 - (1 + r) ** -years) / r).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _pct(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}%"


def appraise(a, *, build_change: Decimal = Decimal("0"), rent_change: Decimal = Decimal("0")) -> Result:
    """The appraisal's figures, with the build cost and every rent changed by the given percentages."""
    rents = 1 + rent_change / HUNDRED
    build = pounds(a.build_cost * (1 + build_change / HUNDRED))
    out = Result(grant=pounds(a.grant))

    def add(lines, label, working, amount, homes=None):
        if homes != 0:  # a tenure with no homes has no line
            lines.append(Line(label, working, amount))
        return amount

    sr_weekly, ar_weekly = pounds(a.social_rent_weekly * rents), pounds(a.affordable_rent_weekly * rents)
    sr = add(out.income, "Social rent", f"{a.social_rent_homes} × {money(sr_weekly)} × 52",
             pounds(a.social_rent_homes * sr_weekly * WEEKS), a.social_rent_homes)  # fmt: skip
    ar = add(out.income, "Affordable rent", f"{a.affordable_rent_homes} × {money(ar_weekly)} × 52",
             pounds(a.affordable_rent_homes * ar_weekly * WEEKS), a.affordable_rent_homes)  # fmt: skip
    voids = add(out.income, "Less voids and bad debts", f"{_pct(a.voids_percent)} × {money(sr + ar)}",
                -pounds((sr + ar) * a.voids_percent / HUNDRED))  # fmt: skip
    rented = a.social_rent_homes + a.affordable_rent_homes
    management = add(out.income, "Less management and maintenance", f"{rented} × {money(a.management_per_home)}",
                     -pounds(rented * a.management_per_home))  # fmt: skip
    ground = add(out.income, "Less ground rent to the CLT", f"{a.homes} × {money(a.ground_rent)}",
                 -pounds(a.homes * a.ground_rent))  # fmt: skip
    unsold = pounds(a.shared_ownership_value * (HUNDRED - a.shared_ownership_share) / HUNDRED)
    so_rate = a.shared_ownership_rent * rents
    so_rent = add(
        out.income,
        "Shared ownership rent on the unsold share",
        f"{a.shared_ownership_homes} × {money(unsold)} unsold × {_pct(pounds(so_rate))}",
        pounds(a.shared_ownership_homes * unsold * so_rate / HUNDRED),
        a.shared_ownership_homes,
    )
    out.net_rent = sr + ar + voids + management + ground + so_rent

    first = pounds(a.shared_ownership_value * a.shared_ownership_share / HUNDRED)
    so_sales = add(out.receipts, "Shared ownership first shares",
                   f"{a.shared_ownership_homes} × {_pct(a.shared_ownership_share)} × {money(a.shared_ownership_value)}",
                   pounds(a.shared_ownership_homes * first), a.shared_ownership_homes)  # fmt: skip
    discounted = pounds(a.discounted_sale_value * (HUNDRED - a.discounted_sale_discount) / HUNDRED)
    ds_sales = add(out.receipts, "Discounted sales",
                   f"{a.discounted_sale_homes} × {money(discounted)} ({_pct(a.discounted_sale_discount)} off "
                   f"{money(a.discounted_sale_value)})",
                   pounds(a.discounted_sale_homes * discounted), a.discounted_sale_homes)  # fmt: skip
    out.capital_receipts = so_sales + ds_sales

    change = f" ({'+' if build_change > 0 else ''}{_pct(build_change)})" if build_change else ""
    add(out.costs, "Build cost", f"{money(a.build_cost)}{change}", build)
    add(out.costs, "On-costs", "", pounds(a.on_costs))
    add(out.costs, "Professional fees", "", pounds(a.fees))
    add(out.costs, "Lease premium to the CLT", "", pounds(a.lease_premium))
    out.total_scheme_cost = sum((line.amount for line in out.costs), Decimal("0.00"))

    out.annuity_factor = annuity_factor(a.discount_rate, a.term_years)
    out.present_value = pounds(out.net_rent * out.annuity_factor)
    out.npv = out.present_value + out.capital_receipts + out.grant - out.total_scheme_cost
    out.residual_land_value = out.npv + pounds(a.lease_premium)
    out.working = [
        f"Net rent a year {money(out.net_rent)} × annuity factor {out.annuity_factor} "
        f"({a.term_years} years at {_pct(a.discount_rate)}) = present value {money(out.present_value)}",
        f"NPV = {money(out.present_value)} + receipts {money(out.capital_receipts)} + grant {money(out.grant)} "
        f"− total scheme cost {money(out.total_scheme_cost)} = {money(out.npv)}",
        f"Residual land value = NPV {money(out.npv)} + lease premium {money(pounds(a.lease_premium))} "
        f"= {money(out.residual_land_value)}",
    ]
    return out


def sensitivity(a) -> list[tuple[Decimal, list[tuple[Decimal, Decimal]]]]:
    """NPV with the build cost (rows) and the rents (columns) changed by −10, −5, 0, +5 and +10%."""
    return [(b, [(r, appraise(a, build_change=b, rent_change=r).npv) for r in STEPS]) for b in STEPS]


def affordable_rent_share(a) -> Decimal | None:
    """Affordable rent as a percentage of the market rent (None without a market rent)."""
    if not a.market_rent_weekly:
        return None
    return (a.affordable_rent_weekly / a.market_rent_weekly * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
