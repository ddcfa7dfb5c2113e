"""Allocations (issue 5) in a real browser: Debian's chromium driven by Playwright against live_server.

Three people, each signing in through the real login page, doing their part by clicking and typing,
with axe run on every page they see (no serious or critical violations), then signing out:

1. umbrella staff (with a TOTP code) write the CLT's allocation policy and record it agreed;
2. the CLT's allocation panel checks two people's eligibility, saves them as applicants with their
   evidence, reads the ranking and issues the nomination list;
3. the housing association's team finds the issued list on its dashboard and downloads the CSV,
   and may not open the ranking itself.

The worked example (the policy the staff journey writes, and the one the other two build through
the services):
  tier 1  Ashby (this parish): lives there at least 3 years
  tier 2  Somerset (the district): lives there at least 5 years
  bands   1 Urgent, 2 Overcrowded
"""

import csv
import io
from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from accounts.access import access_for
from accounts.models import Role
from clts.allocations import services as policy_services
from clts.allocations.models import NeedBand, PolicyStatus, PolicyTier, TierScope
from schemes.allocations import services as allocation_services
from schemes.allocations.models import Applicant, NominationList, NominationStatus
from tests.factories import (
    PASSWORD,
    CLTFactory,
    HousingAssociationFactory,
    ParishFactory,
    SchemeFactory,
    UmbrellaFactory,
    UserFactory,
    membership,
)
from tests.journeys.test_browser import TOTP_SECRET, browser, check_axe, fresh_totp, page, sign_out  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BANDS = {1: ("Urgent", "Homeless or about to be."), 2: ("Overcrowded", "Short of at least one bedroom.")}


class Vale:
    """An umbrella; the Ashby CLT (parish Ashby, district Somerset) with its scheme Church Lane,
    partnered with Vale Homes; staff, the CLT's allocation panel volunteer and Vale Homes' team."""

    def __init__(self):
        u = self.umbrella = UmbrellaFactory(name="Vale CLT Project", slug="vale")
        self.ashby = ParishFactory(umbrella=u, name="Ashby", district="Somerset")
        self.clt = CLTFactory(umbrella=u, name="Ashby Community Land Trust", parishes=[self.ashby])
        self.ha = HousingAssociationFactory(umbrella=u, name="Vale Homes")
        self.scheme = SchemeFactory(clt=self.clt, housing_association=self.ha, name="Church Lane, Ashby")
        self.staff = membership(
            u, Role.STAFF, user=UserFactory(email="vale-staff@example.test", first_name="Rosa", last_name="Hext")
        ).user
        self.panel = membership(
            u,
            Role.CLT_VOLUNTEER,
            clt=self.clt,
            panel=True,
            user=UserFactory(email="ashby-panel@example.test", first_name="Mary", last_name="Dunn"),
        ).user
        self.team = membership(
            u,
            Role.HA_TEAM,
            ha=self.ha,
            user=UserFactory(email="vale-homes@example.test", first_name="Jon", last_name="Parr"),
        ).user

    @property
    def base(self) -> str:
        return f"/u/{self.umbrella.slug}"

    def agree_policy(self):
        """The worked example's policy, through the services, as staff would record it."""
        a = access_for(user=self.staff, umbrella_slug=self.umbrella.slug)
        p = policy_services.policy_start(access=a, clt=self.clt)
        p.s106_reference, p.s106_signed_on = "24/00123/FUL", date(2024, 3, 1)
        p.housing_association, p.district_council = self.ha, "Somerset Council"
        p.nomination_signed_on = date(2024, 3, 1)
        p.save()
        policy_services.tier_save(
            access=a,
            parishes=[self.ashby],
            tier=PolicyTier(policy=p, position=1, name="Ashby", scope=TierScope.THIS_PARISH, lives_years=3),
        )
        policy_services.tier_save(
            access=a,
            parishes=[],
            tier=PolicyTier(
                policy=p, position=2, name="Somerset", scope=TierScope.DISTRICT, district="Somerset", lives_years=5
            ),
        )
        for position, (name, description) in BANDS.items():
            policy_services.band_save(
                access=a, band=NeedBand(policy=p, position=position, name=name, description=description)
            )
        return policy_services.policy_agree(access=a, policy=p, agreed_on=date(2024, 4, 1))

    def applicant(self, name, registered, band, place, years):
        """A waiting applicant who lives in `place` (a parish, or a district name) for `years`, checked."""
        a = access_for(user=self.panel, umbrella_slug=self.umbrella.slug)
        parish = self.ashby if place == "Ashby" else None
        return allocation_services.applicant_save(
            access=a,
            applicant=Applicant(scheme=self.scheme, name=name, registered_on=registered, need_band=band),
            connections=[
                {
                    "kind": "lives",
                    "parish": parish,
                    "district": "" if parish else place,
                    "years": years,
                    "hours": None,
                    "evidence": "Council tax bills",
                    "checked": True,
                }
            ],
        )


