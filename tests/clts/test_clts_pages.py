"""clts pages: lists, CSV exports, the CLT page, forms through the views, and bad input."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from clts.models import AGM, CLT, AdviceSession, AdviceTopic, GrantStatus, Person, RevenueGrant

pytestmark = pytest.mark.django_db


def url(world, name, obj=None, tenant="a"):
    kwargs = {"umbrella_slug": world.tenant(tenant).umbrella.slug}
    if obj is not None:
        kwargs["public_id"] = obj.public_id
    return reverse(name, kwargs=kwargs)


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def grant_form(**overrides):
    data = {
        "funder": "Homes England",
        "programme": "Community Housing Fund (revenue)",
        "status": "submitted",
        "amount_requested": "45000.00",
        "amount_awarded": "",
        "submitted_on": "2025-01-10",
        "decision_on": "",
        "conditions": "",
    }
    data.update(overrides)
    return data


def advice_form(world, **overrides):
    data = {
        "given_on": "2025-03-04",
        "topic": "governance",
        "hours": "1.50",
        "given_by": str(world.a.users["staff"].public_id),
        "attendees": "Board of five",
        "notes": "",
    }
    data.update(overrides)
    return data


def person_form(**overrides):
    data = {
        "name": "Jo Newcomer",
        "role": "treasurer",
        "email": "",
        "term_start": "2025-06-01",
        "term_end": "2028-06-01",
        "notes": "",
    }
    data.update(overrides)
    return data


def assert_refused_beside(response, field: str, text: str):
    """400, the error beside the field and again in the summary at the top."""
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert f'id="id_{field}_error"' in page
    assert text in page.split('class="error-summary"')[1].split("</div>")[0]
    assert text in page.split(f'id="id_{field}_error"')[1].split("</p>")[0]


# --- lists and exports ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["person_list", "agm_list", "advice_session_list", "revenue_grant_list"])
def test_record_lists_for_staff_and_the_clts_volunteer(world, client_as, name):
    for role in ("staff", "volunteer"):
        response = client_as(role).get(url(world, name))
        assert response.status_code == 200
        assert world.a.canary in response.content.decode()
    response = client_as("other_clt_volunteer").get(url(world, name))
    assert world.a.objects["clt"].name not in response.content.decode()


def test_grant_csv_applies_the_filters(world, client_as):
    a = world.a
    RevenueGrant.objects.create(
        umbrella=a.umbrella,
        clt=a.objects["other_clt"],
        funder="Parish council",
        amount_requested=Decimal("2000.00"),
        status=GrantStatus.DRAFTING,
    )
    client = client_as("staff")
    everything = csv_rows(client.get(url(world, "revenue_grant_list") + "?format=csv"))
    assert len(everything) == 3
    awarded = csv_rows(client.get(url(world, "revenue_grant_list") + "?status=awarded&format=csv"))
    assert awarded[0][:5] == ["CLT", "Funder", "Programme", "Status", "Amount requested (£)"]
    assert [row[3] for row in awarded[1:]] == ["Awarded"]
    assert awarded[1][4:6] == ["45000.00", "40000.00"]
    by_clt = csv_rows(
        client.get(url(world, "revenue_grant_list") + f"?clt={a.objects['other_clt'].public_id}&format=csv")
    )
    assert [row[1] for row in by_clt[1:]] == ["Parish council"]


def test_people_csv_says_the_term_in_words(world, client_as):
    a = world.a
    Person.objects.create(
        umbrella=a.umbrella,
        clt=a.objects["clt"],
        name="Soon Gone",
        role="board_member",
        term_start=date(2020, 1, 1),
        term_end=timezone.localdate() + timedelta(days=30),
    )
    rows = csv_rows(client_as("volunteer").get(url(world, "person_list") + "?term=ending_soon&format=csv"))
    assert [(row[0], row[6]) for row in rows[1:]] == [("Soon Gone", "Term ends within 90 days")]


def test_a_volunteer_cannot_filter_their_way_into_another_clt(world, client_as):
    other = world.a.objects["other_clt"]
    response = client_as("volunteer").get(url(world, "advice_session_list") + f"?clt={other.public_id}")
    assert response.status_code == 200  # the filter ignores a choice the volunteer does not have
    page = response.content.decode()
    assert str(world.a.objects["advice_session"].public_id) in page  # their own CLT's session, unfiltered
    assert other.name not in page


def test_parish_list_sorts_and_exports(world, client_as):
    client = client_as("staff")
    response = client.get(url(world, "parish_list") + "?sort=-clts")
    assert response.status_code == 200
    rows = csv_rows(client.get(url(world, "parish_list") + "?search=spare&format=csv"))
    assert [row[0] for row in rows[1:]] == [world.a.objects["spare_parish"].name]


@pytest.mark.parametrize(
    "name, make",
    [
        (
            "person_list",
            lambda t, i: Person.objects.create(
                umbrella=t.umbrella,
                clt=t.objects["other_clt"],
                name=f"P{i}",
                role="volunteer",
                term_start=date(2024, 1, 1),
            ),
        ),
        (
            "agm_list",
            lambda t, i: AGM.objects.create(
                umbrella=t.umbrella,
                clt=t.objects["other_clt"],
                held_on=date(2000, 1, 1) + timedelta(days=i),
                members_present=9,
            ),
        ),
        (
            "advice_session_list",
            lambda t, i: AdviceSession.objects.create(
                umbrella=t.umbrella,
                clt=t.objects["other_clt"],
                given_on=date(2024, 1, 1),
                topic=AdviceTopic.OTHER,
                hours=Decimal("1.00"),
                given_by=t.users["admin"],
            ),
        ),
        (
            "revenue_grant_list",
            lambda t, i: RevenueGrant.objects.create(
                umbrella=t.umbrella, clt=t.objects["other_clt"], funder=f"F{i}", amount_requested=Decimal("10.00")
            ),
        ),
        (
            "parish_list",
            lambda t, i: __import__("tests.factories", fromlist=["ParishFactory"]).ParishFactory(umbrella=t.umbrella),
        ),
        (
            "clt_list",
            lambda t, i: __import__("tests.factories", fromlist=["CLTFactory"]).CLTFactory(umbrella=t.umbrella),
        ),
    ],
)
def test_list_pages_do_not_grow_queries_with_rows(world, client_as, name, make):
    client = client_as("staff")
    client.get(url(world, name))  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(world, name)).status_code == 200
    for i in range(20):
        make(world.a, i)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(world, name)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- the CLT page ---------------------------------------------------------------------------


def test_the_clt_page_has_each_section_and_flags_terms_in_words(world, client_as):
    a = world.a
    clt = a.objects["clt"]
    today = timezone.localdate()
    Person.objects.create(
        umbrella=a.umbrella,
        clt=clt,
        name="Nearly Done",
        role="treasurer",
        term_start=date(2020, 1, 1),
        term_end=today + timedelta(days=20),
    )
    Person.objects.create(
        umbrella=a.umbrella,
        clt=clt,
        name="Long Gone",
        role="secretary",
        term_start=date(2019, 1, 1),
        term_end=today - timedelta(days=10),
    )
    page = client_as("volunteer").get(url(world, "clt_detail", clt)).content.decode()
    for heading in (
        "Governance: the s79 tests",
        "Board and volunteers",
        "AGMs",
        "Advice and training",
        "Revenue grants",
        "Schemes",
    ):
        assert f">{heading}</h2>" in page, heading
    assert "5 of 5 tests still missing" in page and "Still missing:" in page
    assert "Term ends within 90 days: on" in page and "Term has ended" in page and "but is still listed" in page
    # The volunteer may change the profile, people and AGMs, but not advice or grants.
    assert "Add a board member or volunteer" in page and "Add an AGM" in page
    assert "Add a revenue grant" not in page and "Add an advice or training session" not in page
    staff_page = client_as("staff").get(url(world, "clt_detail", clt)).content.decode()
    assert "Add a revenue grant" in staff_page and "Add an advice or training session" in staff_page


def test_the_clt_page_shows_its_history(world, client_as):
    clt = world.a.objects["clt"]
    client = client_as("volunteer")
    response = client.post(
        url(world, "clt_governance_edit", clt), {"s79_defined_community": "on", "s79_community_benefit": "on"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#governance")
    page = client.get(url(world, "clt_detail", clt)).content.decode()
    assert "Change history" in page and "Changed governance checklist" in page
    assert "3 of 5 tests still missing" in page


# --- creating and editing through the views ---------------------------------------------------


def test_staff_create_a_clt_through_the_view(world, client_as):
    a = world.a
    data = {
        "name": "Newfield CLT",
        "legal_form": "cbs",
        "registration_number": "",
        "incorporated_on": "",
        "parishes": [str(a.objects["spare_parish"].public_id)],
        "membership_count": "0",
        "contact_name": "",
        "contact_email": "",
        "setup_status": "forming",
    }
    response = client_as("staff").post(url(world, "clt_create"), data)
    clt = CLT.objects.get(name="Newfield CLT")
    assert response.status_code == 302 and response["Location"] == url(world, "clt_detail", clt)
    assert clt.umbrella == a.umbrella and list(clt.parishes.all()) == [a.objects["spare_parish"]]


def test_staff_record_advice_and_a_grant_through_the_views(world, client_as):
    a = world.a
    clt = a.objects["clt"]
    client = client_as("staff")
    response = client.post(url(world, "advice_session_create", clt), advice_form(world))
    assert response.status_code == 302
    session = AdviceSession.objects.get(attendees="Board of five")
    assert (session.umbrella, session.clt, session.given_by) == (a.umbrella, clt, a.users["staff"])
    response = client.post(url(world, "revenue_grant_create", clt), grant_form(programme="Second round"))
    assert response.status_code == 302
    assert RevenueGrant.objects.get(programme="Second round").umbrella == a.umbrella


def test_the_volunteer_adds_a_person_and_an_agm_through_the_views(world, client_as):
    a = world.a
    clt = a.objects["clt"]
    client = client_as("volunteer")
    response = client.post(url(world, "person_create", clt), person_form())
    assert response.status_code == 302 and response["Location"].endswith("#people")
    person = Person.objects.get(name="Jo Newcomer")
    assert (person.umbrella, person.clt) == (a.umbrella, clt)
    response = client.post(
        url(world, "agm_create", clt),
        {"held_on": "2026-06-20", "members_present": "28", "resolutions": "", "notes": ""},
    )
    assert response.status_code == 302
    assert AGM.objects.filter(clt=clt, held_on=date(2026, 6, 20)).exists()


def test_editing_a_record_shows_the_change_on_its_page(world, client_as):
    person = world.a.objects["person"]
    client = client_as("volunteer")
    response = client.post(
        url(world, "person_edit", person),
        person_form(
            name=person.name,
            role="secretary",
            term_start="2024-05-01",
            term_end="2027-05-01",
            notes=person.notes,
            email=person.email,
        ),
    )
    assert response.status_code == 302 and response["Location"] == url(world, "person_detail", person)
    page = client.get(response["Location"]).content.decode()
    assert "Change history" in page and "Chair → Secretary" in page


def test_the_edit_form_shows_the_recorded_values(world, client_as):
    session = world.a.objects["advice_session"]
    page = client_as("staff").get(url(world, "advice_session_edit", session)).content.decode()
    assert f'<option value="{world.a.users["staff"].public_id}" selected>' in page
    assert 'value="2.50"' in page


# --- bad input --------------------------------------------------------------------------------


def test_a_negative_grant_amount_is_refused(world, client_as):
    response = client_as("staff").post(
        url(world, "revenue_grant_create", world.a.objects["clt"]),
        grant_form(amount_requested="-100.00", programme="Negative"),
    )
    assert_refused_beside(response, "amount_requested", "£0 or more")
    assert not RevenueGrant.objects.filter(programme="Negative").exists()


def test_an_awarded_amount_on_a_submitted_grant_is_refused_with_a_clear_message(world, client_as):
    grant = world.a.objects["revenue_grant"]
    response = client_as("staff").post(
        url(world, "revenue_grant_edit", grant), grant_form(status="submitted", amount_awarded="40000.00")
    )
    assert_refused_beside(response, "amount_awarded", "Only an awarded grant has an amount awarded")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.AWARDED


def test_a_term_ending_before_it_starts_is_refused(world, client_as):
    response = client_as("volunteer").post(
        url(world, "person_create", world.a.objects["clt"]), person_form(term_start="2025-06-01", term_end="2025-05-01")
    )
    assert_refused_beside(response, "term_end", "cannot end before it starts")
    assert not Person.objects.filter(name="Jo Newcomer").exists()


@pytest.mark.parametrize(
    "hours, message",
    [("0", "more than 0"), ("0.00", "more than 0"), ("1.255", "Give at most 2 figures after the decimal point.")],
)
def test_bad_hours_are_refused(world, client_as, hours, message):
    response = client_as("staff").post(
        url(world, "advice_session_create", world.a.objects["clt"]), advice_form(world, hours=hours)
    )
    assert_refused_beside(response, "hours", message)
    assert not AdviceSession.objects.filter(attendees="Board of five").exists()


# Choices are posted by public id; a foreign public id is not among them, and an integer id is
# not even a public id.
BY = [("public_id", "That is not one of the choices"), ("pk", "That is not one of the choices")]


@pytest.mark.parametrize("by, message", BY)
def test_a_staff_member_of_another_umbrella_is_not_a_choice(world, client_as, by, message):
    foreign = world.b.users["staff"]
    response = client_as("staff").post(
        url(world, "advice_session_create", world.a.objects["clt"]),
        advice_form(world, given_by=str(getattr(foreign, by))),
    )
    assert_refused_beside(response, "given_by", message)
    assert not AdviceSession.objects.filter(attendees="Board of five").exists()


@pytest.mark.parametrize("by, message", BY)
def test_a_parish_of_another_umbrella_is_not_a_choice(world, client_as, by, message):
    a = world.a
    clt = a.objects["clt"]
    foreign = world.b.objects["parish"]
    data = {
        "name": clt.name,
        "legal_form": "cbs",
        "registration_number": "",
        "incorporated_on": "",
        "parishes": [str(getattr(foreign, by))],
        "membership_count": "77",
        "contact_name": "",
        "contact_email": "",
        "setup_status": "active",
    }
    response = client_as("staff").post(url(world, "clt_edit", clt), data)
    assert_refused_beside(response, "parishes", message)
    clt.refresh_from_db()
    assert clt.membership_count != 77 and list(clt.parishes.all()) == [a.objects["parish"]]


def test_a_volunteer_editing_another_clt_gets_404(world, client_as):
    clt = world.a.objects["clt"]
    client = client_as("other_clt_volunteer")
    assert client.get(url(world, "clt_edit", clt)).status_code == 404
    response = client.post(
        url(world, "clt_edit", clt),
        {"name": "Taken over", "legal_form": "cbs", "membership_count": "1", "setup_status": "active"},
    )
    assert response.status_code == 404
    assert client.post(url(world, "person_edit", world.a.objects["person"]), person_form()).status_code == 404
    assert CLT.objects.get(pk=clt.pk).name == clt.name


def test_a_volunteer_posting_a_grant_gets_403(world, client_as):
    response = client_as("volunteer").post(
        url(world, "revenue_grant_create", world.a.objects["clt"]), grant_form(programme="Volunteer's own")
    )
    assert response.status_code == 403
    assert not RevenueGrant.objects.filter(programme="Volunteer's own").exists()


def test_deleting_a_clt_in_use_says_why(world, client_as):
    clt = world.a.objects["clt"]
    response = client_as("staff").post(url(world, "clt_delete", clt))
    assert response.status_code == 400
    assert "cannot be deleted" in response.content.decode()
    assert CLT.objects.filter(pk=clt.pk).exists()


def test_deleting_a_record_leaves_a_trace_and_returns_to_the_clt(world, client_as):
    agm = world.a.objects["agm"]
    response = client_as("volunteer").post(url(world, "agm_delete", agm))
    assert response.status_code == 302
    assert response["Location"] == url(world, "clt_detail", agm.clt) + "#agms"
    assert not AGM.objects.filter(pk=agm.pk).exists()
    assert AuditEvent.objects.filter(object_type="agm", object_id=str(agm.public_id), action="deleted").exists()
