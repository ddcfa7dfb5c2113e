"""Reads of homes, vacancies and lets, through the access: a home is seen by whoever sees its
scheme (schemes.selectors.scheme_list); the names of the households are seen only by staff and
the scheme's CLT's allocation panel (the allocations' rule), and the pages log each sight."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from schemes.allocations.models import ApplicantStatus, NominationEntry, NominationStatus
from schemes.models import Scheme
from schemes.relets.models import Home, Let, Vacancy, VacancyStatus
from schemes.selectors import scheme_list


def may_see_households(access: Access, scheme: Scheme) -> bool:
    """Staff and the CLT's allocation panel see who a home is let to; everyone else the reference."""
    return access.is_staff or (access.is_clt_volunteer and scheme.clt_id in access.panel_clt_ids)


def home_list(*, access: Access, scheme: Scheme | None = None) -> QuerySet[Home]:
    qs = Home.objects.filter(umbrella=access.umbrella, scheme__in=scheme_list(access=access).values("pk"))
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.select_related("scheme", "scheme__clt", "scheme__housing_association").order_by(
        "scheme__name", "name", "pk"
    )


def home_get(*, access: Access, public_id) -> Home:
    return get_object_or_404(home_list(access=access), public_id=public_id)


@dataclass
class HomeState:
    home: Home
    current: Let | None  # the tenancy running today, if any
    vacancy: Vacancy | None  # the vacancy not yet let, if any

    def label(self, today: date) -> str:
        if self.vacancy is not None:
            return "Vacant, " + self.vacancy.get_status_display().lower()
        if self.current is not None:
            return f"Let since {self.current.started_on:%-d %b %Y}"
        return "Not let" if self.home.is_let_tenure else "Sold or not recorded"


def _lets():
    return Prefetch("lets", queryset=Let.objects.order_by("-started_on", "-pk"))


def _open_vacancies():
    return Prefetch(
        "vacancies",
        queryset=Vacancy.objects.exclude(status=VacancyStatus.LET).order_by("-vacant_from"),
        to_attr="unfilled",
    )


def _state(home: Home, today: date) -> HomeState:
    current = next(
        (let for let in home.lets.all() if let.started_on <= today and (let.ended_on is None or let.ended_on > today)),
        None,
    )
    return HomeState(home=home, current=current, vacancy=home.unfilled[0] if home.unfilled else None)


def natural_key(name: str) -> list:
    """“2 Chapel Orchard” before “10 Chapel Orchard”."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", name)]


def homes_of(*, access: Access, scheme: Scheme, today: date) -> list[HomeState]:
    """The scheme's homes in the order of their names' numbers, each with its tenancy today and
    its vacancy waiting to be let."""
    homes = home_list(access=access, scheme=scheme).prefetch_related(_lets(), _open_vacancies())
    return [_state(home, today) for home in sorted(homes, key=lambda h: (natural_key(h.name), h.pk))]


def home_state(*, access: Access, home: Home, today: date) -> HomeState:
    home = home_list(access=access).prefetch_related(_lets(), _open_vacancies()).get(pk=home.pk)
    return _state(home, today)


def lets_of(*, access: Access, home: Home) -> QuerySet[Let]:
    """The home's history of lets, newest first (the applicant is empty after an erasure)."""
    return (
        Let.objects.filter(umbrella=access.umbrella, home__in=home_list(access=access).filter(pk=home.pk))
        .select_related("applicant", "vacancy", "nomination_entry__nomination_list", "recorded_by")
        .order_by("-started_on", "-pk")
    )


def vacancies_of(*, access: Access, home: Home) -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(umbrella=access.umbrella, home__in=home_list(access=access).filter(pk=home.pk))
        .select_related("reported_by")
        .order_by("-vacant_from", "-pk")
    )


def vacancy_list(*, access: Access, status: str = "", search: str = "") -> QuerySet[Vacancy]:
    qs = Vacancy.objects.filter(umbrella=access.umbrella, home__in=home_list(access=access).values("pk"))
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(home__name__icontains=search) | Q(home__scheme__name__icontains=search))
    return qs.select_related(
        "home", "home__scheme", "home__scheme__clt", "home__scheme__housing_association", "reported_by"
    )


def vacancy_get(*, access: Access, public_id) -> Vacancy:
    return get_object_or_404(vacancy_list(access=access), public_id=public_id)


def vacancies_awaiting_nomination(*, access: Access) -> list[Vacancy]:
    """Open vacancies the panel has not yet nominated for: for staff and the CLT's panel (reminders)."""
    qs = vacancy_list(access=access, status=VacancyStatus.OPEN)
    if access.is_staff:
        return list(qs.order_by("vacant_from", "pk"))
    if access.is_clt_volunteer and access.panel_clt_ids:
        return list(qs.filter(home__scheme__clt_id__in=access.panel_clt_ids).order_by("vacant_from", "pk"))
    return []


def nominees_for(*, access: Access, vacancy: Vacancy) -> QuerySet[NominationEntry]:
    """The households still waiting on the issued lists of this vacancy, the newest list first,
    best placed first (the HA team sees these names on the list itself)."""
    return (
        NominationEntry.objects.filter(
            umbrella=access.umbrella,
            nomination_list__vacancy__in=vacancy_list(access=access).filter(pk=vacancy.pk),
            nomination_list__status=NominationStatus.READY,
            applicant__status=ApplicantStatus.WAITING,
        )
        .select_related("applicant", "nomination_list")
        .order_by("-nomination_list__number", "position")
    )
