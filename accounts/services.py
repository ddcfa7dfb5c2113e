"""Writes for accounts: invitations, memberships, umbrella settings, API tokens. Rules live here."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import Access
from accounts.models import (
    API_TOKEN_LIFETIMES,
    STAFF_ROLES,
    ApiToken,
    AuditEvent,
    EmailFailure,
    Export,
    ExportStatus,
    ImportJob,
    ImportStatus,
    Invitation,
    Membership,
    Role,
    Umbrella,
    User,
    single_line,
)
from accounts.rules import can

INVITATION_SALT = "fieldgate.invitation"


def audit(*, umbrella: Umbrella, actor: User | None, action: str, obj, summary: str, changes=None) -> AuditEvent:
    return AuditEvent.objects.create(
        umbrella=umbrella,
        actor=actor,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.public_id),
        summary=summary[:500],
        changes=changes or {},
    )


def _require(access: Access, rule: str, obj=None) -> None:
    if not can(access, rule, obj):
        raise PermissionDenied("Your role in this umbrella does not allow this.")


def _check_scope(*, umbrella: Umbrella, role: str, clt, housing_association, is_allocation_panel: bool) -> None:
    """The same rule as the database constraint, with messages a person can act on."""
    errors = {}
    if role in STAFF_ROLES:
        if clt or housing_association:
            errors["role"] = "Umbrella admins and staff are not limited to a CLT or a housing association."
    elif role == Role.CLT_VOLUNTEER:
        if not clt:
            errors["clt"] = "Choose the CLT this volunteer belongs to."
        if housing_association:
            errors["housing_association"] = "A CLT volunteer is not part of a housing association."
    elif role == Role.HA_TEAM:
        if not housing_association:
            errors["housing_association"] = "Choose the housing association this team works for."
        if clt:
            errors["clt"] = "An HA team member is not limited to a CLT."
    else:
        errors["role"] = "Choose a role."
    if is_allocation_panel and role != Role.CLT_VOLUNTEER:
        errors["is_allocation_panel"] = "Only CLT volunteers sit on an allocation panel."
    for obj in (clt, housing_association):
        if obj is not None and obj.umbrella_id != umbrella.pk:
            raise ValidationError("That choice is not in this umbrella.")
    if errors:
        raise ValidationError(errors)


def _check_roles_compatible(*, umbrella: Umbrella, user: User, role: str, exclude_pk=None) -> None:
    """One person holds one kind of role in an umbrella (several CLTs at most)."""
    others = Membership.objects.active().filter(umbrella=umbrella, user=user)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    other_roles = set(others.values_list("role", flat=True))
    if not other_roles:
        return
    if role == Role.CLT_VOLUNTEER and other_roles == {Role.CLT_VOLUNTEER}:
        return
    if role == Role.HA_TEAM and other_roles == {Role.HA_TEAM}:
        return
    labels = ", ".join(sorted(Role(r).label for r in other_roles))
    raise ValidationError(f"{user.email} is already a member of {umbrella.name} ({labels}). Change that role instead.")


# --- invitations ---------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=INVITATION_SALT).sign(str(invitation.public_id))


def invitation_from_token(token: str) -> Invitation | None:
    try:
        public_id = signing.Signer(salt=INVITATION_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("umbrella", "clt", "housing_association").filter(public_id=public_id).first()
    )


def invitation_create(
    *,
    access: Access,
    email: str,
    role: str,
    clt=None,
    housing_association=None,
    is_allocation_panel: bool = False,
) -> Invitation:
    _require(access, "members.manage")
    umbrella = access.umbrella
    email = email.strip().lower()
    _check_scope(
        umbrella=umbrella,
        role=role,
        clt=clt,
        housing_association=housing_association,
        is_allocation_panel=is_allocation_panel,
    )
    existing = User.objects.filter(email__iexact=email).first()
    if existing:
        same = Membership.objects.active().filter(
            umbrella=umbrella, user=existing, role=role, clt=clt, housing_association=housing_association
        )
        if same.exists():
            raise ValidationError({"email": f"{email} already has this role in {umbrella.name}."})
        _check_roles_compatible(umbrella=umbrella, user=existing, role=role)
    invitation = Invitation(
        umbrella=umbrella,
        email=email,
        role=role,
        clt=clt,
        housing_association=housing_association,
        is_allocation_panel=is_allocation_panel,
        invited_by=access.user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        audit(
            umbrella=umbrella,
            actor=access.user,
            action="invited",
            obj=invitation,
            summary=f"Invited {email} as {Role(role).label}",
        )
        from accounts.tasks import send_invitation_email

        transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk))
    return invitation


def invitation_revoke(*, access: Access, invitation: Invitation) -> Invitation:
    _require(access, "members.manage")
    if invitation.status != "pending":
        raise ValidationError(f"This invitation is {invitation.status} and cannot be withdrawn.")
    invitation.revoked_at = timezone.now()
    with transaction.atomic():
        invitation.save(update_fields=["revoked_at"])
        audit(
            umbrella=access.umbrella,
            actor=access.user,
            action="revoked",
            obj=invitation,
            summary=f"Withdrew the invitation for {invitation.email}",
        )
        # An email that did not go for it no longer matters.
        EmailFailure.objects.filter(umbrella=access.umbrella, about=f"invitation:{invitation.public_id}").delete()
    return invitation


class InvitationUnusable(Exception):
    """The link cannot be used: the message says why, in words for the person holding it."""


def invitation_check_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationUnusable("This invitation link is not valid. Check that you copied the whole link.")
    status = invitation.status
    if status == "accepted":
        raise InvitationUnusable("This invitation has already been used. Sign in with the account it created.")
    if status == "revoked":
        raise InvitationUnusable("This invitation was withdrawn. Ask the umbrella's admin for a new one.")
    if status == "expired":
        raise InvitationUnusable("This invitation has expired. Ask the umbrella's admin to send a new one.")
    return invitation


def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> Membership:
    """Accept an invitation: creates the membership (and the account, if there is none).

    Either `user` (signed in, with the invited email) or the new account's names and password.
    All or nothing; a second acceptance of the same invitation is refused (row lock).
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_check_usable(invitation)
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise InvitationUnusable("An account with this email address exists: sign in to accept.")
            user = User.objects.create_user(
                email=invitation.email, password=password, first_name=first_name, last_name=last_name
            )
        elif user.email.lower() != invitation.email.lower():
            raise InvitationUnusable(
                f"This invitation is for {invitation.email}, but you are signed in as {user.email}. "
                "Sign out, then open the link again."
            )
        # The person received the link at this address, so the address is verified.
        EmailAddress.objects.update_or_create(
            user=user, email=invitation.email, defaults={"verified": True, "primary": True}
        )
        _check_roles_compatible(umbrella=invitation.umbrella, user=user, role=invitation.role)
        membership = Membership.objects.create(
            umbrella=invitation.umbrella,
            user=user,
            role=invitation.role,
            clt=invitation.clt,
            housing_association=invitation.housing_association,
            is_allocation_panel=invitation.is_allocation_panel,
            created_by=invitation.invited_by,
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit(
            umbrella=invitation.umbrella,
            actor=user,
            action="joined",
            obj=membership,
            summary=f"{user.email} accepted the invitation as {membership.get_role_display()}",
        )
    return membership


# --- memberships ---------------------------------------------------------------------------


def _active_admin_count(umbrella: Umbrella) -> int:
    return Membership.objects.active().filter(umbrella=umbrella, role=Role.ADMIN).count()


def membership_change(
    *,
    access: Access,
    membership: Membership,
    role: str,
    clt=None,
    housing_association=None,
    is_allocation_panel: bool = False,
) -> Membership:
    _require(access, "members.manage")
    if not membership.is_active:
        raise ValidationError("This membership was revoked; invite the person again instead.")
    _check_scope(
        umbrella=access.umbrella,
        role=role,
        clt=clt,
        housing_association=housing_association,
        is_allocation_panel=is_allocation_panel,
    )
    with transaction.atomic():
        Membership.objects.select_for_update().filter(umbrella=access.umbrella, role=Role.ADMIN).exists()
        if membership.role == Role.ADMIN and role != Role.ADMIN and _active_admin_count(access.umbrella) <= 1:
            raise ValidationError("This is the umbrella's last admin. Make someone else an admin first.")
        _check_roles_compatible(umbrella=access.umbrella, user=membership.user, role=role, exclude_pk=membership.pk)
        before = {
            "role": membership.role,
            "scope": str(membership.scope or ""),
            "allocation panel": membership.is_allocation_panel,
        }
        membership.role = role
        membership.clt = clt
        membership.housing_association = housing_association
        membership.is_allocation_panel = is_allocation_panel
        membership.full_clean()
        membership.save()
        after = {
            "role": membership.role,
            "scope": str(membership.scope or ""),
            "allocation panel": membership.is_allocation_panel,
        }
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            _revoke_tokens_reading_through(membership=membership, actor=access.user, why="their membership changed")
        audit(
            umbrella=access.umbrella,
            actor=access.user,
            action="changed",
            obj=membership,
            summary=f"Changed {membership.user.email}'s membership",
            changes=changes,
        )
    return membership


def membership_revoke(*, access: Access, membership: Membership) -> Membership:
    """Takes effect on the person's next request: access is rebuilt from active memberships."""
    _require(access, "members.manage")
    if not membership.is_active:
        raise ValidationError("This membership is already revoked.")
    with transaction.atomic():
        Membership.objects.select_for_update().filter(umbrella=access.umbrella, role=Role.ADMIN).exists()
        if membership.role == Role.ADMIN and _active_admin_count(access.umbrella) <= 1:
            raise ValidationError("This is the umbrella's last admin and cannot be removed.")
        membership.revoked_at = timezone.now()
        membership.revoked_by = access.user
        membership.save(update_fields=["revoked_at", "revoked_by"])
        _revoke_tokens_reading_through(membership=membership, actor=access.user, why="their membership ended")
        audit(
            umbrella=access.umbrella,
            actor=access.user,
            action="revoked",
            obj=membership,
            summary=f"Revoked {membership.user.email}'s membership ({membership.get_role_display()})",
        )
    return membership


# --- umbrella --------------------------------------------------------------------------------


def umbrella_update_settings(*, access: Access, require_mfa_for_staff: bool, **fields) -> Umbrella:
    _require(access, "umbrella.manage")
    umbrella = Umbrella.objects.get(pk=access.umbrella.pk)
    before = {"require_mfa_for_staff": umbrella.require_mfa_for_staff, **{k: getattr(umbrella, k) for k in fields}}
    umbrella.require_mfa_for_staff = require_mfa_for_staff
    for key, value in fields.items():
        setattr(umbrella, key, value)
    umbrella.full_clean()
    with transaction.atomic():
        umbrella.save()
        after = {"require_mfa_for_staff": umbrella.require_mfa_for_staff, **{k: getattr(umbrella, k) for k in fields}}
        changes = {k: [str(before[k]), str(after[k])] for k in before if before[k] != after[k]}
        audit(
            umbrella=umbrella,
            actor=access.user,
            action="changed",
            obj=umbrella,
            summary="Changed the umbrella's settings",
            changes=changes,
        )
    return umbrella


def umbrella_create_with_admin(
    *,
    name: str,
    slug: str,
    email: str,
    password: str | None,
    admin_name: str = "",
    require_mfa_for_staff: bool = True,
    **fields,
) -> tuple[Umbrella, User, Membership]:
    """For the management command that bootstraps production: an umbrella and its first admin,
    with their name (split at the last space into first and last), which cost lines show."""
    try:
        single_line(name)
    except ValidationError as error:
        raise ValidationError(f"The umbrella's name: {' '.join(error.messages)}") from error
    admin_name = " ".join(admin_name.split())
    first, _, last = admin_name.rpartition(" ") if " " in admin_name else (admin_name, "", "")
    with transaction.atomic():
        umbrella, _ = Umbrella.objects.get_or_create(
            slug=slug, defaults={"name": name, "require_mfa_for_staff": require_mfa_for_staff, **fields}
        )
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=password, first_name=first[:150], last_name=last[:150]
            )
        elif admin_name and not user.get_full_name():
            user.first_name, user.last_name = first[:150], last[:150]
            user.save(update_fields=["first_name", "last_name"])
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        membership = Membership.objects.active().filter(umbrella=umbrella, user=user, role=Role.ADMIN).first()
        if membership is None:
            _check_roles_compatible(umbrella=umbrella, user=user, role=Role.ADMIN)
            membership = Membership.objects.create(umbrella=umbrella, user=user, role=Role.ADMIN)
    return umbrella, user, membership


