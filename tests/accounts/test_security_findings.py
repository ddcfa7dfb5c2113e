"""Findings of the outside-in test (issue 18) that each have a test here: 18.7, a milestone import
that told whether an address belonged to someone in another umbrella; 18.8, an umbrella name with
a line break, which made every email using it fail."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import services
from accounts.access import access_for
from accounts.models import Umbrella
from schemes.models import Milestone
from tests.conftest import client_for


def _import(world, owner_email):
    scheme = world.a.objects["scheme"]
    url = reverse("milestone_import", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": scheme.public_id})
    text = f"title,due,kind,owner email\nSurvey,2027-01-01,task,{owner_email}\n"
    return client_for(world, "staff").post(url, {"file": SimpleUploadedFile("m.csv", text.encode(), "text/csv")})


def test_the_milestone_import_says_the_same_of_another_umbrellas_person_and_of_nobody(world):
    before = Milestone.objects.count()
    elsewhere = _import(world, world.b.users["staff"].email)
    nobody = _import(world, "nobody@nowhere.test")
    assert elsewhere.status_code == nobody.status_code == 400
    said = [
        re.findall(r'class="field-error"[^>]*>([^<]*)<', r.content.decode().replace(email, "EMAIL"))
        for r, email in ((elsewhere, world.b.users["staff"].email), (nobody, "nobody@nowhere.test"))
    ]
    assert said[0] == said[1] == ["Line 2, column “owner email”: nobody with EMAIL is in this umbrella."]
    assert Milestone.objects.count() == before


@pytest.mark.parametrize("name", ["Wessex\r\nBcc: everyone@example.test", "Wessex\nProject", "Tab\tbed"])
def test_an_umbrella_name_is_one_line(world, name):
    url = reverse("umbrella_settings", kwargs={"umbrella_slug": world.a.umbrella.slug})
    response = client_for(world, "admin").post(
        url, {"name": name, "require_mfa_for_staff": "", "applicant_retention_months": 24}
    )
    assert response.status_code == 400
    assert "Write it on one line, without line breaks or tabs." in response.content.decode()
    assert Umbrella.objects.get(pk=world.a.umbrella.pk).name == world.a.umbrella.name


@pytest.mark.django_db
def test_the_bootstrap_command_refuses_a_name_on_two_lines(monkeypatch):
    monkeypatch.setenv("FIELDGATE_ADMIN_PASSWORD", "a long and unusual passphrase 42")
    with pytest.raises(CommandError, match="one line"):
        call_command(
            "create_umbrella_admin", "--umbrella", "North\r\nBcc: x@example.test", "--slug", "north",
            "--email", "admin@north.example", "--name", "Sam Carter", "--no-input",
        )  # fmt: skip
    assert not Umbrella.objects.filter(slug="north").exists()


def test_with_a_one_line_name_the_emails_go(world, django_capture_on_commit_callbacks):
    access = access_for(user=world.a.users["admin"], umbrella_slug=world.a.umbrella.slug)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(access=access, email="newcomer@example.test", role="staff")
    assert len(mail.outbox) == 1 and "\n" not in mail.outbox[0].subject


def test_a_csv_import_over_the_upload_cap_is_not_kept_and_says_too_large(world, settings):
    """Issue 18.3, in part: no uploaded file is kept beyond FILE_UPLOAD_MAX_BYTES (not even in a
    temporary file), and the import says it is too large rather than empty."""
    settings.FILE_UPLOAD_MAX_BYTES = 1024
    before = Milestone.objects.count()
    response = _import(world, "x" * 4000 + "@example.test")
    assert response.status_code == 400
    assert "it may be at most 1 KB" in response.content.decode()
    assert Milestone.objects.count() == before


# --- 18.6: the calendar feed follows the umbrella's two-factor rule ----------------------------------


def test_staff_without_two_factor_get_no_feed_or_reminders_of_an_umbrella_that_asks_for_it(world):
    from datetime import date

    from allauth.mfa.models import Authenticator
    from django.test import Client

    from home.tasks import send_reminders

    a = world.a
    staff = a.users["staff"]
    Milestone.objects.create(
        umbrella=a.umbrella, clt=a.objects["clt"], scheme=a.objects["scheme"], title="Staff's own task",
        due_on=date(2026, 8, 30), owner=staff,
    )  # fmt: skip
    feed_url = reverse("calendar_feed", kwargs={"token": staff.calendar_token})
    assert "Staff's own task" in Client().get(feed_url).content.decode()

    Umbrella.objects.filter(pk=a.umbrella.pk).update(require_mfa_for_staff=True)
    feed = Client().get(feed_url).content.decode()
    assert feed.startswith("BEGIN:VCALENDAR") and "Staff's own task" not in feed and "VEVENT" not in feed
    settings_page = client_for(world, "staff").get(reverse("calendar_settings")).content.decode()
    assert "Left out until you set up two-factor authentication:" in settings_page and a.umbrella.name in settings_page
    # The volunteer is not asked for two-factor: their feed is whole.
    volunteer_feed = Client().get(reverse("calendar_feed", kwargs={"token": a.users["volunteer"].calendar_token}))
    assert "Start on site" in volunteer_feed.content.decode()
    # Nor do the reminders tell them what the pages would not.
    type(staff).objects.filter(pk=staff.pk).update(reminder_frequency="daily")
    mail.outbox.clear()
    send_reminders(today="2026-08-28")
    assert [m for m in mail.outbox if m.to == [staff.email]] == []

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert "Staff's own task" in Client().get(feed_url).content.decode()
    send_reminders(today="2026-08-28")
    assert [m for m in mail.outbox if m.to == [staff.email]]


# --- 18.1: the admin signs in through the app's sign-in; one password check per attempt --------------

from django.contrib.auth.hashers import MD5PasswordHasher  # noqa: E402


class CountingMD5(MD5PasswordHasher):
    """The suite's hasher, counting how many times a password is hashed (its check hashes the
    password given, with the stored salt, and compares)."""

    hashed = 0

    def encode(self, password, salt):
        CountingMD5.hashed += 1
        return super().encode(password, salt)


def test_a_wrong_password_a_right_one_and_an_unknown_address_each_cost_one_hash(world, settings):
    from django.contrib.auth import authenticate

    from tests.factories import PASSWORD

    settings.PASSWORD_HASHERS = ["tests.accounts.test_security_findings.CountingMD5"]
    email = world.a.users["staff"].email
    costs = {}
    for case, login, password in (
        ("right", email, PASSWORD),
        ("wrong", email, "not-the-password"),
        ("unknown", "nobody@nowhere.test", "not-the-password"),
    ):
        CountingMD5.hashed = 0
        user = authenticate(None, email=login, password=password)
        costs[case] = (CountingMD5.hashed, user is not None)
    # With Django's ModelBackend beside allauth's, a wrong password was hashed twice, a right once.
    assert costs == {"right": (1, True), "wrong": (1, False), "unknown": (1, False)}


def test_the_admin_has_no_sign_in_of_its_own(world, settings):
    from django.test import Client

    from tests.conftest import SECURITY_SUMMARY
    from tests.factories import PASSWORD, UserFactory

    operator = UserFactory(email="operator@example.test", is_staff=True, is_superuser=True)
    login_page = Client().get(reverse("admin:login") + "?next=/admin/")
    assert login_page.status_code == 302
    assert login_page["Location"] == reverse("account_login") + "?next=/admin/"
    # A password posted to the admin's login is not looked at: nobody is signed in.
    client = Client()
    posted = client.post(reverse("admin:login"), {"username": operator.email, "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    # The app's sign-in counts the failures: the 6th in a minute is refused, right password or not.
    attacker = Client(REMOTE_ADDR="203.0.113.80")
    for _ in range(5):
        attacker.post(reverse("account_login") + "?next=/admin/", {"login": operator.email, "password": "guess"})
    sixth = attacker.post(reverse("account_login") + "?next=/admin/", {"login": operator.email, "password": PASSWORD})
    assert "Too many failed login attempts" in sixth.content.decode() and "_auth_user_id" not in attacker.session
    # Signed in the app's way: in, unless two-factor is required (production) and not set up.
    signed_in = Client()
    signed_in.force_login(operator)
    assert signed_in.get("/admin/").status_code == 200
    settings.ADMIN_REQUIRES_TOTP = True
    held = signed_in.get("/admin/", follow=True)
    assert reverse("mfa_activate_totp") in [url for url, _ in held.redirect_chain]
    assert "The admin asks for two-factor authentication" in held.content.decode()
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert signed_in.get("/admin/").status_code == 200
    # Anyone else signed in may not enter.
    assert client_for(world, "admin").get("/admin/", follow=True).status_code == 403
    SECURITY_SUMMARY["admin_sign_in"] = (
        "/admin/login/ sends to the throttled sign-in (a posted password is not checked; the 6th bad one "
        "is refused); one hash for a right, a wrong or an unknown login"
    )


# --- 18.8: an email that cannot be sent says so in the UI --------------------------------------


def _invite(world, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client_for(world, "admin").post(
            reverse("invitation_create", kwargs={"umbrella_slug": world.a.umbrella.slug}),
            {"email": email, "role": "staff"},
        )


def test_a_mail_server_that_does_not_answer_shows_on_the_members_page(
    world, settings, django_capture_on_commit_callbacks
):
    """Real SMTP to a loopback port where nothing listens: the invitation is made, the page says the
    email did not go and why, and a later send that goes clears it."""
    from accounts.models import EmailFailure, Invitation
    from accounts.tasks import send_invitation_email
    from tests.services import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    response = _invite(world, "unlucky@example.test", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get(umbrella=world.a.umbrella, email="unlucky@example.test")
    failure = EmailFailure.objects.get(umbrella=world.a.umbrella, about=f"invitation:{invitation.public_id}")
    assert "ConnectionRefusedError" in failure.error and failure.recipients == 1

    page = client_for(world, "staff").get(reverse("member_list", kwargs={"umbrella_slug": world.a.umbrella.slug}))
    body = page.content.decode()
    assert "The email could not be sent:" in body and "ConnectionRefusedError" in body
    assert "Emails that could not be sent" in body and "You are invited to join" in body
    # Tenant B's staff see none of it.
    b_page = client_for_b(world).get(reverse("member_list", kwargs={"umbrella_slug": world.b.umbrella.slug}))
    assert "unlucky@example.test" not in b_page.content.decode()
    assert "Emails that could not be sent" not in b_page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_invitation_email.apply(args=[invitation.pk]).get() == "sent"
    failure.refresh_from_db()
    assert failure.sent_at is not None
    body = client_for(world, "staff").get(reverse("member_list", kwargs={"umbrella_slug": world.a.umbrella.slug}))
    assert "Emails that could not be sent" not in body.content.decode()


def client_for_b(world):
    from django.test import Client

    client = Client()
    client.force_login(world.b.users["staff"])
    return client


def test_a_name_with_a_line_break_already_saved_fails_its_emails_visibly_not_with_a_500(
    world, django_capture_on_commit_callbacks
):
    """A name saved before names were single-line (written here past the form, as old data is):
    the email's header is refused, the invitation is still made and the page says why."""
    from accounts.models import EmailFailure

    Umbrella.objects.filter(pk=world.a.umbrella.pk).update(name="Tenant A\r\nBcc: everyone@example.test")
    mail.outbox.clear()
    response = _invite(world, "newline@example.test", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and mail.outbox == []
    failure = EmailFailure.objects.get(umbrella=world.a.umbrella, sent_at__isnull=True)
    assert "BadHeaderError" in failure.error
    members = reverse("member_list", kwargs={"umbrella_slug": world.a.umbrella.slug})
    assert "BadHeaderError" in client_for(world, "admin").get(members).content.decode()
    # Withdrawn, the invitation's unsent email no longer matters.
    invitation = failure_invitation(world, "newline@example.test")
    withdraw = reverse(
        "invitation_revoke", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": invitation.public_id}
    )
    assert client_for(world, "admin").post(withdraw).status_code == 302
    assert "BadHeaderError" not in client_for(world, "admin").get(members).content.decode()
    assert not EmailFailure.objects.filter(umbrella=world.a.umbrella).exists()


def failure_invitation(world, email):
    from accounts.models import Invitation

    return Invitation.objects.get(umbrella=world.a.umbrella, email=email)


def test_reminders_that_cannot_be_sent_are_recorded_and_not_marked_sent(world, settings):
    from datetime import date

    from accounts.models import EmailFailure, ReminderSent
    from home.tasks import send_reminders
    from tests.services import free_port

    staff = world.a.users["staff"]
    Milestone.objects.create(
        umbrella=world.a.umbrella, clt=world.a.objects["clt"], scheme=world.a.objects["scheme"],
        title="Due soon", due_on=date(2026, 8, 30), owner=staff,
    )  # fmt: skip
    type(staff).objects.filter(pk=staff.pk).update(reminder_frequency="daily")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    send_reminders.apply(kwargs={"today": "2026-08-28"}).get()
    assert EmailFailure.objects.filter(umbrella=world.a.umbrella, about=f"reminders:{staff.pk}").exists()
    assert not ReminderSent.objects.filter(user=staff).exists()  # tomorrow's email tries again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders.apply(kwargs={"today": "2026-08-28"}).get()
    assert ReminderSent.objects.filter(user=staff).exists()
    assert not EmailFailure.objects.filter(umbrella=world.a.umbrella, sent_at__isnull=True).exists()
