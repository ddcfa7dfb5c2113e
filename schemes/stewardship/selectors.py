"""Reads of a lease's stewardship, through the access (the scheme is found by its own selector)."""

from dataclasses import dataclass
from datetime import date, timedelta

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


def _leases(access: Access):
    """The leases of the schemes this access sees."""
    from schemes.selectors import scheme_list

    return Lease.objects.filter(umbrella_id=access.umbrella_id, scheme__in=scheme_list(access=access).values("pk"))


def checks_due(*, access: Access, today: date, within_days: int) -> list[CovenantCheck]:
    """Open covenant checks of the leases this access sees, overdue or due within `within_days`."""
    return list(
        CovenantCheck.objects.filter(
            umbrella_id=access.umbrella_id,
            lease__in=_leases(access),
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=within_days),
        )
        .select_related("lease__scheme")
        .order_by("due_on", "pk")
    )


def option_windows_opening(*, access: Access, today: date, within_days: int) -> list[Lease]:
    """Leases whose buy-back option may first be exercised within `within_days` (for the CLT that
    holds it and staff; not the HA's business to be reminded)."""
    if not (access.is_staff or access.is_clt_volunteer):
        return []
    return list(
        _leases(access)
        .filter(option_earliest_on__gte=today, option_earliest_on__lte=today + timedelta(days=within_days))
        .select_related("scheme")
        .order_by("option_earliest_on", "pk")
    )
