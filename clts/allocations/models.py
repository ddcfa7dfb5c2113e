"""Allocation policies: who a CLT's homes are for, as the s106 and the nomination agreement fix it.

A policy is versioned per CLT: one draft being written, at most one agreed (the one in force) and
the superseded ones kept readable. Its tiers are the local-connection cascade (this parish, named
adjoining parishes, other parishes of the district, the district), each with the connection tests
that qualify someone for it; its bands are the urgency of housing need, most urgent first.
Rules on one row are database constraints; the rest (and every write) is in clts.allocations.services.
"""

from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from clts.models import CLT, Parish


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Superseded"


class AllocationPolicy(TenantModel):
    clt = models.ForeignKey(CLT, verbose_name="CLT", on_delete=models.PROTECT, related_name="allocation_policies")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    summary = models.TextField(blank=True, help_text="In a sentence or two, who the homes are for.")
    # The s106 agreement that fixes local connection.
    s106_reference = models.CharField(
        "s106 agreement",
        max_length=200,
        blank=True,
        help_text="As the planning authority refers to it, e.g. 21/01234/FUL.",
    )
    s106_signed_on = models.DateField("s106 signed on", null=True, blank=True)
    # The nomination agreement: the CLT, the housing association and the district council.
    housing_association = models.ForeignKey(
        "partnerships.HousingAssociation",
        verbose_name="housing association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district_council = models.CharField(max_length=200, blank=True)
    nomination_signed_on = models.DateField("nomination agreement signed on", null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["clt__name", "-version"]
        verbose_name = "allocation policy"
        verbose_name_plural = "allocation policies"
        constraints = [
            models.UniqueConstraint(fields=["clt", "version"], name="policy_version_once_per_clt"),
            models.UniqueConstraint(
                fields=["clt"],
                condition=Q(status="agreed"),
                name="policy_one_agreed_per_clt",
                violation_error_message="This CLT already has an agreed policy.",
            ),
            models.UniqueConstraint(
                fields=["clt"],
                condition=Q(status="draft"),
                name="policy_one_draft_per_clt",
                violation_error_message="This CLT already has a draft policy.",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | Q(agreed_on__isnull=False),
                name="policy_agreed_has_a_date",
                violation_error_message="An agreed policy needs the date it was agreed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clt.name} allocation policy, version {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == PolicyStatus.DRAFT


class ConnectionKind(models.TextChoices):
    """The local connections the cascade tests, each with the tier field that sets its minimum."""

    LIVES = "lives", "Lives there"
    LIVED = "lived", "Has lived there"
    WORKS = "works", "Works there"
    FAMILY = "family", "Close family there"


# The tier field holding each test's minimum, and its unit.
TEST_FIELDS = {
    ConnectionKind.LIVES: ("lives_years", "years"),
    ConnectionKind.LIVED: ("lived_years", "years"),
    ConnectionKind.WORKS: ("works_hours", "hours a week"),
    ConnectionKind.FAMILY: ("family_years", "years"),
}


class TierScope(models.TextChoices):
    THIS_PARISH = "this_parish", "This parish"
    ADJOINING = "adjoining", "Named adjoining parishes"
    DISTRICT_PARISHES = "district_parishes", "Other parishes of the district"
    DISTRICT = "district", "The district"


PARISH_SCOPES = {TierScope.THIS_PARISH, TierScope.ADJOINING}


class PolicyTier(TenantModel):
    """A step of the cascade: where someone must be connected, and the tests that count.

    A test left empty is not part of this tier; at least one must be set (a constraint)."""

    policy = models.ForeignKey(AllocationPolicy, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField(help_text="1 is offered first.")
    name = models.CharField(max_length=120, help_text="e.g. “Ashcombe Magna”.")
    scope = models.CharField(max_length=20, choices=TierScope.choices)
    parishes = models.ManyToManyField(
        Parish, blank=True, related_name="+", help_text="For this parish and named adjoining parishes."
    )
    district = models.CharField(
        max_length=120, blank=True, help_text="For other parishes of the district and the district."
    )
    lives_years = models.PositiveSmallIntegerField("lives there for at least (years)", null=True, blank=True)
    lived_years = models.PositiveSmallIntegerField("has lived there for at least (years)", null=True, blank=True)
    works_hours = models.PositiveSmallIntegerField("works there for at least (hours a week)", null=True, blank=True)
    family_years = models.PositiveSmallIntegerField(
        "close family have lived there for at least (years)", null=True, blank=True
    )

    class Meta:
        ordering = ["policy", "position"]
        verbose_name = "tier"
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "position"],
                name="tier_position_once_per_policy",
                violation_error_message="Another tier of this policy has that position.",
            ),
            models.CheckConstraint(
                condition=Q(lives_years__isnull=False)
                | Q(lived_years__isnull=False)
                | Q(works_hours__isnull=False)
                | Q(family_years__isnull=False),
                name="tier_has_a_connection_test",
                violation_error_message="A tier needs at least one connection test.",
            ),
        ]

    def __str__(self) -> str:
        return f"Tier {self.position}: {self.name}"


class NeedBand(TenantModel):
    """An urgency of housing need; position 1 is the most urgent."""

    policy = models.ForeignKey(AllocationPolicy, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField(help_text="1 is the most urgent.")
    name = models.CharField(max_length=120)
    description = models.TextField(help_text="Who falls in this band, as a panel member would read it out.")

    class Meta:
        ordering = ["policy", "position"]
        verbose_name = "need band"
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "position"],
                name="band_position_once_per_policy",
                violation_error_message="Another band of this policy has that position.",
            ),
        ]

    def __str__(self) -> str:
        return f"Band {self.position}: {self.name}"
