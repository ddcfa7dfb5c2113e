"""Who reaches applicants, rankings and nomination lists, beyond what the matrix's roles show.

The matrix's volunteer sits on the first CLT's allocation panel. Here a volunteer of that SAME CLT
who is not on the panel: they read the CLT's policies and use its checker like any of its
volunteers, but every applicant, ranking and nomination URL answers 404, exactly as for a record
that does not exist, and the lists and exports are empty. Also: a change to a version that is no
longer a draft answers 400 with the service's message, and the matrix's valid posts really did
what they say.
"""

import csv
import io
import json

import pytest
from django.urls import reverse

from accounts.models import Role
from clts.allocations.models import AllocationPolicy, PolicyStatus
from schemes.allocations.models import Applicant, ApplicantView, NominationList, NominationStatus
from tests.conftest import client_for
from tests.factories import UserFactory, membership
from tests.permissions.matrix import MATRIX
from tests.permissions.matrix_allocations import MATRIX_ALLOCATIONS

pytestmark = pytest.mark.django_db

# Every URL of the matrix that names an applicant, a scheme's applicants or a nomination list.
PANEL_ONLY = ("applicant_", "scheme_ranking", "nomination_")
PANEL_OBJECT_CASES = [c for c in MATRIX_ALLOCATIONS if c.has_object and c.url_name.startswith(PANEL_ONLY)]


def _url(world, case):
    url = reverse(case.url_name, kwargs={"umbrella_slug": world.a.umbrella.slug, **case.kwargs(world.a)})
    return url + ("?" + case.query if case.query else "")


def _body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8-sig")


@pytest.fixture
def off_panel(world, client):
    """A volunteer of tenant A's first CLT (the panel's CLT) who does not sit on its panel."""
    user = UserFactory(email="off-panel@example.test", first_name="Off", last_name="Panel")
    membership(world.a.umbrella, Role.CLT_VOLUNTEER, user=user, clt=world.a.objects["clt"], panel=False)
    client.force_login(user)
    return client


def test_the_world_has_a_panel_volunteer_and_one_of_another_clt(world):
    from accounts.models import Membership

    a = world.a
    panel = Membership.objects.get(umbrella=a.umbrella, user=a.users["volunteer"])
    other = Membership.objects.get(umbrella=a.umbrella, user=a.users["other_clt_volunteer"])
    assert panel.clt == a.objects["clt"] and panel.is_allocation_panel
    assert other.clt == a.objects["other_clt"] and not other.is_allocation_panel
    assert a.objects["scheme"].housing_association == a.objects["ha"]
    statuses = set(AllocationPolicy.objects.filter(clt=a.objects["clt"]).values_list("status", flat=True))
    assert statuses == {PolicyStatus.DRAFT, PolicyStatus.AGREED, PolicyStatus.SUPERSEDED}
    issued = a.objects["nomination_list"]
    assert issued.status == NominationStatus.READY and issued.entries.count() == 1


def test_the_cases_cover_every_panel_only_url():
    names = {c.url_name for c in PANEL_OBJECT_CASES}
    assert names == {
        "applicant_create",
        "applicant_detail",
        "applicant_edit",
        "applicant_export",
        "applicant_erase",
        "scheme_ranking",
        "nomination_detail",
        "nomination_pdf",
        "nomination_csv",
        "nomination_retry",
    }


@pytest.mark.parametrize("case", PANEL_OBJECT_CASES, ids=lambda c: c.id)
def test_a_volunteer_off_the_panel_gets_404_on_every_applicant_and_nomination(world, off_panel, case):
    url = _url(world, case)
    views_before = ApplicantView.objects.count()
    response = off_panel.get(url) if case.method == "GET" else off_panel.post(url, data=case.data(world.a))
    assert response.status_code == 404, f"{case.id}: {response.status_code}"
    assert ApplicantView.objects.count() == views_before  # nothing seen, nothing logged
    body = _body(response)
    assert not any(a.name in body for a in Applicant.objects.filter(umbrella=world.a.umbrella))


def test_a_volunteer_off_the_panel_sees_empty_lists_and_exports(world, off_panel):
    a = world.a
    names = [a.objects["applicant"].name, a.objects["unranked_applicant"].name]
    for name in ("applicant_list", "nomination_list"):
        url = reverse(name, kwargs={"umbrella_slug": a.umbrella.slug})
        page = off_panel.get(url)
        assert page.status_code == 200
        body = _body(page)
        assert not any(n in body for n in names) and a.objects["scheme"].name not in body
        assert "No applicants." in body or "No nomination lists have been issued." in body
        export = off_panel.get(url + "?format=csv")
        assert export.status_code == 200
        assert len(list(csv.reader(io.StringIO(_body(export))))) == 1  # the header only
    # The filter offers no scheme to pick, and picking the panel's scheme by id shows nothing.
    url = reverse("applicant_list", kwargs={"umbrella_slug": a.umbrella.slug})
    page = off_panel.get(url, {"scheme": str(a.objects["scheme"].public_id)})
    assert page.status_code == 200 and not any(n in _body(page) for n in names)
    assert ApplicantView.objects.filter(viewed_by__email="off-panel@example.test").count() == 0


