"""Reads of allocation policies, their tiers and need bands, scoped by the access object."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from clts.allocations.models import (
    AllocationPolicy,
    NeedBand,
    PolicyStatus,
    PolicyTier,
)
from clts.models import CLT, Parish
from clts.selectors import clt_choice_list


def _rules_prefetch() -> list:
    return [
        Prefetch(
            "tiers",
            queryset=PolicyTier.objects.order_by("position").prefetch_related(
                Prefetch("parishes", queryset=Parish.objects.order_by("name"))
            ),
        ),
        Prefetch("bands", queryset=NeedBand.objects.order_by("position")),
    ]


def policy_list(*, access: Access, clt: CLT | None = None, status: str = "") -> QuerySet[AllocationPolicy]:
    """Policies of the CLTs this access may see (staff: all; volunteers: their CLTs)."""
    qs = AllocationPolicy.objects.filter(umbrella=access.umbrella, clt__in=clt_choice_list(access=access))
    if clt is not None:
        qs = qs.filter(clt=clt)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("clt", "housing_association", "agreed_by").order_by("clt__name", "-version")


def policy_get(*, access: Access, public_id) -> AllocationPolicy:
    return get_object_or_404(policy_list(access=access).prefetch_related(*_rules_prefetch()), public_id=public_id)


def agreed_policy_for(*, access: Access, clt: CLT) -> AllocationPolicy | None:
    """The CLT's policy in force, with its rules, or None. `clt` was reached through access (a
    scheme's or the CLT's own page), so HA teams see the policy of the schemes they partner on."""
    if clt.umbrella_id != access.umbrella.pk:
        return None
    return (
        AllocationPolicy.objects.filter(umbrella=access.umbrella, clt=clt, status=PolicyStatus.AGREED)
        .select_related("clt", "housing_association")
        .prefetch_related(*_rules_prefetch())
        .first()
    )


def tier_get(*, access: Access, public_id) -> PolicyTier:
    return get_object_or_404(
        PolicyTier.objects.filter(policy__in=policy_list(access=access)).select_related("policy", "policy__clt"),
        public_id=public_id,
    )


def band_get(*, access: Access, public_id) -> NeedBand:
    return get_object_or_404(
        NeedBand.objects.filter(policy__in=policy_list(access=access)).select_related("policy", "policy__clt"),
        public_id=public_id,
    )


def check_places(*, access: Access, policy: AllocationPolicy) -> list[tuple[str, str]]:
    """Choices for "where" in the checker and the applicant form: the umbrella's parishes, then
    "elsewhere in" each district the policy names, then outside them all."""
    parishes = Parish.objects.filter(umbrella=access.umbrella).order_by("district", "name")
    choices = [("", "(not claimed)")]
    choices += [(f"p:{p.public_id}", f"{p.name} ({p.district})") for p in parishes]
    districts = sorted({t.district for t in policy.tiers.all() if t.district} | {p.district for p in parishes})
    choices += [(f"d:{d}", f"Elsewhere in {d}") for d in districts]
    return choices


def place_from_choice(*, access: Access, value: str) -> tuple[Parish | None, str]:
    """A checker place value back to (parish, district); ValueError when it is not one we offer."""
    kind, _, rest = value.partition(":")
    if kind == "p":
        parish = Parish.objects.filter(umbrella=access.umbrella, public_id=rest).first()
        if parish is None:
            raise ValueError(value)
        return parish, parish.district
    if kind == "d" and rest:
        return None, rest
    raise ValueError(value)
