"""Community land trusts, the parishes they serve, their people, AGMs, and the umbrella's
advice and revenue grants to them.

Rules about one row live in the database (CheckConstraint, UniqueConstraint); every other rule,
and every write, is in clts.services.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from accounts.models import TenantModel
from core.validators import not_in_future
from core.versions import TenantQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = MinValueValidator(Decimal("0"), message="Enter an amount of £0 or more.")


class Parish(TenantModel):
    name = models.CharField(max_length=120)
    district = models.CharField(max_length=120)
    county = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parishes"
        constraints = [
            models.UniqueConstraint(fields=["umbrella", "name", "district"], name="parish_unique_in_umbrella")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.district})"


class LegalForm(models.TextChoices):
    CBS = "cbs", "Community benefit society"
    CIC = "cic", "Community interest company"
    CLG = "clg", "Company limited by guarantee"
    OTHER = "other", "Other"


class SetupStatus(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry"
    FORMING = "forming", "Forming"
    INCORPORATED = "incorporated", "Incorporated"
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"


# The tests a body must meet to be a community land trust (Housing and Regeneration Act 2008,
# s79): the CLT's boolean field and what the test asks, in the Act's order.
S79_TESTS: list[tuple[str, str]] = [
    ("s79_defined_community", "Set up to benefit a defined community"),
    ("s79_community_benefit", "Its activities benefit that community"),
    ("s79_open_membership", "Membership is open to people who live or work there"),
    ("s79_member_control", "Controlled by its members (one member, one vote)"),
    ("s79_asset_lock", "An asset lock: assets are held for the community, not distributed"),
]
_S79_LABELS = dict(S79_TESTS)


class CLT(TenantModel):
    """A community land trust (Housing and Regeneration Act 2008, s79)."""

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=10, choices=LegalForm.choices, default=LegalForm.CBS)
    registration_number = models.CharField(max_length=40, blank=True)
    incorporated_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    parishes = models.ManyToManyField(Parish, through="CLTParish", related_name="clts")
    membership_count = models.PositiveIntegerField(default=0)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    setup_status = models.CharField(max_length=20, choices=SetupStatus.choices, default=SetupStatus.ENQUIRY)
    # Governance: the s79 tests, as the CLT's rules (its constitution) meet them.
    s79_defined_community = models.BooleanField(_S79_LABELS["s79_defined_community"], default=False)
    s79_community_benefit = models.BooleanField(_S79_LABELS["s79_community_benefit"], default=False)
    s79_open_membership = models.BooleanField(_S79_LABELS["s79_open_membership"], default=False)
    s79_member_control = models.BooleanField(_S79_LABELS["s79_member_control"], default=False)
    s79_asset_lock = models.BooleanField(_S79_LABELS["s79_asset_lock"], default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "community land trust"
        constraints = [models.UniqueConstraint(fields=["umbrella", "name"], name="clt_unique_name_in_umbrella")]

    def __str__(self) -> str:
        return self.name


class CLTParish(models.Model):
    """A parish a CLT serves (the through table carries the umbrella too)."""

    umbrella = models.ForeignKey("accounts.Umbrella", on_delete=models.CASCADE, related_name="+")
    clt = models.ForeignKey(CLT, on_delete=models.CASCADE)
    parish = models.ForeignKey(Parish, on_delete=models.PROTECT)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clt", "parish"], name="clt_parish_once")]


# --- people ---------------------------------------------------------------------------------


class PersonRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    SECRETARY = "secretary", "Secretary"
    TREASURER = "treasurer", "Treasurer"
    BOARD_MEMBER = "board_member", "Board member"
    VOLUNTEER = "volunteer", "Volunteer"
    OTHER = "other", "Other"


class Person(TenantModel):
    """A board member or volunteer of a CLT, with their term."""

    clt = models.ForeignKey(CLT, verbose_name="CLT", on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=20, choices=PersonRole.choices, default=PersonRole.BOARD_MEMBER)
    term_start = models.DateField("term starts")
    term_end = models.DateField("term ends", null=True, blank=True, help_text="Leave empty for no fixed end.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "person"
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["umbrella", "clt", "term_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="person_term_ends_after_it_starts",
                violation_error_message="A term cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- advice and training --------------------------------------------------------------------


class AdviceTopic(models.TextChoices):
    BUSINESS_PLANNING = "business_planning", "Business planning"
    LEGAL_FRAMEWORK = "legal_framework", "Legal framework"
    GOVERNANCE = "governance", "Governance"
    ALLOCATIONS = "allocations", "Allocations"
    COMMUNITY_ENGAGEMENT = "community_engagement", "Community engagement"
    OTHER = "other", "Other"


class AdviceSession(TenantModel):
    """Advice or training the umbrella gave a CLT: the umbrella's own work, with its hours."""

    clt = models.ForeignKey(CLT, verbose_name="CLT", on_delete=models.PROTECT, related_name="advice_sessions")
    given_on = models.DateField("date")
    topic = models.CharField(max_length=30, choices=AdviceTopic.choices)
    attendees = models.TextField("people attending", blank=True)
    notes = models.TextField(blank=True)
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="Hours must be more than 0.")],
        help_text="Up to two decimal places, e.g. 1.5 or 2.25.",
    )
    given_by = models.ForeignKey("accounts.User", verbose_name="given by", on_delete=models.PROTECT, related_name="+")
    staff_role = models.ForeignKey(
        "partnerships.StaffRole",
        verbose_name="costed as (staff role)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The giver's hours become a cost entry at this role's rate. Leave empty for unbilled help.",
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = "advice session"
        indexes = [models.Index(fields=["umbrella", "clt", "given_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="advice_session_hours_positive",
                violation_error_message="Hours must be more than 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}, {self.given_on:%d %b %Y}"


# --- revenue grants -------------------------------------------------------------------------


class GrantStatus(models.TextChoices):
    DRAFTING = "drafting", "Drafting"
    SUBMITTED = "submitted", "Submitted"
    AWARDED = "awarded", "Awarded"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RevenueGrant(TenantModel):
    """A revenue grant to the CLT for pre-development work (Community Housing Fund style)."""

    clt = models.ForeignKey(CLT, verbose_name="CLT", on_delete=models.PROTECT, related_name="revenue_grants")
    funder = models.CharField(max_length=200)
    programme = models.CharField(max_length=200, blank=True)
    amount_requested = models.DecimalField("amount requested (£)", **MONEY, validators=[NOT_NEGATIVE])
    amount_awarded = models.DecimalField(
        "amount awarded (£)",
        **MONEY,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text="Only once the grant is awarded.",
    )
    status = models.CharField(max_length=20, choices=GrantStatus.choices, default=GrantStatus.DRAFTING)
    submitted_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField("decision on", null=True, blank=True)
    conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = "revenue grant"
        indexes = [models.Index(fields=["umbrella", "clt", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0),
                name="revenue_grant_requested_not_negative",
                violation_error_message="The amount requested cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0),
                name="revenue_grant_awarded_not_negative",
                violation_error_message="The amount awarded cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(status=GrantStatus.AWARDED),
                name="revenue_grant_awarded_amount_only_when_awarded",
                violation_error_message="Only an awarded grant has an amount awarded.",
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True)
                | Q(decision_on__isnull=True)
                | Q(decision_on__gte=F("submitted_on")),
                name="revenue_grant_decision_after_submission",
                violation_error_message="The decision cannot come before the application was submitted.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder}{' — ' + self.programme if self.programme else ''}"


# --- AGMs -----------------------------------------------------------------------------------


class AGM(TenantModel):
    """An annual general meeting of the CLT's members."""

    clt = models.ForeignKey(CLT, verbose_name="CLT", on_delete=models.PROTECT, related_name="agms")
    held_on = models.DateField("date")
    members_present = models.PositiveIntegerField()
    resolutions = models.TextField(blank=True, help_text="The resolutions passed, one per line.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "AGM"
        verbose_name_plural = "AGMs"
        constraints = [
            models.UniqueConstraint(
                fields=["clt", "held_on"],
                name="agm_one_per_clt_per_day",
                violation_error_message="This CLT already has an AGM on that date.",
            ),
        ]

    def __str__(self) -> str:
        return f"AGM, {self.held_on:%d %b %Y}"


# --- housing need ----------------------------------------------------------------------------


class Tenure(models.TextChoices):
    SOCIAL_RENT = "social_rent", "Social rent"
    AFFORDABLE_RENT = "affordable_rent", "Affordable rent"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"
    DISCOUNTED_SALE = "discounted_sale", "Discounted market sale"
    FIRST_HOMES = "first_homes", "First Homes"


BEDROOMS = [1, 2, 3, 4]  # 4 means four or more


class HousingNeedSurvey(TenantModel):
    """A parish housing needs survey: every household asked; the need found is the evidence a
    scheme's proposed mix is judged against."""

    parish = models.ForeignKey(Parish, on_delete=models.PROTECT, related_name="need_surveys")
    surveyed_on = models.DateField("survey closed on")
    households_surveyed = models.PositiveIntegerField("households surveyed")
    responses = models.PositiveIntegerField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["parish__name", "-surveyed_on"]
        verbose_name = "housing needs survey"
        constraints = [
            models.CheckConstraint(
                condition=Q(responses__lte=models.F("households_surveyed")),
                name="need_survey_responses_at_most_households",
                violation_error_message="There cannot be more responses than households surveyed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parish.name} housing needs survey, {self.surveyed_on:%B %Y}"

    @property
    def response_rate(self):
        return round(100 * self.responses / self.households_surveyed) if self.households_surveyed else None


class HousingNeed(TenantModel):
    """Households in need found by a survey, for one tenure and bedroom size."""

    survey = models.ForeignKey(HousingNeedSurvey, on_delete=models.CASCADE, related_name="needs")
    tenure = models.CharField(max_length=20, choices=Tenure.choices)
    bedrooms = models.PositiveSmallIntegerField(choices=[(b, f"{b}{'+' if b == 4 else ''} bedroom") for b in BEDROOMS])
    households = models.PositiveIntegerField()

    class Meta:
        ordering = ["tenure", "bedrooms"]
        constraints = [models.UniqueConstraint(fields=["survey", "tenure", "bedrooms"], name="need_once_per_cell")]


from clts.allocations import models as allocations  # noqa: E402,F401  (registers the allocation policies' models)