def membership_mark_seen(*, access: Access):
    """Record that the person opened their home page now; returns when they last did (or None),
    as the access has it (its memberships were read for this request)."""
    Membership.objects.active().filter(umbrella=access.umbrella, user=access.user).update(last_seen_at=timezone.now())
    return access.last_seen_at


# --- CSV exports written by a task -----------------------------------------------------------


def export_request(*, access: Access, url_name: str, query: str, filename: str) -> Export:
    """Ask for a list's CSV to be written by a task (a list too long to stream while the person
    waits). `query` is the list's filters and sort; the task reads the list again with the access
    of the person who asked. QueueUnavailable when the queue cannot be reached."""
    from accounts.tasks import EXPORT
    from core import documents

    export = Export.objects.create(
        umbrella=access.umbrella, requested_by=access.user, url_name=url_name, query=query[:2000], filename=filename
    )
    documents.enqueue(EXPORT, export, user_id=access.user.pk)
    return export


def export_list_view(*, access: Access, export: Export):
    """The list view the export is of, set up as if the person had asked for the list with the
    export's query (no request reaches it: the view's own filters, sort and CSV columns serve)."""
    from django.http import HttpRequest, QueryDict
    from django.urls import resolve, reverse

    from accounts.views_base import TenantListView

    path = reverse(export.url_name, kwargs={"umbrella_slug": access.umbrella.slug})
    match = resolve(path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, TenantListView):
        raise ValueError(f"{export.url_name} is not a list.")
    request = HttpRequest()
    request.method, request.path, request.user, request.resolver_match = "GET", path, access.user, match
    request.GET = QueryDict(export.query)
    view = view_class()
    view.setup(request)
    view.access, view.umbrella = access, access.umbrella
    return view


