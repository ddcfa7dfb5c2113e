"""Community land trusts and the parishes they serve."""

from django.db import models

from accounts.models import TenantModel


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


class CLT(TenantModel):
    """A community land trust (Housing and Regeneration Act 2008, s79)."""

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=10, choices=LegalForm.choices, default=LegalForm.CBS)
    registration_number = models.CharField(max_length=40, blank=True)
    incorporated_on = models.DateField(null=True, blank=True)
    parishes = models.ManyToManyField(Parish, through="CLTParish", related_name="clts")
    membership_count = models.PositiveIntegerField(default=0)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    setup_status = models.CharField(max_length=20, choices=SetupStatus.choices, default=SetupStatus.ENQUIRY)

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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clt", "parish"], name="clt_parish_once")]
