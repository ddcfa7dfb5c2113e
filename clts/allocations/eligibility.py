"""The eligibility check every ranking is built on. `assess` is a pure function of a policy and an
applicant's answers: it walks the tiers in order, tries each tier's connection tests, and says why
each passed or failed, in sentences a panel member can read out. Nothing here stores an applicant
(schemes.allocations does that)."""

from dataclasses import dataclass, field

from clts.allocations.models import (
    PARISH_SCOPES,
    TEST_FIELDS,
    AllocationPolicy,
    ConnectionKind,
    NeedBand,
    PolicyTier,
    TierScope,
)
from clts.models import Parish


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
