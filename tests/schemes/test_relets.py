"""Re-lets (issue 15.3): a home falls vacant, the HA asks for a nomination, the CLT's agreed policy
ranks the households who fit that home through the same ranking and nomination list, the HA
records whom it let the home to, and the home keeps its history of lets with the allocations'
privacy rules.

The world (tests/worlds/world_relets.py): on the world's scheme (CLT 1, HA 1, lease from 1 April
2025), "1 Test Row" (2 bedrooms, let since 10 April 2025), "2 Test Row" (2 bedrooms) vacant from
5 January 2026 with list 3 issued for it, the ranked applicant first; "9 Test Row", shared
ownership. The ranked applicant needs 2 bedrooms; the unranked one has no checked connection."""

import io
from datetime import date, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.access import access_for_user_id
from core.pdf import private_path
from schemes.allocations import services as allocation_services
from schemes.allocations.models import ApplicantStatus, ApplicantView, NominationList
from schemes.allocations.ranking import ranking_for
from schemes.relets import services
from schemes.relets.models import Home, Let, Tenure, Vacancy, VacancyStatus
from tests.conftest import client_for
from tests.worlds.world import CANARY


def _url(world, name, obj=None, **kwargs):
    if obj is not None:
        kwargs["public_id"] = obj.public_id
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs})


def _access(world, role):
    return access_for_user_id(user_id=world.a.users[role].pk, umbrella_id=world.a.umbrella.pk)


def _page(response) -> str:
    return response.content.decode()


def _home(world, name, bedrooms, tenure=Tenure.SOCIAL_RENT, scheme=None, let_since=None):
    return services.home_save(
        access=_access(world, "staff"),
        home=Home(scheme=scheme or world.a.objects["scheme"], name=name, bedrooms=bedrooms, tenure=tenure),
        let_since=let_since,
    )


# --- the ranking for one home ------------------------------------------------------------------


def test_the_ranking_for_a_home_keeps_only_the_households_it_fits(world):
    a = world.a
    scheme, ranked = a.objects["scheme"], a.objects["applicant"]
    panel = _access(world, "volunteer")
    one_bed, three_bed = _home(world, "5 Test Row", 1), _home(world, "6 Test Row", 3)
    # Needs 2 bedrooms: not for a 1-bedroom home, and explained; ranked first for a 3-bedroom one.
    small = ranking_for(access=panel, scheme=scheme, home=one_bed)
    assert small.places == [] and [p.applicant for p in small.not_fitting] == [ranked]
    assert small.not_fitting[0].explanation == f"Needs 2 bedrooms; {one_bed} has 1, so not ranked for it."
    big = ranking_for(access=panel, scheme=scheme, home=three_bed)
    assert [p.applicant for p in big.places] == [ranked] and big.places[0].rank == 1 and big.not_fitting == []
    # The same ranking as the scheme's own when every household fits.
    whole = ranking_for(access=panel, scheme=scheme)
    assert [(p.applicant, p.rank, p.explanation) for p in whole.places] == [
        (p.applicant, p.rank, p.explanation) for p in big.places
    ]


def test_nobody_fitting_the_home_is_said_and_no_list_is_made(world):
    one_bed = _home(world, "5 Test Row", 1, let_since=date(2025, 4, 10))
    vacancy = services.vacancy_record(access=_access(world, "ha_team"), home=one_bed, vacant_from=date(2026, 2, 1))
    before = NominationList.objects.count()
    page = _page(client_for(world, "volunteer").get(_url(world, "vacancy_detail", vacancy)))
    assert "Nobody waiting fits this home" in page and "Needs 2 bedrooms" in page
    assert "Agree and issue" not in page  # nobody to issue to, so no form
    response = client_for(world, "volunteer").post(_url(world, "vacancy_detail", vacancy), {"confirm": "on"})
    assert response.status_code == 400
    assert "Nobody waiting fits 5 Test Row (1 bedroom) with a checked local connection" in _page(response)
    assert NominationList.objects.count() == before
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.OPEN


