"""allauth flows as people meet them: two-factor set-up with recovery codes, password reset,
email verification, and the idle session timeout."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_TOUCHED
from accounts.models import Role
from tests.factories import PASSWORD, UmbrellaFactory, UserFactory, membership
from tests.journeys.test_browser import fresh_totp

pytestmark = pytest.mark.django_db


def test_staff_set_up_totp_get_recovery_codes_and_then_need_a_code_to_sign_in():
    umbrella = UmbrellaFactory(require_mfa_for_staff=True)
    staff = membership(umbrella, Role.STAFF).user
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    home = reverse("umbrella_home", kwargs={"umbrella_slug": umbrella.slug})
    assert client.get(home)["Location"] == reverse("mfa_activate_totp")

    # Adding an authenticator asks for the password again (allauth's reauthentication).
    reauth = client.get(reverse("mfa_activate_totp"))
    assert reauth["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(reauth["Location"], {"password": PASSWORD}).status_code == 302
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page) or re.search(
        r'value="([A-Z2-7]{16,})"', page
    )
    assert secret, "the activation page shows the secret"
    response = client.post(reverse("mfa_activate_totp"), {"code": fresh_totp(secret.group(1))})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(home).status_code == 200

    # A fresh sign-in now stops at the second factor; a recovery code gets through.
    fresh = Client()
    response = fresh.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert fresh.get(home).status_code == 302  # not signed in yet
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes(
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    assert fresh.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert fresh.get(home).status_code == 200


def test_password_reset_by_email():
    user = UserFactory(email="forgetful@example.test")
    membership(UmbrellaFactory(), Role.STAFF, user=user)
    client = Client()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(action, {"password1": "a-brand-new-password", "password2": "a-brand-new-password"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-password")


def test_unverified_email_must_be_verified_before_signing_in():
    user = UserFactory(email="unverified@example.test")
    EmailAddress.objects.filter(user=user).update(verified=False)
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].body.lower()


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _session_ttl(client) -> int:
    """Seconds the session store keeps this client's session: its row in the database (cached_db
    keeps sessions there, with a copy in Redis)."""
    row = Session.objects.get(session_key=_session_key(client))
    return int((row.expire_date - timezone.now()).total_seconds())


def _expire_in(client, seconds: int) -> None:
    """As if the session had last been saved an hour less `seconds` ago: the row expires sooner and
    the copy in Redis goes, so the next request reads the row."""
    key = _session_key(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=seconds))
    caches[settings.SESSION_CACHE_ALIAS].delete(SessionStore.cache_key_prefix + key)


def test_sessions_end_after_an_idle_hour_and_requests_push_the_hour_on(client_as, world):
    """The store keeps a session an hour after it was last saved; a signed-in request saves it
    when the last save is over a minute old (so reading on costs no write per page)."""
    assert settings.SESSION_COOKIE_AGE == 3600 and settings.SESSION_TOUCH_SECONDS == 60
    home = reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})
    client = client_as("staff")
    client.get(home)
    assert 3590 <= _session_ttl(client) <= 3600

    # 50 minutes idle later (as far as the store knows), but saved under a minute ago: not saved again.
    _expire_in(client, 600)
    assert client.get(home).status_code == 200
    assert _session_ttl(client) <= 600

    # Last saved over a minute ago: this request pushes the hour on.
    session = client.session
    session[SESSION_TOUCHED] = int(time.time()) - 61
    session.save()
    _expire_in(client, 600)
    assert client.get(home).status_code == 200
    assert 3590 <= _session_ttl(client) <= 3600
    assert int(time.time()) - client.session[SESSION_TOUCHED] < 5

    # An hour with no save and the session is gone: the next page asks to sign in.
    _expire_in(client, 1)
    time.sleep(1.5)
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
