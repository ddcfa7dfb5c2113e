"""schemes/relets records of one mirrored tenant (see tests/worlds/world.py), written through the
services as staff and the HA team would:

- "home": 1 Test Row, two bedrooms for social rent, let since 10 April 2025 (for recording a
  vacancy);
- "vacant_home": 2 Test Row, two bedrooms, let since 10 April 2025 until the HA team recorded it
  vacant from 5 January 2026 ("vacancy"), with the panel's nomination list for it issued (status
  ready: Celery runs eager in tests), on which the world's ranked applicant stands first
  ("relet_entry");
- "sold_home": 9 Test Row, shared ownership (resold, never re-let).

The canary is in the homes' names and the vacancy's notes.
"""

from datetime import date, timedelta

from accounts.access import access_for_user_id
from schemes.allocations import services as allocation_services
from schemes.allocations.models import NominationStatus
from schemes.relets import services
from schemes.relets.models import Home, Tenure


def extend(t) -> dict:
    c = t.canary
    scheme = t.objects["scheme"]
    staff = access_for_user_id(user_id=t.users["staff"].pk, umbrella_id=t.umbrella.pk)
    ha_team = access_for_user_id(user_id=t.users["ha_team"].pk, umbrella_id=t.umbrella.pk)
    panel = access_for_user_id(user_id=t.users["volunteer"].pk, umbrella_id=t.umbrella.pk)

    def home(name, tenure=Tenure.SOCIAL_RENT, let_since=date(2025, 4, 10)):
        return services.home_save(
            access=staff, home=Home(scheme=scheme, name=f"{name} {c}", bedrooms=2, tenure=tenure), let_since=let_since
        )

    first, vacant, sold = home("1 Test Row"), home("2 Test Row"), home("9 Test Row", Tenure.SHARED_OWNERSHIP, None)
    vacancy = services.vacancy_record(
        access=ha_team, home=vacant, vacant_from=date(2026, 1, 5), notes=f"Keys back, void works done {c}"
    )
    issued = allocation_services.nomination_issue(access=panel, scheme=scheme, vacancy=vacancy, today=date(2026, 1, 6))
    issued.refresh_from_db()
    assert issued.status == NominationStatus.READY, issued.failure_reason
    entry = issued.entries.get(position=1)
    assert entry.applicant_id == t.objects["applicant"].pk, "the world's ranked applicant fits a two-bedroom home"
    return {"home": first, "vacant_home": vacant, "sold_home": sold, "vacancy": vacancy, "relet_list": issued,
            "relet_entry": entry}  # fmt: skip


# --- query-budget builders (tests/project/test_query_budgets.py PAGES) ----------------------------------


def _home_row(t, scheme, i, *, vacant: bool):
    home = Home.objects.create(umbrella=t.umbrella, scheme=scheme, name=f"{t.mark(i)} Test Row", bedrooms=2)
    from schemes.relets.models import Let, Vacancy, VacancyStatus

    Let.objects.create(
        umbrella=t.umbrella, home=home, started_on=date(2020, 1, 1), ended_on=date(2026, 1, 1) if vacant else None,
        reference=f"APP-{i:06d}", recorded_by=t.lead,
    )  # fmt: skip
    if vacant:
        Vacancy.objects.create(
            umbrella=t.umbrella, home=home, vacant_from=date(2026, 1, 1) + timedelta(days=i),
            status=[VacancyStatus.OPEN, VacancyStatus.NOMINATED][i % 2], reported_by=t.lead,
        )  # fmt: skip
    return home


def build_vacancies(t, rows) -> dict:
    """Re-lets, one scheme each (of the HA team's HA; of the volunteer's CLT), open or nominated."""
    for i in rows:
        _home_row(t, t.scheme(name=f"{t.mark(i)} Chapel Orchard", i=i), i, vacant=True)
    return {}


def build_home_list(t, rows) -> dict:
    """A scheme's homes, each let, every other one vacant."""
    scheme = t.target("scheme", lambda: t.scheme(name="Chapel Orchard"))
    for i in rows:
        _home_row(t, scheme, i, vacant=i % 2 == 0)
    return {"public_id": scheme.public_id}


def build_home_page(t, rows) -> dict:
    """A home with i lets, from nominations and before Fieldgate, and i vacancies let."""
    from schemes.relets.models import Let, Vacancy, VacancyStatus

    scheme = t.target("scheme", lambda: t.scheme(name="Chapel Orchard"))
    home = t.target(
        "home", lambda: Home.objects.create(umbrella=t.umbrella, scheme=scheme, name="1 Test Row", bedrooms=2)
    )
    for i in rows:
        vacancy = Vacancy.objects.create(
            umbrella=t.umbrella, home=home, vacant_from=date(2000, 1, 1) + timedelta(days=100 * i),
            status=VacancyStatus.LET, reported_by=t.colleague(f"HA {i}"),
        )  # fmt: skip
        Let.objects.create(
            umbrella=t.umbrella, home=home, vacancy=vacancy, started_on=vacancy.vacant_from + timedelta(days=7),
            ended_on=vacancy.vacant_from + timedelta(days=99), reference=f"{t.mark(i)}",
            recorded_by=t.colleague(f"Recorder {i}"),
        )  # fmt: skip
    return {"public_id": home.public_id}
