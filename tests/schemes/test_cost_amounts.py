"""Issue 17: the costs list gives a £ amount on every line (staff time at the role's rate in force
on its date), totals of the whole filtered list, filters by scheme, CLT and person, and a CSV with
its amounts and a UTF-8 byte order mark; each scheme's page shows its money to date.

Worked figures (rates: Project manager £50.00 an hour from 1 Jan 2025, £55.50 from 1 Apr 2026;
Director £80.00 from 1 Jun 2026 and none before):

  Orchard Close (Ashby CLT, Aster Group, actual costs capped at £6,000.00):
    31 Mar 2026  Pat, PM, 2.50 h × £50.00 (the old rate, its last day)   = £125.00
     1 Apr 2026  Pat, PM, 2.50 h × £55.50 (the new rate, its first day)  = £138.75
    10 Apr 2026  expense, hall hire, £300.00 before VAT, £60.00 VAT       = £300.00
                                                   Orchard Close costs   = £563.75
  Mill Lane (Burton CLT, Teign Housing, not gone ahead):
     1 May 2026  Sam, PM, 1.25 h × £55.50 = £69.375, to the penny half up = £69.38
     2 May 2026  Sam, Director, 1.00 h, no Director rate until 1 Jun      = nothing (flagged)
                                                   Mill Lane costs       =  £69.38
  All: 5 entries, 2.50 + 2.50 + 1.25 + 1.00 = 7.25 hours,
       £125.00 + £138.75 + £300.00 + £69.38 = £633.13 before VAT, £60.00 VAT, £693.13 in all.

  Orchard Close went ahead (start on site) on 15 Apr 2026; invoice OLD-7 of 1 May 2026 for £100.00
  was raised before Fieldgate. Recoverable: min(£563.75, cap £6,000.00) = £563.75; invoiced
  £100.00; outstanding £563.75 − £100.00 = £463.75.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.access import access_for
from accounts.models import Role
from partnerships.organisations.models import FeeBasis, RoleRate, StaffRole
from partnerships.recoupment import services as statements
from schemes import services as scheme_services
from schemes.models import CostEntry
from schemes.stages import Stage
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    SchemeFactory,
    UmbrellaFactory,
    UserFactory,
    membership,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def costs():
    u = UmbrellaFactory(name="Wessex CLT Project")
    pat = membership(u, Role.STAFF, user=UserFactory(first_name="Pat", last_name="Lee")).user
    sam = membership(u, Role.STAFF, user=UserFactory(first_name="Sam", last_name="Ray")).user
    pm = StaffRole.objects.create(umbrella=u, name="Project manager")
    director = StaffRole.objects.create(umbrella=u, name="Director")
    RoleRate.objects.create(umbrella=u, staff_role=pm, hourly_rate=D("50.00"), effective_from=date(2025, 1, 1))
    RoleRate.objects.create(umbrella=u, staff_role=pm, hourly_rate=D("55.50"), effective_from=date(2026, 4, 1))
    RoleRate.objects.create(umbrella=u, staff_role=director, hourly_rate=D("80.00"), effective_from=date(2026, 6, 1))
    ashby, burton = CLTFactory(umbrella=u, name="Ashby CLT"), CLTFactory(umbrella=u, name="Burton CLT")
    aster = HousingAssociationFactory(umbrella=u, name="Aster Group")
    AgreementFactory(
        housing_association=aster, fee_basis=FeeBasis.ACTUAL_CAPPED, fee_per_home=None, cap_amount=D("6000.00")
    )
    teign = HousingAssociationFactory(umbrella=u, name="Teign Housing")
    AgreementFactory(housing_association=teign)
    orchard = SchemeFactory(clt=ashby, housing_association=aster, name="Orchard Close", stage=Stage.FREEHOLD_AND_LEASE)
    mill = SchemeFactory(clt=burton, housing_association=teign, name="Mill Lane")
    unmatched = SchemeFactory(clt=burton, name="Church Field")

    def time(scheme, on, person, role, hours):
        CostEntry.objects.create(
            umbrella=u, kind="time", clt=scheme.clt, scheme=scheme, on=on, person=person, staff_role=role,
            hours=D(hours), activity="Site meeting",
        )  # fmt: skip

    time(orchard, date(2026, 3, 31), pat, pm, "2.50")
    time(orchard, date(2026, 4, 1), pat, pm, "2.50")
    CostEntry.objects.create(
        umbrella=u, kind="expense", clt=ashby, scheme=orchard, on=date(2026, 4, 10), description="Hall hire",
        amount=D("300.00"), vat=D("60.00"),
    )  # fmt: skip
    time(mill, date(2026, 5, 1), sam, pm, "1.25")
    time(mill, date(2026, 5, 2), sam, director, "1.00")
    access = access_for(user=pat, umbrella_slug=u.slug)
    scheme_services.scheme_advance_stage(
        access=access, scheme=orchard, to_stage=Stage.START_ON_SITE, on=date(2026, 4, 15), note="Start notice"
    )
    statements.earlier_invoice_create(
        access=access, scheme=orchard, reference="OLD-7", invoiced_on=date(2026, 5, 1), amount=D("100.00")
    )
    client = Client()
    client.force_login(pat)
    return {"u": u, "client": client, "pat": pat, "sam": sam, "orchard": orchard, "mill": mill, "burton": burton,
            "unmatched": unmatched, "aster": aster, "teign": teign}  # fmt: skip


def costs_url(c, **query):
    url = reverse("cost_entry_list", kwargs={"umbrella_slug": c["u"].slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(c, **query) -> str:
    response = c["client"].get(costs_url(c, **query))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_every_line_has_its_amount_at_the_rate_of_its_date(costs):
    body = page(costs)
    assert "£50.00/h" in body and "£125.00" in body  # the old rate on its last day
    assert "£55.50/h" in body and "£138.75" in body  # the new rate on its first day
    assert "£69.38" in body  # 1.25 × £55.50 = £69.375, half up
    assert "£300.00" in body and "£60.00" in body  # the expense and its VAT
    assert "none on this date" in body
    assert "1 time entry has no rate for its role on its date" in body


def test_the_totals_are_of_the_whole_filtered_list(costs):
    body = page(costs)
    assert "5 entries as filtered: 7.25 hours; <strong>£633.13</strong> before VAT, £60.00 VAT, £693.13 in all." in body
    body = page(costs, scheme=costs["orchard"].public_id)
    assert "3 entries as filtered: 5.00 hours; <strong>£563.75</strong> before VAT, £60.00 VAT, £623.75 in all." in body
    assert "Mill Lane" not in body.split("<tbody>")[1]
    body = page(costs, clt=costs["burton"].public_id)
    assert "2 entries as filtered: 2.25 hours; <strong>£69.38</strong> before VAT" in body
    body = page(costs, person=costs["sam"].public_id)
    assert "2 entries as filtered" in body and "Orchard Close" not in body.split("<tbody>")[1]
    body = page(costs, person=costs["pat"].public_id, kind="time")
    assert "2 entries as filtered: 5.00 hours; <strong>£263.75</strong> before VAT, £0.00 VAT" in body


def test_a_long_list_totals_every_page_not_just_the_one_shown(costs):
    orchard, pat = costs["orchard"], costs["pat"]
    role = StaffRole.objects.get(umbrella=costs["u"], name="Project manager")
    CostEntry.objects.bulk_create(
        CostEntry(umbrella=costs["u"], kind="time", clt=orchard.clt, scheme=orchard, on=date(2026, 6, 1),
                  person=pat, staff_role=role, hours=D("1.00"))
        for _ in range(60)
    )  # fmt: skip
    body = page(costs)
    # 60 more hours at £55.50 = £3,330.00; £633.13 + £3,330.00 = £3,963.13
    assert "65 entries as filtered: 67.25 hours; <strong>£3,963.13</strong> before VAT" in body
    assert "Total of all 65 entries, every page" in body


def test_the_csv_has_the_amounts_and_a_byte_order_mark(costs):
    response = costs["client"].get(costs_url(costs, format="csv"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by = {(r["Date"], r["Kind"]): r for r in rows}
    assert by[("2026-04-01", "Staff time")]["Rate (£ an hour)"] == "55.50"
    assert by[("2026-04-01", "Staff time")]["Amount before VAT (£)"] == "138.75"
    assert by[("2026-05-01", "Staff time")]["Amount before VAT (£)"] == "69.38"
    assert by[("2026-05-02", "Staff time")]["Amount before VAT (£)"] == "no rate on this date"
    assert by[("2026-04-10", "Expense")]["Amount before VAT (£)"] == "300.00"
    assert by[("2026-04-10", "Expense")]["VAT (£)"] == "60.00"
    assert len(rows) == 5


def test_a_filter_naming_another_umbrellas_scheme_filters_nothing_in(costs, world):
    foreign = world.b.objects["scheme"]
    body = page(costs, scheme=foreign.public_id)
    assert world.b.canary not in body
    assert "5 entries as filtered" in body  # an unknown scheme is not a filter: the whole list


def test_the_scheme_page_shows_its_money_to_date(costs):
    url = reverse("scheme_detail", kwargs={"umbrella_slug": costs["u"].slug, "public_id": costs["orchard"].public_id})
    body = " ".join(costs["client"].get(url).content.decode().split())
    money = body.split('id="money-title"')[1].split("</section>")[0]
    assert "Costs to date</dt><dd>£563.75" in money
    assert "Recoverable</dt><dd>£563.75" in money and "went ahead 15 Apr 2026" in money
    assert "Invoiced</dt><dd>£100.00" in money and "invoice OLD-7 of 1 May 2026" in money
    assert "<strong>£463.75</strong> before VAT, for the next statement to Aster Group" in money

    mill = reverse("scheme_detail", kwargs={"umbrella_slug": costs["u"].slug, "public_id": costs["mill"].public_id})
    body = " ".join(costs["client"].get(mill).content.decode().split())
    assert "Costs to date</dt><dd>£69.38" in body and "has not gone ahead, so its costs are at risk" in body
    assert "No rate for Director on 02 May 2026" in body

    none = reverse(
        "scheme_detail", kwargs={"umbrella_slug": costs["u"].slug, "public_id": costs["unmatched"].public_id}
    )
    body = " ".join(costs["client"].get(none).content.decode().split())
    assert "Costs to date</dt><dd>£0.00" in body and "no HA partner" in body


def test_the_money_agrees_with_the_next_statement(costs):
    access = access_for(user=costs["pat"], umbrella_slug=costs["u"].slug)
    statement, _ = statements.statement_request(
        access=access, housing_association=costs["aster"], period_start=date(2026, 1, 1), period_end=date(2026, 6, 30)
    )
    statement.refresh_from_db()
    assert statement.total_outstanding == D("463.75")


def test_ha_teams_and_volunteers_do_not_see_the_umbrellas_money_on_the_scheme_page(costs):
    orchard = costs["orchard"]
    url = reverse("scheme_detail", kwargs={"umbrella_slug": costs["u"].slug, "public_id": orchard.public_id})
    for role, kw in ((Role.HA_TEAM, {"ha": costs["aster"]}), (Role.CLT_VOLUNTEER, {"clt": orchard.clt})):
        client = Client()
        client.force_login(membership(costs["u"], role, **kw).user)
        body = client.get(url).content.decode()
        assert "Orchard Close" in body and "Money to date" not in body and "563.75" not in body
