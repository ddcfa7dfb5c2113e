"""The ranking of a scheme's applicants under the CLT's agreed policy: by tier of local connection,
then band of need, then time waiting; every place explained, ties shown."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.access import Access
from accounts.records import require
from clts.allocations.eligibility import Assessment, assess
from clts.allocations.models import AllocationPolicy
from clts.allocations.selectors import agreed_policy_for
from schemes.allocations.models import (
    Applicant,
    ApplicantStatus,
)
from schemes.allocations.selectors import _connections_prefetch, answers_of, applicant_list
from schemes.models import Scheme


@dataclass
class Place:
    applicant: Applicant
    assessment: Assessment
    rank: int = 0
    tied: bool = False
    explanation: str = ""

    @property
    def key(self) -> tuple:
        a = self.assessment
        return (
            a.tier.position if a.tier else 10_000,
            a.band.position if a.band else 10_000,
            self.applicant.registered_on,
        )

    @property
    def rank_label(self) -> str:
        return f"{self.rank}{'=' if self.tied else ''}"


def _waiting(since: date, today: date) -> str:
    months = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    years, months = divmod(max(months, 0), 12)
    parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + (
        [f"{months} month{'s' if months != 1 else ''}"] if months or not years else []
    )
    return " ".join(parts)


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _why_ahead(place: Place, below: Place) -> str:
    a, b = place.assessment, below.assessment
    other = below.applicant.reference
    if place.key[0] != below.key[0]:
        return f"Above {other} because {a.tier_phrase} comes before {b.tier_phrase}."
    if place.key[1] != below.key[1]:
        return f"Above {other} (same tier) because {a.band_phrase} is more urgent than {b.band_phrase}."
    return (
        f"Above {other} (same tier and band) because they registered earlier "
        f"({_day(place.applicant.registered_on)}, against {_day(below.applicant.registered_on)})."
    )


@dataclass
class Ranking:
    policy: AllocationPolicy
    places: list[Place]  # in a tier, in order
    not_ranked: list[Place]  # waiting but with no checked connection in any tier
    not_fitting: list[Place]  # waiting, but needing more bedrooms than the home being re-let has

    @property
    def ties(self) -> list[list[Place]]:
        """The groups of applicants who share a place (same tier, band and date registered), in
        ranking order: the panel decides between each group's members before a list is issued."""
        groups: dict[int, list[Place]] = {}
        for place in self.places:
            if place.tied:
                groups.setdefault(place.rank, []).append(place)
        return list(groups.values())


def tie_field(place: Place) -> str:
    """The form field that carries a tied applicant's place within the tie."""
    return f"tie_{place.applicant.reference}"


def settle_ties(ranking: Ranking, *, places_in_tie: dict[str, int | None], note: str) -> None:
    """Apply the panel's decision on every tie: each tied applicant's place within its tie (1 to
    the size of the tie, by reference), and how the panel decided. Every tie must be settled, each
    place used once, and the decision said; otherwise ValidationError naming each problem (and
    nothing is changed). Settled, the tied applicants take ranks in the panel's order."""
    errors: dict[str, list[str]] = {}
    order: list[tuple[list[Place], list[Place]]] = []
    for group in ranking.ties:
        given = {p.applicant.reference: places_in_tie.get(p.applicant.reference) for p in group}
        label = f"{group[0].rank}="
        names = " and ".join(p.applicant.reference for p in group)
        if any(v is None for v in given.values()):
            for p in group:
                if given[p.applicant.reference] is None:
                    errors.setdefault(tie_field(p), []).append(
                        f"{names} are tied at {label}: give each a place from 1 to {len(group)}."
                    )
            continue
        if sorted(given.values()) != list(range(1, len(group) + 1)):
            for p in group:
                errors.setdefault(tie_field(p), []).append(
                    f"The places in the tie at {label} are 1 to {len(group)}, each used once."
                )
            continue
        order.append((group, sorted(group, key=lambda p: given[p.applicant.reference])))
    if ranking.ties and not note.strip():
        errors["tie_note"] = ["Say how the panel settled the tie, e.g. “drawn by lot at the meeting of 3 December”."]
    if errors:
        raise ValidationError(errors)
    for group, decided in order:
        first = group[0].rank
        start = ranking.places.index(group[0])
        for offset, place in enumerate(decided):
            place.rank, place.tied = first + offset, False
            ranking.places[start + offset] = place
            place.explanation = place.explanation.replace(
                "; the panel decides between them.", f"; the panel placed them in this order ({note.strip()})."
            )


def ranking_for(*, access: Access, scheme: Scheme, today: date | None = None, home=None) -> Ranking:
    """Waiting applicants ordered by tier, then band, then time waiting (registered first),
    each place explained. Equal tier, band and date registered is a tie: the same rank, shown
    as "3=". Raises ValidationError when the CLT has no agreed policy.

    For a re-let, `home` (a schemes.relets Home of this scheme) narrows the ranking to the
    households it fits: those who need no more bedrooms than it has."""
    require(access, "applicants.view")
    today = today or timezone.localdate()
    policy = agreed_policy_for(access=access, clt=scheme.clt)
    if policy is None:
        raise ValidationError(
            f"{scheme.clt.name} has no agreed allocation policy, so there is nothing to rank against. Agree one first."
        )
    applicants = applicant_list(access=access, scheme=scheme, status=ApplicantStatus.WAITING).prefetch_related(
        _connections_prefetch()
    )
    places, not_ranked, not_fitting = [], [], []
    for applicant in applicants:
        place = Place(applicant, assess(policy, answers_of(applicant), applicant.need_band))
        if home is not None and applicant.bedrooms_needed > home.bedrooms:
            place.explanation = (
                f"Needs {applicant.bedrooms_needed} bedrooms; {home} has {home.bedrooms}, so not ranked for it."
            )
            not_fitting.append(place)
            continue
        (places if place.assessment.tier else not_ranked).append(place)
    places.sort(key=lambda p: (p.key, p.applicant.pk))  # within a tie: the order they were recorded
    for i, place in enumerate(places):
        previous = places[i - 1] if i else None
        if previous and previous.key == place.key:
            place.rank, place.tied, previous.tied = previous.rank, True, True
        else:
            place.rank = i + 1
    for i, place in enumerate(places):
        a = place.assessment
        lines = [
            f"{a.tier_phrase[0].upper()}{a.tier_phrase[1:]}: " + " ".join(a.passing_reasons),
            f"In {a.band_phrase}.",
            f"Waiting {_waiting(place.applicant.registered_on, today)} "
            f"(registered {_day(place.applicant.registered_on)}).",
        ]
        if place.tied:
            others = ", ".join(p.applicant.reference for p in places if p.key == place.key and p is not place)
            lines.append(f"Tied with {others}: same tier, band and date registered; the panel decides between them.")
        nxt = next((p for p in places[i + 1 :] if p.key != place.key), None)
        if nxt:
            lines.append(_why_ahead(place, nxt))
        place.explanation = " ".join(lines)
    for place in not_ranked:
        failed = [t.reason for r in place.assessment.tiers for t in r.tests]
        place.explanation = "No checked local connection in any tier, so not ranked. " + " ".join(failed)
    return Ranking(policy=policy, places=places, not_ranked=not_ranked, not_fitting=not_fitting)
