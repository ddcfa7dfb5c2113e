"""Issue 17, in a real browser on the demo: Wessex staff ask for Aster Group's recoupment statement
for April to September 2026; it is a DRAFT, and Aster's development team can neither see it in
their list nor open its address. Staff issue it, confirming the invoice number it will take; only
then does Aster's team find it, numbered, with its PDF to download, and an email telling them."""

import re

import pytest
from django.core import mail

from demo.schemes import DEMO_PASSWORD
from partnerships.recoupment.models import Statement, StatementStatus
from tests.journeys.test_browser import browser, check_axe, demo  # noqa: F401 (the browser fixtures)
from tests.journeys.test_browser_lifecycle import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_issue_a_statement_and_the_ha_sees_it_only_after(browser, live_server, demo):  # noqa: F811
    seen: list[str] = []
    staff_context, staff = signed_in(browser, live_server, "wessex-staff@fieldgate.test", DEMO_PASSWORD)
    staff.get_by_role("navigation").get_by_role("link", name="Statements").click()
    check_axe(staff, seen)
    staff.get_by_role("link", name="Ask for a statement").click()
    staff.get_by_label("Housing association").select_option(label="Aster Group")
    staff.get_by_label("Period starts").fill("2026-04-01")
    staff.get_by_label("Period ends").fill("2026-09-30")
    staff.get_by_role("button", name="Make the statement").click()
    staff.wait_for_url(re.compile(r"/statements/[0-9a-f-]{36}/$"))
    statement = Statement.objects.get(housing_association__name="Aster Group", period_end="2026-09-30")
    assert statement.status == StatementStatus.READY and statement.invoice_number is None
    assert staff.get_by_text("DRAFT").first.is_visible()
    check_axe(staff, seen)
    statement_url = staff.url

    # Aster's team: not in their list, and its address answers as if it did not exist.
    ha_context, ha = signed_in(browser, live_server, "aster-team@fieldgate.test", DEMO_PASSWORD)
    ha.get_by_role("navigation").get_by_role("link", name="Statements").click()
    check_axe(ha, seen)
    assert ha.get_by_role("link", name=statement.reference).count() == 0
    assert ha.goto(statement_url).status == 404
    assert ha.request.get(statement_url + "download/").status == 404
    assert not [m for m in mail.outbox if statement.reference in m.body]

    # Staff issue it, confirming the number it takes.
    staff.get_by_role("link", name="Issue to Aster Group…").click()
    check_axe(staff, seen)
    button = staff.get_by_role("button", name=re.compile(r"^Issue it as invoice "))
    number = button.inner_text().removeprefix("Issue it as invoice ")
    button.click()
    staff.wait_for_url(statement_url)
    assert staff.get_by_role("heading", level=1).inner_text().startswith(f"Invoice {number}")
    assert staff.get_by_text("DRAFT").count() == 0
    check_axe(staff, seen)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ISSUED and statement.invoice_label == number

    # Now Aster's team finds it, numbered, and its PDF; and were told by email.
    ha.goto(live_server.url + "/u/wessex/statements/")
    row = ha.get_by_role("row").filter(has=ha.get_by_role("link", name=statement.reference))
    assert number in row.inner_text() and "Issued" in row.inner_text()
    row.get_by_role("link", name=statement.reference).click()
    assert ha.url == statement_url
    assert ha.get_by_role("heading", level=1).inner_text().startswith(f"Invoice {number}")
    check_axe(ha, seen)
    with ha.expect_download() as download:
        ha.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    [email] = [m for m in mail.outbox if number in m.subject or number in m.body]
    assert email.to == ["aster-team@fieldgate.test"]
    staff_context.close()
    ha_context.close()
    assert len(seen) >= 6


def test_long_unbroken_text_wraps_and_never_widens_the_page(browser, live_server, demo):  # noqa: F811
    """A name or note pasted with no spaces (a URL, a reference) wraps inside its cell or line: the
    page is never wider than the screen on a desktop, nor the text wider than a phone's screen."""
    from clts.models import CLT
    from schemes.models import CostEntry, Scheme

    long = "Community-Land-Trust-of-the-Parishes-of-Ashcombe-Magna-and-Ashcombe-Parva-" * 3
    CLT.objects.filter(name="Ashcombe Magna Community Land Trust").update(contact_name=long[:200])
    scheme = Scheme.objects.get(name="Orchard Close, Ashcombe Magna")
    CostEntry.objects.filter(scheme=scheme).update(activity=long[:300])
    for width, height in ((1280, 800), (375, 740)):
        context, tab = signed_in(
            browser,
            live_server,
            "wessex-staff@fieldgate.test",
            DEMO_PASSWORD,
            viewport={"width": width, "height": height},
        )
        for path in ("/u/wessex/costs/", f"/u/wessex/clts/{scheme.clt.public_id}/"):
            tab.goto(live_server.url + path)
            text = tab.get_by_text(long[:40]).first
            assert text.is_visible()
            assert text.bounding_box()["width"] <= width, f"the text on {path} is wider than {width}px"
            if width > 1000:  # (on a phone a wide table makes the page scroll sideways; its text still wraps)
                wider = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert wider <= 0, f"{path} at {width}px is {wider}px wider than the screen"
        context.close()
