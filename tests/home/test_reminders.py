"""Reminders by email (issue 15.5): what is due, for each person in each umbrella, through their
access; daily, weekly or never as they choose; never twice for the same item."""

from datetime import date, timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReminderSent, User
from home.tasks import send_reminders
from tests.conftest import client_for
from tests.worlds.world import CANARY

FRIDAY = date(2026, 8, 28)  # the world's volunteer owns "Start on site", due Tuesday 1 September 2026
MONDAY = date(2026, 8, 31)


def _set(world, frequency, *roles, tenant="a"):
    for role in roles:
        user = getattr(world, tenant).users[role]
        User.objects.filter(pk=user.pk).update(reminder_frequency=frequency)


def _to(email) -> list:
    return [m for m in mail.outbox if m.to == [email]]


def test_a_daily_reminder_names_what_is_due_once_and_never_again(world):
    _set(world, "daily", "volunteer")
    volunteer = world.a.users["volunteer"]
    mail.outbox.clear()
    send_reminders(today=FRIDAY.isoformat())
    sent = _to(volunteer.email)
    assert len(sent) == 1
    body = sent[0].body
    assert "Start on site" in body and "due 1 September 2026" in body
    # The insurance check of the lease the volunteer's CLT holds was due 1 May 2026.
    assert "Covenant check" in body and "overdue since 1 May 2026" in body
    assert CANARY["b"] not in body + sent[0].subject
    # The next morning, and the one after: nothing new, so nothing sent.
    mail.outbox.clear()
    send_reminders(today=(FRIDAY + timedelta(days=1)).isoformat())
    send_reminders(today=(FRIDAY + timedelta(days=2)).isoformat())
    assert _to(volunteer.email) == []
    assert ReminderSent.objects.filter(user=volunteer, umbrella=world.a.umbrella).count() >= 2


def test_a_weekly_reminder_comes_on_monday_and_never_sends_nothing(world):
    _set(world, "weekly", "volunteer")
    _set(world, "never", "staff")
    mail.outbox.clear()
    send_reminders(today=FRIDAY.isoformat())
    assert _to(world.a.users["volunteer"].email) == []
    send_reminders(today=MONDAY.isoformat())
    assert len(_to(world.a.users["volunteer"].email)) == 1
    assert _to(world.a.users["staff"].email) == []


def test_the_option_window_reminds_the_clt_and_staff_but_not_the_ha(world):
    lease = world.a.objects["scheme"].lease
    lease.option_earliest_on = FRIDAY + timedelta(days=100)
    lease.save()
    _set(world, "daily", "volunteer", "staff", "ha_team")
    mail.outbox.clear()
    send_reminders(today=FRIDAY.isoformat())
    for role, reminded in (("volunteer", True), ("staff", True), ("ha_team", False)):
        bodies = " ".join(m.body for m in _to(world.a.users[role].email))
        assert ("Buy-back option window opens" in bodies) is reminded, role


def test_a_revoked_member_is_reminded_of_nothing(world):
    _set(world, "daily", "volunteer")
    world.a.users["volunteer"].memberships.update(revoked_at=timezone.now())
    mail.outbox.clear()
    send_reminders(today=FRIDAY.isoformat())
    assert _to(world.a.users["volunteer"].email) == []


def test_each_person_chooses_how_often(world):
    client = client_for(world, "volunteer")
    url = reverse("reminder_settings")
    assert "On Monday mornings" in client.get(url).content.decode()
    assert client.post(url, {"reminder_frequency": "daily"}).status_code == 302
    assert User.objects.get(pk=world.a.users["volunteer"].pk).reminder_frequency == "daily"
    assert client.post(url, {"reminder_frequency": "hourly"}).status_code == 400
    assert User.objects.get(pk=world.a.users["volunteer"].pk).reminder_frequency == "daily"


def test_the_reminders_page_is_for_people_signed_in(client):
    response = client.get(reverse("reminder_settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_api_token_about_to_stop_working_is_its_persons_reminder(world):
    from tests.api.tokens import token_for

    a = world.a
    _set(world, "daily", "ha_team", "admin")
    person = a.users["ha_team"]
    token_for(person, a.umbrella, name="Asset register", expires_on=FRIDAY + timedelta(days=14))
    token_for(person, a.umbrella, name="Far off", expires_on=FRIDAY + timedelta(days=15))
    token_for(person, a.umbrella, name="Revoked soon", revoked=True, expires_on=FRIDAY + timedelta(days=3))
    token_for(person, a.umbrella, name="Gone already", expires_on=FRIDAY - timedelta(days=1))
    mail.outbox.clear()
    send_reminders(today=FRIDAY.isoformat())
    (sent,) = _to(person.email)
    assert "API token stops working: Asset register (fg_" in sent.body and "works until 11 September 2026" in sent.body
    assert "/profile/" in sent.body
    for other in ("Far off", "Revoked soon", "Gone already"):
        assert other not in sent.body
    assert "Asset register" not in " ".join(m.body for m in _to(a.users["admin"].email))  # only its own person's
    mail.outbox.clear()
    send_reminders(today=(FRIDAY + timedelta(days=1)).isoformat())
    assert "Asset register" not in " ".join(m.body for m in _to(person.email))  # once