def export_write(*, access: Access, export: Export) -> None:
    """Read the list again and write its CSV into private storage (called by the task)."""
    from core.csvexport import csv_pieces
    from core.pdf import write_private_text

    view = export_list_view(access=access, export=export)
    queryset, form, _sort = view._list()
    if form.errors:
        # A filter no longer readable (its record deleted, or out of the person's sight since
        # they asked): the file would be wider than what they asked for, so none is written.
        fields = ", ".join(str(form[name].label) for name in form.errors if name in form.fields)
        raise ValidationError(f"A filter of the list no longer applies ({fields or 'the filters'}): ask for it again.")
    counted = {"rows": 0}

    def rows():
        for obj in view.csv_queryset(queryset).iterator(chunk_size=2000):
            counted["rows"] += 1
            yield [getter(obj) for _, getter in view.csv_columns]

    path = write_private_text(
        f"{access.umbrella.pk}/exports/{export.public_id}.csv",
        csv_pieces([name for name, _ in view.csv_columns], rows()),
    )
    Export.objects.filter(pk=export.pk, status=ExportStatus.RENDERING).update(
        status=ExportStatus.READY, file_path=path, rows=counted["rows"], failure_reason="", rendered_at=timezone.now()
    )


# --- CSV imports run by a task ----------------------------------------------------------------


