"""Reads of appraisals, scoped by the access: staff see every scheme's; an HA team its schemes';
a CLT volunteer none (the HA's finances are the HA's and the umbrella's)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from schemes.appraisals.models import Appraisal, AppraisalStatus
from schemes.selectors import scheme_list


def appraisal_list(*, access: Access, scheme=None) -> QuerySet[Appraisal]:
    qs = Appraisal.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_ha_team:
        qs = qs.filter(scheme__housing_association_id__in=access.ha_ids)
    else:
        return qs.none()
    qs = qs.filter(scheme__in=scheme_list(access=access))
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.select_related("scheme", "scheme__clt", "agreed_by").order_by("scheme__name", "-version")


def appraisal_get(*, access: Access, public_id) -> Appraisal:
    return get_object_or_404(appraisal_list(access=access), public_id=public_id)


def agreed_appraisal(*, access: Access, scheme) -> Appraisal | None:
    """The scheme's appraisal agreed most recently (the one a percentage fee now uses), or None."""
    return (
        appraisal_list(access=access, scheme=scheme)
        .filter(status=AppraisalStatus.AGREED)
        .order_by("-agreed_on", "-version")
        .first()
    )
