"""Stewardship of a live scheme (issue 15.2): the ground-rent ledger with worked figures, payments
and covenant checks, and what is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from schemes.stewardship.ledger import ground_rent_ledger
from schemes.stewardship.models import CovenantCheck, GroundRentPayment
from tests.conftest import client_for

D = Decimal


def test_the_ledger_of_a_lease_with_one_year_in_arrears():
    # A lease from 1 June 2018 at £650 a year for 12 homes, looked at on 2 December 2026:
    # charges fall due on 1 June 2019, 2020, ... 2026: 8 x £650 = £5,200.
    # 7 payments of £650 = £4,550 pay the first seven (oldest first); the 1 June 2026 charge,
    # £650, is in arrears: 29 days left of June + 31 + 31 + 30 + 31 + 30 + 2 = 184 days overdue.
    # £650 / 12 homes = £54.166... = £54.17 a home. The next falls due on 1 June 2027.
    ledger = ground_rent_ledger(
        start_on=date(2018, 6, 1), annual_rent=D("650.00"), homes=12, payments=[D("650.00")] * 7, today=date(2026, 12, 2)
    )  # fmt: skip
    assert [c.due_on for c in ledger.charges] == [date(y, 6, 1) for y in range(2019, 2027)]
    assert ledger.charged == D("5200.00") and ledger.paid == D("4550.00") and ledger.arrears == D("650.00")
    assert ledger.oldest_arrear.due_on == date(2026, 6, 1) and ledger.days_overdue == 184
    assert ledger.per_home == D("54.17")
    assert ledger.next_charge.due_on == date(2027, 6, 1) and ledger.next_charge.paid == D("0.00")
    assert [c.status(date(2026, 12, 2)) for c in ledger.charges][-2:] == ["paid", "in arrears"]


def test_a_part_payment_and_a_payment_ahead():
    # £1,200 a year from 6 January 2025; on 1 March 2027 two charges have fallen due (6 Jan 2026
    # and 6 Jan 2027): £2,400. Paid £1,200 + £700 = £1,900: the first is paid, the second has
    # £700 of £1,200 paid: £500 in arrears, part paid.
    ledger = ground_rent_ledger(
        start_on=date(2025, 1, 6), annual_rent=D("1200.00"), homes=12, payments=[D("1200"), D("700")],
        today=date(2027, 3, 1),
    )  # fmt: skip
    assert ledger.arrears == D("500.00") and ledger.charges[1].status(date(2027, 3, 1)) == "part paid, in arrears"
    # Paid £3,000 by then: £2,400 due, £600 paid ahead, set against the 6 January 2028 charge.
    ahead = ground_rent_ledger(
        start_on=date(2025, 1, 6), annual_rent=D("1200.00"), homes=12, payments=[D("3000")], today=date(2027, 3, 1)
    )
    assert ahead.arrears == D("0.00") and ahead.credit == D("600.00") and ahead.next_charge.paid == D("600.00")


def test_a_peppercorn_and_a_lease_not_yet_started_have_no_charges():
    for start, rent in ((date(2020, 1, 1), D("0")), (None, D("500"))):
        ledger = ground_rent_ledger(start_on=start, annual_rent=rent, homes=8, payments=[], today=date(2026, 1, 1))
        assert ledger.charges == [] and ledger.arrears == D("0.00")


def test_charges_stop_at_the_end_of_the_term():
    ledger = ground_rent_ledger(
        start_on=date(2000, 1, 1), term_years=3, annual_rent=D("100"), homes=1, payments=[], today=date(2026, 1, 1)
    )
    assert len(ledger.charges) == 3 and ledger.next_charge is None and ledger.arrears == D("300")


# --- through the pages ---------------------------------------------------------------------------


def _url(world, name, **kwargs):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs})


def test_the_stewardship_page_shows_the_ledger_with_the_arrear_flagged(world):
    # The world's lease: from 1 April 2025 at £500 a year, one payment of £500 on 2 April 2026.
    scheme = world.a.objects["scheme"]
    page = client_for(world, "ha_team").get(_url(world, "stewardship", public_id=scheme.public_id)).content.decode()
    assert "£500.00 a year" in page and "1 Apr 2026" in page
    today = timezone.localdate()
    due = [date(2025 + n, 4, 1) for n in range(1, 10) if date(2025 + n, 4, 1) <= today]
    arrears = 500 * len(due) - 500
    assert (f"£{arrears:,}.00" in page) if arrears else ("Nothing" in page)
    assert "Record a payment" not in page  # the HA team reads, the CLT and staff record


def test_a_payment_before_the_lease_or_in_the_future_is_refused_and_nothing_is_saved(world):
    scheme = world.a.objects["scheme"]
    url = _url(world, "ground_rent_payment_create", public_id=scheme.public_id)
    volunteer = client_for(world, "volunteer")
    before = GroundRentPayment.objects.count()
    for paid_on, said in (
        ("2025-03-31", "A payment cannot be before the lease starts (1 April 2025)."),
        ((timezone.localdate() + timedelta(days=3)).isoformat(), "A payment cannot be in the future."),
    ):
        response = volunteer.post(url, {"paid_on": paid_on, "amount": "500"})
        assert response.status_code == 400 and said in response.content.decode()
    response = volunteer.post(url, {"paid_on": "2026-01-01", "amount": "-5"})
    assert response.status_code == 400
    assert GroundRentPayment.objects.count() == before
    assert (
        volunteer.post(url, {"paid_on": "2026-01-01", "amount": "120.50", "reference": "Cheque 88"}).status_code == 302
    )
    assert GroundRentPayment.objects.filter(
        lease__scheme=scheme, amount=D("120.50"), recorded_by=world.a.users["volunteer"]
    ).exists()


def test_a_yearly_check_done_with_evidence_makes_the_next(world):
    check = world.a.objects["covenant_check"]
    scheme = world.a.objects["scheme"]
    url = _url(world, "covenant_check_done", public_id=scheme.public_id, check_id=check.public_id)
    staff = client_for(world, "staff")
    response = staff.post(url, {"done_on": "2026-05-03", "evidence": ""})
    assert response.status_code == 400 and "Say what shows it is done" in response.content.decode()
    document = world.a.objects["document"]
    assert staff.post(url, {"done_on": "2026-05-03", "evidence_document": document.pk}).status_code == 302
    check.refresh_from_db()
    assert check.done_on == date(2026, 5, 3) and check.evidence_document == document
    following = CovenantCheck.objects.get(lease=check.lease, done_on__isnull=True, kind=check.kind)
    assert following.due_on == date(2027, 5, 1)
    # Done once: asking again says so.
    response = staff.post(url, {"done_on": "2026-05-04", "evidence": "again"})
    assert response.status_code == 400 and "This check was done on 3 May 2026." in response.content.decode()


def test_another_umbrellas_document_cannot_be_evidence(world):
    check = world.a.objects["covenant_check"]
    url = _url(world, "covenant_check_done", public_id=world.a.objects["scheme"].public_id, check_id=check.public_id)
    response = client_for(world, "staff").post(
        url, {"done_on": "2026-05-03", "evidence_document": world.b.objects["document"].pk}
    )
    assert response.status_code == 400
    check.refresh_from_db()
    assert check.done_on is None


@pytest.mark.parametrize("role", ["ha_team", "other_clt_volunteer"])
def test_who_may_not_record_cannot(world, role):
    url = _url(world, "ground_rent_payment_create", public_id=world.a.objects["scheme"].public_id)
    assert client_for(world, role).post(url, {"paid_on": "2026-01-01", "amount": "1"}).status_code in (403, 404)


def test_a_payment_form_shows_every_problem_at_once_in_plain_words(world):
    url = _url(world, "ground_rent_payment_create", public_id=world.a.objects["scheme"].public_id)
    response = client_for(world, "staff").post(url, {"paid_on": "2010-01-01", "amount": "-3"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "A payment cannot be before the lease starts (1 April 2025)." in text
    assert "Give the amount paid, more than £0." in text and "Ensure this value" not in text
