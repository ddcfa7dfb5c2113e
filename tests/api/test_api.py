"""The read-only API: tokens made and revoked on the profile page, what a token may read, and
every way a request can be wrong (a JSON answer each, nothing changed)."""

import hashlib
import re
from datetime import UTC, date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.access import access_for
from accounts.models import ApiToken, Membership, Role, User
from accounts.services import API_TOKENS_MAX, membership_revoke
from tests.api.tokens import ApiClient, token_for

pytestmark = pytest.mark.django_db


def api(tenant, name="api_scheme_list", **kwargs) -> str:
    return reverse(name, kwargs={"umbrella_slug": tenant.umbrella.slug, **kwargs})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def secret_on(page: str) -> str:
    found = re.search(r'id="new-token-secret"[^>]*value="(fg_[^"]+)"', page)
    assert found, "the new token's secret is on the page"
    return found.group(1)


# --- the profile page --------------------------------------------------------------------------


def test_an_ha_team_makes_a_token_sees_it_once_and_reads_with_it(world):
    a = world.a
    person = a.users["ha_team"]
    client = signed_in(person)
    page = client.get(reverse("profile"))
    assert page.status_code == 200
    assert "You have no tokens yet." in page.content.decode()
    response = client.post(
        reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 90, "name": "Asset register"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    secret = secret_on(body)
    assert "shown only this once" in body
    token = ApiToken.objects.get(user=person)
    # Only the digest is kept, and the first characters to tell tokens apart.
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest() and secret not in token.digest
    assert (token.prefix, token.umbrella, token.name) == (secret[:10], a.umbrella, "Asset register")
    again = client.get(reverse("profile")).content.decode()
    assert secret not in again and f"{secret[:10]}…" in again and "Asset register" in again and "Never" in again

    read = ApiClient(secret).get(api(a))
    assert read.status_code == 200
    assert [s["name"] for s in read.json()["results"]] == [a.objects["scheme"].name]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert f"{token.last_used_at:%-d %b %Y}" in client.get(reverse("profile")).content.decode()


def test_a_revoked_token_stops_at_once_and_someone_elses_cannot_be_revoked(world):
    a = world.a
    client = signed_in(a.users["staff"])
    secret = secret_on(
        client.post(
            reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 90, "name": "Reports"}
        ).content.decode()
    )
    token = ApiToken.objects.get(user=a.users["staff"])
    # Another person's token answers 404, as one that does not exist, and keeps working.
    other = signed_in(a.users["admin"])
    assert other.post(reverse("api_token_revoke", kwargs={"public_id": token.public_id})).status_code == 404
    assert ApiClient(secret).get(api(a)).status_code == 200

    response = client.post(reverse("api_token_revoke", kwargs={"public_id": token.public_id}), follow=True)
    assert "Revoked the token “Reports”: it no longer works." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = ApiClient(secret).get(api(a))
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": "That token does not work: it is wrong, or it was revoked. Make a new one on your profile page."
    }
    # Revoking it twice changes nothing.
    at = token.revoked_at
    assert client.post(reverse("api_token_revoke", kwargs={"public_id": token.public_id})).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == at
    assert client.get(reverse("api_token_revoke", kwargs={"public_id": token.public_id})).status_code == 405


def test_bad_token_forms_change_nothing_and_say_why(world):
    a, b = world.a, world.b
    client = signed_in(a.users["ha_team"])
    for data, message in [
        ({"umbrella": a.umbrella.slug, "days": 90, "name": ""}, "What it is for: Enter what it is for."),
        (
            {"umbrella": b.umbrella.slug, "days": 90, "name": "Elsewhere"},
            "Umbrella: That is not one of the choices: choose from the list.",
        ),
        ({"umbrella": a.umbrella.slug, "days": 90, "name": "Two\nlines"}, "Write it on one line"),
    ]:
        response = client.post(reverse("api_token_create"), data)
        assert response.status_code == 400, data
        assert message in " ".join(response.content.decode().split()), response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_clt_volunteer_is_offered_no_token_and_cannot_make_one(world):
    a = world.a
    client = signed_in(a.users["volunteer"])
    page = client.get(reverse("profile")).content.decode()
    assert "The API is for umbrella staff and housing association teams" in page
    assert 'action="/profile/tokens/"' not in page
    response = client.post(reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 90, "name": "Mine"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_person_keeps_at_most_ten_working_tokens_in_an_umbrella(world):
    a = world.a
    person = a.users["ha_team"]
    for n in range(API_TOKENS_MAX):
        token_for(person, a.umbrella, name=f"t{n}")
    response = signed_in(person).post(
        reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 90, "name": "One more"}
    )
    assert response.status_code == 400
    assert "You have 10 working tokens for" in response.content.decode()
    assert ApiToken.objects.filter(user=person).count() == API_TOKENS_MAX


