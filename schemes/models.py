"""Sites, schemes, tenders, leases and milestones. Rules about them live in schemes.services."""

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import TenantModel
from core.validators import not_in_future
from core.versions import TenantQuerySet
from partnerships.organisations.models import AdviserRole
from schemes.stages import PHASE_OF, Phase, Stage

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class PlanningStatus(models.TextChoices):
    NONE = "none", "No planning history"
    PRE_APPLICATION = "pre_application", "Pre-application advice"
    ALLOCATED = "allocated", "Allocated in the local plan"
    RURAL_EXCEPTION = "rural_exception", "Rural exception site"
    SUBMITTED = "submitted", "Application submitted"
    APPROVED = "approved", "Permission granted"
    REFUSED = "refused", "Permission refused"


class NegotiationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not yet approached"
    APPROACHED = "approached", "Approached"
    NEGOTIATING = "negotiating", "Negotiating"
    HEADS_OF_TERMS = "heads_of_terms", "Heads of terms"
    OPTION_AGREED = "option_agreed", "Option agreed"
    PURCHASED = "purchased", "Purchased"
    DECLINED = "declined", "Declined"


#: A site is secured once the landowner has granted an option or sold.
SECURED_STATUSES = {NegotiationStatus.OPTION_AGREED, NegotiationStatus.PURCHASED}

#: A planning application is on the public record once it is made, whatever the decision.
PLANNING_ON_RECORD = {PlanningStatus.SUBMITTED, PlanningStatus.APPROVED, PlanningStatus.REFUSED}

#: The stated criteria every site is scored against, 0 (poor) to 5 (good).
SITE_CRITERIA = [
    ("score_access", "Access and highways", "Safe access for vehicles and people; highways' likely view."),
    ("score_planning", "Planning prospects", "Fit with the local plan or rural exception policy."),
    ("score_landowner", "Landowner willingness", "Willing to sell at an affordable-housing price."),
    ("score_community", "Community support", "Support shown in consultation and by the parish council."),
    ("score_cost", "Ground and servicing cost", "Ground conditions, drainage and utilities within budget."),
]
_SCORE = [MinValueValidator(0), MaxValueValidator(5)]


class Site(TenantModel):
    name = models.CharField(max_length=200)
    parish = models.ForeignKey("clts.Parish", on_delete=models.PROTECT, related_name="sites")
    address = models.CharField("address or grid reference", max_length=300, blank=True)
    area_hectares = models.DecimalField(
        "area (hectares)", max_digits=8, decimal_places=3, null=True, blank=True, validators=NOT_NEGATIVE
    )
    current_use = models.CharField(max_length=200, blank=True)
    landowner = models.CharField(max_length=200, blank=True)
    planning_status = models.CharField(max_length=20, choices=PlanningStatus.choices, default=PlanningStatus.NONE)
    negotiation_status = models.CharField(
        "landowner negotiation",
        max_length=20,
        choices=NegotiationStatus.choices,
        default=NegotiationStatus.NOT_STARTED,
    )
    score_access = models.PositiveSmallIntegerField(
        "access and highways (0–5)", null=True, blank=True, validators=_SCORE
    )
    score_planning = models.PositiveSmallIntegerField(
        "planning prospects (0–5)", null=True, blank=True, validators=_SCORE
    )
    score_landowner = models.PositiveSmallIntegerField(
        "landowner willingness (0–5)", null=True, blank=True, validators=_SCORE
    )
    score_community = models.PositiveSmallIntegerField(
        "community support (0–5)", null=True, blank=True, validators=_SCORE
    )
    score_cost = models.PositiveSmallIntegerField(
        "ground and servicing cost (0–5)", null=True, blank=True, validators=_SCORE
    )
    assessment_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__lte": 5}),
                name=f"site_{f}_at_most_5",
                violation_error_message="Scores are from 0 to 5.",
            )
            for f, _, _ in SITE_CRITERIA
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_secured(self) -> bool:
        return self.negotiation_status in SECURED_STATUSES

    @property
    def assessment(self) -> list[tuple[str, str, int | None]]:
        return [(label, help_text, getattr(self, field)) for field, label, help_text in SITE_CRITERIA]

    @property
    def assessment_total(self) -> int | None:
        scores = [getattr(self, field) for field, _, _ in SITE_CRITERIA]
        if any(score is None for score in scores):
            return None
        return sum(scores)

    @property
    def assessment_max(self) -> int:
        return 5 * len(SITE_CRITERIA)