def test_the_panel_issues_the_list_for_the_home_and_the_pdf_says_which_home(world, mailoutbox):
    a = world.a
    vacancy = a.objects["vacancy"]
    response = client_for(world, "volunteer").post(_url(world, "vacancy_detail", vacancy), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == _url(world, "vacancy_detail", vacancy)
    issued = NominationList.objects.filter(vacancy=vacancy).order_by("-number").first()
    assert issued.number == 4 and issued.status == "ready"
    assert [e.reference for e in issued.entries.all()] == [a.objects["applicant"].reference]
    assert [m.to for m in mailoutbox] == [[a.users["ha_team"].email]]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(private_path(issued.pdf_path).read_bytes())).pages)
    assert "For the re-let of" in text and f"2 Test Row {a.canary}" in text and "5 January 2026" in text
    # Its page, and the vacancy's, name the home; the HA team sees the issued list.
    page = _page(client_for(world, "ha_team").get(_url(world, "nomination_detail", issued)))
    assert "The re-let of" in page and f"2 Test Row {a.canary}" in page
    # Not confirmed: the form says so, and no list.
    response = client_for(world, "volunteer").post(_url(world, "vacancy_detail", vacancy), {})
    assert response.status_code == 400 and "Tick to confirm the panel agreed the ranking." in _page(response)
    assert NominationList.objects.filter(vacancy=vacancy).count() == 2


# --- a vacancy: the HA asks for a nomination ---------------------------------------------------


