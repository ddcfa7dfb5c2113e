"""Capital funding of a scheme, in tranches on milestones (the splits are the programme's, and add
up to 100 per cent), and the claims made against them, with their evidence, paid or not."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from accounts.models import TenantModel
from core.validators import not_in_future
from schemes.stages import Stage

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = [
    MinValueValidator(Decimal("0"), message="Give a percentage from 0 to 100."),
    MaxValueValidator(Decimal("100"), message="Give a percentage from 0 to 100."),
]


class FundingKind(models.TextChoices):
    GRANT = "grant", "Capital grant"
    S106 = "s106", "s106 sum"
    OTHER = "other", "Other capital funding"


class Milestone(models.TextChoices):
    """The milestones a tranche is paid on, each reached by a move of the scheme's stage."""

    ACQUISITION = "acquisition", "Acquisition (freehold bought, lease granted)"
    START_ON_SITE = "start_on_site", "Start on site"
    COMPLETION = "completion", "Practical completion"


#: The stage move that reaches each milestone.
MILESTONE_STAGE = {
    Milestone.ACQUISITION: Stage.FREEHOLD_AND_LEASE,
    Milestone.START_ON_SITE: Stage.START_ON_SITE,
    Milestone.COMPLETION: Stage.PRACTICAL_COMPLETION,
}
SPLIT_FIELDS = {
    Milestone.ACQUISITION: "acquisition_percent",
    Milestone.START_ON_SITE: "start_on_site_percent",
    Milestone.COMPLETION: "completion_percent",
}


class CapitalFunding(TenantModel):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="capital_funding")
    kind = models.CharField(max_length=10, choices=FundingKind.choices, default=FundingKind.GRANT)
    funder = models.CharField(max_length=200, help_text="e.g. Homes England, or the district council for an s106 sum.")
    programme = models.CharField(max_length=200, blank=True, help_text="e.g. Affordable Homes Programme 2021 to 2026.")
    reference = models.CharField(max_length=60, blank=True)
    allocation = models.DecimalField(
        "allocation (£)", **MONEY, validators=[MinValueValidator(Decimal("0.01"), message="Give more than £0.00.")]
    )
    allocated_on = models.DateField("allocated on", validators=[not_in_future])
    acquisition_percent = models.DecimalField("on acquisition (%)", max_digits=5, decimal_places=2, default=0,
                                              validators=PERCENT)  # fmt: skip
    start_on_site_percent = models.DecimalField("on start on site (%)", max_digits=5, decimal_places=2, default=40,
                                                validators=PERCENT)  # fmt: skip
    completion_percent = models.DecimalField("on practical completion (%)", max_digits=5, decimal_places=2,
                                             default=60, validators=PERCENT)  # fmt: skip

    class Meta:
        ordering = ["scheme", "allocated_on", "pk"]
        verbose_name_plural = "capital funding"
        constraints = [
            models.CheckConstraint(
                condition=Q(allocation__gt=0), name="funding_allocation_positive",
                violation_error_message="Give an allocation of more than £0.00.",
            ),
            # The tranches adding up to 100% is checked in Decimal by the service (funding_problems):
            # a database sum of decimals is inexact on SQLite, the embedded default.
            models.CheckConstraint(
                condition=Q(acquisition_percent__gte=0, start_on_site_percent__gte=0, completion_percent__gte=0),
                name="funding_tranches_not_negative",
                violation_error_message="A tranche's share is 0%% or more.",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.funder} {self.get_kind_display().lower()} for {self.scheme}"

    def split(self) -> list[tuple[str, Decimal, Decimal]]:
        """(milestone, percent, amount) for each tranche with a share, in milestone order; the last
        takes the pennies the rounding of the others leaves, so the tranches add up to the allocation."""
        shares = [(m, getattr(self, SPLIT_FIELDS[m])) for m in Milestone.values if getattr(self, SPLIT_FIELDS[m])]
        out, paid = [], Decimal("0.00")
        for i, (milestone, percent) in enumerate(shares):
            if i == len(shares) - 1:
                amount = self.allocation - paid
            else:
                amount = (self.allocation * percent / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            paid += amount
            out.append((milestone, percent, amount))
        return out

    def tranche_amount(self, milestone: str) -> Decimal:
        return next((amount for m, _, amount in self.split() if m == milestone), Decimal("0.00"))


class FundingClaim(TenantModel):
    funding = models.ForeignKey(CapitalFunding, on_delete=models.CASCADE, related_name="claims")
    milestone = models.CharField(max_length=20, choices=Milestone.choices)
    amount = models.DecimalField("amount (£)", **MONEY, editable=False)
    claimed_on = models.DateField("claimed on", validators=[not_in_future])
    evidence = models.TextField(help_text="What shows the milestone was reached, e.g. “start notice of 10 March”.")
    paid_on = models.DateField("paid on", null=True, blank=True, validators=[not_in_future])

    class Meta:
        ordering = ["funding", "claimed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["funding", "milestone"], name="funding_claim_once_per_tranche",
                violation_error_message="That tranche has been claimed already.",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("claimed_on")),
                name="funding_claim_paid_after_claimed",
                violation_error_message="A claim is paid on or after the day it was made.",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_milestone_display()} tranche of {self.funding}"
