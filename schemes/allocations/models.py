"""Applicants for a scheme's homes, their local connections and the evidence for them, the log of
who looked at their records, and the nomination lists issued to the housing association.

Applicant data is personal (UK GDPR): only the CLT's allocation panel and umbrella staff see it,
and the HA team sees an issued nomination list for its scheme. Erasing an applicant deletes the
record and its connections; nomination entries and view-log lines keep the reference only.
"""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from clts.allocations.models import ConnectionKind
from clts.models import Tenure
from core.documents import DrawnRow
from core.validators import not_in_future
from core.versions import TenantQuerySet

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, read out over the phone


def new_reference() -> str:
    return "APP-" + "".join(secrets.choice(ALPHABET) for _ in range(6))


class ApplicantStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    HOUSED = "housed", "Housed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Applicant(TenantModel):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="applicants")
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    household_size = models.PositiveSmallIntegerField(
        "people in the household",
        default=1,
        validators=[
            MinValueValidator(1, message="A household is at least one person."),
            MaxValueValidator(20, message="Give at most 20 people in a household."),
        ],
    )
    bedrooms_needed = models.PositiveSmallIntegerField(
        default=1,
        validators=[
            MinValueValidator(1, message="A household needs at least one bedroom."),
            MaxValueValidator(9, message="Give at most 9 bedrooms."),
        ],
    )
    tenure_wanted = models.CharField(
        "tenure wanted", max_length=20, choices=Tenure.choices, blank=True, help_text="Leave empty for any tenure."
    )
    registered_on = models.DateField(
        "date registered", help_text="Time waiting counts from this date.", validators=[not_in_future]
    )
    need_band = models.PositiveSmallIntegerField(
        "housing need band", help_text="The band's position in the agreed policy (1 is the most urgent)."
    )
    status = models.CharField(max_length=12, choices=ApplicantStatus.choices, default=ApplicantStatus.WAITING)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["scheme", "registered_on", "pk"]
        indexes = [models.Index(fields=["umbrella", "status", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__gte=1),
                name="applicant_household_at_least_one",
                violation_error_message="A household is at least one person.",
            ),
            models.CheckConstraint(
                condition=Q(bedrooms_needed__gte=1),
                name="applicant_needs_a_bedroom",
                violation_error_message="A household needs at least one bedroom.",
            ),
            models.CheckConstraint(
                condition=Q(need_band__gte=1),
                name="applicant_band_from_one",
                violation_error_message="The need band is 1 or more (1 is the most urgent).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"


class Connection(TenantModel):
    """One local connection an applicant claims: where, how long (or how many hours), and the
    evidence for it, checked or not, by whom and when. The ranking counts checked ones only."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="connections")
    kind = models.CharField(max_length=10, choices=ConnectionKind.choices)
    parish = models.ForeignKey("clts.Parish", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.CharField(max_length=120, blank=True, help_text="Where the place is not a parish we hold.")
    years = models.PositiveSmallIntegerField(null=True, blank=True)
    hours = models.PositiveSmallIntegerField("hours a week", null=True, blank=True)
    evidence = models.TextField(help_text="What shows it, e.g. “council tax bills 2019 to 2025”.")
    checked = models.BooleanField("evidence checked", default=False)
    checked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["applicant", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "kind"], name="connection_kind_once_per_applicant"),
            models.CheckConstraint(
                condition=Q(parish__isnull=False) | ~Q(district=""),
                name="connection_has_a_place",
                violation_error_message="Say where: a parish, or a place that is not one of ours.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.parish.name if self.parish else self.district}"

    @property
    def place(self) -> str:
        return str(self.parish) if self.parish_id else f"elsewhere in {self.district}"


class ApplicantView(models.Model):
    """A line of the access log: someone saw an applicant's personal data. Kept after erasure,
    with the reference only."""

    umbrella = models.ForeignKey("accounts.Umbrella", on_delete=models.CASCADE, related_name="+")
    applicant = models.ForeignKey(Applicant, on_delete=models.SET_NULL, null=True, related_name="views")
    reference = models.CharField(max_length=12)
    viewed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)
    context = models.CharField(max_length=200)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["umbrella", "reference", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.reference} seen {self.viewed_at:%Y-%m-%d %H:%M} ({self.context})"


class NominationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Issued"
    FAILED = "failed", "Failed"


NOMINATION_IN_PROGRESS = [NominationStatus.QUEUED, NominationStatus.RENDERING]


class NominationList(DrawnRow, TenantModel):
    """A ranking the panel agreed, frozen and issued to the HA as a PDF and a CSV (made by a task).
    The HA team sees it once its files are ready."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="nomination_lists")
    number = models.PositiveSmallIntegerField()
    policy = models.ForeignKey("clts.AllocationPolicy", on_delete=models.PROTECT, related_name="+")
    vacancy = models.ForeignKey(
        "schemes.Vacancy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination_lists",
        help_text="Set for a re-let: the list ranks the applicants who fit that home.",
    )
    agreed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    agreed_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=NominationStatus.choices, default=NominationStatus.QUEUED)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    pdf_path = models.CharField(max_length=300, blank=True, help_text="Relative to private storage.")
    csv_path = models.CharField(max_length=300, blank=True, help_text="Relative to private storage.")
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="nomination_list_number_once_per_scheme"),
        ]

    def __str__(self) -> str:
        return f"Nomination list {self.number} for {self.scheme.name}"


class NominationEntry(TenantModel):
    """A place on an issued list, frozen as agreed: the person is reached through `applicant`,
    which an erasure empties, leaving the reference."""

    nomination_list = models.ForeignKey(NominationList, on_delete=models.CASCADE, related_name="entries")
    applicant = models.ForeignKey(Applicant, on_delete=models.SET_NULL, null=True, related_name="nominations")
    reference = models.CharField(max_length=12)
    position = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField(help_text="Equal for a tie.")
    tied = models.BooleanField(default=False)
    tier = models.CharField(max_length=160)
    band = models.CharField(max_length=160)
    registered_on = models.DateField()
    reasons = models.TextField()

    class Meta:
        ordering = ["nomination_list", "position"]
        verbose_name_plural = "nomination entries"
        constraints = [
            models.UniqueConstraint(fields=["nomination_list", "position"], name="nomination_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}{'=' if self.tied else ''} {self.reference}"