class Negotiation(TenantModel):
    """One entry of the landowner negotiation log."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="negotiations")
    on = models.DateField("date")
    contact = models.CharField("who we spoke to", max_length=200)
    offer_or_terms = models.TextField("offer or terms", blank=True)
    outcome = models.TextField(blank=True)
    status_after = models.CharField("negotiation status after this", max_length=20, choices=NegotiationStatus.choices)

    class Meta:
        ordering = ["-on", "-created_at"]
        verbose_name = "landowner negotiation entry"
        verbose_name_plural = "landowner negotiation entries"

    def __str__(self) -> str:
        return f"{self.on:%d %b %Y} with {self.contact}"


class RAG(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


TENURE_FIELDS = [
    ("homes_social_rent", "social rent", "develops_social_rent"),
    ("homes_affordable_rent", "affordable rent", "develops_affordable_rent"),
    ("homes_shared_ownership", "shared ownership", "develops_shared_ownership"),
    ("homes_discounted_sale", "discounted market sale", "develops_discounted_sale"),
    ("homes_first_homes", "First Homes", "develops_first_homes"),
]


class Scheme(TenantModel):
    name = models.CharField(max_length=200)
    clt = models.ForeignKey("clts.CLT", verbose_name="CLT", on_delete=models.PROTECT, related_name="schemes")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="schemes")
    housing_association = models.ForeignKey(
        "partnerships.HousingAssociation",
        verbose_name="HA partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schemes",
    )
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.ENQUIRY, editable=False)
    held_from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True, editable=False)
    rag = models.CharField("RAG status", max_length=5, choices=RAG.choices, default=RAG.GREEN)
    rag_reason = models.CharField("RAG reason", max_length=300, blank=True)
    lead_officer = models.ForeignKey(
        "accounts.User",
        verbose_name="umbrella lead officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    clt_contact = models.CharField("CLT lead contact", max_length=200, blank=True)
    homes_social_rent = models.PositiveSmallIntegerField(default=0)
    homes_affordable_rent = models.PositiveSmallIntegerField(default=0)
    homes_shared_ownership = models.PositiveSmallIntegerField(default=0)
    homes_discounted_sale = models.PositiveSmallIntegerField("homes for discounted market sale", default=0)
    homes_first_homes = models.PositiveSmallIntegerField("First Homes", default=0)
    bedrooms_1 = models.PositiveSmallIntegerField("1-bedroom homes", default=0)
    bedrooms_2 = models.PositiveSmallIntegerField("2-bedroom homes", default=0)
    bedrooms_3 = models.PositiveSmallIntegerField("3-bedroom homes", default=0)
    bedrooms_4_plus = models.PositiveSmallIntegerField("4+-bedroom homes", default=0)
    total_cost = models.DecimalField("total scheme cost", **MONEY, null=True, blank=True, validators=NOT_NEGATIVE)
    grant = models.DecimalField(**MONEY, null=True, blank=True, validators=NOT_NEGATIVE)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["umbrella", "stage"]), models.Index(fields=["umbrella", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True) | Q(total_cost__gte=0),
                name="scheme_cost_not_negative",
                violation_error_message="The total scheme cost is £0.00 or more.",
            ),
            models.CheckConstraint(
                condition=Q(grant__isnull=True) | Q(grant__gte=0),
                name="scheme_grant_not_negative",
                violation_error_message="The grant is £0.00 or more.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def homes_total(self) -> int:
        return sum(getattr(self, field) for field, _, _ in TENURE_FIELDS)

    @property
    def bedrooms_total(self) -> int:
        return self.bedrooms_1 + self.bedrooms_2 + self.bedrooms_3 + self.bedrooms_4_plus

    @property
    def tenures(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, field)) for field, label, _ in TENURE_FIELDS]

    @property
    def phase(self) -> str | None:
        phase = PHASE_OF.get(self.stage)
        return Phase(phase).label if phase else None


class StageChange(models.Model):
    """A recorded stage move: who, when it happened (`changed_at`, which may be a past date for
    history entered later), when it was recorded, from where to where, and why."""

    umbrella = models.ForeignKey("accounts.Umbrella", on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    changed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]

    @property
    def recorded_later(self) -> bool:
        """Entered on a later day than the move happened (history brought in)."""
        return timezone.localdate(self.recorded_at) != timezone.localdate(self.changed_at)


# --- adviser tenders -----------------------------------------------------------------------


class TenderStatus(models.TextChoices):
    OPEN = "open", "Open for bids"
    CLOSED = "closed", "Closed, being evaluated"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class Tender(TenantModel):
    """A tender for a professional adviser on a scheme, scored on price and quality."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="tenders")
    role = models.CharField("adviser role", max_length=30, choices=AdviserRole.choices)
    title = models.CharField(max_length=200)
    brief = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=TenderStatus.choices, default=TenderStatus.OPEN, editable=False)
    price_weight = models.PositiveSmallIntegerField(
        "price weighting (%)",
        default=40,
        validators=[MaxValueValidator(100)],
        help_text="The rest is the quality weighting: 40 means 40% price, 60% quality.",
    )
    closes_on = models.DateField("bids close on", null=True, blank=True)
    invited_firms = models.ManyToManyField(
        "partnerships.AdviserFirm", through="TenderInvitation", related_name="tenders", blank=True
    )
    appointed_bid = models.OneToOneField(
        "Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    appointed_on = models.DateField(null=True, blank=True, editable=False)
    appointed_fee = models.DecimalField(**MONEY, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_weight__lte=100),
                name="tender_price_weight_at_most_100",
                violation_error_message="The weight given to price is from 0 to 100 per cent.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quality_weight(self) -> int:
        return 100 - self.price_weight


class TenderInvitation(models.Model):
    umbrella = models.ForeignKey("accounts.Umbrella", on_delete=models.CASCADE, related_name="+")
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE)
    firm = models.ForeignKey("partnerships.AdviserFirm", on_delete=models.PROTECT)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tender", "firm"], name="tender_invites_firm_once")]


