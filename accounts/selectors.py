"""Reads of accounts data. Every function takes the request's access."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from accounts.models import AuditEvent, Invitation, Membership


def membership_list(*, access: Access, include_revoked: bool = False) -> QuerySet[Membership]:
    qs = Membership.objects.filter(umbrella=access.umbrella).select_related(
        "user", "clt", "housing_association"
    )
    if not include_revoked:
        qs = qs.active()
    return qs.order_by("user__last_name", "user__first_name", "user__email", "role")


def membership_get(*, access: Access, public_id) -> Membership:
    return get_object_or_404(membership_list(access=access, include_revoked=True), public_id=public_id)


def invitation_list(*, access: Access, pending_only: bool = False) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(umbrella=access.umbrella).select_related(
        "clt", "housing_association", "invited_by"
    )
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