def test_the_profile_page_is_the_persons_own(world):
    assert Client().get(reverse("profile")).status_code == 302
    staff_token = token_for(world.a.users["staff"], world.a.umbrella, name="Staff's own")
    page = signed_in(world.a.users["admin"]).get(reverse("profile")).content.decode()
    assert "Staff&#x27;s own" not in page and "Staff's own" not in page and staff_token[:10] not in page


# --- what a token reads ----------------------------------------------------------------------


def test_a_token_works_only_in_its_own_umbrella_even_for_someone_in_both(world):
    a, b = world.a, world.b
    person = a.users["staff"]
    Membership.objects.create(umbrella=b.umbrella, user=person, role=Role.STAFF)
    secret = token_for(person, a.umbrella)
    assert ApiClient(secret).get(api(a)).status_code == 200
    response = ApiClient(secret).get(api(b))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("That token is for another umbrella")
    # Any slug, real or not, answers the same: the token says nothing of other umbrellas.
    nowhere = ApiClient(secret).get(reverse("api_scheme_list", kwargs={"umbrella_slug": "no-such-umbrella"}))
    assert (nowhere.status_code, nowhere.json()) == (401, response.json())


def test_the_token_goes_with_the_membership_and_the_person(world):
    a = world.a
    person = a.users["ha_team"]
    secret = token_for(person, a.umbrella)
    membership = Membership.objects.get(umbrella=a.umbrella, user=person)
    membership_revoke(access=access_for(user=a.users["admin"], umbrella_slug=a.umbrella.slug), membership=membership)
    assert ApiToken.objects.get(user=person).revoked_at is not None
    assert ApiClient(secret).get(api(a)).status_code == 401

    other = a.users["other_ha_team"]
    secret = token_for(other, a.umbrella)
    User.objects.filter(pk=other.pk).update(is_active=False)
    assert ApiClient(secret).get(api(a)).status_code == 401


def test_a_role_change_to_volunteer_leaves_a_token_that_reads_nothing(world):
    a = world.a
    person = a.users["ha_team"]
    secret = token_for(person, a.umbrella)
    Membership.objects.filter(umbrella=a.umbrella, user=person).update(
        role=Role.CLT_VOLUNTEER, housing_association=None, clt=a.objects["clt"]
    )
    response = ApiClient(secret).get(api(a))
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role in this umbrella does not allow this."}


