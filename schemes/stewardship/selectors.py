"""Reads of a lease's stewardship, through the access (the scheme is found by its own selector)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.http import Http404

from accounts.access import Access
from schemes.models import Lease, Scheme
from schemes.stewardship.ledger import Ledger, ground_rent_ledger
from schemes.stewardship.models import CovenantCheck, GroundRentPayment


@dataclass
class Stewardship:
    lease: Lease
    payments: list[GroundRentPayment]
    ledger: Ledger
    checks: list[CovenantCheck]
    today: date

    @property
    def overdue_checks(self) -> list[CovenantCheck]:
        return [c for c in self.checks if c.done_on is None and c.due_on < self.today]


def lease_of(*, access: Access, scheme: Scheme) -> Lease:
    """The scheme's lease (the scheme found through the access), or 404 when none is recorded."""
    lease = Lease.objects.filter(umbrella_id=access.umbrella_id, scheme=scheme).select_related("scheme").first()
    if lease is None:
        raise Http404("No lease recorded.")
    return lease


def stewardship_of(*, access: Access, scheme: Scheme, today: date) -> Stewardship:
    lease = lease_of(access=access, scheme=scheme)
    payments = list(
        GroundRentPayment.objects.filter(umbrella_id=access.umbrella_id, lease=lease).select_related("recorded_by")
    )
    checks = list(
        CovenantCheck.objects.filter(umbrella_id=access.umbrella_id, lease=lease)
        .select_related("done_by", "evidence_document")
        .order_by(F("done_on").desc(nulls_first=True), "due_on", "pk")  # open first, soonest due
    )
    ledger = ground_rent_ledger(
        start_on=lease.start_on,
        term_years=lease.term_years,
        annual_rent=lease.ground_rent,
        homes=scheme.homes_total,
        payments=[p.amount for p in payments],
        today=today,
    )
    return Stewardship(lease=lease, payments=payments, ledger=ledger, checks=checks, today=today)


def covenant_check_get(*, access: Access, scheme: Scheme, public_id) -> CovenantCheck:
    check = CovenantCheck.objects.filter(
        umbrella_id=access.umbrella_id, lease__scheme=scheme, public_id=public_id
    ).first()
    if check is None:
        raise Http404("No such check.")
    return check
