"""Keyboard only: each role's main journey done with the Tab and Enter keys (and typing).

`tab_to` presses Tab until the focused element is the one wanted, as a keyboard user would; it
fails if it is not reachable within a bounded number of presses."""

import pytest
from django.core.management import call_command

from tests.journeys.test_browser import browser, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.innerText || e.value || e.name || e.id || '').trim() : '' }"
    )


def tab_to(page, text: str, *, limit: int = 80, exact: bool = False) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if (now == text) if exact else (text.lower() in now.lower()):
            return
    raise AssertionError(f"could not reach “{text}” with the Tab key")


def enter(page) -> None:
    """Press Enter on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focus_field(page, name: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.name") == name:
            return
    raise AssertionError(f"could not reach the field {name} with the Tab key")


def sign_in_by_keyboard(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    focus_field(page, "login")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("fieldgate-demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/u/**")


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_skip_link_is_the_first_stop(page, live_server, demo):  # noqa: F811
    page.goto(live_server.url + "/accounts/login/")
    page.keyboard.press("Tab")
    assert focused(page) == "Skip to main content"


def test_staff_by_keyboard_open_a_scheme_and_its_tender(page, live_server, demo):  # noqa: F811
    sign_in_by_keyboard(page, live_server, "wessex-staff@fieldgate.test")
    tab_to(page, "Schemes", exact=True)
    enter(page)
    tab_to(page, "Orchard Close, Ashcombe Magna", exact=True)
    enter(page)
    tab_to(page, "Architect for Orchard Close", exact=True)
    enter(page)
    assert page.get_by_text("Appointed: Quantock Rural Architects").first.is_visible()
    tab_to(page, "Sign out", exact=True)
    enter(page)
    assert "/accounts/login/" in page.url


def test_clt_volunteer_by_keyboard_reaches_their_clt(page, live_server, demo):  # noqa: F811
    sign_in_by_keyboard(page, live_server, "ashcombe-volunteer@fieldgate.test")
    tab_to(page, "Ashcombe Magna Community Land Trust: profile")
    enter(page)
    assert "RS008341" in page.content()


def test_ha_team_by_keyboard_reaches_a_lease_and_its_buy_back_estimate(page, live_server, demo):  # noqa: F811
    sign_in_by_keyboard(page, live_server, "aster-team@fieldgate.test")
    tab_to(page, "Orchard Close, Ashcombe Magna", exact=True)
    enter(page)
    tab_to(page, "Lease terms and buy-back estimate", exact=True)
    enter(page)
    assert page.get_by_text("Estimated buy-back price").first.is_visible()