def test_staff_must_set_up_two_factor_first_where_the_umbrella_asks(world):
    a = world.a
    a.umbrella.require_mfa_for_staff = True
    a.umbrella.save(update_fields=["require_mfa_for_staff"])
    staff = ApiClient(token_for(a.users["staff"], a.umbrella)).get(api(a))
    assert staff.status_code == 403 and "two-factor" in staff.json()["detail"]
    assert ApiClient(token_for(a.users["ha_team"], a.umbrella)).get(api(a)).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Token abc", "Bearer", "Bearer two parts", "Basic dXNlcjpwYXNz", "Bearer fg_" + "x" * 300, "Bearer ünïcode"],
)
def test_a_malformed_authorization_header_answers_401_in_json(world, header):
    response = Client().get(api(world.a), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="fieldgate"'
    assert list(response.json()) == ["detail"]


def test_a_signed_in_session_is_not_a_token(world):
    response = signed_in(world.a.users["admin"]).get(api(world.a))
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Send your API token as “Authorization: Bearer <token>”")


def test_malformed_queries_answer_400_and_say_which_parameter(world):
    client = ApiClient(token_for(world.a.users["admin"], world.a.umbrella))
    for query, errors in [
        ("stage=nowhere", {"stage": ['"nowhere" is not a valid choice.']}),
        ("page=0", {"page": ["Give a page number from 1."]}),
        ("page=two", {"page": ["Give a page number from 1."]}),
        ("page_size=500", {"page_size": ["Give a page size from 1 to 200."]}),
        (
            "page=-1&page_size=0",
            {"page": ["Give a page number from 1."], "page_size": ["Give a page size from 1 to 200."]},
        ),
    ]:
        response = client.get(api(world.a) + "?" + query)
        assert response.status_code == 400, query
        assert response.json() == {"detail": "The query is not valid: see errors.", "errors": errors}, query
    past = client.get(api(world.a) + "?page=99")
    assert (past.status_code, past.json()) == (404, {"detail": "There is no such page: it is past the last."})
    status = client.get(api(world.a, "api_statement_list") + "?status=lost")
    assert status.status_code == 400 and "status" in status.json()["errors"]


def test_the_api_only_reads(world):
    client = ApiClient(token_for(world.a.users["admin"], world.a.umbrella))
    scheme = world.a.objects["scheme"]
    url = api(world.a, "api_scheme_detail", public_id=scheme.public_id)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert (response.status_code, response.json()) == (405, {"detail": "The API only reads: use GET."}), method
    scheme.refresh_from_db()
    assert scheme.name == world.a.objects["scheme"].name


def test_unknown_api_paths_and_server_errors_answer_in_json(world):
    response = Client().get("/api/v1/no/such/path/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No such API path. The paths are listed at /api/v1/schema/."}
    from core.views import server_error

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        answer = server_error(RequestFactory().get("/api/v1/u/x/schemes/"))
    assert answer.status_code == 500 and answer["Content-Type"] == "application/json"
    assert b"Something went wrong on our side" in answer.content
    page = server_error(RequestFactory().get("/u/x/schemes/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_the_schema_and_code_lists_need_no_token(world):
    schema = Client().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"] == "Fieldgate API"
    assert set(spec["paths"]) == {
        "/api/v1/",
        "/api/v1/code-lists/stages/",
        "/api/v1/code-lists/tenures/",
        "/api/v1/u/{umbrella_slug}/",
        "/api/v1/u/{umbrella_slug}/schemes/",
        "/api/v1/u/{umbrella_slug}/schemes/{public_id}/",
        "/api/v1/u/{umbrella_slug}/statements/",
        "/api/v1/u/{umbrella_slug}/statements/{public_id}/",
        "/api/v1/u/{umbrella_slug}/statements/{public_id}/pdf/",
    }
    scheme_list = spec["paths"]["/api/v1/u/{umbrella_slug}/schemes/"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(scheme_list["responses"])
    assert spec["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A person's API token, made on their profile page.",
    }
    tenures = Client().get("/api/v1/code-lists/tenures/").json()
    assert [(t["code"], t["digital_land_tenure_type"], t["core_code_list"], t["core_code"]) for t in tenures] == [
        ("social-rent", "affordable-rent", "CORE rent type", "0"),
        ("affordable-rent", "affordable-rent", "CORE rent type", "1"),
        ("shared-ownership", "home-ownership", "CORE sales ownership scheme", "1"),
        ("discounted-market-sale", "home-ownership", "CORE sales ownership scheme", "2"),
        ("first-homes", "home-ownership", "CORE sales ownership scheme", "2"),
    ]
    stages = Client().get("/api/v1/code-lists/stages/").json()
    assert stages[0] == {
        "code": "enquiry",
        "name": "Enquiry and housing needs survey",
        "position": 1,
        "phase": "group",
        "phase_name": "Group",
    }
    assert stages[-1] == {"code": "withdrawn", "name": "Withdrawn", "position": None, "phase": None, "phase_name": None}


def test_an_ha_team_reads_its_issued_statement_with_its_cost_lines(world):
    a = world.a
    statement = a.objects["statement"]
    client = ApiClient(token_for(a.users["ha_team"], a.umbrella))
    listed = client.get(api(a, "api_statement_list")).json()
    assert [s["reference"] for s in listed["results"]] == [statement.reference]
    body = client.get(listed["results"][0]["url"]).json()
    assert body["status"] == {"code": "issued", "name": "Issued to the HA"}
    assert (body["invoice_date"], body["due_on"], body["total_due"]) == ("2026-07-01", "2026-07-31", "1.00")
    [row] = body["schemes"]
    assert row["scheme_id"] == str(a.objects["scheme"].public_id) and row["outstanding"] == "1.00"
    assert row["lines"] == [
        {"on": "2026-05-01", "who": f"Staff {a.canary}", "what": f"Site visit {a.canary}", "hours": "3.00",
         "rate": "50.00", "amount": "150.00"},
    ]  # fmt: skip
    # Its PDF, read back as text.
    pdf_url = api(a, "api_statement_pdf", public_id=statement.public_id)
    assert body["pdf"] == "http://testserver" + pdf_url
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="{statement.reference}.pdf"' in pdf["Content-Disposition"]
    assert "no-store" in pdf["Cache-Control"]
    assert f"Statement for {a.canary}" in _pdf_text(b"".join(pdf.streaming_content))
    # A draft is staff's alone: the HA team's list leaves it out and its id (and PDF) answer 404.
    statement.status = "ready"
    statement.save(update_fields=["status"])
    assert client.get(api(a, "api_statement_list")).json()["count"] == 0
    assert client.get(api(a, "api_statement_detail", public_id=statement.public_id)).status_code == 404
    hidden = client.get(pdf_url)
    assert (hidden.status_code, hidden.json()["detail"]) == (
        404,
        "Not found: there is no such record, or it is not yours to see.",
    )
    # Staff asking for one not drawn yet are told so.
    staff = ApiClient(token_for(a.users["staff"], a.umbrella))
    type(statement).objects.filter(pk=statement.pk).update(file_path="")
    assert staff.get(api(a, "api_statement_detail", public_id=statement.public_id)).json()["pdf"] is None
    waiting = staff.get(pdf_url)
    assert (waiting.status_code, waiting.json()) == (
        404,
        {"detail": "This statement's PDF is not drawn yet: try again shortly."},
    )


def _pdf_text(raw: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)


def test_orchard_close_reads_the_same_through_the_api_as_on_its_pages():
    """The demo's Orchard Close, as Aster's systems read it: the agreed appraisal's worked figures
    (tests/schemes/test_appraisals.py), the lease terms and the tenures in published codes."""
    from accounts.models import Umbrella
    from schemes.models import Scheme

    call_command("load_demo", verbosity=0)
    wessex = Umbrella.objects.get(slug="wessex")
    aster = User.objects.get(email="aster-team@fieldgate.test")
    client = ApiClient(token_for(aster, wessex))
    orchard = Scheme.objects.get(name="Orchard Close, Ashcombe Magna")
    listed = client.get("/api/v1/u/wessex/schemes/").json()
    assert orchard.name in [s["name"] for s in listed["results"]]
    assert {s["housing_association"]["name"] for s in listed["results"]} == {"Aster Group"}
    body = client.get(f"/api/v1/u/wessex/schemes/{orchard.public_id}/").json()
    assert body["stage"]["code"] == orchard.stage
    appraisal = body["agreed_appraisal"]
    # Net rent £61,457.60 × annuity factor 18.401584 (40 years at 4.5%) = £1,130,917.19; with
    # receipts and grant against the total scheme cost of £2,397,999.00: NPV £52,918.19.
    assert {k: appraisal[k] for k in ("version", "term_years", "discount_rate_percent", "net_rent_a_year",
                                      "annuity_factor", "present_value_of_rent", "total_scheme_cost",
                                      "net_present_value", "residual_land_value")} == {
        "version": 1, "term_years": 40, "discount_rate_percent": "4.50", "net_rent_a_year": "61457.60",
        "annuity_factor": "18.401584", "present_value_of_rent": "1130917.19", "total_scheme_cost": "2397999.00",
        "net_present_value": "52918.19", "residual_land_value": "190917.19",
    }  # fmt: skip
    assert appraisal["agreed_at_stage"]["code"] == "s106_signed"
    lease = orchard.lease
    assert body["lease"]["term_years"] == lease.term_years == 125
    assert Decimal(body["lease"]["ground_rent"]) == lease.ground_rent
    assert body["lease"]["start_on"] == lease.start_on.isoformat()
    assert date.fromisoformat(body["lease"]["expires_on"]) == lease.expires_on
    tenures = {
        t["code"]: (t["homes"], t["digital_land_tenure_type"], t["core_code"]) for t in body["homes"]["by_tenure"]
    }
    assert tenures == {
        "social-rent": (orchard.homes_social_rent, "affordable-rent", "0"),
        "affordable-rent": (orchard.homes_affordable_rent, "affordable-rent", "1"),
        "shared-ownership": (orchard.homes_shared_ownership, "home-ownership", "1"),
    }
    assert body["homes"]["total"] == orchard.homes_total == 12
    assert [(m["title"], m["owner"]) for m in body["milestones"]] == [
        (m.title, m.owner.display_name if m.owner else "") for m in orchard.milestones.order_by("due_on", "title", "pk")
    ]
    assert any(m["owner"] for m in body["milestones"])  # the demo names owners


@pytest.mark.parametrize("name", ["api_scheme_list", "api_statement_list"])
def test_a_list_costs_the_same_queries_for_one_row_or_many(world, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnerships.recoupment.models import Statement
    from tests.factories import SchemeFactory

    a = world.a
    client = ApiClient(token_for(a.users["ha_team"], a.umbrella))

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(api(a, name)).status_code == 200
        return len(seen)

    client.get(api(a, name))  # the token's first use records it (one write an hour)
    few = queries()
    template = a.objects["statement"]
    for n in range(12):
        SchemeFactory(umbrella=a.umbrella, clt=a.objects["clt"], housing_association=a.objects["ha"], name=f"More {n}")
        Statement.objects.create(
            umbrella=a.umbrella, housing_association=a.objects["ha"], period_start=date(2025, 1, n + 1),
            period_end=date(2025, 1, n + 1), reference=f"MORE-{n}", status="issued", invoice_number=100 + n,
            figures=template.figures,
        )  # fmt: skip
    body = client.get(api(a, name)).json()
    assert body["count"] >= 13
    assert queries() == few


# --- review findings: odd records and odd requests never answer 500 --------------------------


def test_a_second_token_of_the_same_name_is_refused_so_a_reloaded_form_makes_no_copy(world):
    a = world.a
    client = signed_in(a.users["ha_team"])
    data = {"umbrella": a.umbrella.slug, "days": 90, "name": "Asset register"}
    assert client.post(reverse("api_token_create"), data).status_code == 200
    again = client.post(reverse("api_token_create"), {**data, "name": "asset register "})
    assert again.status_code == 400
    assert "You already have a working token for “asset register”" in again.content.decode()
    assert ApiToken.objects.filter(user=a.users["ha_team"]).count() == 1


def test_a_membership_ended_and_begun_again_does_not_bring_an_old_token_back(world):
    from accounts.models import AuditEvent

    a = world.a
    person = a.users["ha_team"]
    secret = token_for(person, a.umbrella)
    membership = Membership.objects.get(umbrella=a.umbrella, user=person)
    membership_revoke(access=access_for(user=a.users["admin"], umbrella_slug=a.umbrella.slug), membership=membership)
    assert AuditEvent.objects.filter(object_type="apitoken", action="revoked", actor=a.users["admin"]).exists()
    # Brought back by hand (the token's revoked_at cleared too): still refused, since the
    # membership it reads through began after the token was made.
    ApiToken.objects.filter(user=person).update(revoked_at=None)
    Membership.objects.create(umbrella=a.umbrella, user=person, role=Role.HA_TEAM, housing_association=a.objects["ha"])
    assert ApiClient(secret).get(api(a)).status_code == 401


def test_someone_who_is_both_a_volunteer_and_on_an_ha_team_is_offered_no_token(world):
    from accounts.selectors import api_token_umbrellas

    a = world.a
    person = a.users["ha_team"]
    Membership.objects.create(umbrella=a.umbrella, user=person, role=Role.CLT_VOLUNTEER, clt=a.objects["clt"])
    assert list(api_token_umbrellas(user=person)) == []  # their pages treat them as a volunteer
    response = signed_in(person).post(
        reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 90, "name": "x"}
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_token_sent_to_another_umbrella_is_not_marked_used(world):
    a, b = world.a, world.b
    secret = token_for(a.users["admin"], a.umbrella)
    assert ApiClient(secret).get(api(b)).status_code == 401
    assert ApiToken.objects.get(user=a.users["admin"]).last_used_at is None


def test_statements_frozen_by_an_older_fieldgate_or_damaged_still_read(world):
    from partnerships.recoupment.models import Statement

    a = world.a
    client = ApiClient(token_for(a.users["admin"], a.umbrella))
    page = signed_in(a.users["admin"])
    cases = [
        {},
        {"schemes": None},
        {"schemes": [{"state": "gone_ahead", "name": "Old", "lines": None}]},
        {"schemes": ["not a row", {"state": "gone_ahead", "outstanding": "lots", "went_ahead_on": "someday",
                                   "lines": [{"on": "2026-05-01", "hours": "x", "rate": None, "amount": "NaN"},
                                             {"on": None}, "junk"]}]},
    ]  # fmt: skip
    damaged = [
        [1], "damaged", {"schemes": 5}, {"totals": 5}, {"totals": {"due": "lots"}},
        {"schemes": [{"state": "gone_ahead", "lines": 5, "invoiced_before_from": 1}]},
    ]  # fmt: skip
    for n, figures in enumerate(damaged + cases):
        statement = Statement.objects.create(
            umbrella=a.umbrella, housing_association=a.objects["ha"], period_start=date(2024, 1, n + 1),
            period_end=date(2024, 1, n + 1), reference=f"OLD-{n}", status="issued", figures=figures,
        )  # fmt: skip
        response = client.get(api(a, "api_statement_detail", public_id=statement.public_id))
        assert response.status_code == 200, figures
        detail = reverse(
            "statement_detail", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": statement.public_id}
        )
        assert page.get(detail).status_code == 200, figures
    # The scheme's funding timeline reads the issued statements' figures too.
    funding = reverse("scheme_funding", kwargs={"umbrella_slug": a.umbrella.slug,
                                                "public_id": a.objects["scheme"].public_id})  # fmt: skip
    assert page.get(funding).status_code == 200
    last = response.json()["schemes"]
    assert last == [
        {"scheme_id": None, "name": "", "clt": "", "stage_name": "", "went_ahead_on": None, "costs_to_date": None,
         "costs_in_period": None, "recoverable": None, "working": "", "invoiced_before": None, "outstanding": None,
         "vat": None, "lines": [{"on": "2026-05-01", "who": "", "what": "", "hours": None, "rate": None,
                                 "amount": None}]},
    ]  # fmt: skip


def test_an_appraisal_whose_totals_run_past_fourteen_digits_still_reads(world):
    from django.utils import timezone

    from schemes.appraisals.models import Appraisal

    a = world.a
    top = Decimal("999999999999.99")
    Appraisal.objects.filter(pk=a.objects["appraisal"].pk).update(
        build_cost=top, on_costs=top, fees=top, status="agreed", agreed_on=date(2026, 1, 5), agreed_at_stage="",
        updated_at=timezone.now(),
    )  # fmt: skip
    response = ApiClient(token_for(a.users["admin"], a.umbrella)).get(
        api(a, "api_scheme_detail", public_id=a.objects["scheme"].public_id)
    )
    assert response.status_code == 200
    body = response.json()["agreed_appraisal"]
    assert body["agreed_at_stage"] is None and Decimal(body["total_scheme_cost"]) > top * 2


def test_a_stage_move_is_dated_by_the_day_in_england(world):
    from datetime import datetime

    from schemes.models import StageChange

    a = world.a
    scheme = a.objects["scheme"]
    StageChange.objects.create(
        umbrella=a.umbrella, scheme=scheme, from_stage="", to_stage="design",
        changed_at=datetime(2026, 6, 9, 23, 30, tzinfo=UTC),  # 00:30 on 10 June in London (BST)
    )  # fmt: skip
    body = (
        ApiClient(token_for(a.users["admin"], a.umbrella))
        .get(api(a, "api_scheme_detail", public_id=scheme.public_id))
        .json()
    )
    assert any(m["on"] == "2026-06-10" and m["stage"]["code"] == "design" for m in body["stage_history"])


def test_the_api_answers_json_whatever_is_asked_for(world):
    client = ApiClient(token_for(world.a.users["admin"], world.a.umbrella))
    for url, headers in [
        (api(world.a) + "?format=xml", {}),
        (api(world.a), {"HTTP_ACCEPT": "text/html"}),
        ("/api/v1/code-lists/stages/?format=csv", {"HTTP_ACCEPT": "application/xml"}),
    ]:
        response = client.get(url, **headers)
        assert response.status_code == 200 and response["Content-Type"] == "application/json", url
    yaml = Client().get("/api/v1/schema/")
    assert yaml.status_code == 200 and yaml.content.startswith(b"openapi: 3.")
    unknown_host = Client().get("/api/v1/code-lists/stages/", HTTP_HOST="evil.example")
    assert unknown_host.status_code == 400 and unknown_host["Content-Type"] == "application/json"


# --- how long a token works --------------------------------------------------------------------


def test_a_token_works_for_the_days_chosen_and_then_says_it_has_stopped(world):
    from datetime import timedelta

    from django.utils import timezone

    a = world.a
    person = a.users["ha_team"]
    client = signed_in(person)
    form = client.get(reverse("profile")).content.decode()
    assert '<option value="90" selected>90 days</option>' in form and "A year" in form
    today = timezone.localdate()
    response = client.post(reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 30, "name": "Pilot"})
    secret = secret_on(response.content.decode())
    token = ApiToken.objects.get(user=person)
    # 30 days counting today: today + 29 is the last day it works.
    assert token.expires_on == today + timedelta(days=29)
    assert f"It works until {token.expires_on:%-d %B %Y}." in response.content.decode()
    root = ApiClient(secret).get(api(a, "api_umbrella"))
    assert root.json()["token_works_until"] == token.expires_on.isoformat()

    ApiToken.objects.filter(pk=token.pk).update(expires_on=today)  # its last day: still works
    assert ApiClient(secret).get(api(a)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_on=today - timedelta(days=1))
    refused = ApiClient(secret).get(api(a))
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": f"That token stopped working after {today - timedelta(days=1):%-d %b %Y}. "
        "Make a new one on your profile page."
    }
    page = " ".join(client.get(reverse("profile")).content.decode().split())
    assert "Expired</td>" in page and 'action="/profile/tokens/' in page  # no Revoke button for it, a form to make one
    assert f"/profile/tokens/{token.public_id}/revoke/" not in page
    # An expired token neither counts towards the ten nor holds its name.
    again = client.post(reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": 365, "name": "Pilot"})
    assert again.status_code == 200
    assert ApiToken.objects.get(user=person, expires_on__gte=today).expires_on == today + timedelta(days=364)


def test_a_lifetime_not_offered_is_refused(world):
    a = world.a
    client = signed_in(a.users["ha_team"])
    for days in ("7", "100000", "", "x"):
        response = client.post(reverse("api_token_create"), {"umbrella": a.umbrella.slug, "days": days, "name": "x"})
        assert response.status_code == 400
        page = " ".join(response.content.decode().split())
        assert "Works for:" in page, days
    assert not ApiToken.objects.exists()


# --- how often -----------------------------------------------------------------------------------


def test_a_person_asking_too_often_is_told_to_wait_and_others_are_not(world, settings):
    from django.conf import settings as live

    a = world.a
    settings.REST_FRAMEWORK = {**live.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/min", "anon": "2/min"}}
    person = a.users["ha_team"]
    first, second = token_for(person, a.umbrella, name="one"), token_for(person, a.umbrella, name="two")
    answers = [ApiClient(secret).get(api(a)).status_code for secret in (first, second, first)]
    assert answers == [200, 200, 200]
    # The fourth in the minute, with either of their tokens: 429, in JSON, with Retry-After.
    refused = ApiClient(second).get(api(a))
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {"detail": f"Too many requests: wait {wait} seconds, then try again."}
    assert ApiClient(token_for(a.users["staff"], a.umbrella)).get(api(a)).status_code == 200  # someone else
    # With no token (the code lists), by address.
    public = Client(REMOTE_ADDR="198.51.100.7")
    assert [public.get(reverse("api_tenures")).status_code for _ in range(3)] == [200, 200, 429]
    assert Client(REMOTE_ADDR="198.51.100.8").get(reverse("api_tenures")).status_code == 200


def test_every_operation_lists_429(world):
    schema = Client().get(reverse("api_schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], (method, path)
            assert "Retry-After" in operation["responses"]["429"]["headers"]


# --- a token never reads with more than its person held when it was made ----------------------


def test_a_membership_added_after_the_token_is_not_the_tokens(world):
    from datetime import timedelta

    from django.utils import timezone

    a = world.a
    person = a.users["ha_team"]
    secret = token_for(person, a.umbrella)
    Membership.objects.filter(user=person).update(created_at=timezone.now() - timedelta(hours=1))
    ApiToken.objects.filter(user=person).update(created_at=timezone.now() - timedelta(minutes=1))
    Membership.objects.create(umbrella=a.umbrella, user=person, role=Role.HA_TEAM,
                              housing_association=a.objects["other_ha"])  # fmt: skip
    client = ApiClient(secret)
    assert client.get(api(a, "api_umbrella")).json()["housing_associations"] == [a.objects["ha"].name]
    assert [s["name"] for s in client.get(api(a)).json()["results"]] == [a.objects["scheme"].name]
    # Their pages see both HAs' schemes; a new token would too.
    assert len(ApiClient(token_for(person, a.umbrella, name="new")).get(api(a)).json()["results"]) == 2


def test_ending_or_changing_the_membership_a_token_reads_through_revokes_it_and_says_so(world):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import AuditEvent
    from accounts.services import membership_change

    a = world.a
    admin = access_for(user=a.users["admin"], umbrella_slug=a.umbrella.slug)
    person = a.users["ha_team"]
    first = Membership.objects.get(umbrella=a.umbrella, user=person)
    old = token_for(person, a.umbrella, name="before")
    later = Membership.objects.create(umbrella=a.umbrella, user=person, role=Role.HA_TEAM,
                                      housing_association=a.objects["other_ha"])  # fmt: skip
    Membership.objects.filter(pk=later.pk).update(created_at=timezone.now() + timedelta(seconds=1))
    later.refresh_from_db()
    # The later membership ends: the token made before it did not read through it, and works on.
    membership_revoke(access=admin, membership=later)
    assert ApiToken.objects.get(name="before").revoked_at is None
    assert ApiClient(old).get(api(a)).status_code == 200
    # The first membership changes HA: the token is revoked, audited, and shown revoked.
    membership_change(access=admin, membership=first, role=Role.HA_TEAM, housing_association=a.objects["other_ha"])
    token = ApiToken.objects.get(name="before")
    assert token.revoked_at is not None and ApiClient(old).get(api(a)).status_code == 401
    event = AuditEvent.objects.get(object_type="apitoken", action="revoked", actor=a.users["admin"])
    assert "their membership changed" in event.summary
    assert "Revoked" in signed_in(person).get(reverse("profile")).content.decode()


def test_odd_paths_and_methods_still_answer_in_json(world):
    a = world.a
    secret = token_for(a.users["admin"], a.umbrella)
    client = ApiClient(secret, enforce_csrf_checks=True)
    for path in (f"/api/v1/u/{a.umbrella.slug}%0A/", "/api/v1/foo%0Abar", f"/api/v1/u/{a.umbrella.slug}/schemes/%0A",
                 "/api/v2/", "/api/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), path
        assert "detail" in response.json(), path
    # A POST to no such path is told so (not refused for a missing CSRF token).
    posted = client.post("/api/v1/u/nowhere", data="{}", content_type="application/json")
    assert posted.status_code == 404 and posted.json()["detail"].startswith("No such API path")
    # OPTIONS is refused like any other method but GET, and Allow says what is allowed.
    refused = client.options(api(a))
    assert refused.status_code == 405 and refused["Allow"] == "GET, HEAD"
    assert refused.json() == {"detail": "The API only reads: use GET."}
    # The description's own errors are JSON too, whatever was asked for.
    for response, status in [
        (Client().get("/api/v1/schema/", {"format": "xml"}), 404),
        (Client().get("/api/v1/schema/", HTTP_ACCEPT="text/html"), 406),
        (Client().post("/api/v1/schema/"), 405),
        (Client().options("/api/v1/schema/"), 405),
    ]:
        assert response.status_code == status and response["Content-Type"].startswith("application/json"), status
    assert Client().get("/api/v1/schema/", {"format": "xml"}).json() == {
        "detail": "The description comes as YAML, or as JSON with ?format=json."
    }


def test_requests_with_no_token_count_only_against_the_address(world, settings):
    from django.conf import settings as live

    settings.REST_FRAMEWORK = {**live.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "2/min", "anon": "4/min"}}
    public = Client(REMOTE_ADDR="198.51.100.9")
    assert [public.get(reverse("api_stages")).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