def test_a_volunteer_off_the_panel_still_reads_policies_and_checks_eligibility(world, off_panel):
    a = world.a
    slug = a.umbrella.slug
    for obj in (a.objects["policy"], a.objects["policy_superseded"], a.objects["policy_draft"]):
        assert (
            off_panel.get(
                reverse("policy_detail", kwargs={"umbrella_slug": slug, "public_id": obj.public_id})
            ).status_code
            == 200
        )
    check = reverse("eligibility_check", kwargs={"umbrella_slug": slug, "public_id": a.objects["clt"].public_id})
    result = off_panel.post(
        check, {"lives_place": f"p:{a.objects['parish'].public_id}", "lives_amount": 4, "need_band": 1}
    )
    assert result.status_code == 200
    body = _body(result)
    assert "Result: Tier 1" in body
    # ...but is not offered to save the answers as an applicant, and the scheme page has no ranking link.
    assert "applicants/new/" not in body
    scheme = off_panel.get(
        reverse("scheme_detail", kwargs={"umbrella_slug": slug, "public_id": a.objects["scheme"].public_id})
    )
    assert scheme.status_code == 200 and "/ranking/" not in _body(scheme)
    # The panel volunteer is offered both.
    panel = client_for(world, "volunteer")
    body = _body(
        panel.post(check, {"lives_place": f"p:{a.objects['parish'].public_id}", "lives_amount": 4, "need_band": 1})
    )
    assert "applicants/new/" in body


# --- draft-only rules: 400 with the message, nothing changed ------------------------------------

REFUSED_POSTS = [c for c in MATRIX_ALLOCATIONS if c.method == "POST" and c.expect["staff"] == 400]


def test_every_draft_only_rule_is_in_the_matrix():
    assert {c.url_name for c in REFUSED_POSTS} == {
        "policy_start",
        "policy_edit",
        "policy_agree",
        "policy_delete",
        "tier_create",
        "tier_edit",
        "tier_delete",
        "band_create",
        "band_edit",
        "band_delete",
    }


@pytest.mark.parametrize("case", REFUSED_POSTS, ids=lambda c: c.id)
def test_a_change_to_a_version_that_is_not_a_draft_says_why(world, case):
    from accounts.models import AuditEvent
    from clts.allocations.models import NeedBand, PolicyTier

    def state():
        return (
            list(AllocationPolicy.objects.order_by("pk").values()),
            list(PolicyTier.objects.order_by("pk").values()),
            list(NeedBand.objects.order_by("pk").values()),
            AuditEvent.objects.count(),
        )

    before = state()
    response = client_for(world, "staff").post(_url(world, case), data=case.data(world.a))
    assert response.status_code == 400
    body = _body(response)
    if case.url_name == "policy_start":
        assert "already has a draft policy: change that one." in body
    else:
        assert "it cannot be changed. Start a new version to change the policy." in body
    assert state() == before


# --- the matrix's valid posts did what they say ----------------------------------------------


def test_issuing_the_ranking_makes_a_ready_list_and_tells_the_ha_team(world, mailoutbox):
    a = world.a
    response = client_for(world, "volunteer").post(
        reverse(
            "scheme_ranking", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": a.objects["scheme"].public_id}
        ),
        {"confirm": "on"},
    )
    assert response.status_code == 302
    new = NominationList.objects.filter(scheme=a.objects["scheme"]).order_by("-number").first()
    # Lists 1 and 2 (issued, failed) and 3 (the re-let of 2 Test Row: tests/worlds/world_relets.py).
    assert new.number == 4 and new.status == NominationStatus.READY and new.entries.count() == 1
    assert new.vacancy is None  # the scheme's own list, not a re-let's
    assert response["Location"].endswith(f"/nominations/{new.public_id}/")
    assert [m.to for m in mailoutbox] == [[a.users["ha_team"].email]]
    # Not confirmed: 400, no list.
    response = client_for(world, "volunteer").post(
        reverse(
            "scheme_ranking", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": a.objects["scheme"].public_id}
        ),
        {},
    )
    assert response.status_code == 400 and NominationList.objects.filter(scheme=a.objects["scheme"]).count() == 4


