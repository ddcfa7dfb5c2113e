"""A re-let in a real browser (issue 15.3), on the demo's Chapel Orchard (Kingsmere CLT, let to
Yarlington since 2019): Yarlington's development team records that 2 Chapel Orchard falls vacant
(a date before the current tenancy began is refused first), Kingsmere CLT's allocation panel sees
the ranking for that two-bedroom home and issues the nomination list, and Yarlington lets the
home to the first nominee; the home's history shows both tenancies, the nominee by reference."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from clts.models import CLT
from partnerships.organisations.models import HousingAssociation
from schemes.allocations.models import Applicant, ApplicantStatus
from schemes.relets.models import Let, Vacancy
from tests.factories import PASSWORD, UserFactory, membership
from tests.journeys.test_browser import browser, check_axe, demo, page  # noqa: F401 (the browser fixtures)
from tests.journeys.test_browser_lifecycle import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ha_asks_for_a_nomination_the_panel_issues_it_and_the_ha_lets_the_home(browser, live_server, demo):  # noqa: F811
    from accounts.models import Umbrella

    umbrella = Umbrella.objects.get(slug="wessex")
    yarlington = HousingAssociation.objects.get(umbrella=umbrella, name__startswith="Yarlington")
    kingsmere = CLT.objects.get(umbrella=umbrella, name="Kingsmere CLT")
    membership(umbrella, Role.HA_TEAM, user=UserFactory(email="yarlington-team@example.test"), ha=yarlington)
    membership(
        umbrella, Role.CLT_VOLUNTEER, user=UserFactory(email="kingsmere-panel@example.test"), clt=kingsmere, panel=True
    )
    today = timezone.localdate()
    vacant_from = today - timedelta(days=3)
    seen: list[str] = []

    # Yarlington records the vacancy from the scheme's homes.
    ha_context, ha = signed_in(browser, live_server, "yarlington-team@example.test", PASSWORD)
    ha.goto(live_server.url + "/u/wessex/schemes/?search=Chapel+Orchard")
    ha.get_by_role("link", name="Chapel Orchard, Kingsmere").click()
    ha.get_by_role("link", name="Homes, lets and re-lets").click()
    check_axe(ha, seen)
    row = ha.get_by_role("row").filter(has=ha.get_by_role("rowheader", name="2 Chapel Orchard", exact=True))
    row.get_by_role("link", name="Record it vacant").click()
    ha.get_by_label("Vacant from").fill("2019-06-02")  # the lease began 1 June 2018, the tenancy 24 June 2019
    ha.get_by_role("button", name="Record it and ask for a nomination").click()
    assert ha.get_by_text(
        "The current tenancy began on 24 June 2019: the home falls vacant after that."
    ).first.is_visible()
    check_axe(ha, seen)
    assert not Vacancy.objects.filter(home__name="2 Chapel Orchard").exists()
    ha.get_by_label("Vacant from").fill(vacant_from.isoformat())
    ha.get_by_label("Notes").fill("Tenant moved to Yeovil; void works finish this week.")
    ha.get_by_role("button", name="Record it and ask for a nomination").click()
    assert ha.get_by_text("Recorded 2 Chapel Orchard vacant from").first.is_visible()
    assert ha.get_by_text("Kingsmere CLT has not issued a list for this home yet.").is_visible()
    assert ha.get_by_role("heading", name="Ranking for this home").count() == 0  # the HA sees no applicants
    vacancy_url = ha.url
    check_axe(ha, seen)

    # Kingsmere's panel ranks the households who fit a two-bedroom home and issues the list.
    panel_context, panel = signed_in(browser, live_server, "kingsmere-panel@example.test", PASSWORD)
    panel.get_by_role("link", name="Re-lets").first.click()
    panel.get_by_role("link", name="2 Chapel Orchard").click()
    assert panel.url == vacancy_url
    ranking = panel.get_by_role("table", name="Ranking for 2 Chapel Orchard")
    assert ranking.get_by_role("row").nth(1).get_by_role("link").inner_text() == "Ruth Lovell"  # urgent need
    assert panel.get_by_text("Kieran Bond", exact=False).first.is_visible()  # needs 3 bedrooms: not ranked
    assert panel.get_by_text("Needs 3 bedrooms; 2 Chapel Orchard has 2").first.is_visible()
    check_axe(panel, seen)
    panel.get_by_role("button", name="Agree and issue to Yarlington").click()
    assert panel.get_by_text("Tick to confirm the panel agreed the ranking.").first.is_visible()
    panel.get_by_label("The allocation panel has agreed this ranking").check()
    panel.get_by_role("button", name="Agree and issue to Yarlington").click()
    assert panel.get_by_text("for 2 Chapel Orchard is agreed").first.is_visible()
    panel_context.close()

    # Yarlington sees the issued list and lets the home to the first nominee.
    ha.goto(vacancy_url)
    assert ha.get_by_text("issued").first.is_visible()
    ha.get_by_role("link", name="Record whom the home was let to").click()
    check_axe(ha, seen)
    ruth = Applicant.objects.get(name="Ruth Lovell")
    ha.get_by_label("Let to (from the nomination list)").select_option(label=f"1. {ruth.reference} Ruth Lovell, list 2")
    ha.get_by_label("Tenancy started on").fill(today.isoformat())
    ha.get_by_role("button", name="Record the let").click()
    assert ha.get_by_text(f"2 Chapel Orchard is let to {ruth.reference} from").is_visible()
    history = ha.get_by_role("table", name="Lets of 2 Chapel Orchard, newest first")
    rows = history.get_by_role("row")
    assert rows.count() == 3  # a header and two tenancies
    assert ruth.reference in rows.nth(1).inner_text() and "Ruth Lovell" not in rows.nth(1).inner_text()
    assert "24 Jun 2019" in rows.nth(2).inner_text()
    check_axe(ha, seen)
    ha_context.close()

    ruth.refresh_from_db()
    assert ruth.status == ApplicantStatus.HOUSED
    assert Let.objects.filter(home__name="2 Chapel Orchard").count() == 2
    assert len(seen) >= 6
