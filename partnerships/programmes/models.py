"""Strategic partnership programmes (local authorities, HAs and Homes England): models.

Imported by partnerships/models.py so Django finds them.

A programme (the South Essex model) brings organisations together for a fixed period with some
funding and facilitators. Its members send representatives to workshops and one-to-ones; what
came out is recorded as commitments, agreements (an MOU, an SPV), exemplar sites, next steps and
lessons, and the whole is written up as a case study in the sector's published shape (a PDF made
by a Celery task, like the recoupment statements).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from core.documents import DrawnRow

__all__ = [
    "OrganisationKind",
    "Organisation",
    "ProgrammeStatus",
    "Programme",
    "ProgrammeMember",
    "Representative",
    "EngagementKind",
    "EngagementFormat",
    "Engagement",
    "EngagementAttendee",
    "EngagementReschedule",
    "CommitmentStatus",
    "Commitment",
    "ProgrammeAgreementKind",
    "ProgrammeAgreementStatus",
    "ProgrammeAgreement",
    "AgreementParty",
    "ExemplarSite",
    "NextStep",
    "Lesson",
    "ProgrammeQuote",
    "CaseStudyStatus",
    "CASE_STUDY_IN_PROGRESS",
    "CaseStudy",
]


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HOUSING_ASSOCIATION = "housing_association", "Housing association"
    HOMES_ENGLAND = "homes_england", "Homes England"
    OTHER = "other", "Other"


class Organisation(TenantModel):
    """A body that can join a programme. An HA may be linked to the umbrella's partner HA record."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    housing_association = models.ForeignKey(
        "partnerships.HousingAssociation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_organisations",
        help_text="For a housing association: its record among the umbrella's partners, if it has one.",
    )
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["umbrella", "name"], name="programme_org_unique_name"),
            models.CheckConstraint(
                condition=Q(housing_association__isnull=True) | Q(kind="housing_association"),
                name="programme_org_ha_link_only_for_has",
                violation_error_message="Only a housing association organisation links to one of the umbrella's HAs.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    PAUSED = "paused", "Paused"


class Programme(TenantModel):
    """A strategic partnership programme, with the narrative its case study is written from."""

    name = models.CharField(max_length=200)
    lead_authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_programmes",
        help_text="The local authority that leads the programme.",
    )
    cohort = models.CharField(max_length=60, blank=True, help_text="e.g. 2020/21 cohort")
    aim = models.TextField(help_text="e.g. to become the affordable housing delivery partnership of choice in the area")
    funder = models.CharField(max_length=200, blank=True, help_text="e.g. Local Government Association")
    funding_programme = models.CharField(max_length=200, blank=True, help_text="e.g. Housing Advisers Programme")
    funding_amount = models.DecimalField(
        "funding (£)",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    facilitators = models.TextField(blank=True, help_text="Who facilitated it, e.g. independent housing consultants.")
    status = models.CharField(max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PROPOSED)
    # The case study's narrative.
    executive_summary = models.TextField(blank=True)
    challenge_and_context = models.TextField(blank=True)
    what_we_did = models.TextField(blank=True)
    difference_made = models.TextField("the difference made", blank=True)
    whats_next = models.TextField("what's next", blank=True)
    lessons_learned = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["umbrella", "name"], name="programme_unique_name"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")),
                name="programme_dates_in_order",
                violation_error_message="The programme must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=Q(funding_amount__gte=0),
                name="programme_funding_not_negative",
                violation_error_message="Funding is £0.00 or more.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration_months(self) -> int:
        """Whole months, rounded: 1 February to 31 October is nine."""
        days = (self.ends_on - self.starts_on).days + 1
        return max(1, round(days / 30.44))


class ProgrammeMember(TenantModel):
    """An organisation taking part in a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(null=True, blank=True)
    role = models.CharField(
        "role in the programme",
        max_length=200,
        blank=True,
        help_text="e.g. lead authority, representing HAs in the region",
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="programme_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Representative(TenantModel):
    """A person who represents a member organisation (e.g. its chief executive)."""

    member = models.ForeignKey(ProgrammeMember, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Chief Executive")
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["member__organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "name"], name="programme_representative_once"),
        ]

    def __str__(self) -> str:
        title = f", {self.title}" if self.title else ""
        return f"{self.name}{title} ({self.member.organisation})"


class EngagementKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    ONE_TO_ONE = "one_to_one", "One-to-one meeting"


class EngagementFormat(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"


class Engagement(TenantModel):
    """A workshop or a one-to-one meeting of the programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="engagements")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=EngagementKind.choices, default=EngagementKind.WORKSHOP)
    format = models.CharField(max_length=12, choices=EngagementFormat.choices, default=EngagementFormat.ONLINE)
    held_on = models.DateField("date")
    agenda = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    attendees = models.ManyToManyField(
        Representative, through="EngagementAttendee", related_name="engagements", blank=True
    )

    class Meta:
        ordering = ["held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"


class EngagementAttendee(TenantModel):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="attendance")
    representative = models.ForeignKey(Representative, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["engagement", "representative"], name="engagement_attendee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.representative.name} at {self.engagement.title}"


class EngagementReschedule(TenantModel):
    """An engagement moved to another date, and why (a lockdown, a change in a key post)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="reschedules")
    original_date = models.DateField()
    new_date = models.DateField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["engagement", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(original_date=models.F("new_date")),
                name="reschedule_moves_the_date",
                violation_error_message="Give a new date, not the one it already has.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engagement.title}: {self.original_date:%d %b %Y} to {self.new_date:%d %b %Y}"


class CommitmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    DROPPED = "dropped", "Dropped"


class Commitment(TenantModel):
    """What one party (or the partnership as a whole, when no party is named) committed to."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="commitments")
    member = models.ForeignKey(
        ProgrammeMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text="Leave blank for the whole partnership.",
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    committed_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.AGREED)

    class Meta:
        ordering = ["committed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(committed_on__lte=models.F("due_on")),
                name="commitment_dates_in_order",
                violation_error_message="A commitment is due on or after the day it was made.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def party(self) -> str:
        return str(self.member) if self.member_id else "The partnership"


class ProgrammeAgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    SPV = "spv", "Special purpose vehicle"
    OTHER = "other", "Other agreement"


class ProgrammeAgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_DEVELOPMENT = "in_development", "In development"
    SIGNED = "signed", "Signed or established"
    ENDED = "ended", "Ended"


class ProgrammeAgreement(TenantModel):
    """An MOU (parties, signed date) or an SPV (name, members, purpose, status)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=10, choices=ProgrammeAgreementKind.choices)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ProgrammeAgreementStatus.choices, default=ProgrammeAgreementStatus.PROPOSED
    )
    signed_on = models.DateField(null=True, blank=True)
    parties = models.ManyToManyField(
        ProgrammeMember,
        through="AgreementParty",
        related_name="agreements",
        blank=True,
        help_text="The members who are parties to it (an SPV's members).",
    )
    other_parties = models.CharField(
        max_length=300, blank=True, help_text="Parties that are not programme members, e.g. ASELA."
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="programme_agreement_unique_name"),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_on__isnull=False) | Q(kind="spv"),
                name="programme_agreement_signed_has_date",
                violation_error_message="A signed agreement needs the date it was signed.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementParty(TenantModel):
    agreement = models.ForeignKey(ProgrammeAgreement, on_delete=models.CASCADE, related_name="party_links")
    member = models.ForeignKey(ProgrammeMember, on_delete=models.CASCADE, related_name="agreement_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "member"], name="agreement_party_once")]

    def __str__(self) -> str:
        return f"{self.member} in {self.agreement}"


class ExemplarSite(TenantModel):
    """A site put forward to show the partnership can deliver."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exemplar_sites")
    site = models.ForeignKey("schemes.Site", on_delete=models.PROTECT, related_name="exemplar_for")
    proposed_by = models.ForeignKey(
        ProgrammeMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="exemplar_sites"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["site__name"]
        constraints = [models.UniqueConstraint(fields=["programme", "site"], name="exemplar_site_once")]

    def __str__(self) -> str:
        return str(self.site)


class NextStep(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="next_steps")
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["done", "due_on", "title"]

    def __str__(self) -> str:
        return self.title


class Lesson(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "title"]

    def __str__(self) -> str:
        return self.title


class ProgrammeQuote(TenantModel):
    """A quotation for the case study, with who said it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    attribution_name = models.CharField(max_length=200)
    attribution_title = models.CharField(max_length=300, blank=True, help_text="e.g. Chief Executive, Estuary Homes")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Quote from {self.attribution_name}"


class CaseStudyStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


CASE_STUDY_IN_PROGRESS = [CaseStudyStatus.QUEUED, CaseStudyStatus.RENDERING]


class CaseStudy(DrawnRow, TenantModel):
    """A case-study PDF of a programme, made by a Celery task; one in the making at a time."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="case_studies")
    status = models.CharField(max_length=12, choices=CaseStudyStatus.choices, default=CaseStudyStatus.QUEUED)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True, help_text="Relative to private storage.")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "case studies"
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status__in=["queued", "rendering"]),
                name="case_study_one_in_progress_per_programme",
                violation_error_message="A case study for this programme is already being drawn: wait for it to finish.",
            ),
        ]

    def __str__(self) -> str:
        return f"Case study of {self.programme} ({self.created_at:%d %b %Y %H:%M})" if self.created_at else "Case study"
