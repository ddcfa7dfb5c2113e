"""A scheme's viability appraisal, version by version: the homes by tenure with their rents and
values, the costs, the grant, and the HA's finance assumptions. Each version is kept; one agreed at
a gate (the scheme's stage then) is marked and never changes again."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from schemes.stages import Stage

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"), message="Give £0.00 or more.")]


def percent(low: str = "0", high: str = "100") -> list:
    return [
        MinValueValidator(Decimal(low), message=f"Give a percentage from {low} to {high}."),
        MaxValueValidator(Decimal(high), message=f"Give a percentage from {low} to {high}."),
    ]


class AppraisalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


#: Affordable rent is at most this share of the market rent (the Rent Standard).
AFFORDABLE_RENT_CAP = Decimal("80")


class Appraisal(TenantModel):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="appraisals")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.DRAFT)
    agreed_on = models.DateField(null=True, blank=True, editable=False)
    agreed_at_stage = models.CharField("agreed at", max_length=30, choices=Stage.choices, blank=True, editable=False)
    agreed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # Homes by tenure, with what each brings in.
    social_rent_homes = models.PositiveSmallIntegerField("social rent: homes", default=0)
    social_rent_weekly = models.DecimalField(
        "social rent: rent a week (£)", **MONEY, default=0, validators=NOT_NEGATIVE
    )
    affordable_rent_homes = models.PositiveSmallIntegerField("affordable rent: homes", default=0)
    affordable_rent_weekly = models.DecimalField(
        "affordable rent: rent a week (£)", **MONEY, default=0, validators=NOT_NEGATIVE
    )
    market_rent_weekly = models.DecimalField(
        "affordable rent: market rent a week (£)", **MONEY, default=0, validators=NOT_NEGATIVE,
        help_text="Affordable rent is at most 80% of it.",
    )  # fmt: skip
    shared_ownership_homes = models.PositiveSmallIntegerField("shared ownership: homes", default=0)
    shared_ownership_value = models.DecimalField(
        "shared ownership: market value a home (£)", **MONEY, default=0, validators=NOT_NEGATIVE
    )
    shared_ownership_share = models.DecimalField(
        "shared ownership: first share sold (%)", max_digits=5, decimal_places=2, default=25, validators=percent()
    )
    shared_ownership_rent = models.DecimalField(
        "shared ownership: rent on the unsold share (% a year)", max_digits=5, decimal_places=2, default=Decimal("2.75"),
        validators=percent(),
    )  # fmt: skip
    discounted_sale_homes = models.PositiveSmallIntegerField("discounted sale: homes", default=0)
    discounted_sale_value = models.DecimalField(
        "discounted sale: market value a home (£)", **MONEY, default=0, validators=NOT_NEGATIVE
    )
    discounted_sale_discount = models.DecimalField(
        "discounted sale: discount (%)", max_digits=5, decimal_places=2, default=30, validators=percent()
    )

    # What it costs.
    build_cost = models.DecimalField("build cost (£)", **MONEY, default=0, validators=NOT_NEGATIVE)
    on_costs = models.DecimalField("on-costs (£)", **MONEY, default=0, validators=NOT_NEGATIVE,
                                   help_text="Finance, insurance, warranties, the HA's own costs.")  # fmt: skip
    fees = models.DecimalField("professional fees (£)", **MONEY, default=0, validators=NOT_NEGATIVE)
    land_price = models.DecimalField(
        "land price (£)", **MONEY, default=0, validators=NOT_NEGATIVE, help_text="What the CLT pays the landowner."
    )
    lease_premium = models.DecimalField(
        "lease premium (£)", **MONEY, default=0, validators=NOT_NEGATIVE,
        help_text="What the HA pays the CLT for the 125-year lease, e.g. the land's value less £1.",
    )  # fmt: skip
    ground_rent = models.DecimalField(
        "ground rent a home (£ a year)", **MONEY, default=0, validators=NOT_NEGATIVE,
        help_text="What the HA pays the CLT each year, for every home.",
    )  # fmt: skip
    grant = models.DecimalField("capital grant (£)", **MONEY, default=0, validators=NOT_NEGATIVE)

    # The HA's finance assumptions.
    management_per_home = models.DecimalField(
        "management and maintenance (£ a rented home a year)", **MONEY, default=0, validators=NOT_NEGATIVE
    )
    voids_percent = models.DecimalField(
        "voids and bad debts (% of rent)", max_digits=5, decimal_places=2, default=Decimal("3"), validators=percent()
    )
    term_years = models.PositiveSmallIntegerField(
        "term (years)", default=30,
        validators=[MinValueValidator(1, message="Give a term from 1 to 125 years."),
                    MaxValueValidator(125, message="Give a term from 1 to 125 years.")],
    )  # fmt: skip
    discount_rate = models.DecimalField(
        "discount rate (% a year)", max_digits=5, decimal_places=2, default=Decimal("5"), validators=percent("0", "20")
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="appraisal_version_once_per_scheme"),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0, discount_rate__lte=20),
                name="appraisal_discount_rate_0_to_20",
                violation_error_message="Give a discount rate from 0 to 20%% a year.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False),
                name="appraisal_agreed_has_a_date",
                violation_error_message="An agreed appraisal needs the date it was agreed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} appraisal, version {self.version}"

    @property
    def homes(self) -> int:
        return (
            self.social_rent_homes
            + self.affordable_rent_homes
            + self.shared_ownership_homes
            + self.discounted_sale_homes
        )

    @property
    def is_agreed(self) -> bool:
        return self.status == AppraisalStatus.AGREED
