"""Reads of accounts data. Every function takes the request's access."""

from datetime import date, timedelta

from django.db.models import Case, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import Access
from accounts.models import (
    STAFF_ROLES,
    ApiToken,
    ApiTokenQuerySet,
    AuditEvent,
    EmailFailure,
    Export,
    ImportJob,
    Invitation,
    Membership,
    Role,
    Umbrella,
)


def membership_list(*, access: Access, include_revoked: bool = False) -> QuerySet[Membership]:
    qs = Membership.objects.filter(umbrella=access.umbrella).select_related("user", "clt", "housing_association")
    if not include_revoked:
        qs = qs.active()
    return qs.order_by("user__last_name", "user__first_name", "user__email", "role")


def membership_get(*, access: Access, public_id) -> Membership:
    return get_object_or_404(membership_list(access=access, include_revoked=True), public_id=public_id)


def invitation_list(*, access: Access, pending_only: bool = False) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(umbrella=access.umbrella).select_related("clt", "housing_association", "invited_by")
    if pending_only:
        qs = qs.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return qs


def invitation_get(*, access: Access, public_id) -> Invitation:
    return get_object_or_404(invitation_list(access=access), public_id=public_id)


def audit_for(*, access: Access, object_type: str, object_id: str, limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        umbrella=access.umbrella, object_type=object_type, object_id=str(object_id)
    ).select_related("actor")[:limit]


def people_list(*, access: Access, staff_only: bool = False):
    """People with an active membership of the umbrella (owners, lead officers, who did the work)."""
    from accounts.models import Role, User

    qs = User.objects.filter(memberships__umbrella=access.umbrella, memberships__revoked_at__isnull=True)
    if staff_only:
        qs = qs.filter(memberships__role__in=[Role.ADMIN, Role.STAFF])
    return qs.distinct().order_by("first_name", "last_name", "email")


def membership_scope_choices(*, access: Access, field: str) -> QuerySet:
    """What a membership may be scoped to (`field` is "clt" or "housing_association"): the rows of
    this umbrella, by name, for an admin's invitation and membership forms. The models are reached
    through Membership's own foreign keys, so accounts, the ground floor, imports neither clts nor
    partnerships (what an admin may pick is every CLT and every HA of the umbrella)."""
    model = Membership._meta.get_field(field).related_model
    if not access.is_staff:
        return model.objects.none()
    return model.objects.filter(umbrella=access.umbrella).order_by("name")


def export_list(*, access: Access) -> QuerySet[Export]:
    """The person's own CSV exports in this umbrella, newest first: each holds what their access
    saw, so nobody else's are ever listed or fetched (another's answers 404)."""
    return Export.objects.filter(umbrella=access.umbrella, requested_by=access.user).order_by("-created_at", "-pk")


def export_get(*, access: Access, public_id) -> Export:
    return get_object_or_404(export_list(access=access), public_id=public_id)


def email_failure_list(*, access: Access) -> QuerySet[EmailFailure]:
    """The umbrella's emails that could not be sent and have not gone since, newest first: for its
    staff only (whom each was to is on the page of what it was about)."""
    if not access.is_staff:
        return EmailFailure.objects.none()
    return EmailFailure.objects.filter(umbrella=access.umbrella, sent_at__isnull=True).order_by("-updated_at", "-pk")


def email_failures_recent(*, access: Access, days: int = 30) -> QuerySet[EmailFailure]:
    """Those of the last `days` days, for the members page (older ones stay on their own pages)."""
    from datetime import timedelta

    return email_failure_list(access=access).filter(updated_at__gte=timezone.now() - timedelta(days=days))


def email_failure_about(*, access: Access, about: str) -> EmailFailure | None:
    """The unsent email about one thing ("statement:<public id>"), for that thing's page."""
    return email_failure_list(access=access).filter(about=about).first()


def import_job_list(*, access: Access) -> QuerySet[ImportJob]:
    """The person's own large CSV imports in this umbrella, newest first (another's answers 404)."""
    return ImportJob.objects.filter(umbrella=access.umbrella, requested_by=access.user).order_by("-created_at", "-pk")


def import_job_get(*, access: Access, public_id) -> ImportJob:
    return get_object_or_404(import_job_list(access=access), public_id=public_id)


# --- for queued work (tasks have no request: they name the umbrella) ---------------------------


def umbrella_id_list() -> list[int]:
    """Every umbrella, for the scheduled work that runs in each (the monthly statement drafts)."""
    return list(Umbrella.objects.order_by("pk").values_list("pk", flat=True))


def acting_admin_id(*, umbrella_id: int) -> int | None:
    """The admin in whose name the umbrella's scheduled work is done (its longest-standing active
    admin), or None when it has none."""
    return (
        Membership.objects.active()
        .filter(umbrella_id=umbrella_id, role=Role.ADMIN)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
        .first()
    )


def ha_team_emails(*, access: Access, housing_association_id: int) -> list[str]:
    """Where a notice for an HA's team goes: the addresses of that HA's active team members in
    the access's umbrella (a link is sent, never the document)."""
    return sorted(
        set(
            Membership.objects.active()
            .filter(umbrella=access.umbrella, role=Role.HA_TEAM, housing_association_id=housing_association_id)
            .values_list("user__email", flat=True)
        )
    )


