"""Reads of CLTs and parishes, scoped by the access object."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access

from .models import CLT, Parish


def clt_list(*, access: Access, search: str = "", setup_status: str = "") -> QuerySet[CLT]:
    qs = CLT.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_clt_volunteer:
        qs = qs.filter(pk__in=access.clt_ids)
    else:
        return qs.none()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(parishes__name__icontains=search)).distinct()
    if setup_status:
        qs = qs.filter(setup_status=setup_status)
    return qs.prefetch_related(
        Prefetch("parishes", queryset=Parish.objects.filter(umbrella=access.umbrella).order_by("name"))
    ).annotate(scheme_count=Count("schemes", distinct=True)).order_by("name")


def clt_get(*, access: Access, public_id) -> CLT:
    return get_object_or_404(clt_list(access=access), public_id=public_id)


def parish_list(*, access: Access) -> QuerySet[Parish]:
    return Parish.objects.filter(umbrella=access.umbrella).order_by("name")
