"""Writes of stewardship: a ground-rent payment, a covenant check, a check done with evidence.
Staff, and the volunteers of the CLT that owns the freehold, record them."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import Access
from accounts.records import record_create, record_event, require
from schemes.calculations import add_years
from schemes.models import Lease
from schemes.stewardship.models import CovenantCheck, GroundRentPayment

RULE = "stewardship.record_for_clt"


def payment_problems(*, lease: Lease, paid_on: date | None, amount: Decimal | None) -> dict[str, str]:
    """What is wrong with a payment of `amount` on `paid_on` under `lease`, by field (the form
    asks this too, so that every problem shows at once)."""
    errors = {}
    if lease.ground_rent <= 0:
        errors["__all__"] = "This lease's ground rent is a peppercorn: there is nothing to pay."
    if paid_on is not None:
        if lease.start_on is None:
            errors["paid_on"] = "The lease has not started: record its start date on the lease first."
        elif paid_on < lease.start_on:
            errors["paid_on"] = f"A payment cannot be before the lease starts ({lease.start_on:%-d %B %Y})."
        elif paid_on > timezone.localdate():
            errors["paid_on"] = "A payment cannot be in the future."
    if amount is not None and amount <= 0:
        errors["amount"] = "Give the amount paid, more than £0."
    return errors


def payment_record(
    *, access: Access, lease: Lease, paid_on: date, amount: Decimal, reference: str = ""
) -> GroundRentPayment:
    require(access, RULE, lease.scheme.clt)
    errors = payment_problems(lease=lease, paid_on=paid_on, amount=amount)
    if errors:
        raise ValidationError(errors)
    payment = GroundRentPayment(
        lease=lease, paid_on=paid_on, amount=amount, reference=reference.strip(), recorded_by=access.user
    )
    return record_create(
        access=access,
        instance=payment,
        rule="stewardship.record",  # the CLT was checked above
        summary=f"Recorded a ground-rent payment of £{amount:,.2f} for {lease.scheme}",
    )


def check_add(
    *, access: Access, lease: Lease, kind: str, title: str, due_on: date, recurs_yearly: bool
) -> CovenantCheck:
    require(access, RULE, lease.scheme.clt)
    check = CovenantCheck(lease=lease, kind=kind, title=title.strip(), due_on=due_on, recurs_yearly=recurs_yearly)
    return record_create(
        access=access,
        instance=check,
        rule="stewardship.record",
        summary=f"Added the check “{check}” for {lease.scheme}",
    )


def check_done(
    *, access: Access, check: CovenantCheck, done_on: date, evidence: str, evidence_document=None
) -> CovenantCheck:
    """Done with its evidence (a note, a document of the scheme, or both); a yearly check makes the next."""
    require(access, RULE, check.lease.scheme.clt)
    errors = {}
    if check.done_on is not None:
        errors["__all__"] = f"This check was done on {check.done_on:%-d %B %Y}."
    if done_on > timezone.localdate():
        errors["done_on"] = "The date it was done cannot be in the future."
    if not evidence.strip() and evidence_document is None:
        errors["evidence"] = "Say what shows it is done, or choose the document that does."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check.done_on, check.evidence, check.evidence_document, check.done_by = (
            done_on,
            evidence.strip(),
            evidence_document,
            access.user,
        )
        check.full_clean()
        check.save()
        record_event(access=access, instance=check, action="changed", summary=f"Done: “{check}” on {done_on:%-d %b %Y}")
        if check.recurs_yearly:
            CovenantCheck.objects.create(
                umbrella=check.umbrella,
                lease=check.lease,
                kind=check.kind,
                title=check.title,
                due_on=add_years(check.due_on, 1),
                recurs_yearly=True,
            )
    return check
