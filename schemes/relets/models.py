"""The homes of a live scheme, their lets and re-lets (registered by schemes/models.py).

A home is let to a household the CLT nominated. When it falls vacant the HA records the vacancy
and so asks for a nomination; the CLT's allocation panel ranks the scheme's waiting applicants who
fit the home under the agreed policy and issues a nomination list for it (the same ranking and
list as the scheme's first lets: schemes.allocations); the HA records whom it let the home to.

A let names the household by its applicant reference. The applicant's record is personal data:
the name shows only to staff and the CLT's allocation panel (and each sight is logged); an erasure
leaves the reference, as on the nomination lists.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel


class Tenure(models.TextChoices):
    SOCIAL_RENT = "social_rent", "Social rent"
    AFFORDABLE_RENT = "affordable_rent", "Affordable rent"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"
    DISCOUNTED_SALE = "discounted_sale", "Discounted market sale"
    FIRST_HOMES = "first_homes", "First Homes"


#: Homes that are let, and so re-let through a nomination. The others are resold.
LET_TENURES = {Tenure.SOCIAL_RENT, Tenure.AFFORDABLE_RENT}


class Home(TenantModel):
    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.CASCADE, related_name="homes")
    name = models.CharField("address or number", max_length=200, help_text="For example “3 Chapel Orchard”.")
    bedrooms = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(1, message="A home has at least one bedroom."),
            MaxValueValidator(9, message="Give at most 9 bedrooms."),
        ]
    )
    tenure = models.CharField(max_length=20, choices=Tenure.choices, default=Tenure.SOCIAL_RENT)

    class Meta:
        ordering = ["scheme", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="home_name_once_per_scheme"),
            models.CheckConstraint(
                condition=Q(bedrooms__gte=1),
                name="home_has_a_bedroom",
                violation_error_message="A home has at least one bedroom.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_let_tenure(self) -> bool:
        return self.tenure in LET_TENURES


class VacancyStatus(models.TextChoices):
    OPEN = "open", "Waiting for a nomination"
    NOMINATED = "nominated", "Nominated"
    LET = "let", "Let"


class Vacancy(TenantModel):
    """A home falling vacant: the HA's request for a nomination."""

    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="vacancies")
    vacant_from = models.DateField("vacant from", help_text="The day the home is (or will be) empty.")
    notes = models.TextField("notes (optional)", blank=True, help_text="Anything the panel should know about the home.")
    status = models.CharField(max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-vacant_from", "-pk"]
        verbose_name_plural = "vacancies"
        indexes = [models.Index(fields=["umbrella", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["home"],
                condition=~Q(status="let"),
                name="one_unfilled_vacancy_per_home",
                violation_error_message="This home is already recorded vacant.",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-let of {self.home} from {self.vacant_from:%-d %b %Y}"

    @property
    def is_filled(self) -> bool:
        return self.status == VacancyStatus.LET


class Let(TenantModel):
    """One tenancy of a home: from a vacancy's nomination list (or outside it, with the reason),
    or a tenancy that began before the home was recorded here."""

    home = models.ForeignKey(Home, on_delete=models.CASCADE, related_name="lets")
    vacancy = models.OneToOneField(Vacancy, on_delete=models.CASCADE, null=True, blank=True, related_name="let")
    nomination_entry = models.ForeignKey(
        "schemes.NominationEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applicant = models.ForeignKey(
        "schemes.Applicant", on_delete=models.SET_NULL, null=True, blank=True, related_name="lets"
    )
    reference = models.CharField("applicant reference", max_length=12, blank=True)
    started_on = models.DateField("tenancy started on")
    ended_on = models.DateField("tenancy ended on", null=True, blank=True)
    note = models.TextField(
        blank=True, help_text="Why it was let outside the list, or where an earlier let is recorded."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["home", "-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="let_ends_after_it_starts",
                violation_error_message="A let ends on or after the day it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.home} let from {self.started_on:%-d %b %Y}"
