"""Writes of capital funding (staff): an allocation with its tranches, a claim when the scheme has
reached the tranche's milestone, and the claim paid. Every problem is said at once."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import Access, second_check
from accounts.records import record_create, record_event, require
from schemes.funding.models import MILESTONE_STAGE, SPLIT_FIELDS, CapitalFunding, FundingClaim, Milestone
from schemes.models import StageChange
from schemes.selectors import first_reached

RULE = "funding.manage"


def funding_problems(funding: CapitalFunding) -> dict[str, str]:
    total = sum((getattr(funding, f) or Decimal("0") for f in SPLIT_FIELDS.values()), Decimal("0"))
    if total != 100:
        return {"completion_percent": f"The tranches add up to {total.normalize():f}%: they must add up to 100%."}
    return {}


def funding_save(*, access: Access, funding: CapitalFunding) -> CapitalFunding:
    require(access, RULE)
    second_check(funding.scheme.umbrella_id == access.umbrella.pk)
    errors = funding_problems(funding)
    if errors:
        raise ValidationError(errors)
    return record_create(access=access, instance=funding, rule=RULE, summary=f"Recorded {funding}")


def reached_on(scheme, milestone: str) -> date | None:
    """The day the scheme's dated moves first reached the milestone's stage (or a later one)."""
    return first_reached(
        StageChange.objects.filter(scheme=scheme).order_by("changed_at", "id"), MILESTONE_STAGE[milestone]
    )


def claim_problems(funding: CapitalFunding, *, milestone: str, claimed_on: date | None) -> dict[str, str]:
    errors = {}
    if milestone not in Milestone.values:
        return {"milestone": "Choose one of the milestones."}
    label = Milestone(milestone).label
    if not getattr(funding, SPLIT_FIELDS[milestone]):
        errors["milestone"] = f"Nothing of this funding is paid on {label.lower()}."
    elif FundingClaim.objects.filter(funding=funding, milestone=milestone).exists():
        errors["milestone"] = f"The {label.lower()} tranche has been claimed already."
    elif not funding.tranche_amount(milestone):
        errors["milestone"] = f"The {label.lower()} tranche comes to £0.00: there is nothing to claim."
    reached = reached_on(funding.scheme, milestone)
    if reached is None:
        errors.setdefault("milestone", f"{funding.scheme} has not reached {label.lower()} yet.")
    elif claimed_on is not None and claimed_on < reached:
        errors["claimed_on"] = f"{funding.scheme} reached {label.lower()} on {reached:%-d %b %Y}: claim on or after it."
    if claimed_on is not None and funding.allocated_on and claimed_on < funding.allocated_on:
        errors.setdefault(
            "claimed_on",
            f"The funding was allocated on {funding.allocated_on:%-d %b %Y}: claim on or after it.",
        )
    return errors


def claim_make(*, access: Access, funding: CapitalFunding, milestone: str, claimed_on: date, evidence: str):
    require(access, RULE)
    second_check(funding.umbrella_id == access.umbrella.pk)
    errors = claim_problems(funding, milestone=milestone, claimed_on=claimed_on)
    if not evidence.strip():
        errors["evidence"] = "Say what shows the milestone was reached, e.g. “start notice of 10 March”."
    if errors:
        raise ValidationError(errors)
    claim = FundingClaim(
        funding=funding,
        milestone=milestone,
        amount=funding.tranche_amount(milestone),
        claimed_on=claimed_on,
        evidence=evidence.strip(),
    )
    try:
        with transaction.atomic():
            return record_create(access=access, instance=claim, rule=RULE, summary=f"Claimed the {claim}")
    except IntegrityError as error:
        raise ValidationError("That tranche was claimed at the same moment; reload the page.") from error


def claim_paid(*, access: Access, claim: FundingClaim, paid_on: date) -> FundingClaim:
    require(access, RULE)
    second_check(claim.umbrella_id == access.umbrella.pk)
    if claim.paid_on is not None:
        raise ValidationError(f"This claim was paid on {claim.paid_on:%-d %b %Y}.")
    if paid_on < claim.claimed_on:
        raise ValidationError({"paid_on": f"It was claimed on {claim.claimed_on:%-d %b %Y}: paid on or after that."})
    if paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": "A payment is recorded once it is made: give today's date or an earlier one."}
        )
    if not FundingClaim.objects.filter(pk=claim.pk, paid_on__isnull=True).update(
        paid_on=paid_on, updated_at=timezone.now()
    ):
        raise ValidationError("This claim has just been recorded as paid; reload the page.")
    claim.paid_on = paid_on
    record_event(access=access, instance=claim.funding.scheme, action="changed",
                 summary=f"Paid: the {claim}, £{claim.amount:,.2f} on {paid_on:%-d %b %Y}")  # fmt: skip
    return claim