def import_request(*, access: Access, kind: str, target, upload) -> ImportJob:
    """Keep a large CSV privately and queue its import (accounts.imports has what `kind` does). The
    header is checked first, here, so a wrong one is refused on the form at once; the rows are
    checked by the task. QueueUnavailable when the queue cannot be reached (the job then says so,
    and the kept file is removed)."""
    import uuid

    from accounts.imports import IMPORTERS
    from accounts.tasks import IMPORT
    from core import documents
    from core.csvimport import read_csv
    from core.pdf import write_private_stream
    from core.uploads import display_name

    importer = IMPORTERS[kind]
    _require(access, importer.rule, target)
    read_csv(upload, columns=importer.columns, required=importer.required)  # the header, first
    public_id = uuid.uuid4()
    upload.seek(0)
    path = write_private_stream(f"{access.umbrella.pk}/imports/{public_id}.csv", upload.chunks())
    job = ImportJob.objects.create(
        umbrella=access.umbrella,
        public_id=public_id,
        requested_by=access.user,
        kind=kind,
        target_id=getattr(target, "public_id", None),
        filename=display_name(getattr(upload, "name", "") or "") or "import.csv",
        size=upload.size,
        file_path=path,
    )
    documents.enqueue(IMPORT, job, user_id=access.user.pk)
    return job


def import_forget_file(job_id: int) -> None:
    """The kept upload goes once its import has ended, however it ended (core.documents on_failed)."""
    from core.pdf import delete_private_file

    path = ImportJob.objects.filter(pk=job_id).values_list("file_path", flat=True).first()
    if path:
        delete_private_file(path)