def test_the_ha_records_a_vacancy_and_the_panel_is_told_without_names(world, django_capture_on_commit_callbacks):
    a = world.a
    home = a.objects["home"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the notice is queued once the vacancy is saved
        response = client_for(world, "ha_team").post(
            _url(world, "vacancy_create", home), {"vacant_from": "2026-06-01", "notes": "Moving to Bristol"}
        )
    assert response.status_code == 302
    vacancy = Vacancy.objects.get(home=home)
    assert vacancy.status == VacancyStatus.OPEN and vacancy.reported_by == a.users["ha_team"]
    assert response["Location"] == _url(world, "vacancy_detail", vacancy)
    # The tenancy running ends the day the home falls vacant.
    assert list(Let.objects.filter(home=home).values_list("started_on", "ended_on")) == [
        (date(2025, 4, 10), date(2026, 6, 1))
    ]
    told = [m for m in mail.outbox if "falls vacant" in m.subject]
    assert [m.to for m in told] == [[a.users["volunteer"].email]]  # the panel (the scheme has no lead officer)
    assert _url(world, "vacancy_detail", vacancy) in told[0].body and "2 bedrooms" in told[0].body
    assert a.objects["applicant"].name not in told[0].body


def test_a_re_let_for_a_scheme_with_no_agreed_policy_is_refused_and_nothing_is_saved(world):
    a = world.a
    other = a.objects["other_scheme"]  # CLT 2 has no allocation policy
    home = _home(world, "1 Far Lane", 2, scheme=other, let_since=date(2025, 1, 1))
    staff = client_for(world, "staff")
    # Asked at once, on the home's page, before any form.
    response = staff.get(_url(world, "vacancy_create", home), follow=True)
    assert f"{other.clt} has no agreed allocation policy, so nobody can be ranked for a re-let" in _page(response)
    response = staff.post(_url(world, "vacancy_create", home), {"vacant_from": "2026-06-01"})
    assert response.status_code == 400
    assert "has no agreed allocation policy" in _page(response) and "nothing was recorded" in _page(response)
    assert not Vacancy.objects.filter(home=home).exists()
    assert Let.objects.get(home=home).ended_on is None


def test_what_cannot_fall_vacant_says_why(world):
    a = world.a
    staff = client_for(world, "staff")
    home = a.objects["home"]  # let since 10 April 2025; the lease from 1 April 2025
    today = timezone.localdate()
    cases = [
        (home, "2025-04-01", "The current tenancy began on 10 April 2025: the home falls vacant after that."),
        (home, (today + timedelta(days=200)).isoformat(), "Record a vacancy at most six months ahead."),
        (
            _home(world, "4 Test Row", 2),
            "2025-03-01",
            "The home cannot be vacant before the lease starts (1 April 2025).",
        ),
        (a.objects["sold_home"], "2026-06-01", "is shared ownership: it is resold, not re-let through a nomination."),
        (a.objects["vacant_home"], "2026-06-01", "is already recorded vacant from 5 January 2026."),
        (home, "", "Give a real date, like 2026-12-03."),
    ]
    for target, vacant_from, message in cases:
        before = Vacancy.objects.count()
        response = staff.post(_url(world, "vacancy_create", target), {"vacant_from": vacant_from})
        assert response.status_code == 400, message
        assert message in _page(response).replace("&#x27;", "'"), message
        assert Vacancy.objects.count() == before
    # The shared-ownership home offers no "Record it vacant"; the let homes do.
    page = _page(staff.get(_url(world, "home_list", a.objects["scheme"])))
    assert f'Record it vacant<span class="visually-hidden">: 1 Test Row {a.canary}' in page
    assert 'Record it vacant<span class="visually-hidden">: 9 Test Row' not in page


# --- the let, and the home's history ------------------------------------------------------------


def test_the_ha_lets_the_home_to_the_nominee_who_is_then_housed(world):
    a = world.a
    vacancy, entry, applicant = a.objects["vacancy"], a.objects["relet_entry"], a.objects["applicant"]
    response = client_for(world, "ha_team").post(
        _url(world, "let_create", vacancy), {"nominee": entry.pk, "started_on": "2026-01-12"}
    )
    assert response.status_code == 302 and response["Location"] == _url(world, "home_detail", a.objects["vacant_home"])
    let = Let.objects.get(vacancy=vacancy)
    assert (let.applicant, let.reference, let.started_on, let.nomination_entry) == (
        applicant, applicant.reference, date(2026, 1, 12), entry
    )  # fmt: skip
    applicant.refresh_from_db()
    vacancy.refresh_from_db()
    assert applicant.status == ApplicantStatus.HOUSED and vacancy.status == VacancyStatus.LET
    # The home's history: the first tenancy ended on 5 January 2026, the new one from 12 January.
    history = list(Let.objects.filter(home=vacancy.home).order_by("started_on").values_list("started_on", "ended_on"))
    assert history == [(date(2025, 4, 10), date(2026, 1, 5)), (date(2026, 1, 12), None)]
    # Let once: the form is not offered again, and a second post is refused.
    assert client_for(world, "ha_team").get(_url(world, "let_create", vacancy)).status_code == 302
    again = client_for(world, "staff").post(
        _url(world, "let_create", vacancy), {"nominee": "", "outside_reason": "x", "started_on": "2026-01-13"}
    )
    assert again.status_code == 400 and "This vacancy has been let already." in _page(again)
    assert Let.objects.filter(vacancy=vacancy).count() == 1


def test_a_let_with_everything_wrong_says_all_of_it_and_saves_nothing(world):
    a = world.a
    vacancy = a.objects["vacancy"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client = client_for(world, "ha_team")
    response = client.post(
        _url(world, "let_create", vacancy), {"nominee": "", "outside_reason": "", "started_on": "2026-01-01"}
    )
    page = _page(response)
    assert response.status_code == 400
    assert "Choose the household from the nomination list, or say why it was let outside it." in page
    assert "The tenancy cannot start before the home is vacant (5 January 2026)." in page
    response = client.post(
        _url(world, "let_create", vacancy),
        {"nominee": a.objects["relet_entry"].pk, "outside_reason": "cascade", "started_on": tomorrow},
    )
    page = _page(response)
    assert "Give a reason only when the home was let to someone not on the list." in page
    assert "Record the let once the tenancy has started: it cannot be in the future." in page
    # An entry of another list (the scheme's own list 1) is not a nominee for this home.
    other_entry = a.objects["nomination_list"].entries.first()
    response = client.post(_url(world, "let_create", vacancy), {"nominee": other_entry.pk, "started_on": "2026-01-12"})
    assert response.status_code == 400 and "That is not one of the choices" in _page(response)
    assert not Let.objects.filter(vacancy=vacancy).exists()
    assert Vacancy.objects.get(pk=vacancy.pk).status == VacancyStatus.NOMINATED


def test_a_let_outside_the_list_keeps_the_reason_and_no_name(world):
    a = world.a
    vacancy = a.objects["vacancy"]
    response = client_for(world, "staff").post(
        _url(world, "let_create", vacancy),
        {"nominee": "", "outside_reason": "Nobody on the list accepted within 28 days", "started_on": "2026-02-20"},
    )
    assert response.status_code == 302
    let = Let.objects.get(vacancy=vacancy)
    assert let.applicant is None and let.reference == ""
    assert let.note == "Let outside the nomination list: Nobody on the list accepted within 28 days"
    applicant = a.objects["applicant"]
    applicant.refresh_from_db()
    assert applicant.status == ApplicantStatus.WAITING


def test_the_history_of_lets_shows_names_only_to_staff_and_the_panel_and_logs_each_sight(world):
    a = world.a
    vacancy, applicant = a.objects["vacancy"], a.objects["applicant"]
    services.let_record(
        access=_access(world, "ha_team"), vacancy=vacancy, started_on=date(2026, 1, 12), entry=a.objects["relet_entry"]
    )
    url = _url(world, "home_detail", a.objects["vacant_home"])
    for role, sees_name in (("staff", True), ("volunteer", True), ("ha_team", False)):
        views = ApplicantView.objects.filter(reference=applicant.reference).count()
        page = _page(client_for(world, role).get(url))
        assert applicant.reference in page and "12 Jan 2026" in page and "10 Apr 2025" in page, role
        assert (applicant.name in page) == sees_name, role
        logged = ApplicantView.objects.filter(reference=applicant.reference).count() - views
        assert logged == (1 if sees_name else 0), role
        assert CANARY["b"] not in page
    assert client_for(world, "other_clt_volunteer").get(url).status_code == 404
    # The subject access export names the home; after erasure the history keeps the reference only.
    export = client_for(world, "staff").get(_url(world, "applicant_export", applicant))
    homes = __import__("json").loads(export.content)["homes let"]
    assert homes == [
        {"home": f"2 Test Row {a.canary}", "scheme": a.objects["scheme"].name, "from": "2026-01-12", "to": None}
    ]
    allocation_services.applicant_erase(access=_access(world, "staff"), applicant=applicant, reason="asked")
    page = _page(client_for(world, "staff").get(url))
    assert "Erased" in page and applicant.reference in page and applicant.name not in page
    assert Let.objects.get(vacancy=vacancy).applicant is None


def test_the_vacancy_page_shows_the_ranking_to_the_panel_and_only_the_lists_to_the_ha(world):
    a = world.a
    vacancy, applicant = a.objects["vacancy"], a.objects["applicant"]
    panel = _page(client_for(world, "volunteer").get(_url(world, "vacancy_detail", vacancy)))
    assert f"Ranking for 2 Test Row {a.canary}" in panel and applicant.name in panel and "List 3" in panel
    ha = _page(client_for(world, "ha_team").get(_url(world, "vacancy_detail", vacancy)))
    assert "Ranking for" not in ha and applicant.name not in ha and "List 3" in ha
    assert "Record whom the home was let to" in ha and "Record whom the home was let to" not in panel
    assert f"Keys back, void works done {a.canary}" in ha


def test_homes_need_a_bedroom_and_a_name_of_their_own(world):
    a = world.a
    staff = client_for(world, "staff")
    url = _url(world, "home_create", public_id=a.objects["scheme"].public_id)
    before = Home.objects.count()
    response = staff.post(url, {"name": f"1 Test Row {a.canary}", "bedrooms": "0", "tenure": "social_rent"})
    page = _page(response).replace("&#x27;", "'")
    assert response.status_code == 400 and "A home has at least one bedroom." in page
    response = staff.post(
        url, {"name": f"1 test row {a.canary}", "bedrooms": "2", "tenure": "social_rent", "let_since": "2099-01-01"}
    )
    page = _page(response)
    assert response.status_code == 400
    assert f"already has a home called “1 test row {a.canary}”" in page
    assert "A tenancy that has begun cannot start in the future." in page
    assert Home.objects.count() == before


def test_a_waiting_re_let_is_in_the_reminders_of_staff_and_the_panel_until_nominated(world):
    from home.reminders import due_for

    a = world.a
    home = a.objects["home"]
    vacancy = services.vacancy_record(access=_access(world, "ha_team"), home=home, vacant_from=date(2026, 3, 2))
    today = date(2026, 3, 1)
    for role, expected in (("staff", True), ("volunteer", True), ("ha_team", False), ("other_clt_volunteer", False)):
        items = [d for d in due_for(access=_access(world, role), today=today) if d.key.startswith("vacancy:")]
        assert bool(items) == expected, role
        if items:
            assert items[0].line(today) == (
                f"Re-let waiting for a nomination: 1 Test Row {a.canary} ({a.objects['scheme']}, 2 bedrooms) "
                "(vacant from 2 March 2026)"
            )
    allocation_services.nomination_issue(
        access=_access(world, "volunteer"), scheme=a.objects["scheme"], vacancy=vacancy
    )
    assert not [d for d in due_for(access=_access(world, "staff"), today=today) if d.key.startswith("vacancy:")]
