"""User journeys in a real browser: Debian's chromium driven by Playwright against live_server.

Each journey signs in as a person would (with a TOTP code for staff), does the role's first job,
runs axe on every page it visits (no serious or critical violations) and signs out.
"""

import base64
import hashlib
import hmac
import os
import struct
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from accounts.models import Umbrella, User
from demo.schemes import DEMO_PASSWORD

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_now(secret: str, at: float | None = None) -> str:
    """RFC 6238, written out here so the test does not lean on the code it checks."""
    key = base64.b32decode(secret)
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


#: A code is typed and checked within this many seconds of being made (the server takes only the
#: current 30-second window).
TOTP_MARGIN = 6


def fresh_totp(secret: str) -> str:
    """The current code, made early enough in its window that the server checks it in the same one:
    near a window's edge this waits for the next (at most TOTP_MARGIN seconds, 1 time in 5)."""
    left = 30 - time.time() % 30
    if left < TOTP_MARGIN:
        time.sleep(left + 0.05)
    return totp_now(secret)


@pytest.fixture(scope="module")
def browser():
    """Playwright's sync API runs an event loop in this thread, so Django must be told the ORM
    calls made here (by the test, not the server) are deliberate. Only for these tests."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    # Generous: a page that answers in a second waits a second; one on a loaded machine is not a failure.
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def check_axe(page, seen: list[str]):
    page.wait_for_load_state("load")
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"axe on {page.url}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)
    seen.append(page.url)


def sign_in(page, live_server, email, axe_seen):
    page.goto(live_server.url + "/accounts/login/")
    check_axe(page, axe_seen)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()  # the header's form posts straight to logout
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()


def test_staff_sign_in_with_two_factor_browse_schemes_and_sign_out(page, live_server, demo):
    Umbrella.objects.filter(slug="wessex").update(require_mfa_for_staff=True)
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    TOTP.activate(staff, TOTP_SECRET)
    seen: list[str] = []

    sign_in(page, live_server, staff.email, seen)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_axe(page, seen)
    page.get_by_label("Code").fill(fresh_totp(TOTP_SECRET))
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url("**/u/wessex/")
    assert page.get_by_role("heading", level=1).inner_text() == "Wessex CLT Project"
    check_axe(page, seen)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schemes").click()
    page.get_by_label("Stage").select_option("start_on_site")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(lambda url: "stage=start_on_site" in url)  # the filtered page, not the one before
    check_axe(page, seen)
    page.get_by_role("link", name="Orchard Close, Ashcombe Magna").click()
    assert "Aster Group" in page.content()
    check_axe(page, seen)
    sign_out(page)
    assert len(seen) >= 5


def test_clt_volunteer_sees_only_their_clt(page, live_server, demo):
    seen: list[str] = []
    sign_in(page, live_server, "ashcombe-volunteer@fieldgate.test", seen)
    page.wait_for_url("**/u/wessex/")
    check_axe(page, seen)
    content = page.content()
    assert "Orchard Close, Ashcombe Magna" in content
    assert "Glebe Field" not in content  # another CLT's scheme
    page.get_by_role("link", name="Ashcombe Magna Community Land Trust").first.click()
    check_axe(page, seen)
    assert "RS008341" in page.content()
    sign_out(page)


def test_ha_team_sees_their_schemes_and_agreement(page, live_server, demo):
    seen: list[str] = []
    sign_in(page, live_server, "aster-team@fieldgate.test", seen)
    page.wait_for_url("**/u/wessex/")
    check_axe(page, seen)
    assert "Orchard Close, Ashcombe Magna" in page.content()
    assert "Chapel Orchard" not in page.content()  # Yarlington's
    page.get_by_role("link", name="Aster Group: agreement and schemes").click()
    check_axe(page, seen)
    assert "£4,500.00 per home" in page.content()
    sign_out(page)


def test_person_in_two_umbrellas_picks_and_switches(page, live_server, demo):
    seen: list[str] = []
    sign_in(page, live_server, "consultant@fieldgate.test", seen)
    page.wait_for_url("**/umbrellas/")
    check_axe(page, seen)
    page.get_by_role("link", name="South Essex Housing Partnership").click()
    page.wait_for_url("**/u/south-essex/")
    page.get_by_text("Switch umbrella").click()
    page.get_by_role("navigation", name="Switch umbrella").get_by_role("link", name="Wessex CLT Project").click()
    page.wait_for_url("**/u/wessex/")
    check_axe(page, seen)
    sign_out(page)
