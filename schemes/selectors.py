"""Reads of sites and schemes, scoped by the access object."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access

from .models import Scheme, StageChange


def scheme_list(
    *, access: Access, search: str = "", stage: str = "", rag: str = "", clt=None, housing_association=None
) -> QuerySet[Scheme]:
    qs = Scheme.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_clt_volunteer:
        qs = qs.filter(clt_id__in=access.clt_ids)
    elif access.is_ha_team:
        qs = qs.filter(housing_association_id__in=access.ha_ids)
    else:
        return qs.none()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(clt__name__icontains=search) | Q(site__parish__name__icontains=search))
    if stage:
        qs = qs.filter(stage=stage)
    if rag:
        qs = qs.filter(rag=rag)
    if clt is not None:
        qs = qs.filter(clt=clt)
    if housing_association is not None:
        qs = qs.filter(housing_association=housing_association)
    return qs.select_related("clt", "housing_association", "site", "site__parish").order_by("name", "pk")


def scheme_get(*, access: Access, public_id) -> Scheme:
    return get_object_or_404(scheme_list(access=access), public_id=public_id)


def stage_history(*, access: Access, scheme: Scheme) -> QuerySet[StageChange]:
    return StageChange.objects.filter(umbrella=access.umbrella, scheme=scheme).select_related("changed_by")
