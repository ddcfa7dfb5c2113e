"""People, umbrellas (the tenant) and who belongs where.

An umbrella body's workspace is the tenant. Every tenant-owned row elsewhere carries a non-null
`umbrella` foreign key. A membership ties a user to an umbrella with a role and, for CLT
volunteers and HA teams, a scope; the database refuses a role without its scope.
"""

import uuid

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.documents import DrawnRow
from core.versions import TenantQuerySet


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with an email address; `is_staff` means Django admin (superusers)."""

    username = None
    email = models.EmailField("email address", unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Secret for the personal iCalendar feed (milestones and tasks); reset by the user.
    calendar_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: How often the reminders email comes (home/reminders.py): what is due and not yet reminded.
    reminder_frequency = models.CharField(
        "reminders by email",
        max_length=10,
        choices=[("daily", "Every morning"), ("weekly", "On Monday mornings"), ("never", "Never")],
        default="weekly",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


def single_line(value: str) -> None:
    """A name goes into email subjects and PDF headings: one line, no control characters (a line
    break in a subject makes every email with it fail)."""
    if any(not ch.isprintable() for ch in value):
        raise ValidationError("Write it on one line, without line breaks or tabs.", code="single_line")


class Umbrella(models.Model):
    """An umbrella body's workspace: the tenant."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, validators=[single_line])
    slug = models.SlugField(max_length=60, unique=True)
    host_organisation = models.CharField(
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="The body that hosts the umbrella, e.g. a social enterprise.",
    )
    region = models.CharField(max_length=200, blank=True, validators=[single_line])
    address = models.TextField(blank=True, help_text="Printed on the letterhead of statements.")
    email = models.EmailField(blank=True)
    require_mfa_for_staff = models.BooleanField(
        "require two-factor authentication for admins and staff",
        default=True,
        help_text="Admins and staff must set up an authenticator app before they reach the workspace.",
    )
    applicant_retention_months = models.PositiveSmallIntegerField(
        "keep applicants' records for (months)",
        default=24,
        validators=[MinValueValidator(1)],
        help_text="Records of applicants not housed are erased this long after they last changed.",
    )
    # What an issued statement, as an invoice, says of the umbrella (the body that invoices).
    vat_number = models.CharField("VAT registration number", max_length=20, blank=True, validators=[single_line])
    company_number = models.CharField("company number", max_length=20, blank=True, validators=[single_line])
    charity_number = models.CharField("charity number", max_length=20, blank=True, validators=[single_line])
    bank_account_name = models.CharField("bank account name", max_length=100, blank=True, validators=[single_line])
    bank_sort_code = models.CharField(
        "sort code",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{2}-?\d{2}-?\d{2}$", "Give the sort code as 12-34-56.")],
    )
    bank_account_number = models.CharField(
        "account number",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", "Give the 8 digits of the account number.")],
    )
    remittance_email = models.EmailField("send remittance advice to", blank=True)
    invoice_contact = models.CharField(
        "contact for invoices", max_length=200, blank=True, validators=[single_line],
        help_text="A name and telephone number, printed on each invoice.",
    )  # fmt: skip
    invoice_prefix = models.CharField(
        "invoice number prefix",
        max_length=10,
        default="INV",
        validators=[RegexValidator(r"^[A-Z0-9-]{1,10}$", "Use capital letters, digits and hyphens.")],
    )
    #: The number the next issued statement takes: numbers are given only on issue, one at a time
    #: under a lock, so they run without gaps and are never reused.
    next_invoice_number = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def invoice_label(self, number: int) -> str:
        """An invoice number as printed: the prefix and six digits ("INV-000042")."""
        return f"{self.invoice_prefix}-{number:06d}"


class Role(models.TextChoices):
    ADMIN = "admin", "Umbrella admin"
    STAFF = "staff", "Umbrella staff"
    CLT_VOLUNTEER = "clt_volunteer", "CLT volunteer"
    HA_TEAM = "ha_team", "HA development team"


STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})

