"""The lifecycle journey in a real browser, as issue 3 asks: umbrella staff take the demo CLT
Brackenford from enquiry to start on site (incorporate the CLT, add a site, log the landowner
talks, run the adviser tender, match an HA, record the lease with its buy-back option), and
every step is then visible, correctly scoped, to that CLT's volunteer and that HA's team."""

import pytest
from django.core.management import call_command

from accounts.models import Role, Umbrella
from clts.models import CLT
from schemes.models import Scheme
from schemes.stages import Stage
from tests.factories import PASSWORD, UserFactory, membership
from tests.journeys.test_browser import CHROMIUM_ARGS, browser, check_axe, page, sign_out  # noqa: F401 (fixtures below reuse the browser)  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, live_server, email, password):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/u/**")


def signed_in(browser, live_server, email, password, **context_options):
    """A browser context of its own (one person's cookies) and a tab signed in as `email`."""
    context = browser.new_context(locale="en-GB", **context_options)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    sign_in_as(tab, live_server, email, password)
    return context, tab


def move(page, stage_label, note=""):
    page.get_by_label("Move to").select_option(label=stage_label)
    if note:
        page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Move the scheme").click()
    assert page.get_by_text(f"is now at “{stage_label}”").first.is_visible(), page.content()[:3000]


def test_staff_take_a_clt_from_enquiry_to_start_on_site(page, live_server):  # noqa: F811
    call_command("load_demo", verbosity=0)
    umbrella = Umbrella.objects.get(slug="wessex")
    brackenford = CLT.objects.get(umbrella=umbrella, name="Brackenford Community Land Trust")
    volunteer = UserFactory(email="brackenford-volunteer@example.test", first_name="Ivy", last_name="Coles")
    membership(umbrella, Role.CLT_VOLUNTEER, user=volunteer, clt=brackenford)
    seen: list[str] = []
    base = live_server.url + "/u/wessex"

    sign_in_as(page, live_server, "wessex-staff@fieldgate.test", "fieldgate-demo")

    # The CLT incorporates (a gate of "CLT formed").
    page.goto(base + "/clts/")
    page.get_by_role("link", name="Brackenford Community Land Trust").click()
    page.goto(page.url + "edit/")
    page.get_by_label("Set-up status").select_option(label="Incorporated")
    page.get_by_label("Registration number", exact=False).fill("RS009999")
    page.get_by_role("button", name="Save").click()

    page.goto(base + "/schemes/?search=Brackenford")
    page.get_by_role("link", name="Brackenford homes").click()
    scheme_url = page.url
    check_axe(page, seen)
    move(page, "CLT formed and incorporated")
    move(page, "Site search")

    # A refused move says what is missing.
    page.get_by_label("Move to").select_option(label="Site secured with the landowner")
    page.get_by_role("button", name="Move the scheme").click()
    assert page.get_by_text("No site is chosen for the scheme").first.is_visible()
    check_axe(page, seen)

    # Add a site and score it.
    page.goto(base + "/sites/new/")
    page.get_by_label("Name (required)").fill("Land behind the village hall")
    page.get_by_label("Parish").select_option(label="Brackenford (Somerset)")
    page.get_by_label("Landowner", exact=True).fill("The Village Hall Trustees")
    page.get_by_label("access and highways", exact=False).fill("4")
    page.get_by_label("planning prospects", exact=False).fill("3")
    page.get_by_label("landowner willingness", exact=False).fill("5")
    page.get_by_label("community support", exact=False).fill("4")
    page.get_by_label("ground and servicing", exact=False).fill("3")
    check_axe(page, seen)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("19 of 25").first.is_visible()

    # Log the landowner talks up to an option.
    page.get_by_role("link", name="Log landowner talks").click()
    page.get_by_label("Date").fill("2026-09-14")
    page.get_by_label("Who we spoke to").fill("Chair of the village hall trustees")
    page.get_by_label("Offer or terms").fill("£9,500 a plot, option for three years")
    page.get_by_label("Negotiation status after this").select_option(label="Option agreed")
    page.get_by_role("button", name="Log it").click()
    assert page.get_by_text("Option agreed (secured)").first.is_visible()
    check_axe(page, seen)

    # Put the site and the homes on the scheme.
    page.goto(scheme_url + "edit/")
    page.get_by_label("Site", exact=True).select_option(label="Land behind the village hall")
    page.get_by_label("Homes social rent", exact=False).fill("4")
    page.get_by_label("Homes shared ownership", exact=False).fill("2")
    page.get_by_role("button", name="Save").click()
    move(page, "Site secured with the landowner")

    # Match an HA: the ranking gives reasons; staff confirm one.
    page.get_by_role("link", name="HA matching").click()
    assert page.get_by_text("Works in Somerset (+3)").first.is_visible()
    check_axe(page, seen)
    page.get_by_label("HA partner").select_option(label="Aster Group")
    page.get_by_role("button", name="Confirm this partner").click()
    move(page, "HA partner matched")
    move(page, "Design and consultation")

    # Run the adviser tender: invite two firms, record their bids, appoint the best.
    page.get_by_role("link", name="Tender for an adviser").click()
    page.get_by_label("Adviser role").select_option(label="Architect")
    page.get_by_label("Title").fill("Architect for Brackenford")
    page.get_by_label("Price weighting (%)").fill("40")
    page.get_by_label("Quantock Rural Architects").check()
    page.get_by_label("Levels and Moor Architecture").check()
    check_axe(page, seen)  # the checkbox group is a fieldset with a legend
    page.get_by_role("button", name="Save").click()
    for firm, price, quality in (
        ("Quantock Rural Architects", "30000", "80"),
        ("Levels and Moor Architecture", "24000", "60"),
    ):
        page.get_by_role("link", name="Record a bid").click()
        page.get_by_label("Firm").select_option(label=firm)
        page.get_by_label("Price (£)").fill(price)
        page.get_by_label("Quality score").fill(quality)
        page.get_by_role("button", name="Save").click()
    # Quantock: 24,000/30,000 × 100 = 80 → 32.00 + 48.00 = 80.00; Levels: 40.00 + 36.00 = 76.00
    first_row = page.get_by_role("row").nth(1)
    assert "Quantock Rural Architects" in first_row.inner_text() and "80.00" in first_row.inner_text()
    check_axe(page, seen)
    page.get_by_role("button", name="Appoint Quantock Rural Architects").click()
    assert page.get_by_text("Appointed: Quantock Rural Architects").first.is_visible()

    page.goto(scheme_url)
    move(page, "Planning submitted")
    move(page, "Planning approved")
    move(page, "s106 agreement signed")

    # Record the lease with its buy-back option.
    page.get_by_role("link", name="Record the lease").click()
    page.get_by_label("CLT acquired the freehold on").fill("2027-03-01")
    page.get_by_label("Lease starts on").fill("2027-03-08")
    page.get_by_label("Premium paid by the HA", exact=False).fill("1")
    page.get_by_label("Ground rent a year", exact=False).fill("900")
    page.get_by_label("earliest exercise date", exact=False).fill("2047-03-08")
    page.get_by_label("price basis", exact=False).select_option(label="Fixed formula (a base price indexed each year)")
    page.get_by_label("Fixed formula: base price", exact=False).fill("700000")
    page.get_by_label("Fixed formula: indexation", exact=False).fill("2")
    check_axe(page, seen)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("7 March 2152").first.is_visible()  # 8 March 2027 + 125 years − 1 day
    # On 8 March 2047, 20 years on: 700,000 × 1.02^20 = 700,000 × 1.485947 = £1,040,163.18
    assert page.get_by_text("£1,040,163.18").first.is_visible()
    check_axe(page, seen)

    page.goto(scheme_url)
    move(page, "Freehold acquired and lease granted")
    move(page, "Start on site")
    scheme = Scheme.objects.get(umbrella=umbrella, name="Brackenford homes")
    assert scheme.stage == Stage.START_ON_SITE
    assert scheme.stage_changes.count() == 1 + 10  # the enquiry entry, then ten moves
    sign_out(page)

    # The CLT's volunteer sees every step.
    sign_in_as(page, live_server, volunteer.email, PASSWORD)
    page.goto(scheme_url)
    body = page.content()
    for text in (
        "Start on site",
        "Land behind the village hall",
        "Option agreed",
        "Aster Group",
        "Quantock Rural Architects",
        "Lease terms and buy-back estimate",
    ):
        assert text in body, text
    check_axe(page, seen)
    page.goto(base + "/schemes/")
    assert "Orchard Close" not in page.content()  # another CLT's scheme
    sign_out(page)

    # Aster's team sees it too, with the lease, but not the CLT's other records.
    sign_in_as(page, live_server, "aster-team@fieldgate.test", "fieldgate-demo")
    page.goto(scheme_url)
    assert "Start on site" in page.content() and "Quantock Rural Architects" in page.content()
    page.get_by_role("link", name="Lease terms and buy-back estimate").click()
    assert page.get_by_text("£1,040,163.18").first.is_visible()
    assert page.goto(base + "/sites/").status == 403
    sign_out(page)
    assert len(seen) >= 9
