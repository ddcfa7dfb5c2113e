"""Reads of CLTs, parishes and the CLTs' records, scoped by the access object.

Staff see everything in the umbrella; a CLT volunteer sees only the CLTs in `access.clt_ids`
and their records; anyone else (HA teams) sees none of it. Child records (people, advice
sessions, grants, AGMs) are always narrowed through `clt_choice_list` first, so a record of a
CLT the access may not see answers 404 exactly like one that does not exist.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import Access, second_check
from accounts.models import STAFF_ROLES, Membership, User
from clts.models import AGM, CLT, S79_TESTS, AdviceSession, GrantStatus, Parish, Person, RevenueGrant, SetupStatus

#: A term ending within this many days is flagged on the CLT's page.
TERM_WARNING_DAYS = 90


# --- CLTs -----------------------------------------------------------------------------------


def clt_choice_list(*, access: Access) -> QuerySet[CLT]:
    """The CLTs this access may see, plain (for choices and for narrowing child records)."""
    qs = CLT.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        return qs.order_by("name")
    if access.is_clt_volunteer:
        return qs.filter(pk__in=access.clt_ids).order_by("name")
    return qs.none()


def clt_list(
    *, access: Access, search: str = "", setup_status: str = "", parish: Parish | None = None
) -> QuerySet[CLT]:
    qs = clt_choice_list(access=access)
    if parish is not None:
        qs = qs.filter(parishes=parish)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(parishes__name__icontains=search)).distinct()
    if setup_status:
        qs = qs.filter(setup_status=setup_status)
    return (
        qs.prefetch_related(
            Prefetch("parishes", queryset=Parish.objects.filter(umbrella=access.umbrella).order_by("name"))
        )
        .annotate(scheme_count=Count("schemes", distinct=True))
        .order_by("name")
    )


def clt_get(*, access: Access, public_id) -> CLT:
    return get_object_or_404(clt_list(access=access), public_id=public_id)


@dataclass(frozen=True)
class GovernanceTest:
    field: str
    label: str
    met: bool


@dataclass(frozen=True)
class GovernanceChecklist:
    tests: list[GovernanceTest]

    @property
    def missing(self) -> list[GovernanceTest]:
        return [test for test in self.tests if not test.met]

    @property
    def complete(self) -> bool:
        return not self.missing


def clt_governance_checklist(*, access: Access, clt: CLT) -> GovernanceChecklist:
    """The s79 tests, each met or not, in the Act's order, and which are still missing."""
    second_check(clt.umbrella_id == access.umbrella.pk)
    return GovernanceChecklist(
        tests=[GovernanceTest(field=field, label=label, met=getattr(clt, field)) for field, label in S79_TESTS]
    )


# --- parishes -------------------------------------------------------------------------------


def parish_choice_list(*, access: Access) -> QuerySet[Parish]:
    """Parishes of the umbrella to pick from: staff manage them; volunteers pick for their CLT."""
    qs = Parish.objects.filter(umbrella=access.umbrella)
    if not (access.is_staff or access.is_clt_volunteer):
        return qs.none()
    return qs.order_by("name", "district")


def parish_list(*, access: Access, search: str = "", district: str = "", with_counts: bool = False) -> QuerySet[Parish]:
    """`with_counts` annotates `clt_count`, the CLTs serving each parish."""
    qs = parish_choice_list(access=access)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(district__icontains=search) | Q(county__icontains=search))
    if district:
        qs = qs.filter(district=district)
    if with_counts:
        qs = qs.annotate(clt_count=Count("clts", filter=Q(clts__umbrella=access.umbrella), distinct=True))
    return qs


def parish_get(*, access: Access, public_id) -> Parish:
    return get_object_or_404(parish_list(access=access), public_id=public_id)


def parish_district_list(*, access: Access) -> list[str]:
    return list(parish_list(access=access).order_by("district").values_list("district", flat=True).distinct())


# --- people ---------------------------------------------------------------------------------


class TermState:
    ENDED = "ended"
    ENDING_SOON = "ending_soon"
    CURRENT = "current"


TERM_STATE_CHOICES = [
    (TermState.ENDING_SOON, f"Term ends within {TERM_WARNING_DAYS} days"),
    (TermState.ENDED, "Term has ended"),
    (TermState.CURRENT, "Term current"),
]


def person_list(
    *,
    access: Access,
    clt: CLT | None = None,
    search: str = "",
    role: str = "",
    term: str = "",
    today: date | None = None,
) -> QuerySet[Person]:
    """People of the CLTs this access may see, each annotated with `term_state`: ended (but
    still listed), ending within TERM_WARNING_DAYS, or current."""
    today = today or timezone.localdate()
    qs = Person.objects.filter(umbrella=access.umbrella, clt__in=clt_choice_list(access=access)).annotate(
        term_state=Case(
            When(term_end__lt=today, then=Value(TermState.ENDED)),
            When(term_end__lte=today + timedelta(days=TERM_WARNING_DAYS), then=Value(TermState.ENDING_SOON)),
            default=Value(TermState.CURRENT),
            output_field=CharField(),
        )
    )
    if clt is not None:
        qs = qs.filter(clt=clt)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(email__icontains=search))
    if role:
        qs = qs.filter(role=role)
    if term:
        qs = qs.filter(term_state=term)
    return qs.select_related("clt").order_by("name", "pk")


