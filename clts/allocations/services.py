"""Writes of allocation policies: a draft started from the agreed one, its tiers and need bands, and
the agreement that supersedes the version before. Every rule about policies lives here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.access import Access
from accounts.records import record_create, record_delete, record_event, record_update, require
from clts.allocations.models import (
    PARISH_SCOPES,
    AllocationPolicy,
    NeedBand,
    PolicyStatus,
    PolicyTier,
)
from clts.allocations.selectors import _rules_prefetch
from clts.models import CLT, Parish


def _require_draft(policy: AllocationPolicy) -> None:
    if not policy.is_draft:
        raise ValidationError(
            f"Version {policy.version} is {policy.get_status_display().lower()}: it cannot be "
            "changed. Start a new version to change the policy."
        )


TIER_COPY_FIELDS = [
    "position",
    "name",
    "scope",
    "district",
    "lives_years",
    "lived_years",
    "works_hours",
    "family_years",
]


def policy_start(*, access: Access, clt: CLT) -> AllocationPolicy:
    """A new draft version, copying the latest version's parties, tiers and bands."""
    require(access, "allocations.manage_policy")
    if clt.umbrella_id != access.umbrella.pk:
        raise ValidationError("Not in this umbrella.")
    with transaction.atomic():
        CLT.objects.select_for_update().filter(pk=clt.pk).first()  # one new version at a time per CLT
        if AllocationPolicy.objects.filter(clt=clt, status=PolicyStatus.DRAFT).exists():
            raise ValidationError(f"{clt.name} already has a draft policy: change that one.")
        latest = (
            AllocationPolicy.objects.filter(clt=clt).prefetch_related(*_rules_prefetch()).order_by("-version").first()
        )
        version = (AllocationPolicy.objects.filter(clt=clt).aggregate(v=Max("version"))["v"] or 0) + 1
        policy = AllocationPolicy(clt=clt, version=version)
        if latest:
            for name in (
                "summary",
                "s106_reference",
                "s106_signed_on",
                "housing_association_id",
                "district_council",
                "nomination_signed_on",
            ):
                setattr(policy, name, getattr(latest, name))
        record_create(
            access=access,
            instance=policy,
            rule="allocations.manage_policy",
            summary=f"Started version {version} of {clt.name}'s allocation policy"
            + (f" from version {latest.version}" if latest else ""),
        )
        if latest:
            for tier in latest.tiers.all():
                copy = PolicyTier.objects.create(
                    umbrella=access.umbrella, policy=policy, **{name: getattr(tier, name) for name in TIER_COPY_FIELDS}
                )
                copy.parishes.set(tier.parishes.all())
            NeedBand.objects.bulk_create(
                [
                    NeedBand(
                        umbrella=access.umbrella,
                        policy=policy,
                        position=b.position,
                        name=b.name,
                        description=b.description,
                    )
                    for b in latest.bands.all()
                ]
            )
    return policy


def policy_update(*, access: Access, policy: AllocationPolicy, before: dict) -> AllocationPolicy:
    _require_draft(AllocationPolicy.objects.get(pk=policy.pk))
    return record_update(access=access, instance=policy, before=before, rule="allocations.manage_policy")


def policy_delete(*, access: Access, policy: AllocationPolicy) -> None:
    _require_draft(policy)
    with transaction.atomic():
        policy.tiers.all().delete()
        policy.bands.all().delete()
        record_delete(access=access, instance=policy, rule="allocations.manage_policy")


def policy_missing(policy: AllocationPolicy) -> list[str]:
    """What a draft lacks before it can be agreed (empty when it is complete)."""
    missing = []
    if not policy.s106_reference or not policy.s106_signed_on:
        missing.append("the s106 agreement and the date it was signed")
    if not policy.housing_association_id or not policy.district_council or not policy.nomination_signed_on:
        missing.append(
            "the nomination agreement's parties (the housing association and the district council) "
            "and the date it was signed"
        )
    tiers = list(policy.tiers.all())
    if not tiers:
        missing.append("at least one tier of places")
    for tier in tiers:
        if tier.scope in PARISH_SCOPES and not tier.parishes.all():
            missing.append(f"a parish for {tier}")
    if not list(policy.bands.all()):
        missing.append("at least one housing-need band")
    return missing


def policy_agree(*, access: Access, policy: AllocationPolicy, agreed_on) -> AllocationPolicy:
    """The draft comes into force; the version it replaces is superseded (kept readable)."""
    require(access, "allocations.manage_policy")
    with transaction.atomic():
        locked = AllocationPolicy.objects.select_for_update().get(pk=policy.pk, umbrella=access.umbrella)
        _require_draft(locked)
        missing = policy_missing(policy)
        if missing:
            raise ValidationError("Before it can be agreed, the policy needs " + "; ".join(missing) + ".")
        previous = AllocationPolicy.objects.filter(clt=policy.clt_id, status=PolicyStatus.AGREED).first()
        if previous:
            previous.status = PolicyStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            record_event(
                access=access, instance=previous, action="superseded", summary=f"Superseded by version {policy.version}"
            )
        policy.status = PolicyStatus.AGREED
        policy.agreed_on = agreed_on
        policy.agreed_by = access.user
        policy.save(update_fields=["status", "agreed_on", "agreed_by", "updated_at"])
        record_event(
            access=access,
            instance=policy,
            action="agreed",
            summary=f"Agreed version {policy.version}, in force from {agreed_on:%d %B %Y}",
        )
    return policy


def tier_save(*, access: Access, tier: PolicyTier, parishes: list[Parish], before: dict | None = None) -> PolicyTier:
    _require_draft(tier.policy)
    if tier.scope in PARISH_SCOPES and not parishes:
        raise ValidationError({"parishes": "Name at least one parish for this tier."})
    if tier.scope not in PARISH_SCOPES and not tier.district.strip():
        raise ValidationError({"district": "Name the district for this tier."})
    if tier.scope not in PARISH_SCOPES:
        parishes = []
    if any(p.umbrella_id != access.umbrella.pk for p in parishes):
        raise ValidationError({"parishes": "Choose parishes from the list."})
    with transaction.atomic():
        if before is None:
            record_create(
                access=access,
                instance=tier,
                rule="allocations.manage_policy",
                summary=f"Added {tier} to version {tier.policy.version}",
            )
        else:
            record_update(access=access, instance=tier, before=before, rule="allocations.manage_policy")
        tier.parishes.set(parishes)
    return tier


def tier_delete(*, access: Access, tier: PolicyTier) -> None:
    _require_draft(tier.policy)
    record_delete(access=access, instance=tier, rule="allocations.manage_policy")


def band_save(*, access: Access, band: NeedBand, before: dict | None = None) -> NeedBand:
    _require_draft(band.policy)
    if before is None:
        return record_create(
            access=access,
            instance=band,
            rule="allocations.manage_policy",
            summary=f"Added {band} to version {band.policy.version}",
        )
    return record_update(access=access, instance=band, before=before, rule="allocations.manage_policy")


def band_delete(*, access: Access, band: NeedBand) -> None:
    _require_draft(band.policy)
    record_delete(access=access, instance=band, rule="allocations.manage_policy")
