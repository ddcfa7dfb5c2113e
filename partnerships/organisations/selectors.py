"""Reads of partner organisations and agreements, scoped by the access object."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from partnerships.organisations.models import CollaborationAgreement, HousingAssociation


def housing_association_list(
    *, access: Access, search: str = "", with_scheme_count: bool = False
) -> QuerySet[HousingAssociation]:
    """The HAs the access sees, by name; `with_scheme_count` adds how many schemes each partners on
    (the list page: a count over every scheme of the umbrella, too dear for a form's choices)."""
    qs = HousingAssociation.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_ha_team:
        qs = qs.filter(pk__in=access.ha_ids)
    else:
        return qs.none()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    if with_scheme_count:
        qs = qs.annotate(scheme_count=Count("schemes", filter=Q(schemes__umbrella=access.umbrella), distinct=True))
    return qs.order_by("name")


def housing_association_get(*, access: Access, public_id) -> HousingAssociation:
    return get_object_or_404(housing_association_list(access=access), public_id=public_id)


def agreement_list(*, access: Access, housing_association: HousingAssociation | None = None) -> QuerySet:
    qs = CollaborationAgreement.objects.filter(umbrella=access.umbrella).select_related("housing_association")
    if access.is_ha_team:
        qs = qs.filter(housing_association_id__in=access.ha_ids)
    elif not access.is_staff:
        return qs.none()
    if housing_association is not None:
        qs = qs.filter(housing_association=housing_association)
    return qs


def adviser_firm_list(*, access: Access, search: str = "") -> QuerySet:
    from partnerships.organisations.models import AdviserFirm

    qs = AdviserFirm.objects.filter(umbrella=access.umbrella)
    if not access.is_staff:
        return qs.none()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(disciplines__icontains=search))
    return qs.order_by("name")


def adviser_firm_get(*, access: Access, public_id):
    return get_object_or_404(adviser_firm_list(access=access), public_id=public_id)


def staff_role_list(*, access: Access) -> QuerySet:
    """The umbrella's staff roles with their rates, newest first (staff only: costs are theirs)."""
    from django.db.models import Prefetch

    from partnerships.organisations.models import RoleRate, StaffRole

    if not access.is_staff:
        return StaffRole.objects.none()
    return (
        StaffRole.objects.filter(umbrella=access.umbrella)
        .prefetch_related(
            Prefetch("rates", queryset=RoleRate.objects.filter(umbrella=access.umbrella).order_by("-effective_from"))
        )
        .order_by("name")
    )


def agreement_get(*, access: Access, public_id) -> CollaborationAgreement:
    return get_object_or_404(agreement_list(access=access), public_id=public_id)
