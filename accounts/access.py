"""The access object: who is asking, in which umbrella, with which role and scope.

Built once per request by `TenantView` (and once per task by `access_for_user_id`), then handed
to every selector and service. Nothing else decides what a user may see.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.http import Http404

from accounts.models import STAFF_ROLES, Membership, Role, Umbrella, User

_ROLE_PRIORITY = [Role.ADMIN, Role.STAFF, Role.CLT_VOLUNTEER, Role.HA_TEAM]


@dataclass(frozen=True)
class Access:
    user: User
    umbrella: Umbrella
    role: str
    clt_ids: frozenset[int] = field(default_factory=frozenset)
    ha_ids: frozenset[int] = field(default_factory=frozenset)
    panel_clt_ids: frozenset[int] = field(default_factory=frozenset)
    #: Every umbrella the user belongs to, by name (the switcher), when built for a request.
    umbrellas: tuple[Umbrella, ...] = ()
    #: When the person last opened this umbrella's home page (their memberships say; None: never).
    last_seen_at: datetime | None = None

    @property
    def umbrella_id(self) -> int:
        return self.umbrella.pk

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff(self) -> bool:
        """Umbrella admin or staff: sees and changes everything in the umbrella."""
        return self.role in STAFF_ROLES

    @property
    def is_clt_volunteer(self) -> bool:
        return self.role == Role.CLT_VOLUNTEER

    @property
    def is_ha_team(self) -> bool:
        return self.role == Role.HA_TEAM

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def data_scope(self) -> tuple:
        """Whose data a kept read holds (TenantView.kept): admins and staff all read the same rows;
        anyone else's are their own (their CLTs or HA, whether they sit on the allocation panel,
        their own tasks). What is kept is data, or fragments drawn without the person, so nothing
        that differs between two people of one scope (a link, a form, a token) can cross between
        them."""
        if self.is_staff:
            return ("staff",)
        return (
            self.role,
            self.user.pk,
            tuple(sorted(self.clt_ids)),
            tuple(sorted(self.panel_clt_ids)),
            tuple(sorted(self.ha_ids)),
        )


def access_from_memberships(user: User, umbrella: Umbrella, memberships: list[Membership]) -> Access:
    if not memberships:
        raise Http404("No such umbrella.")
    roles = {m.role for m in memberships}
    role = next(r for r in _ROLE_PRIORITY if r in roles)
    return Access(
        user=user,
        umbrella=umbrella,
        role=role,
        clt_ids=frozenset(m.clt_id for m in memberships if m.clt_id),
        ha_ids=frozenset(m.housing_association_id for m in memberships if m.housing_association_id),
        panel_clt_ids=frozenset(m.clt_id for m in memberships if m.clt_id and m.is_allocation_panel),
        last_seen_at=max((m.last_seen_at for m in memberships if m.last_seen_at), default=None),
    )


def access_for(*, user: User, umbrella_slug: str) -> Access:
    """The user's access to the umbrella with this slug; 404 when there is none (or no such slug)."""
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such umbrella.")
    # One read gives this umbrella's memberships and the switcher's list of umbrellas.
    everywhere = list(Membership.objects.active().filter(user=user).select_related("umbrella").order_by())
    memberships = [m for m in everywhere if m.umbrella.slug == umbrella_slug]
    if not memberships:
        raise Http404("No such umbrella.")
    umbrellas = tuple(sorted({m.umbrella_id: m.umbrella for m in everywhere}.values(), key=lambda u: (u.name, u.pk)))
    return replace(access_from_memberships(user, memberships[0].umbrella, memberships), umbrellas=umbrellas)


def access_for_user_id(*, user_id: int, umbrella_id: int) -> Access | None:
    """For tasks: rebuild access from ids, re-checking the memberships as they are now."""
    memberships = list(
        Membership.objects.active()
        .filter(user_id=user_id, umbrella_id=umbrella_id, user__is_active=True)
        .select_related("umbrella", "user")
    )
    if not memberships:
        return None
    return access_from_memberships(memberships[0].user, memberships[0].umbrella, memberships)


def umbrellas_for(user: User) -> list[Umbrella]:
    """The umbrellas a user belongs to, for the switcher and the picker."""
    if not user.is_authenticated:
        return []
    return list(
        Umbrella.objects.filter(memberships__user=user, memberships__revoked_at__isnull=True)
        .distinct()
        .order_by("name")
    )


def second_check(condition: bool) -> None:
    """Zulip's cheap double check on the paths that matter most (downloads, tasks, money): after
    the scoped lookup, assert the umbrellas match. Raises even under `python -O`, unlike assert."""
    if not condition:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Not in this umbrella.")
