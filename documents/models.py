"""A document (one paper: the lease of a scheme, an s106, an MOU) and its versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import TenantModel


class SubjectKind(models.TextChoices):
    """What a document belongs to (each registered by the app that owns it: documents.subjects)."""

    CLT = "clt", "CLT"
    SCHEME = "scheme", "Scheme"
    AGREEMENT = "agreement", "Collaboration agreement"
    PROGRAMME = "programme", "Programme"


class DocumentType(models.TextChoices):
    COLLABORATION_AGREEMENT = "collaboration_agreement", "Collaboration agreement"
    OPTION_AGREEMENT = "option_agreement", "Option agreement"
    LEASE = "lease", "Lease"
    S106 = "s106", "Section 106 agreement"
    NOMINATION_AGREEMENT = "nomination_agreement", "Nomination agreement"
    PLANNING_DECISION = "planning_decision", "Planning decision"
    NEEDS_SURVEY_REPORT = "needs_survey_report", "Housing needs survey report"
    MOU = "mou", "Memorandum of understanding"
    OTHER = "other", "Other"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    SUPERSEDED = "superseded", "Superseded"


class Document(TenantModel):
    subject_kind = models.CharField("belongs to", max_length=20, choices=SubjectKind.choices)
    #: The public id of the record it belongs to (a CLT, scheme, agreement or programme of the umbrella).
    subject_id = models.UUIDField()
    type = models.CharField(max_length=30, choices=DocumentType.choices)
    title = models.CharField(max_length=200)
    shared_with_ha = models.BooleanField(
        "shared with the HA",
        default=False,
        help_text="The housing association's team sees this document on the schemes and agreements it partners on.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["type", "title", "pk"]
        indexes = [models.Index(fields=["umbrella", "subject_kind", "subject_id"])]

    def __str__(self):
        return self.title


class DocumentVersion(TenantModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    signed_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    #: In private storage, named by us (<umbrella>/documents/<document>/<version>.<extension>).
    file_path = models.CharField(max_length=300, editable=False)
    #: The name the file had on the uploader's computer: shown, never used to store or serve.
    original_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="document_version_signed_has_date",
                violation_error_message="A signed version needs the date it was signed.",
            ),
        ]

    def __str__(self):
        return f"{self.document.title}, version {self.number}"