def panel_emails(*, access: Access, clt_id: int) -> list[str]:
    """The addresses of the CLT's allocation panel (its active volunteers who sit on it)."""
    return sorted(
        set(
            Membership.objects.active()
            .filter(umbrella=access.umbrella, role=Role.CLT_VOLUNTEER, clt_id=clt_id, is_allocation_panel=True)
            .values_list("user__email", flat=True)
        )
    )


# --- home-page figures (home.dashboards) --------------------------------------------------


#: What an HA team's "changed since your last visit" is about, and how many of the umbrella's
#: newest such events it reads at most (a team back after months sees the newest changes).
RELATED_TYPES = ("scheme", "lease", "milestone")
CHANGES_READ = 1000


def changes_since(*, access: Access, since, scheme_ids: list[str], limit: int = 20) -> list:
    """What changed on these records (a team's schemes, their leases and milestones) since a
    moment, newest first: the umbrella's events since then, read newest first by an index on
    (umbrella, time) and kept when they are about one of these records. (As one query with the
    ids in an IN list, a team with a few hundred schemes sent and planned a thousand ids a visit.)"""
    from accounts.models import AuditEvent

    if since is None:
        return []
    wanted, out = set(scheme_ids), []
    events = AuditEvent.objects.filter(umbrella=access.umbrella, at__gt=since, object_type__in=RELATED_TYPES)
    for event in events.select_related("actor")[:CHANGES_READ]:
        if event.object_id in wanted:
            out.append(event)
            if len(out) == limit:
                break
    return out


# --- the two-factor rule, for what is read without a page (the calendar feed, reminders) -----------


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def umbrellas_held_back_for_mfa(*, user) -> QuerySet[Umbrella]:
    """The umbrellas whose pages this person may not open until they set up two-factor: those that
    ask it of their admins and staff, where the person is one. Their calendar feed and reminders
    leave these umbrellas out, as the pages send them to set it up."""
    if user_has_totp(user):
        return Umbrella.objects.none()
    return Umbrella.objects.filter(
        require_mfa_for_staff=True,
        memberships__in=Membership.objects.active().filter(user=user, role__in=STAFF_ROLES),
    ).distinct()


# --- API tokens (the person's own, on their profile page: outside /u/, so by user) ----------


def api_token_umbrellas(*, user) -> QuerySet[Umbrella]:
    """The umbrellas this person may make an API token for: where their access now may use the
    API (accounts.rules "api.use": staff and HA teams; a CLT volunteer reads in the browser). The
    access is built as for their pages, so someone who is both an HA team member and a volunteer
    in one umbrella is a volunteer there, and is not offered a token that would answer 403."""
    from accounts.access import access_from_memberships
    from accounts.rules import can

    by_umbrella: dict[int, list[Membership]] = {}
    for m in Membership.objects.active().filter(user=user).select_related("umbrella"):
        by_umbrella.setdefault(m.umbrella_id, []).append(m)
    allowed = [
        pk for pk, ms in by_umbrella.items() if can(access_from_memberships(user, ms[0].umbrella, ms), "api.use")
    ]
    return Umbrella.objects.filter(pk__in=allowed).order_by("name", "pk")


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The person's tokens, working ones first, then those expired or revoked, newest first within
    each."""
    return (
        ApiToken.objects.filter(user=user)
        .select_related("umbrella")
        .annotate(working=Case(When(ApiTokenQuerySet.working(), then=Value(0)), default=Value(1)))
        .order_by("working", "-created_at", "-id")
    )


def api_tokens_expiring(*, user, umbrella, today: date, within_days: int) -> QuerySet[ApiToken]:
    """The person's working tokens in the umbrella whose last day is within `within_days` days of
    today (for their reminders: a system reading with one should get a new one in time)."""
    return ApiToken.objects.active(today).filter(
        user=user, umbrella=umbrella, expires_on__lte=today + timedelta(days=within_days)
    )


def api_token_get(*, user, public_id) -> ApiToken:
    """One of the person's own tokens (404 for anyone else's, as for one that does not exist)."""
    return get_object_or_404(ApiToken.objects.filter(user=user), public_id=public_id)


def api_token_access(*, token: ApiToken, umbrella_slug: str):
    """The access a token reads with under this umbrella's slug, built as for its person's pages
    but only from their memberships that began before the token was made: a token never reads
    with more than its person held then (a membership added since, say on another HA's team, is
    not the token's; one ended or changed since revoked it). None when it does not work there:
    another umbrella's token (whether or not its person belongs there too), a person no longer
    active, or no such membership left (one ended and begun again does not bring it back)."""
    from accounts.access import access_from_memberships

    if token.umbrella.slug != umbrella_slug or not token.user.is_active:
        return None
    memberships = [
        m
        for m in Membership.objects.active().filter(user=token.user, umbrella=token.umbrella)
        if m.created_at <= token.created_at
    ]
    if not memberships:
        return None
    return access_from_memberships(token.user, token.umbrella, memberships)


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The unrevoked token whose secret this is, with its person and umbrella (None: no such token,
    or revoked); it may be past its last day (`is_expired`), which its holder is told. Only
    digests are kept, so the lookup is by the secret's digest."""
    from accounts.services import api_token_digest

    if not secret or len(secret) > 200:
        return None
    tokens = ApiToken.objects.unrevoked().select_related("user", "umbrella")
    return tokens.filter(digest=api_token_digest(secret)).first()
