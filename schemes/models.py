"""Sites and schemes. Stage moves happen only in schemes.services."""

from django.core.validators import MinValueValidator
from django.db import models

from accounts.models import TenantModel

from .stages import PHASE_OF, Phase, Stage

MONEY = {"max_digits": 14, "decimal_places": 2}


class Site(TenantModel):
    name = models.CharField(max_length=200)
    parish = models.ForeignKey("clts.Parish", on_delete=models.PROTECT, related_name="sites")
    address = models.CharField("address or grid reference", max_length=300, blank=True)
    area_hectares = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    current_use = models.CharField(max_length=200, blank=True)
    landowner = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RAG(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Scheme(TenantModel):
    name = models.CharField(max_length=200)
    clt = models.ForeignKey("clts.CLT", on_delete=models.PROTECT, related_name="schemes")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="schemes")
    housing_association = models.ForeignKey(
        "partnerships.HousingAssociation",
        verbose_name="HA partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schemes",
    )
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.ENQUIRY)
    rag = models.CharField("RAG status", max_length=5, choices=RAG.choices, default=RAG.GREEN)
    rag_reason = models.CharField("RAG reason", max_length=300, blank=True)
    homes_social_rent = models.PositiveSmallIntegerField(default=0)
    homes_affordable_rent = models.PositiveSmallIntegerField(default=0)
    homes_shared_ownership = models.PositiveSmallIntegerField(default=0)
    homes_discounted_sale = models.PositiveSmallIntegerField("homes for discounted market sale", default=0)
    homes_first_homes = models.PositiveSmallIntegerField("First Homes", default=0)
    total_cost = models.DecimalField(
        "total scheme cost", **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    grant = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["umbrella", "stage"]), models.Index(fields=["umbrella", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def homes_total(self) -> int:
        return (
            self.homes_social_rent
            + self.homes_affordable_rent
            + self.homes_shared_ownership
            + self.homes_discounted_sale
            + self.homes_first_homes
        )

    @property
    def phase(self) -> str | None:
        phase = PHASE_OF.get(self.stage)
        return Phase(phase).label if phase else None


class StageChange(models.Model):
    """A recorded stage move: who, when, from where to where, and why."""

    umbrella = models.ForeignKey("accounts.Umbrella", on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    changed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