def import_run(*, access: Access, job: ImportJob) -> None:
    """Check and import the kept file (called by the task). Every row or none: the rows and this
    job's "finished" are saved in one transaction, so a worker that dies part-way leaves neither and
    the job is taken over (core.documents). A file with problems finishes with them listed."""
    from django.http import Http404

    from accounts.imports import IMPORTERS
    from core.pdf import private_path

    importer = IMPORTERS[job.kind]
    running = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RENDERING)

    def progress(fraction: float, rows: int) -> None:
        running.update(percent=min(99, int(fraction * 100)), rows_checked=rows, updated_at=timezone.now())

    def on_saved(count: int) -> None:
        done = running.update(
            status=ImportStatus.READY,
            imported=count,
            problems=[],
            percent=100,
            failure_reason="",
            rendered_at=timezone.now(),
        )
        if not done:  # taken over or ended meanwhile: the rows must not be saved a second time
            raise RuntimeError(f"Import {job.pk} is no longer running here.")

    def end(**fields) -> None:
        fields.setdefault("failure_reason", "")
        running.update(percent=100, rendered_at=timezone.now(), **fields)

    try:
        target = importer.target(access, job.target_id) if job.target_id else None
        with private_path(job.file_path).open("rb") as source:
            importer.run(access=access, target=target, source=source, progress=progress, on_saved=on_saved)
    except ValidationError as error:
        problems = error.message_dict.get("file", error.messages) if hasattr(error, "error_dict") else error.messages
        end(status=ImportStatus.READY, imported=None, problems=list(problems))
    except (Http404, PermissionDenied):
        end(status=ImportStatus.FAILED, failure_reason="What the rows were for is no longer yours to change.")
    import_forget_file(job.pk)


def reminder_frequency_set(*, user, frequency: str) -> None:
    """The person's own choice: daily, weekly or never (home/reminders.py)."""
    if frequency not in {value for value, _ in User._meta.get_field("reminder_frequency").choices}:
        raise ValidationError({"reminder_frequency": "Choose every morning, on Mondays, or never."})
    user.reminder_frequency = frequency
    user.save(update_fields=["reminder_frequency"])


# --- API tokens ------------------------------------------------------------------------------

#: Every secret starts so, which tells a leaked one apart in logs and in secret scanners.
API_TOKEN_START = "fg_"
#: How stale a token's "last used" may be before a request writes it again (one write an hour,
#: not one a request).
API_TOKEN_USE_RECORDED_EVERY = timedelta(hours=1)
#: At most this many working tokens a person in one umbrella.
API_TOKENS_MAX = 10


def api_token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, umbrella: Umbrella, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for the person in that umbrella, working for `days` days from today (today
    counted as the first), and its secret (shown once, never kept)."""
    from accounts.selectors import api_token_umbrellas

    if not api_token_umbrellas(user=user).filter(pk=umbrella.pk).exists():
        raise PermissionDenied("The API is for umbrella staff and housing association teams.")
    if days not in API_TOKEN_LIFETIMES:
        raise ValidationError({"days": "Choose how long it works: " + ", ".join(API_TOKEN_LIFETIMES.values()) + "."})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).exists()  # one count at a time per person
        if ApiToken.objects.active().filter(user=user, umbrella=umbrella).count() >= API_TOKENS_MAX:
            raise ValidationError(
                f"You have {API_TOKENS_MAX} working tokens for {umbrella.name}: revoke one you no longer use first."
            )
        if ApiToken.objects.active().filter(user=user, umbrella=umbrella, name__iexact=name.strip()).exists():
            raise ValidationError(
                {
                    "name": f"You already have a working token for “{name.strip()}”: revoke it first, or name this one "
                    "otherwise. (If you have just made it and did not see its secret, revoke it and make it again.)"
                }
            )
        secret = API_TOKEN_START + secrets.token_urlsafe(32)
        token = ApiToken(
            user=user,
            umbrella=umbrella,
            name=name.strip(),
            prefix=secret[:10],
            digest=api_token_digest(secret),
            expires_on=timezone.localdate() + timedelta(days=days - 1),
        )
        token.full_clean()
        token.save()
        audit(umbrella=umbrella, actor=user, action="created", obj=token,
              summary=f"Made an API token: {token.name}, working until {token.expires_on:%-d %b %Y}")  # fmt: skip
    return token, secret


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Stops the token at once. Revoking one already revoked changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit(
                umbrella=token.umbrella,
                actor=user,
                action="revoked",
                obj=token,
                summary=f"Revoked an API token: {token.name}",
            )
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _revoke_tokens_reading_through(*, membership: Membership, actor: User, why: str) -> None:
    """The person's tokens made while this membership held (so reading through it) stop working:
    its end, or a change of its role or scope, must not be outlived by a token (and a token never
    reads with more than its person held when it was made; accounts.selectors.api_token_access)."""
    tokens = ApiToken.objects.unrevoked().filter(
        umbrella=membership.umbrella, user=membership.user, created_at__gte=membership.created_at
    )
    for token in tokens:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(
            umbrella=membership.umbrella,
            actor=actor,
            action="revoked",
            obj=token,
            summary=f"Revoked {membership.user.email}'s API token “{token.name}”: {why}",
        )