def person_get(*, access: Access, public_id) -> Person:
    return get_object_or_404(person_list(access=access), public_id=public_id)


# --- advice and training --------------------------------------------------------------------


def advice_giver_list(*, access: Access, include: User | None = None) -> QuerySet[User]:
    """Who may be recorded as giving advice: the umbrella's admins and staff, as they are now.

    `include` keeps one more person (the giver already recorded on a session being edited).
    """
    if not access.is_staff:
        return User.objects.none()
    staff = Membership.objects.active().filter(umbrella=access.umbrella, role__in=STAFF_ROLES)
    condition = Q(is_active=True, pk__in=staff.values("user_id"))
    if include is not None:
        condition |= Q(pk=include.pk)
    return User.objects.filter(condition).order_by("last_name", "first_name", "email")


def advice_session_list(
    *,
    access: Access,
    clt: CLT | None = None,
    search: str = "",
    topic: str = "",
    given_by: User | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AdviceSession]:
    qs = AdviceSession.objects.filter(umbrella=access.umbrella, clt__in=clt_choice_list(access=access))
    if clt is not None:
        qs = qs.filter(clt=clt)
    if search:
        qs = qs.filter(Q(attendees__icontains=search) | Q(notes__icontains=search) | Q(clt__name__icontains=search))
    if topic:
        qs = qs.filter(topic=topic)
    if given_by is not None:
        qs = qs.filter(given_by=given_by)
    if date_from:
        qs = qs.filter(given_on__gte=date_from)
    if date_to:
        qs = qs.filter(given_on__lte=date_to)
    return qs.select_related("clt", "given_by").order_by("-given_on", "-pk")


def advice_session_get(*, access: Access, public_id) -> AdviceSession:
    return get_object_or_404(advice_session_list(access=access), public_id=public_id)


def advice_session_totals(*, access: Access, clt: CLT) -> dict:
    totals = advice_session_list(access=access, clt=clt).order_by().aggregate(sessions=Count("pk"), hours=Sum("hours"))
    return {"sessions": totals["sessions"], "hours": totals["hours"] or Decimal("0")}


# --- revenue grants -------------------------------------------------------------------------


def revenue_grant_list(
    *, access: Access, clt: CLT | None = None, search: str = "", status: str = ""
) -> QuerySet[RevenueGrant]:
    qs = RevenueGrant.objects.filter(umbrella=access.umbrella, clt__in=clt_choice_list(access=access))
    if clt is not None:
        qs = qs.filter(clt=clt)
    if search:
        qs = qs.filter(Q(funder__icontains=search) | Q(programme__icontains=search) | Q(clt__name__icontains=search))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("clt").order_by("-submitted_on", "-pk")


def revenue_grant_get(*, access: Access, public_id) -> RevenueGrant:
    return get_object_or_404(revenue_grant_list(access=access), public_id=public_id)


def revenue_grant_totals(*, access: Access, clt: CLT) -> dict:
    qs = revenue_grant_list(access=access, clt=clt).order_by()
    totals = qs.aggregate(
        requested=Sum("amount_requested"),
        awarded=Sum("amount_awarded", filter=Q(status=GrantStatus.AWARDED)),
    )
    return {"requested": totals["requested"] or Decimal("0"), "awarded": totals["awarded"] or Decimal("0")}


# --- AGMs -----------------------------------------------------------------------------------


def agm_list(*, access: Access, clt: CLT | None = None, search: str = "", year: int | None = None) -> QuerySet[AGM]:
    qs = AGM.objects.filter(umbrella=access.umbrella, clt__in=clt_choice_list(access=access))
    if clt is not None:
        qs = qs.filter(clt=clt)
    if search:
        qs = qs.filter(Q(resolutions__icontains=search) | Q(notes__icontains=search) | Q(clt__name__icontains=search))
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.select_related("clt").order_by("-held_on", "-pk")


def agm_get(*, access: Access, public_id) -> AGM:
    return get_object_or_404(agm_list(access=access), public_id=public_id)


# --- home-page figures (home.dashboards) --------------------------------------------------


def clts_by_status(*, access: Access) -> list[dict]:

    counts = {
        r["setup_status"]: r["n"]
        for r in clt_list(access=access).order_by().values("setup_status").annotate(n=Count("pk", distinct=True))
    }
    return [{"status": s, "label": label, "clts": counts.get(s, 0)} for s, label in SetupStatus.choices]


def grants_awaiting(*, access: Access):
    from clts.models import RevenueGrant

    qs = RevenueGrant.objects.filter(umbrella=access.umbrella, status="submitted").select_related("clt")
    if access.is_clt_volunteer:
        qs = qs.filter(clt_id__in=access.clt_ids)
    elif not access.is_staff:
        return qs.none()
    return qs.order_by("submitted_on", "pk")