@pytest.fixture
def vale(page):  # noqa: F811  (after the browser fixture, which lets this thread use the ORM)
    return Vale()


def sign_in(page, live_server, email, seen):
    page.goto(live_server.url + "/accounts/login/")
    check_axe(page, seen)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def dangling_descriptions(page) -> list[str]:
    """Fields whose aria-describedby names a hint or error that is not on the page."""
    return page.evaluate("""() => [...document.querySelectorAll('[aria-describedby]')].flatMap(e =>
        e.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id))
         .map(id => `${e.name || e.id} -> ${id}`))""")


def saved(page, text):
    """The page's flash message says `text`."""
    expect(page.get_by_text(text).first).to_be_visible()


# --- 1. staff write the policy and record it agreed ------------------------------------------


def test_staff_write_a_policy_and_record_it_agreed(page, live_server, vale):  # noqa: F811
    vale.umbrella.require_mfa_for_staff = True
    vale.umbrella.save(update_fields=["require_mfa_for_staff"])
    TOTP.activate(vale.staff, TOTP_SECRET)
    seen: list[str] = []

    sign_in(page, live_server, vale.staff.email, seen)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_axe(page, seen)
    page.get_by_label("Code").fill(fresh_totp(TOTP_SECRET))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{vale.base}/")

    # From the CLT's page, start version 1.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="CLTs").click()
    page.get_by_role("link", name="Ashby Community Land Trust").first.click()
    expect(page.get_by_role("heading", name="Allocation policy")).to_be_visible()
    expect(page.get_by_text("No allocation policy yet.")).to_be_visible()
    check_axe(page, seen)
    page.get_by_role("link", name="Start a new version").click()
    check_axe(page, seen)
    page.get_by_role("button", name="Start the new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ashby Community Land Trust allocation policy, version 1")
    expect(page.locator(".tag").first).to_have_text("Draft")
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("the s106 agreement and the date it was signed")
    expect(notice).to_contain_text("at least one tier of places")
    expect(notice).to_contain_text("at least one housing-need band")
    check_axe(page, seen)

    # The agreements it follows.
    page.get_by_role("link", name="Change the agreements").click()
    page.get_by_label("Summary").fill("Homes for people who live in Ashby, then in the rest of Somerset.")
    page.get_by_label("s106 agreement").fill("24/00123/FUL")
    page.get_by_label("s106 signed on").fill("2024-03-01")
    page.get_by_label("Housing association").select_option(label="Vale Homes")
    page.get_by_label("District council").fill("Somerset Council")
    page.get_by_label("Nomination agreement signed on").fill("2024-03-08")
    check_axe(page, seen)
    page.get_by_role("button", name="Save").click()
    agreements = page.locator("dl.facts")
    expect(agreements).to_contain_text("24/00123/FUL, signed 1 March 2024")
    expect(agreements).to_contain_text(
        "Ashby Community Land Trust, Vale Homes and Somerset Council; signed 8 March 2024"
    )

    # Tier 1: this parish, living there at least 3 years.
    page.get_by_role("link", name="Add a tier").click()
    expect(page.get_by_label("Position")).to_have_value("1")
    page.get_by_label("Name").fill("Ashby")
    page.get_by_label("Scope").select_option(label="This parish")
    page.get_by_label("Ashby (Somerset)").check()
    page.get_by_label("Lives there for at least (years)").fill("3")
    check_axe(page, seen)  # the parishes are a fieldset with a legend
    page.get_by_role("button", name="Save").click()

    # Tier 2: the district, living there at least 5 years.
    page.get_by_role("link", name="Add a tier").click()
    expect(page.get_by_label("Position")).to_have_value("2")
    page.get_by_label("Name").fill("Somerset")
    page.get_by_label("Scope").select_option(label="The district")
    page.get_by_label("District", exact=True).fill("Somerset")
    page.get_by_label("Lives there for at least (years)").fill("5")
    page.get_by_role("button", name="Save").click()
    tiers = page.get_by_role("table", name="Tiers of Ashby Community Land Trust allocation policy, version 1")
    expect(tiers.get_by_role("row")).to_have_count(3)
    expect(tiers.get_by_role("row").nth(1)).to_contain_text("1. Ashby")
    expect(tiers.get_by_role("row").nth(1)).to_contain_text("live there, for at least 3 years")
    expect(tiers.get_by_role("row").nth(2)).to_contain_text("anywhere in Somerset")
    expect(tiers.get_by_role("row").nth(2)).to_contain_text("live there, for at least 5 years")

    # One band.
    page.get_by_role("link", name="Add a band").click()
    expect(page.get_by_label("Position")).to_have_value("1")
    page.get_by_label("Name").fill("Urgent")
    page.get_by_label("Description").fill("Homeless or about to be.")
    check_axe(page, seen)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("note")).to_have_count(0)  # nothing missing any more
    check_axe(page, seen)

    # Record it agreed.
    page.get_by_role("link", name="Record it as agreed").click()
    page.get_by_label("Agreed on").fill("2024-04-01")
    check_axe(page, seen)
    page.get_by_role("button", name="Record it as agreed").click()
    saved(page, "Version 1 is agreed and in force.")
    expect(page.locator(".tag").first).to_have_text("Agreed")
    expect(page.get_by_text("agreed 1 April 2024, recorded by Rosa Hext")).to_be_visible()
    expect(page.get_by_role("link", name="Add a tier")).to_have_count(0)  # an agreed version is fixed
    check_axe(page, seen)
    policy = vale.clt.allocation_policies.get()
    assert (policy.version, policy.status, policy.agreed_on) == (1, PolicyStatus.AGREED, date(2024, 4, 1))

    # The scheme says which policy its homes are allocated under.
    page.get_by_role("link", name="Ashby Community Land Trust").first.click()
    page.get_by_role("link", name="Church Lane, Ashby").click()
    allocated = page.get_by_text("Allocated under")
    expect(allocated).to_contain_text(
        "Allocated under Ashby Community Land Trust's allocation policy, version 1, "
        "agreed 1 April 2024, following s106 agreement 24/00123/FUL"
    )
    expect(page.get_by_role("link", name="Applicants and ranking")).to_be_visible()
    check_axe(page, seen)
    sign_out(page)
    assert len(seen) >= 11


