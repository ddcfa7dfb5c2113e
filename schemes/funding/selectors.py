"""Reads of capital funding, scoped by the access: staff every scheme's; an HA team its schemes';
CLT volunteers none (the rule refuses them first)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from clts.models import GrantStatus
from schemes.funding.models import CapitalFunding, FundingClaim, Milestone
from schemes.selectors import scheme_list


def funding_list(*, access: Access, scheme=None) -> QuerySet[CapitalFunding]:
    qs = CapitalFunding.objects.filter(umbrella=access.umbrella)
    if access.is_ha_team and not access.is_staff:
        qs = qs.filter(scheme__housing_association_id__in=access.ha_ids)
    elif not access.is_staff:
        return qs.none()
    qs = qs.filter(scheme__in=scheme_list(access=access))
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.select_related("scheme").prefetch_related("claims").order_by("allocated_on", "pk")


def funding_get(*, access: Access, public_id) -> CapitalFunding:
    return get_object_or_404(funding_list(access=access), public_id=public_id)


def claim_get(*, access: Access, public_id) -> FundingClaim:
    return get_object_or_404(
        FundingClaim.objects.filter(funding__in=funding_list(access=access)).select_related("funding__scheme"),
        public_id=public_id,
    )


#: A revenue grant that brings no money, so has no place on the timeline.
NO_MONEY = {GrantStatus.REFUSED, GrantStatus.WITHDRAWN}


@dataclass
class Tranche:
    funding: CapitalFunding
    milestone: str
    percent: Decimal
    amount: Decimal
    claim: FundingClaim | None

    @property
    def label(self) -> str:
        return Milestone(self.milestone).label


def tranches(funding: CapitalFunding) -> list[Tranche]:
    claims = {c.milestone: c for c in funding.claims.all()}
    return [Tranche(funding, m, p, a, claims.get(m)) for m, p, a in funding.split()]


@dataclass
class Event:
    on: date | None  # None: still to come
    what: str
    source: str
    amount: Decimal
    state: str


def funding_timeline(*, funding, revenue_grants=(), statements=()) -> list[Event]:
    """The scheme's money in date order: revenue grants (but those refused or withdrawn), capital allocations (`funding`, read
    through funding_list), each tranche claimed and paid (or still to come), and recoupment
    statements issued and paid."""
    events = []
    for grant in revenue_grants:
        if grant.status in NO_MONEY:
            continue  # refused or withdrawn: no money comes of it
        when = grant.decision_on or grant.submitted_on
        amount = grant.amount_awarded if grant.amount_awarded is not None else grant.amount_requested
        events.append(Event(when, f"Revenue grant: {grant.programme or grant.funder}", grant.funder, amount,
                            grant.get_status_display()))  # fmt: skip
    for allocation in funding:
        events.append(Event(allocation.allocated_on, f"{allocation.get_kind_display()} allocated", allocation.funder,
                            allocation.allocation, allocation.programme or ""))  # fmt: skip
        for t in tranches(allocation):
            if t.claim is None:
                if not t.amount:
                    continue  # a tranche that comes to £0.00: nothing will be claimed
                events.append(Event(None, f"{t.label} tranche ({t.percent.normalize():f}%)", allocation.funder,
                                    t.amount, "to claim"))  # fmt: skip
                continue
            events.append(Event(t.claim.claimed_on, f"{t.label} tranche claimed", allocation.funder, t.amount,
                                "paid" if t.claim.paid_on else "claimed, not yet paid"))  # fmt: skip
            if t.claim.paid_on:
                events.append(Event(t.claim.paid_on, f"{t.label} tranche paid", allocation.funder, t.amount, "paid"))
    for on, what, amount, state in statements:
        events.append(Event(on, what, "Recoupment from the HA", amount, state))
    return sorted(events, key=lambda e: (e.on is None, e.on or date.max))
