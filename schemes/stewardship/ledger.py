"""The ground-rent ledger of a lease, worked from its terms and the payments recorded.

The rule: the year's ground rent falls due on each anniversary of the lease's start (the first a
year after it starts, for the year just gone). Payments pay the oldest charge first. A charge is
in arrears once its due date has passed and payments have not covered it. The next charge is shown
as coming.

Worked (tests/schemes/test_stewardship.py): a lease from 1 June 2018 at £650 a year, on
2 December 2026, has had eight charges fall due (1 June 2019 to 1 June 2026): £5,200. Seven
payments of £650 cover the first seven; the eighth, due 1 June 2026, is £650 in arrears, 184 days
overdue. The next falls due on 1 June 2027.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from schemes.calculations import add_years

ZERO = Decimal("0.00")


@dataclass
class Charge:
    year: int  # 1 for the lease's first year
    due_on: date
    amount: Decimal
    paid: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    def status(self, today: date) -> str:
        if self.outstanding <= 0:
            return "paid"
        if self.due_on > today:
            return "coming"
        return "part paid, in arrears" if self.paid > 0 else "in arrears"


@dataclass
class Ledger:
    annual_rent: Decimal
    per_home: Decimal | None
    charges: list[Charge] = field(default_factory=list)
    next_charge: Charge | None = None
    paid: Decimal = ZERO
    today: date | None = None

    @property
    def charged(self) -> Decimal:
        return sum((c.amount for c in self.charges), ZERO)

    @property
    def arrears(self) -> Decimal:
        return sum((c.outstanding for c in self.charges if c.outstanding > 0), ZERO)

    @property
    def credit(self) -> Decimal:
        """Paid beyond what has fallen due (set against the next charge)."""
        return max(ZERO, self.paid - self.charged)

    @property
    def oldest_arrear(self) -> Charge | None:
        return next((c for c in self.charges if c.outstanding > 0), None)

    @property
    def days_overdue(self) -> int:
        oldest = self.oldest_arrear
        return (self.today - oldest.due_on).days if oldest and self.today else 0


def ground_rent_ledger(
    *,
    start_on: date | None,
    term_years: int = 125,
    annual_rent: Decimal,
    homes: int,
    payments: list[Decimal],
    today: date,
) -> Ledger:
    """The ledger on `today` of a lease from `start_on` for `term_years` at `annual_rent` a year
    for `homes` homes, with `payments` (amounts) recorded."""
    per_home = (annual_rent / homes).quantize(Decimal("0.01")) if homes else None
    ledger = Ledger(annual_rent=annual_rent, per_home=per_home, today=today)
    if start_on is None or annual_rent <= 0:
        ledger.paid = sum(payments, ZERO)
        return ledger
    year = 1
    while year <= term_years and (due := add_years(start_on, year)) <= today:
        ledger.charges.append(Charge(year=year, due_on=due, amount=annual_rent))
        year += 1
    if year <= term_years:
        ledger.next_charge = Charge(year=year, due_on=add_years(start_on, year), amount=annual_rent)
    ledger.paid = left = sum(payments, ZERO)
    for charge in [*ledger.charges, *([ledger.next_charge] if ledger.next_charge else [])]:
        charge.paid = min(charge.amount, left)
        left -= charge.paid
    return ledger