# --- 2. the allocation panel checks, records, ranks and issues --------------------------------


def check_someone(page, place, years, band):
    page.get_by_label("Lives there: where", exact=True).select_option(label=place)
    page.get_by_label("Lives there: for how many years", exact=True).fill(str(years))
    name, description = BANDS[band]
    page.get_by_label("Housing need band").select_option(label=f"Band {band}: {name}: {description}")
    page.get_by_role("button", name="Check").click()


def save_applicant(page, vale, seen, *, name, registered, evidence, band, place_value, forget_evidence=False):
    page.get_by_role("link", name="Save as an applicant for Church Lane, Ashby").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an applicant for Church Lane, Ashby")
    # The checker's answers came along; the name did not.
    expect(page.get_by_label("Lives there: where", exact=True)).to_have_value(place_value)
    expect(page.get_by_label("Lives there: for how many years", exact=True)).not_to_have_value("")
    expect(page.get_by_label("Housing need band")).to_have_value(str(band))
    expect(page.get_by_label("Name")).to_have_value("")
    assert dangling_descriptions(page) == []  # each hint a field points to is on the page
    check_axe(page, seen)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Date registered").fill(registered)
    page.get_by_label("Lives there: evidence checked", exact=True).check()
    if forget_evidence:  # refused, with the reason by the field
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Lives there: evidence: Say what evidence shows this connection"
        )
        evidence_field = page.get_by_label("Lives there: evidence", exact=True)
        expect(evidence_field).to_have_attribute("aria-invalid", "true")
        assert dangling_descriptions(page) == []
        check_axe(page, seen)
        assert not Applicant.objects.filter(scheme=vale.scheme, name=name).exists()
    page.get_by_label("Lives there: evidence", exact=True).fill(evidence)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    saved(page, "Saved applicant APP-")
    expect(page.get_by_role("table", name="Connections of")).to_contain_text("Yes, by Mary Dunn")
    check_axe(page, seen)
    return Applicant.objects.get(scheme=vale.scheme, name=name)


