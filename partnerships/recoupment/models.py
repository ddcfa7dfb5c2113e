"""Recoupment statements: one HA, one period, what the agreement makes recoverable (the PDF made by
a task, then issued and paid)."""

from django.db import models
from django.db.models import Q

from accounts.models import TenantModel
from core.documents import DrawnRow
from partnerships.organisations.models import MONEY, HousingAssociation


class StatementStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready for review"
    FAILED = "failed", "Failed"
    ISSUED = "issued", "Issued to the HA"
    PAID = "paid", "Paid"


#: States in which a statement is being made: at most one per HA and period.
IN_PROGRESS = [StatementStatus.QUEUED, StatementStatus.RENDERING]


class Statement(DrawnRow, TenantModel):
    """A recoupment statement for one HA and one period, rendered to PDF by a Celery task.

    Once issued it is frozen: its figures (kept in `figures`) and its file never change again;
    a later statement for the same HA and period is a new version.
    """

    housing_association = models.ForeignKey(HousingAssociation, on_delete=models.PROTECT, related_name="statements")
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveSmallIntegerField(default=1)
    reference = models.CharField(max_length=60, unique=True)
    status = models.CharField(max_length=12, choices=StatementStatus.choices, default=StatementStatus.QUEUED)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True, help_text="Relative to private storage.")
    figures = models.JSONField(default=dict, blank=True)
    total_outstanding = models.DecimalField(**MONEY, null=True, blank=True)
    total_vat = models.DecimalField(**MONEY, null=True, blank=True)
    total_due = models.DecimalField(**MONEY, null=True, blank=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    is_draft_by_schedule = models.BooleanField("drafted by the monthly schedule", default=False)
    rendered_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    paid_on = models.DateField(null=True, blank=True)
    # Given on issue (partnerships.recoupment.services.statement_issue): the statement is then an invoice.
    invoice_number = models.PositiveIntegerField(null=True, blank=True)
    invoice_date = models.DateField(null=True, blank=True)
    tax_point = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "housing_association__name", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="statement_period_in_order",
                violation_error_message="The period must end on or after the day it starts.",
            ),
            models.UniqueConstraint(
                fields=["housing_association", "period_start", "period_end"],
                condition=Q(status__in=["queued", "rendering"]),
                name="statement_one_in_progress_per_period",
                violation_error_message="A statement for this HA and period is already being drawn: wait for it to finish.",
            ),
            models.UniqueConstraint(
                fields=["housing_association", "period_start", "period_end", "version"],
                name="statement_version_unique",
            ),
            models.UniqueConstraint(
                fields=["umbrella", "invoice_number"],
                condition=Q(invoice_number__isnull=False),
                name="statement_invoice_number_unique",
                violation_error_message="That invoice number is already used: issue the statement again to take the next.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_frozen(self) -> bool:
        return self.status in (StatementStatus.ISSUED, StatementStatus.PAID)

    @property
    def is_draft(self) -> bool:
        """Not issued: not an invoice, and marked DRAFT on screen and in the PDF."""
        return not self.is_frozen

    @property
    def invoice_label(self) -> str:
        """The invoice number as printed: the umbrella's prefix and six digits ("INV-000042")."""
        return self.umbrella.invoice_label(self.invoice_number) if self.invoice_number is not None else ""


class EarlierInvoice(TenantModel):
    """An invoice for the umbrella's costs on a scheme raised outside Fieldgate (before the
    umbrella used it, say). Its amount counts as "invoiced before" on every statement to its HA for
    a period ending on or after its date, and the statement names it."""

    scheme = models.ForeignKey("schemes.Scheme", on_delete=models.PROTECT, related_name="earlier_invoices")
    housing_association = models.ForeignKey(HousingAssociation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("invoice reference", max_length=60)
    invoiced_on = models.DateField("invoice date")
    amount = models.DecimalField("amount before VAT (£)", **MONEY)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["invoiced_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="earlier_invoice_amount_positive",
                violation_error_message="An invoice's amount is more than £0.00.",
            ),
            models.UniqueConstraint(fields=["umbrella", "reference"], name="earlier_invoice_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.reference} of {self.invoiced_on:%-d %b %Y}"
