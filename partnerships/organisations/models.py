"""Partner organisations (housing associations, adviser firms), the collaboration agreements that tie
HAs to the umbrella, and the umbrella's staff roles with their dated hourly rates."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from schemes.stages import Stage

MONEY = {"max_digits": 14, "decimal_places": 2}


class HousingAssociation(TenantModel):
    """A housing association (Registered Provider) that partners with the umbrella's CLTs."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    homes_managed = models.PositiveIntegerField(null=True, blank=True)
    staff_count = models.PositiveIntegerField(null=True, blank=True)
    assets_note = models.CharField(max_length=200, blank=True, help_text="e.g. assets of over £1 billion")
    address = models.TextField(blank=True)
    area_of_operation = models.TextField(
        blank=True, help_text="Counties and districts where it develops, one per line."
    )
    statement_email = models.EmailField(blank=True, help_text="Where recoupment statements are sent.")
    purchase_order_reference = models.CharField(
        "purchase order reference", max_length=60, blank=True,
        help_text="The HA's purchase order for the umbrella's costs, printed on each invoice.",
    )  # fmt: skip
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    # Appetite, for matching CLT schemes to a partner.
    min_scheme_homes = models.PositiveSmallIntegerField("smallest scheme it takes (homes)", null=True, blank=True)
    max_scheme_homes = models.PositiveSmallIntegerField("largest scheme it takes (homes)", null=True, blank=True)
    develops_social_rent = models.BooleanField("develops social rent", default=True)
    develops_affordable_rent = models.BooleanField("develops affordable rent", default=True)
    develops_shared_ownership = models.BooleanField("develops shared ownership", default=True)
    develops_discounted_sale = models.BooleanField("develops discounted market sale", default=False)
    develops_first_homes = models.BooleanField("develops First Homes", default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["umbrella", "name"], name="ha_unique_name_in_umbrella"),
            models.CheckConstraint(
                condition=Q(min_scheme_homes__isnull=True)
                | Q(max_scheme_homes__isnull=True)
                | Q(min_scheme_homes__lte=models.F("max_scheme_homes")),
                name="ha_scheme_size_range_in_order",
                violation_error_message="The smallest scheme it takes cannot be larger than the largest.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def areas(self) -> list[str]:
        return [line.strip() for line in self.area_of_operation.splitlines() if line.strip()]


class AdviserRole(models.TextChoices):
    ARCHITECT = "architect", "Architect"
    QUANTITY_SURVEYOR = "quantity_surveyor", "Quantity surveyor"
    SOLICITOR = "solicitor", "Solicitor"
    PLANNING_CONSULTANT = "planning_consultant", "Planning consultant"
    EMPLOYERS_AGENT = "employers_agent", "Employer's agent"
    OTHER = "other", "Other"


class AdviserFirm(TenantModel):
    """A firm of professional advisers the umbrella invites to tender."""

    name = models.CharField(max_length=200)
    disciplines = models.CharField(max_length=300, blank=True, help_text="e.g. architect, planning consultant")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["umbrella", "name"], name="adviser_firm_unique_name")]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class FeeBasis(models.TextChoices):
    FIXED_PER_HOME = "fixed_per_home", "Fixed fee per home"
    PERCENT_OF_COST = "percent_of_cost", "Percentage of total scheme cost"
    ACTUAL_CAPPED = "actual_capped", "Actual costs up to a cap"


class CollaborationAgreement(TenantModel):
    """The umbrella's agreement with an HA: when a scheme goes ahead and what is then recoverable."""

    housing_association = models.ForeignKey(HousingAssociation, on_delete=models.CASCADE, related_name="agreements")
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    signed_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    fee_basis = models.CharField(max_length=20, choices=FeeBasis.choices)
    fee_per_home = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    fee_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, "The fee is a percentage of the total scheme cost, from 0 to 100."),
            MaxValueValidator(100, "The fee is a percentage of the total scheme cost, from 0 to 100."),
        ],
    )
    cap_amount = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    goes_ahead_at = models.CharField(
        "scheme goes ahead at",
        max_length=30,
        choices=Stage.choices,
        default=Stage.START_ON_SITE,
        help_text="From this stage the umbrella's costs are recoverable from the HA.",
    )
    vat_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[
            MinValueValidator(0, "VAT is a percentage from 0 to 100."),
            MaxValueValidator(100, "VAT is a percentage from 0 to 100."),
        ],
    )
    fees_subject_to_vat = models.BooleanField(default=True)
    invoice_terms_days = models.PositiveSmallIntegerField(default=30)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["housing_association__name", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home__isnull=False)
                    | Q(fee_basis=FeeBasis.PERCENT_OF_COST, fee_percent__isnull=False)
                    | Q(fee_basis=FeeBasis.ACTUAL_CAPPED, cap_amount__isnull=False)
                ),
                name="agreement_fee_basis_has_its_figure",
                violation_error_message="Give the figure the fee basis uses: the fee per home, the percentage or the cap.",
            ),
            models.CheckConstraint(
                condition=Q(fee_percent__isnull=True) | Q(fee_percent__gte=0, fee_percent__lte=100),
                name="agreement_fee_percent_0_to_100",
                violation_error_message="A percentage fee is from 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"Collaboration agreement with {self.housing_association}"

    @property
    def fee_summary(self) -> str:
        if self.fee_basis == FeeBasis.FIXED_PER_HOME:
            return f"£{self.fee_per_home:,.2f} per home"
        if self.fee_basis == FeeBasis.PERCENT_OF_COST:
            return f"{self.fee_percent}% of total scheme cost"
        return f"Actual costs up to £{self.cap_amount:,.2f}"


# --- cost recoupment ---------------------------------------------------------------------------


class StaffRole(TenantModel):
    """A role in the umbrella's team (project manager, adviser...) with hourly rates over time."""

    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["umbrella", "name"], name="staff_role_unique_name")]

    def __str__(self) -> str:
        return self.name


class RoleRate(TenantModel):
    """An hourly rate for a staff role, in force from a date until the next one."""

    staff_role = models.ForeignKey(StaffRole, on_delete=models.CASCADE, related_name="rates")
    hourly_rate = models.DecimalField(
        "hourly rate (£)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    effective_from = models.DateField()

    class Meta:
        ordering = ["staff_role__name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["staff_role", "effective_from"], name="role_rate_one_per_date"),
            models.CheckConstraint(
                condition=Q(hourly_rate__gt=0),
                name="role_rate_positive",
                violation_error_message="An hourly rate is more than £0.00.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_role}: £{self.hourly_rate}/hour from {self.effective_from:%d %b %Y}"
