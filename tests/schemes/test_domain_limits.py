"""Issue 17, domain limits: at most 24 hours a day (an entry, and a person's entries on one day
added up), no time recorded before it is worked, no future date for what is already done
(registered, incorporated, completed), and at least one bedroom. Each refusal says why on the page
and changes nothing."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from clts.models import CLT
from schemes.models import CostEntry, Milestone
from schemes.stewardship.models import CovenantCheck

pytestmark = pytest.mark.django_db
D = Decimal


def url(world, name, **kw):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kw})


def staff(world) -> Client:
    client = Client()
    client.force_login(world.a.users["staff"])
    return client


def text(response) -> str:
    return html.unescape(" ".join(response.content.decode().split()))


def time_post(world, on, hours, **more):
    return {
        "kind": "time",
        "on": on,
        "scheme": world.a.objects["scheme"].pk,
        "person": world.a.users["staff"].pk,
        "staff_role": world.a.objects["staff_role"].pk,
        "hours": hours,
        "vat": "0",
        "activity": "Site visit",
        **more,
    }


def test_an_entry_is_at_most_24_hours(world):
    before = CostEntry.objects.count()
    response = staff(world).post(url(world, "cost_entry_create"), time_post(world, "2026-06-01", "24.5"))
    assert response.status_code == 400
    assert "An entry is at most 24 hours, one day: enter longer work a day at a time." in text(response)
    assert CostEntry.objects.count() == before
    response = staff(world).post(url(world, "cost_entry_create"), time_post(world, "2026-06-01", "24"))
    assert response.status_code == 302


def test_a_persons_entries_on_one_day_add_up_to_no_more_than_24_hours(world):
    client = staff(world)
    assert client.post(url(world, "cost_entry_create"), time_post(world, "2026-06-02", "20")).status_code == 302
    first = CostEntry.objects.get(on=date(2026, 6, 2), person=world.a.users["staff"])
    before = (CostEntry.objects.count(), AuditEvent.objects.count())
    response = client.post(url(world, "cost_entry_create"), time_post(world, "2026-06-02", "4.5"))
    assert response.status_code == 400
    name = world.a.users["staff"].display_name
    # 20.00 + 4.50 = 24.50 > 24
    assert (
        f"{name} already has 20.00 hours recorded on 2 Jun 2026; with these 4.50 it would be 24.50, "
        "more than a day has." in text(response)
    )
    assert (CostEntry.objects.count(), AuditEvent.objects.count()) == before
    # The entry itself does not count against its own change: 20 may become 23.
    edit = url(world, "cost_entry_edit", public_id=first.public_id)
    assert client.post(edit, time_post(world, "2026-06-02", "23")).status_code == 302
    first.refresh_from_db()
    assert first.hours == D("23.00")
    # Another day is another day: 4.5 on 3 June is fine.
    assert client.post(url(world, "cost_entry_create"), time_post(world, "2026-06-03", "4.5")).status_code == 302


def test_time_is_not_recorded_before_it_is_worked(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = CostEntry.objects.count()
    response = staff(world).post(url(world, "cost_entry_create"), time_post(world, tomorrow.isoformat(), "2"))
    assert response.status_code == 400
    assert "Time is recorded once it is worked: give today's date or an earlier one." in text(response)
    assert CostEntry.objects.count() == before


def test_a_timesheet_over_a_day_for_one_person_is_refused_by_its_lines(world):
    t = world.a
    email, role, scheme = t.users["staff"].email, t.objects["staff_role"].name, t.objects["scheme"].name
    tomorrow = timezone.localdate() + timedelta(days=1)
    csv = (
        "date,person email,role,hours,activity,scheme\n"
        f"2026-06-10,{email},{role},14,Survey,{scheme}\n"  # line 2
        f"2026-06-11,{email},{role},8,Survey,{scheme}\n"  # line 3: fine
        f"2026-06-10,{email},{role},12,Write-up,{scheme}\n"  # line 4: 14 + 12 = 26 on 10 June
        f"{tomorrow.isoformat()},{email},{role},1,Planning,{scheme}\n"  # line 5: not yet worked
    )
    before = CostEntry.objects.count()
    response = staff(world).post(
        url(world, "timesheet_import"), {"file": SimpleUploadedFile("t.csv", csv.encode(), "text/csv")}
    )
    body = text(response)
    assert response.status_code == 400
    name = t.users["staff"].display_name
    assert (
        f"Lines 2, 4, column “hours”: {name} would have 26.00 hours on 10 Jun 2026 (0.00 recorded already), "
        "more than a day has." in body
    )
    assert f"Line 5, column “date”: {tomorrow:%-d %b %Y} is after today: time is recorded once it is worked." in body
    assert CostEntry.objects.count() == before


def test_a_timesheet_counts_what_is_recorded_already(world):
    t = world.a
    staff(world).post(url(world, "cost_entry_create"), time_post(world, "2026-06-12", "20"))
    csv = (
        "date,person email,role,hours,activity,scheme\n"
        f"2026-06-12,{t.users['staff'].email},{t.objects['staff_role'].name},5,Survey,{t.objects['scheme'].name}\n"
    )
    response = staff(world).post(
        url(world, "timesheet_import"), {"file": SimpleUploadedFile("t.csv", csv.encode(), "text/csv")}
    )
    assert response.status_code == 400
    assert "would have 25.00 hours on 12 Jun 2026 (20.00 recorded already)" in text(response)


def test_a_milestone_cannot_be_done_in_the_future(world):
    milestone = world.a.objects["milestone"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = staff(world).post(
        url(world, "milestone_progress", public_id=milestone.public_id),
        {"due_on": "2026-09-01", "completed_on": tomorrow.isoformat(), "notes": ""},
    )
    assert response.status_code == 400
    assert (
        f"{tomorrow:%-d %b %Y} is after today: give today's date ({timezone.localdate():%-d %b %Y}) or an earlier one."
        in text(response)
    )
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


def test_a_covenant_check_cannot_be_done_in_the_future(world):
    check = world.a.objects["covenant_check"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = staff(world).post(
        url(world, "covenant_check_done", public_id=world.a.objects["scheme"].public_id, check_id=check.public_id),
        {"done_on": tomorrow.isoformat(), "evidence": "Certificate seen"},
    )
    assert response.status_code == 400 and "The date it was done cannot be in the future." in text(response)
    assert CovenantCheck.objects.get(pk=check.pk).done_on is None


def test_a_clt_cannot_be_incorporated_in_the_future(world):
    clt = world.a.objects["clt"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "name": clt.name,
        "legal_form": "cbs",
        "registration_number": "",
        "incorporated_on": tomorrow.isoformat(),
        "parishes": [str(world.a.objects["parish"].public_id)],
        "membership_count": "12",
        "contact_name": "",
        "contact_email": "",
        "setup_status": "active",
    }
    response = staff(world).post(
        reverse("clt_edit", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": clt.public_id}), data
    )
    assert response.status_code == 400 and "is after today" in text(response)
    assert CLT.objects.get(pk=clt.pk).incorporated_on != tomorrow


def test_a_costed_advice_session_keeps_to_the_day_too(world):
    """An advice session costed as a staff role is time like any other: it may not take its giver's
    day past 24 hours, nor be dated after today; changing it counts it once, not twice."""
    from django.core.exceptions import ValidationError

    from accounts.access import access_for
    from clts import services as clt_services
    from clts.models import AdviceSession

    access = access_for(user=world.a.users["staff"], umbrella_slug=world.a.umbrella.slug)
    staff(world).post(url(world, "cost_entry_create"), time_post(world, "2026-06-15", "20"))
    session = {
        "access": access, "clt": world.a.objects["clt"], "topic": "governance", "given_by": world.a.users["staff"],
        "staff_role": world.a.objects["staff_role"],
    }  # fmt: skip
    before = (AdviceSession.objects.count(), CostEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        clt_services.advice_session_create(given_on=date(2026, 6, 15), hours=D("5"), **session)
    assert "already has 20.00 hours recorded on 15 Jun 2026; with these 5.00 it would be 25.00" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        clt_services.advice_session_create(given_on=timezone.localdate() + timedelta(days=1), hours=D("2"), **session)
    assert "Time is recorded once it is worked" in str(refused.value)
    assert (AdviceSession.objects.count(), CostEntry.objects.count()) == before
    made = clt_services.advice_session_create(given_on=date(2026, 6, 15), hours=D("4"), **session)
    # 20 + 4 = 24: a full day. Changing the session to 4 again counts its own 4 hours once.
    clt_services.advice_session_update(advice_session=made, given_on=date(2026, 6, 15), hours=D("4"),
                                       **{k: v for k, v in session.items() if k != "clt"})  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_persons_day_at_once_still_keep_it_to_24_hours():
    """A double click on a 13-hour entry: two saves at once. The second waits for the first to
    finish (the person is held while their day is checked and saved) and is then refused: 13 + 13
    = 26 > 24. Without the hold each would see the other's hours missing and both would save."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, transaction

    from accounts.access import access_for
    from accounts.models import Role
    from partnerships.organisations.models import StaffRole
    from schemes.costs.services import cost_entry_create, hold_time_of
    from schemes.models import CostKind
    from tests.factories import CLTFactory, UmbrellaFactory, membership

    u = UmbrellaFactory()
    person = membership(u, Role.STAFF).user
    access = access_for(user=person, umbrella_slug=u.slug)
    clt, role = CLTFactory(umbrella=u), StaffRole.objects.create(umbrella=u, name="Project manager")
    day = date(2026, 6, 2)

    def entry():
        return CostEntry(umbrella=u, kind=CostKind.TIME, clt=clt, on=day, person=person, staff_role=role,
                         hours=Decimal("13"), description="Site visit")  # fmt: skip

    outcome = {}

    def second_save():
        try:
            cost_entry_create(access=access, entry=entry())
            outcome["saved"] = True
        except ValidationError as error:
            outcome["refused"] = " ".join(error.messages)
        finally:
            connection.close()

    with transaction.atomic():  # the first save, part-way: the person held, its 13 hours written
        hold_time_of([person.pk])
        CostEntry.objects.create(umbrella=u, kind=CostKind.TIME, clt=clt, on=day, person=person, staff_role=role,
                                 hours=Decimal("13"), description="Site visit")  # fmt: skip
        other = threading.Thread(target=second_save)
        other.start()
        other.join(timeout=1.5)
        assert other.is_alive(), "the second save waits while the first holds the person"
    other.join(timeout=30)
    assert outcome == {
        "refused": f"{person.display_name} already has 13.00 hours recorded on 2 Jun 2026; with these 13.00 it "
        "would be 26.00, more than a day has."
    }
    assert CostEntry.objects.filter(person=person, on=day).count() == 1
