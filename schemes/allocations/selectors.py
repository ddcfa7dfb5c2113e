"""Reads of applicants and nomination lists, scoped by the access object. Applicant data is personal:
only the CLT's allocation panel and umbrella staff see applicants; the HA team sees issued lists."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access, second_check
from clts.allocations.eligibility import Answer
from clts.allocations.selectors import agreed_policy_for
from schemes.allocations.models import (
    Applicant,
    ApplicantView,
    Connection,
    NominationEntry,
    NominationList,
    NominationStatus,
)
from schemes.models import Scheme
from schemes.selectors import scheme_list


def applicant_scheme_list(*, access: Access) -> QuerySet[Scheme]:
    """Schemes whose applicants this access may see: staff all; the panel its CLTs' schemes."""
    qs = scheme_list(access=access)
    if access.is_staff:
        return qs
    if access.is_clt_volunteer and access.panel_clt_ids:
        return qs.filter(clt_id__in=access.panel_clt_ids)
    return qs.none()


def require_panel(access: Access, scheme: Scheme) -> None:
    """Writes and exports of applicants: staff, or the allocation panel of the scheme's CLT."""
    second_check(scheme.umbrella_id == access.umbrella.pk)
    if not (access.is_staff or (access.is_clt_volunteer and scheme.clt_id in access.panel_clt_ids)):
        raise PermissionDenied("Only the CLT's allocation panel and umbrella staff handle applicants.")


def applicant_list(
    *, access: Access, scheme: Scheme | None = None, status: str = "", search: str = ""
) -> QuerySet[Applicant]:
    qs = Applicant.objects.filter(umbrella=access.umbrella, scheme__in=applicant_scheme_list(access=access))
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(reference__iexact=search.strip()))
    return qs.select_related("scheme", "scheme__clt").order_by("scheme__name", "registered_on", "pk")


def _connections_prefetch():
    return Prefetch("connections", queryset=Connection.objects.select_related("parish", "checked_by").order_by("kind"))


def applicant_get(*, access: Access, public_id) -> Applicant:
    return get_object_or_404(
        applicant_list(access=access).prefetch_related(_connections_prefetch()), public_id=public_id
    )


def applicant_scheme_get(*, access: Access, public_id) -> Scheme:
    return get_object_or_404(applicant_scheme_list(access=access), public_id=public_id)


def view_log(*, access: Access, applicant: Applicant) -> QuerySet[ApplicantView]:
    return (
        ApplicantView.objects.filter(umbrella=access.umbrella, reference=applicant.reference)
        .select_related("viewed_by")
        .order_by("-viewed_at", "-pk")
    )


def answers_of(applicant: Applicant) -> list[Answer]:
    return [
        Answer(
            kind=c.kind,
            parish=c.parish,
            district=c.parish.district if c.parish else c.district,
            years=c.years,
            hours=c.hours,
            checked=c.checked,
        )
        for c in applicant.connections.all()
    ]


def allocation_summary(*, access: Access, scheme: Scheme) -> dict:
    """For the scheme's page: the CLT's agreed policy (with its rules), whether this access may
    rank and record applicants, and the nomination lists it may see."""
    from clts.allocations.eligibility import tier_places

    policy = agreed_policy_for(access=access, clt=scheme.clt)
    may_rank = access.is_staff or scheme.clt_id in access.panel_clt_ids
    return {
        "policy": policy,
        "tiers": [(t, tier_places(t)) for t in policy.tiers.all()] if policy else [],
        "may_rank": may_rank,
        "may_check": access.is_staff or scheme.clt_id in access.clt_ids,
        "nomination_lists": nomination_list_list(access=access, scheme=scheme),
    }


def nomination_list_list(*, access: Access, scheme: Scheme | None = None) -> QuerySet[NominationList]:
    """Staff and the panel see every list of their schemes; the HA team only issued (ready) ones
    of the schemes it partners on."""
    qs = NominationList.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_clt_volunteer and access.panel_clt_ids:
        qs = qs.filter(scheme__clt_id__in=access.panel_clt_ids)
    elif access.is_ha_team:
        qs = qs.filter(scheme__housing_association_id__in=access.ha_ids, status=NominationStatus.READY)
    else:
        return qs.none()
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.select_related(
        "scheme", "scheme__clt", "scheme__housing_association", "policy", "agreed_by", "vacancy__home"
    )


def nomination_list_get(*, access: Access, public_id) -> NominationList:
    return get_object_or_404(nomination_list_list(access=access), public_id=public_id)


def nomination_entries(*, access: Access, nomination_list: NominationList) -> QuerySet[NominationEntry]:
    second_check(nomination_list.umbrella_id == access.umbrella.pk)
    return nomination_list.entries.select_related("applicant").order_by("position")
