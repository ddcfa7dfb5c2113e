"""Allocation policies: reads, writes, and the eligibility check every ranking is built on.

The check (`assess`) is a pure function of a policy and an applicant's answers: it walks the tiers
in order, tries each tier's connection tests, and says why each passed or failed, in sentences a
panel member can read out. Nothing here stores an applicant; schemes.allocations.applicants does that.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from accounts.records import record_create, record_delete, record_event, record_update, require
from clts.allocations.models import (
    PARISH_SCOPES,
    TEST_FIELDS,
    AllocationPolicy,
    ConnectionKind,
    NeedBand,
    PolicyStatus,
    PolicyTier,
    TierScope,
)
from clts.models import CLT, Parish
from clts.selectors import clt_choice_list

# --- the check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One connection someone claims. `parish` is None for a place we hold no parish for
    ("elsewhere in <district>"); `checked` is whether the evidence has been seen."""

    kind: str
    parish: Parish | None
    district: str
    years: int | None = None
    hours: int | None = None
    checked: bool = True

    @property
    def place(self) -> str:
        return self.parish.name if self.parish else f"elsewhere in {self.district}"

    def amount(self, unit: str) -> int:
        return (self.hours if unit == "hours a week" else self.years) or 0

    def claim(self) -> str:
        where = f"in {self.parish.name}" if self.parish else f"elsewhere in {self.district}"
        if self.kind == ConnectionKind.LIVES:
            return f"lives {where} for {self.years or 0} years"
        if self.kind == ConnectionKind.LIVED:
            return f"has lived {where} for {self.years or 0} years"
        if self.kind == ConnectionKind.WORKS:
            return f"works {where}, {self.hours or 0} hours a week"
        return f"has close family {where} for {self.years or 0} years"


@dataclass(frozen=True)
class TestResult:
    kind: str
    passed: bool
    reason: str


@dataclass
class TierResult:
    tier: PolicyTier
    tests: list[TestResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return any(t.passed for t in self.tests)


@dataclass
class Assessment:
    tiers: list[TierResult]
    tier: PolicyTier | None
    band: NeedBand | None
    band_position: int | None

    @property
    def tier_label(self) -> str:
        return str(self.tier) if self.tier else "No local connection in any tier"

    @property
    def tier_phrase(self) -> str:
        return f"tier {self.tier.position} ({self.tier.name})" if self.tier else "no tier"

    @property
    def band_phrase(self) -> str:
        return f"band {self.band.position} ({self.band.name})" if self.band else "no band of this policy"

    @property
    def band_label(self) -> str:
        if self.band:
            return str(self.band)
        return f"Band {self.band_position} is not in this policy" if self.band_position else "No band given"

    @property
    def passing_reasons(self) -> list[str]:
        for result in self.tiers:
            if result.passed:
                return [t.reason for t in result.tests if t.passed]
        return []


def tier_covers(tier: PolicyTier, answer: Answer, tier_parish_ids: set[int]) -> bool:
    """Is the answer's place one of the tier's places?"""
    if tier.scope in PARISH_SCOPES:
        return answer.parish is not None and answer.parish.pk in tier_parish_ids
    same_district = answer.district.strip().casefold() == tier.district.strip().casefold()
    if tier.scope == TierScope.DISTRICT_PARISHES:
        return answer.parish is not None and same_district
    return same_district  # TierScope.DISTRICT: anywhere in it


def tier_places(tier: PolicyTier) -> str:
    if tier.scope in PARISH_SCOPES:
        return ", ".join(p.name for p in tier.parishes.all()) or "no parish named"
    if tier.scope == TierScope.DISTRICT_PARISHES:
        return f"the parishes of {tier.district}"
    return f"anywhere in {tier.district}"


def _test(tier: PolicyTier, kind: str, answer: Answer | None, parish_ids: set[int]) -> TestResult | None:
    field_name, unit = TEST_FIELDS[kind]
    minimum = getattr(tier, field_name)
    if minimum is None:
        return None  # not one of this tier's tests
    test = f"“{ConnectionKind(kind).label.lower()}, at least {minimum} {unit}”"
    if answer is None:
        return TestResult(kind, False, f"Not met {test}: not claimed.")
    claim = answer.claim()
    if not tier_covers(tier, answer, parish_ids):
        return TestResult(kind, False, f"Not met {test}: {claim}, which is outside {tier_places(tier)}.")
    if answer.amount(unit) < minimum:
        return TestResult(kind, False, f"Not met {test}: {claim}, short of {minimum} {unit}.")
    if not answer.checked:
        return TestResult(kind, False, f"Not counted yet {test}: {claim}, but the evidence has not been checked.")
    return TestResult(kind, True, f"Met {test}: {claim}.")


def assess(policy: AllocationPolicy, answers: list[Answer], band_position: int | None) -> Assessment:
    """The first tier whose tests someone passes, the band they are in, and every reason.

    Expects the policy's tiers (with parishes) and bands prefetched (see `policy_with_rules`)."""
    by_kind = {a.kind: a for a in answers}
    results = []
    for tier in policy.tiers.all():
        parish_ids = {p.pk for p in tier.parishes.all()}
        result = TierResult(tier)
        for kind in ConnectionKind.values:
            test = _test(tier, kind, by_kind.get(kind), parish_ids)
            if test:
                result.tests.append(test)
        results.append(result)
    tier = next((r.tier for r in results if r.passed), None)
    band = next((b for b in policy.bands.all() if b.position == band_position), None)
    return Assessment(tiers=results, tier=tier, band=band, band_position=band_position)


# --- reads -----------------------------------------------------------------------------------


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


# --- writes ----------------------------------------------------------------------------------


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