def test_allocation_panel_checks_records_ranks_and_issues(page, live_server, vale):  # noqa: F811
    vale.agree_policy()
    seen: list[str] = []

    sign_in(page, live_server, vale.panel.email, seen)
    page.wait_for_url(f"**{vale.base}/")
    check_axe(page, seen)

    # The first person: lives in Ashby for 4 years, overcrowded.
    page.get_by_role("link", name="Check someone's eligibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Would they qualify? Ashby Community Land Trust")
    check_axe(page, seen)
    check_someone(page, "Ashby (Somerset)", 4, band=2)
    result = page.get_by_role("region", name="Result")
    expect(result.get_by_role("heading", level=2)).to_have_text("Result: Tier 1: Ashby; Band 2: Overcrowded")
    expect(result.get_by_role("heading", name="Tier 1: Ashby: qualifies")).to_be_visible()
    expect(result).to_contain_text("Met “lives there, at least 3 years”: lives in Ashby for 4 years.")
    expect(result.get_by_role("heading", name="Tier 2: Somerset: does not qualify")).to_be_visible()
    expect(result).to_contain_text(
        "Not met “lives there, at least 5 years”: lives in Ashby for 4 years, short of 5 years."
    )
    expect(page.get_by_text("Nothing is stored")).to_be_visible()
    assert not Applicant.objects.filter(scheme=vale.scheme).exists()
    check_axe(page, seen)
    hannah = save_applicant(
        page,
        vale,
        seen,
        name="Hannah Coombe",
        registered="2023-05-10",
        band=2,
        evidence="Council tax bills 2020 to 2025",
        place_value=f"p:{vale.ashby.public_id}",
        forget_evidence=True,
    )

    # The second: lives elsewhere in Somerset for 7 years, urgent need. From the ranking page.
    page.get_by_role("link", name="Ranking for Church Lane, Ashby").click()
    page.get_by_role("link", name="Check someone's eligibility").click()
    check_someone(page, "Elsewhere in Somerset", 7, band=1)
    result = page.get_by_role("region", name="Result")
    expect(result.get_by_role("heading", level=2)).to_have_text("Result: Tier 2: Somerset; Band 1: Urgent")
    expect(result).to_contain_text(
        "Not met “lives there, at least 3 years”: lives elsewhere in Somerset for 7 years, which is outside Ashby."
    )
    expect(result).to_contain_text("Met “lives there, at least 5 years”: lives elsewhere in Somerset for 7 years.")
    check_axe(page, seen)
    daniel = save_applicant(
        page,
        vale,
        seen,
        name="Daniel Pike",
        registered="2024-02-01",
        band=1,
        evidence="Tenancy agreement, Taunton, from 2018",
        place_value="d:Somerset",
    )

    # The ranking, explained: the parish before the district, whatever the band.
    page.get_by_role("link", name="Ranking for Church Lane, Ashby").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Applicants ranked for Church Lane, Ashby")
    rows = page.get_by_role("table", name="Ranking (2 ranked)").get_by_role("row")
    expect(rows).to_have_count(3)
    first, second = rows.nth(1), rows.nth(2)
    expect(first.get_by_role("rowheader")).to_have_text("1")
    expect(first).to_contain_text("Hannah Coombe")
    expect(first).to_contain_text("Tier 1 (Ashby): Met “lives there, at least 3 years”: lives in Ashby for 4 years.")
    expect(first).to_contain_text(f"Above {daniel.reference} because tier 1 (Ashby) comes before tier 2 (Somerset).")
    expect(second.get_by_role("rowheader")).to_have_text("2")
    expect(second).to_contain_text("Daniel Pike")
    expect(second).to_contain_text("In band 1 (Urgent).")
    expect(second).to_contain_text("(registered 1 Feb 2024)")
    check_axe(page, seen)

    # Issuing without the tick is refused, with the reason.
    page.get_by_role("button", name="Agree and issue to Vale Homes").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick to confirm the panel agreed the ranking.")
    assert not NominationList.objects.filter(scheme=vale.scheme).exists()
    check_axe(page, seen)
    page.get_by_label("The allocation panel has agreed this ranking").check()
    page.get_by_role("button", name="Agree and issue to Vale Homes").click()

    # The list: issued (the files were made by the task), with its PDF and CSV.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nomination list 1 for Church Lane, Ashby")
    saved(page, "Nomination list 1 is agreed")
    expect(page.get_by_role("status").filter(has_text="State:")).to_have_text("State: Issued")
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    expect(page.get_by_role("link", name="Download the CSV")).to_be_visible()
    entries = page.get_by_role("table", name="Nominated, in order").get_by_role("row")
    expect(entries.nth(1)).to_contain_text(hannah.reference)
    expect(entries.nth(2)).to_contain_text(daniel.reference)
    check_axe(page, seen)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    nomination_list = NominationList.objects.get(scheme=vale.scheme)
    assert nomination_list.status == NominationStatus.READY and nomination_list.agreed_by == vale.panel
    sign_out(page)
    assert len(seen) >= 12


