"""A lease's ground-rent payments and its covenant checks (registered by schemes/models.py)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from core.validators import not_in_future
from documents.models import Document
from partnerships.organisations.models import MONEY


class GroundRentPayment(TenantModel):
    lease = models.ForeignKey("schemes.Lease", on_delete=models.CASCADE, related_name="ground_rent_payments")
    paid_on = models.DateField("paid on")
    amount = models.DecimalField(
        "amount (£)",
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"), message="Give the amount paid, more than £0.")],
    )
    reference = models.CharField("reference (optional)", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="ground_rent_payment_positive",
                violation_error_message="A payment is more than £0.00.",
            )
        ]

    def __str__(self):
        return f"£{self.amount:,.2f} on {self.paid_on:%-d %b %Y}"


class CheckKind(models.TextChoices):
    ANNUAL_RETURN = "annual_return", "Annual return from the HA"
    INSURANCE = "insurance", "Buildings insurance in place"
    LOCAL_OCCUPANCY = "local_occupancy", "Homes let to people with a local connection"
    OTHER = "other", "Other covenant"


class CovenantCheck(TenantModel):
    """One thing the lease asks for by a date (the HA's annual return, its insurance, who lives in
    the homes), done with evidence. A yearly check makes the next when it is done."""

    lease = models.ForeignKey("schemes.Lease", on_delete=models.CASCADE, related_name="covenant_checks")
    kind = models.CharField("what the lease asks", max_length=30, choices=CheckKind.choices)
    title = models.CharField("title (optional)", max_length=200, blank=True)
    due_on = models.DateField("due on")
    recurs_yearly = models.BooleanField("every year", default=True)
    done_on = models.DateField("done on", null=True, blank=True, validators=[not_in_future])
    evidence = models.TextField("evidence", blank=True)
    evidence_document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="evidence document"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self):
        return self.title or self.get_kind_display()
