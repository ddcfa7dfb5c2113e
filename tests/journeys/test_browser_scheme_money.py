"""Issue 16 in a real browser, on the demo: Aster's development team follows Orchard Close's agreed
appraisal and its funding timeline, then makes an API token on their profile page, reads the
scheme through the API with it and revokes it; Wessex staff record the s106 sum as paid. Every
page passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from demo.schemes import DEMO_PASSWORD
from schemes.funding.models import FundingClaim
from tests.journeys.test_browser import browser, check_axe, demo  # noqa: F401 (the browser fixtures)
from tests.journeys.test_browser_lifecycle import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ha_follows_the_appraisal_and_staff_record_a_payment(browser, live_server, demo):  # noqa: F811
    seen: list[str] = []
    ha_context, ha = signed_in(browser, live_server, "aster-team@fieldgate.test", DEMO_PASSWORD)
    ha.goto(live_server.url + "/u/wessex/schemes/?search=Orchard")
    ha.get_by_role("link", name="Orchard Close, Ashcombe Magna").first.click()
    ha.get_by_role("link", name=re.compile(r"^Viability appraisals")).click()
    check_axe(ha, seen)
    ha.get_by_role("link", name="Version 1").click()
    assert ha.get_by_text("Agreed").first.is_visible()
    assert ha.get_by_text("£52,918.19").first.is_visible()
    assert ha.get_by_role("table", name=re.compile("NPV to the HA")).is_visible()
    assert ha.get_by_role("button", name=re.compile("^Agree it")).count() == 0  # staff agree, not the HA
    check_axe(ha, seen)
    ha.go_back()
    ha.go_back()
    ha.get_by_role("link", name=re.compile(r"^Funding timeline")).click()
    assert ha.get_by_text("£432,000.00").first.is_visible()
    assert ha.get_by_role("button", name=re.compile("^Record payment")).count() == 0
    check_axe(ha, seen)

    # The API: a token from the profile page (the person's name at the top), shown once.
    ha.get_by_role("link", name="Priya Lacey").click()
    assert ha.get_by_text("You have no tokens yet.").is_visible()
    check_axe(ha, seen)
    # A second submit while the first is on its way is stopped (a double click makes one token).
    sent = ha.evaluate("""() => {
        const form = document.querySelector("form[data-submit-once]");
        const first = new Event("submit", {cancelable: true}), second = new Event("submit", {cancelable: true});
        form.dispatchEvent(first);
        form.dispatchEvent(second);
        return [first.defaultPrevented, second.defaultPrevented,
                form.querySelector("button[type=submit]").getAttribute("aria-disabled")];
    }""")
    assert sent == [False, True, "true"]
    ha.reload()  # the synthetic submits sent nothing; start afresh
    ha.get_by_label("What it is for").fill("Aster's asset register")
    ha.get_by_label("Works for").select_option(label="A year")
    ha.get_by_role("button", name="Make a token").dblclick()
    secret = ha.get_by_role("textbox", name="Token", exact=True).input_value()
    assert ApiToken.objects.filter(user__email="aster-team@fieldgate.test").count() == 1
    assert secret.startswith("fg_") and ha.get_by_text("it is shown only this once").is_visible()
    last_day = timezone.localdate() + timedelta(days=364)
    assert ha.get_by_text(f"It works until {last_day:%-d %B %Y}.").is_visible()
    check_axe(ha, seen)
    api = live_server.url + "/api/v1/u/wessex/schemes/"
    listed = ha.request.get(api, headers={"Authorization": f"Bearer {secret}"})
    assert listed.status == 200
    [orchard] = [s for s in listed.json()["results"] if s["name"] == "Orchard Close, Ashcombe Magna"]
    detail = ha.request.get(orchard["url"], headers={"Authorization": f"Bearer {secret}"}).json()
    assert detail["agreed_appraisal"]["net_present_value"] == "52918.19"
    ha.goto(live_server.url + "/profile/")
    assert secret not in ha.content()  # never shown again
    ha.get_by_role("button", name="Revoke “Aster's asset register”").click()
    assert ha.get_by_text("Revoked the token “Aster's asset register”: it no longer works.").is_visible()
    assert ha.request.get(api, headers={"Authorization": f"Bearer {secret}"}).status == 401
    ha_context.close()

    staff_context, staff = signed_in(browser, live_server, "wessex-staff@fieldgate.test", DEMO_PASSWORD)
    staff.goto(live_server.url + "/u/wessex/schemes/?search=Orchard")
    staff.get_by_role("link", name="Orchard Close, Ashcombe Magna").first.click()
    staff.get_by_role("link", name=re.compile(r"^Funding timeline")).click()
    staff.get_by_label("Paid on").fill("2025-03-01")  # before it was claimed (24 Mar 2025)
    staff.get_by_role("button", name=re.compile("^Record payment")).click()
    assert staff.get_by_text("It was claimed on 24 Mar 2025: paid on or after that.").is_visible()
    check_axe(staff, seen)
    staff.get_by_label("Paid on").fill("2025-05-02")
    staff.get_by_role("button", name=re.compile("^Record payment")).click()
    assert staff.get_by_text("Recorded the").first.is_visible()
    claim = FundingClaim.objects.get(funding__funder="Somerset Council")
    assert str(claim.paid_on) == "2025-05-02"
    staff_context.close()
    assert len(seen) >= 4