class Bid(TenantModel):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    firm = models.ForeignKey("partnerships.AdviserFirm", on_delete=models.PROTECT, related_name="bids")
    price = models.DecimalField("price (£)", **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    quality_score = models.DecimalField(
        "quality score (0–100)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    received_on = models.DateField(default=date.today)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["price"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "firm"], name="bid_one_per_firm"),
            models.CheckConstraint(
                condition=Q(price__gt=0),
                name="bid_price_positive",
                violation_error_message="A bid's price is more than £0.00.",
            ),
            models.CheckConstraint(
                condition=Q(quality_score__gte=0, quality_score__lte=100),
                name="bid_quality_0_to_100",
                violation_error_message="A quality score is from 0 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm} — £{self.price:,.2f}"


# --- the lease and the buy-back option -----------------------------------------------------


class BuyBackBasis(models.TextChoices):
    FIXED_FORMULA = "fixed_formula", "Fixed formula (a base price indexed each year)"
    OUTSTANDING_DEBT = "outstanding_debt", "The HA's outstanding debt on the homes"
    VALUATION = "valuation", "Valuation"


class Lease(TenantModel):
    """The CLT (freeholder) grants the HA a long lease; the CLT holds an option to buy it back."""

    scheme = models.OneToOneField(Scheme, on_delete=models.CASCADE, related_name="lease")
    freehold_acquired_on = models.DateField(
        "CLT acquired the freehold on",
        null=True,
        blank=True,
        help_text="The lease cannot be granted until the CLT owns the freehold.",
    )
    term_years = models.PositiveSmallIntegerField(
        "term (years)", default=125, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    start_on = models.DateField("lease starts on", null=True, blank=True)
    premium = models.DecimalField("premium paid by the HA (£)", **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE)
    ground_rent = models.DecimalField(
        "ground rent a year (£)",
        **MONEY,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        help_text="Funds the CLT's running costs. 0 means a peppercorn.",
    )
    option_earliest_on = models.DateField("buy-back option: earliest exercise date", null=True, blank=True)
    option_notice_months = models.PositiveSmallIntegerField("buy-back option: notice (months)", default=6)
    option_basis = models.CharField(
        "buy-back option: price basis", max_length=20, choices=BuyBackBasis.choices, default=BuyBackBasis.FIXED_FORMULA
    )
    option_base_price = models.DecimalField(
        "fixed formula: base price (£)", **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    option_indexation_percent = models.DecimalField(
        "fixed formula: indexation a year (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    option_loan_principal = models.DecimalField(
        "outstanding debt: HA's loan for the homes (£)", **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    option_loan_rate_percent = models.DecimalField(
        "outstanding debt: interest rate a year (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    option_loan_term_years = models.PositiveSmallIntegerField(
        "outstanding debt: loan term (years)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    option_valuation_amount = models.DecimalField(
        "valuation: latest valuation (£)", **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    option_valuation_on = models.DateField("valuation: valued on", null=True, blank=True)
    option_valuation_percent = models.DecimalField(
        "valuation: price as a share of value (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=999),
                name="lease_term_1_to_999",
                violation_error_message="A lease term is from 1 to 999 years.",
            ),
            models.CheckConstraint(
                condition=Q(premium__gte=0) & Q(ground_rent__gte=0),
                name="lease_money_not_negative",
                violation_error_message="The lease's sums are £0.00 or more.",
            ),
        ]

    def __str__(self) -> str:
        return f"Lease of {self.scheme}"

    @property
    def is_granted(self) -> bool:
        return self.start_on is not None

    @property
    def expires_on(self) -> date | None:
        """The last day of the term: a lease from 1 April 2026 for 125 years ends on 31 March 2151."""
        if self.start_on is None:
            return None
        from schemes.calculations import add_years

        return add_years(self.start_on, self.term_years) - _ONE_DAY


from datetime import timedelta  # noqa: E402

_ONE_DAY = timedelta(days=1)


# --- milestones and tasks ------------------------------------------------------------------


class MilestoneKind(models.TextChoices):
    MILESTONE = "milestone", "Milestone"
    TASK = "task", "Task"


class Milestone(TenantModel):
    """A dated milestone or task on a scheme (or on a CLT before it has one)."""

    clt = models.ForeignKey("clts.CLT", verbose_name="CLT", on_delete=models.CASCADE, related_name="milestones")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones")
    kind = models.CharField(max_length=10, choices=MilestoneKind.choices, default=MilestoneKind.MILESTONE)
    title = models.CharField(max_length=200)
    due_on = models.DateField("due")
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_milestones"
    )
    is_development = models.BooleanField("development milestone (the HA partner updates it)", default=False)
    completed_on = models.DateField("done on", null=True, blank=True, validators=[not_in_future])
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "title"]
        indexes = [models.Index(fields=["umbrella", "due_on"]), models.Index(fields=["owner", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_done and self.due_on < (today or date.today())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


# --- cost entries ----------------------------------------------------------------------------


class CostKind(models.TextChoices):
    TIME = "time", "Staff time"
    EXPENSE = "expense", "Expense"


#: A time entry is one day's work at most; a person's entries on one day add up to no more.
HOURS_A_DAY = Decimal("24")


class CostEntry(TenantModel):
    """The umbrella's cost: staff time (costed at the role's rate on its date) or an expense,
    against a scheme, or against a CLT before it has one (moved onto the scheme when it is made)."""

    kind = models.CharField(max_length=10, choices=CostKind.choices)
    clt = models.ForeignKey("clts.CLT", verbose_name="CLT", on_delete=models.PROTECT, related_name="cost_entries")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="cost_entries")
    on = models.DateField("date")
    person = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff_role = models.ForeignKey(
        "partnerships.StaffRole", on_delete=models.PROTECT, null=True, blank=True, related_name="cost_entries"
    )
    hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.01"), message="Give the hours worked, 0.01 or more."),
            MaxValueValidator(
                HOURS_A_DAY, message="An entry is at most 24 hours, one day: enter longer work a day at a time."
            ),
        ],
    )
    activity = models.CharField(max_length=300, blank=True)
    description = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField("amount before VAT (£)", **MONEY, null=True, blank=True, validators=NOT_NEGATIVE)
    vat = models.DecimalField("VAT (£)", **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE)
    source = models.CharField(max_length=40, blank=True, help_text="Where the entry came from, e.g. an advice session.")
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-on", "-created_at"]
        verbose_name_plural = "cost entries"
        indexes = [
            models.Index(fields=["umbrella", "scheme", "on"]),
            models.Index(fields=["umbrella", "clt", "on"]),
            models.Index(fields=["umbrella", "on"]),
        ]  # the year's costs on the staff dashboard
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="time", person__isnull=False, staff_role__isnull=False, hours__gt=0, amount__isnull=True)
                    | Q(kind="expense", amount__isnull=False, amount__gte=0, hours__isnull=True)
                ),
                name="cost_entry_kind_has_its_fields",
                violation_error_message="Staff time needs who, their role and the hours; an expense its amount.",
            ),
            models.CheckConstraint(
                condition=Q(vat__gte=0),
                name="cost_entry_vat_not_negative",
                violation_error_message="VAT is £0.00 or more.",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__lte=HOURS_A_DAY),
                name="cost_entry_at_most_a_day",
                violation_error_message="An entry is at most 24 hours, one day: enter longer work a day at a time.",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == CostKind.TIME:
            return f"{self.hours} h {self.activity or 'staff time'} on {self.on:%d %b %Y}"
        return f"{self.description or 'Expense'} on {self.on:%d %b %Y}"


from schemes.allocations import models as allocations  # noqa: E402,F401  (registers the applicants' and nomination lists' models)
from schemes.appraisals import models as appraisals  # noqa: E402,F401  (registers viability appraisals)
from schemes.funding import models as funding  # noqa: E402,F401  (registers capital funding and its claims)
from schemes.relets import models as relets  # noqa: E402,F401  (registers homes, vacancies and lets)
from schemes.stewardship import models as stewardship  # noqa: E402,F401  (registers ground-rent payments and covenant checks)