# --- 3. the housing association's team receives the list --------------------------------------


def test_ha_team_finds_the_issued_list_and_downloads_the_csv(page, live_server, vale):  # noqa: F811
    vale.agree_policy()
    # Grace and Tom tie (same tier, band and date registered); Sam lives in Ashby, so comes first.
    grace = vale.applicant("Grace Venn", date(2023, 5, 10), 2, "Somerset", 9)
    vale.applicant("Sam Hooper", date(2024, 6, 1), 2, "Ashby", 5)
    tom = vale.applicant("Tom Rendell", date(2023, 5, 10), 2, "Somerset", 6)
    vale.applicant("Lucy Marsh", date(2022, 1, 1), 1, "Dorset", 20)  # in no tier: not nominated
    panel = access_for(user=vale.panel, umbrella_slug=vale.umbrella.slug)
    # The panel settles the tie by lot: Grace, then Tom.
    nomination_list = allocation_services.nomination_issue(
        access=panel,
        scheme=vale.scheme,
        places_in_tie={grace.reference: 1, tom.reference: 2},
        tie_note="drawn by lot",
    )
    nomination_list.refresh_from_db()
    assert nomination_list.status == NominationStatus.READY
    seen: list[str] = []

    sign_in(page, live_server, vale.team.email, seen)
    page.wait_for_url(f"**{vale.base}/")
    lists = page.get_by_role("region", name="Nomination lists")
    link = lists.get_by_role("link", name="Church Lane, Ashby: list 1")
    expect(link).to_be_visible()
    check_axe(page, seen)
    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nomination list 1 for Church Lane, Ashby")
    expect(page.get_by_role("status").filter(has_text="State:")).to_have_text("State: Issued")
    rows = page.get_by_role("table", name="Nominated, in order").get_by_role("row")
    expect(rows).to_have_count(4)
    assert [rows.nth(i).get_by_role("rowheader").inner_text() for i in (1, 2, 3)] == ["1", "2", "3"]
    expect(rows.nth(1)).to_contain_text("Sam Hooper")
    expect(rows.nth(2)).to_contain_text("Grace Venn")
    expect(rows.nth(3)).to_contain_text("Tom Rendell")
    expect(page.get_by_text("Lucy Marsh")).to_have_count(0)
    check_axe(page, seen)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV").click()
    assert download.value.suggested_filename == "nomination-list-Church-Lane-Ashby-1.csv"
    with open(download.value.path(), encoding="utf-8-sig", newline="") as f:  # (it begins with a BOM)
        table = list(csv.DictReader(io.StringIO(f.read())))
    assert [(r["Rank"], r["Tied"], r["Name"]) for r in table] == [
        ("1", "", "Sam Hooper"),
        ("2", "", "Grace Venn"),
        ("3", "", "Tom Rendell"),
    ]
    assert table[0]["Tier"] == "Tier 1: Ashby" and table[1]["Tier"] == "Tier 2: Somerset"
    assert (
        "Tied with" in table[1]["Reasons"]
        and "the panel placed them in this order (drawn by lot)" in table[1]["Reasons"]
    )

    # The list is for them; the applicants behind it and their ranking are not.
    ranking = page.goto(f"{live_server.url}{vale.base}/schemes/{vale.scheme.public_id}/ranking/")
    assert ranking.status == 403
    check_axe(page, seen)
    page.goto(live_server.url + vale.base + "/")  # back to the dashboard, and out
    sign_out(page)
    assert len(seen) >= 4
