"""Reads of cost entries, scoped by the access object: the umbrella's own business, staff only."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from schemes.models import CostEntry


def cost_entry_list(
    *, access: Access, scheme=None, clt=None, kind: str = "", date_from=None, date_to=None, person=None
) -> QuerySet[CostEntry]:
    qs = CostEntry.objects.filter(umbrella=access.umbrella)
    if not access.is_staff:
        return qs.none()
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if clt is not None:
        qs = qs.filter(clt=clt)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(on__gte=date_from)
    if date_to:
        qs = qs.filter(on__lte=date_to)
    if person is not None:
        qs = qs.filter(person=person)
    return qs.select_related("clt", "scheme", "person", "staff_role").order_by("-on", "-created_at", "pk")


def cost_entry_get(*, access: Access, public_id) -> CostEntry:
    return get_object_or_404(cost_entry_list(access=access), public_id=public_id)