# The database holds each role to its scope: staff roles have none, a volunteer exactly one CLT,
# an HA team exactly one housing association.
ROLE_SCOPE_CONDITION = (
    Q(role__in=[Role.ADMIN, Role.STAFF], clt__isnull=True, housing_association__isnull=True)
    | Q(role=Role.CLT_VOLUNTEER, clt__isnull=False, housing_association__isnull=True)
    | Q(role=Role.HA_TEAM, clt__isnull=True, housing_association__isnull=False)
)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Membership(models.Model):
    """A user's place in one umbrella. A volunteer of two CLTs holds two memberships."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    umbrella = models.ForeignKey(Umbrella, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    clt = models.ForeignKey("clts.CLT", on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    housing_association = models.ForeignKey(
        "partnerships.HousingAssociation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    is_allocation_panel = models.BooleanField(
        "sits on the CLT's allocation panel", default=False, help_text="Only for CLT volunteers."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_seen_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the person last opened their home page here."
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=ROLE_SCOPE_CONDITION,
                name="membership_role_matches_scope",
                violation_error_message="A CLT volunteer belongs to one CLT and an HA team to one HA; staff belong to neither.",
            ),
            models.CheckConstraint(
                condition=Q(is_allocation_panel=False) | Q(role=Role.CLT_VOLUNTEER),
                name="membership_panel_only_for_volunteers",
                violation_error_message="Only a CLT volunteer can sit on the allocation panel.",
            ),
            models.UniqueConstraint(
                fields=["umbrella", "user"],
                condition=Q(revoked_at__isnull=True, role__in=[Role.ADMIN, Role.STAFF]),
                name="membership_one_active_staff_role",
                violation_error_message="This person is already a member of the umbrella's staff.",
            ),
            models.UniqueConstraint(
                fields=["umbrella", "user", "clt"],
                condition=Q(revoked_at__isnull=True, clt__isnull=False),
                name="membership_one_active_per_clt",
                violation_error_message="This person is already a volunteer of that CLT.",
            ),
            models.UniqueConstraint(
                fields=["umbrella", "user", "housing_association"],
                condition=Q(revoked_at__isnull=True, housing_association__isnull=False),
                name="membership_one_active_per_ha",
                violation_error_message="This person is already on that HA's team.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.umbrella}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope(self):
        return self.clt or self.housing_association


class Invitation(models.Model):
    """An admin's invitation: a one-time emailed link that creates the membership on acceptance.

    The link carries a signature of the public id (see accounts.services.invitation_token), so no
    secret is stored; acceptance, revocation and expiry are recorded here and make it one-time.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    umbrella = models.ForeignKey(Umbrella, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    clt = models.ForeignKey("clts.CLT", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    housing_association = models.ForeignKey(
        "partnerships.HousingAssociation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_allocation_panel = models.BooleanField("sits on the CLT's allocation panel", default=False)
    invited_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=ROLE_SCOPE_CONDITION,
                name="invitation_role_matches_scope",
                violation_error_message="Invite a CLT volunteer to one CLT and an HA team member to one HA; staff to neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.umbrella}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def scope(self):
        return self.clt or self.housing_association


class AuditEvent(models.Model):
    """Who did what, when, to which record. Written by services only."""

    umbrella = models.ForeignKey(Umbrella, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=500)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["umbrella", "object_type", "object_id", "-at"]),
            models.Index(fields=["umbrella", "-at"]),
        ]  # what changed since a visit (HA home)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class TenantModel(models.Model):
    """Base for every tenant-owned row: the umbrella is always on the row, plus an opaque id."""

    umbrella = models.ForeignKey(Umbrella, on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    RENDERING = "rendering", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Export(DrawnRow, TenantModel):
    """A list's CSV too long to send while the person waits: written by a task into private
    storage (core.documents), then fetched from its page. It holds what that person's access saw,
    so only they may see it."""

    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    url_name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, blank=True)
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["umbrella", "requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"


class EmailFailure(TenantModel):
    """An email that could not be sent (accounts.mail): kept so staff see it on the page of what it
    was about and in the members page, rather than in a log nobody reads. `about` names what it
    was for ("invitation:<public id>"); a later send for the same thing that goes marks it sent."""

    about = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    recipients = models.PositiveIntegerField(default=0)
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager()  # unversioned (accounts.signals): no kept page shows it

    class Meta:
        indexes = [models.Index(fields=["umbrella", "about"]), models.Index(fields=["umbrella", "-updated_at"])]

    def __str__(self) -> str:
        return f"Email not sent: {self.subject}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RENDERING = "rendering", "Being checked"
    READY = "ready", "Finished"
    FAILED = "failed", "Failed"


class ImportJob(DrawnRow, TenantModel):
    """A CSV import too large to run while the person waits. The file is kept privately; a task
    (core.documents) reads it a line at a time, saying how far it has got, and imports every row or
    none: the rows and this job's "finished" are written in one transaction. Only the person who
    uploaded it sees it (accounts.imports has what each kind of import does)."""

    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    target_id = models.UUIDField(null=True, blank=True)  # the public id of what it imports into
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)

    objects = models.Manager()  # unversioned (accounts.signals): its progress changes no kept page

    class Meta:
        indexes = [models.Index(fields=["umbrella", "requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"Import of {self.filename}"

    @property
    def refused(self) -> bool:
        """Finished, and nothing imported: the file had problems (listed in `problems`)."""
        return self.status == ImportStatus.READY and self.imported is None


class ReminderSent(models.Model):
    """One item a person has been reminded of (its key names the item and its due date), so that
    nobody is reminded twice of the same thing."""

    umbrella = models.ForeignKey(Umbrella, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    sent_on = models.DateField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["umbrella", "user", "key"], name="reminder_once")]


#: How long a new API token may work, in days, as offered on the profile page; the first is the default.
API_TOKEN_LIFETIMES = {90: "90 days", 30: "30 days", 365: "A year"}


class ApiTokenQuerySet(models.QuerySet):
    def unrevoked(self):
        return self.filter(revoked_at__isnull=True)

    @staticmethod
    def working(today=None) -> Q:
        """Working: not revoked, and not past its last day (in England)."""
        return Q(revoked_at__isnull=True, expires_on__gte=today or timezone.localdate())

    def active(self, today=None):
        return self.filter(self.working(today))


class ApiToken(models.Model):
    """A person's key to the read-only API (api/) in one umbrella, made and revoked on their
    profile page. Only a SHA-256 digest of the secret is kept: the secret is shown once, when the
    token is made. A request with it sees what the person's pages show (the same access and
    selectors), so it stops working when the person, their membership or the token does."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    umbrella = models.ForeignKey(Umbrella, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(
        "what it is for", max_length=100, validators=[single_line], help_text="For example: our asset register."
    )
    #: The secret's first characters, shown on the profile page so a person can tell tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    #: The last day it works (in England); the person chose how long when they made it.
    expires_on = models.DateField("works until", editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