def test_retrying_the_failed_list_draws_it(world, mailoutbox):
    a = world.a
    failed = a.objects["failed_nomination_list"]
    response = client_for(world, "staff").post(
        reverse("nomination_retry", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": failed.public_id})
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == NominationStatus.READY and failed.pdf_path and failed.csv_path
    assert len(mailoutbox) == 1
    # Once issued, the HA team reads it.
    assert (
        client_for(world, "ha_team")
        .get(reverse("nomination_detail", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": failed.public_id}))
        .status_code
        == 200
    )


def test_recording_and_erasing_an_applicant(world):
    from tests.permissions.matrix_allocations import _applicant_data, _erase_data

    a = world.a
    panel = client_for(world, "volunteer")
    create = reverse(
        "applicant_create", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": a.objects["scheme"].public_id}
    )
    response = panel.post(create, _applicant_data(a))
    assert response.status_code == 302
    new = Applicant.objects.get(name="Jo Newcomer")
    assert new.connections.get().checked_by == a.users["volunteer"]
    applicant = a.objects["applicant"]
    erase = reverse("applicant_erase", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": applicant.public_id})
    assert panel.post(erase, _erase_data(a)).status_code == 302
    assert not Applicant.objects.filter(pk=applicant.pk).exists()
    entry = a.objects["nomination_list"].entries.get()
    assert entry.applicant is None and entry.reference == applicant.reference
    # The list was drawn again without the name: its CSV says "(erased)".
    csv_url = reverse(
        "nomination_csv", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": a.objects["nomination_list"].public_id}
    )
    body = _body(client_for(world, "ha_team").get(csv_url))
    assert "(erased)" in body and applicant.name not in body


def test_the_subject_access_export_holds_everything_about_the_person_and_nobody_else(world):
    a = world.a
    applicant = a.objects["applicant"]
    response = client_for(world, "staff").get(
        reverse("applicant_export", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": applicant.public_id})
    )
    data = json.loads(_body(response))
    assert data["applicant"]["reference"] == applicant.reference
    assert [c["evidence"] for c in data["connections"]] == [applicant.connections.get().evidence]
    # The scheme's list 1, and list 3 for the re-let of 2 Test Row (tests/worlds/world_relets.py).
    assert [n["list"].split(" for ")[0] for n in data["nomination lists"]] == ["Nomination list 1", "Nomination list 3"]
    assert "re-let of 2 Test Row" in data["nomination lists"][1]["for"]
    assert data["homes let"] == []  # not housed yet
    assert a.objects["unranked_applicant"].name not in _body(response)


def test_the_ha_team_reads_the_issued_list_but_no_applicant_record(world):
    a = world.a
    ha = client_for(world, "ha_team")
    slug = a.umbrella.slug
    issued = a.objects["nomination_list"]
    body = _body(ha.get(reverse("nomination_detail", kwargs={"umbrella_slug": slug, "public_id": issued.public_id})))
    assert a.objects["applicant"].name in body
    assert a.objects["unranked_applicant"].name not in body  # not ranked, so not nominated
    nominations = _body(ha.get(reverse("nomination_list", kwargs={"umbrella_slug": slug})))
    assert f"/nominations/{issued.public_id}/" in nominations
    assert f"/nominations/{a.objects['failed_nomination_list'].public_id}/" not in nominations


def test_the_allocation_cases_are_in_the_matrix():
    """tests/permissions/test_permission_matrix.py checks coverage; this one that the allocation cases are in MATRIX."""
    assert all(case in MATRIX for case in MATRIX_ALLOCATIONS)


# --- the other CLT's volunteer and the other HA's team: the lists are there, the rows are not ------


@pytest.mark.parametrize(
    "role, name",
    [
        ("other_clt_volunteer", "policy_list"),
        ("other_clt_volunteer", "applicant_list"),
        ("other_clt_volunteer", "nomination_list"),
        ("other_ha_team", "nomination_list"),
    ],
)
@pytest.mark.parametrize("query", ["", "?format=csv"])
def test_lists_show_nothing_of_the_first_clt_to_others(world, role, name, query):
    a = world.a
    response = client_for(world, role).get(reverse(name, kwargs={"umbrella_slug": a.umbrella.slug}) + query)
    assert response.status_code == 200
    body = _body(response)
    for text in (
        a.objects["clt"].name,
        a.objects["scheme"].name,
        a.objects["applicant"].name,
        a.objects["unranked_applicant"].name,
        a.objects["policy"].s106_reference,
    ):
        assert text not in body, f"{role} sees {text!r} on {name}{query}"


@pytest.mark.parametrize("role", ["admin", "staff", "volunteer", "ha_team"])
def test_the_allocation_links_on_the_scheme_page_open_for_whoever_is_shown_them(world, role):
    """The scheme page's "Who the homes are for" section links only to pages the reader may open."""
    import re

    a = world.a
    client = client_for(world, role)
    page = _body(
        client.get(
            reverse(
                "scheme_detail", kwargs={"umbrella_slug": a.umbrella.slug, "public_id": a.objects["scheme"].public_id}
            )
        )
    )
    section = page.split('id="allocations-title"')[1].split("</section>")[0]
    links = re.findall(r'href="([^"]+)"', section)
    assert links
    refused = {link: client.get(link).status_code for link in links}
    assert all(status == 200 for status in refused.values()), refused
