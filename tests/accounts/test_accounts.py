"""Accounts: invitations, memberships, two-factor, rate limits, the umbrella switcher."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.access import access_for
from accounts.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD, CLTFactory, UmbrellaFactory, UserFactory, membership
from tests.worlds.world import active_membership_count

pytestmark = pytest.mark.django_db


def admin_access(world):
    return access_for(user=world.a.users["admin"], umbrella_slug=world.a.umbrella.slug)


def invite(world, capture, **fields):
    with capture(execute=True):
        return services.invitation_create(access=admin_access(world), **fields)


def accept_link(message) -> str:
    line = next(line for line in message.body.splitlines() if "/invitations/accept/" in line)
    return line[line.index("/invitations/accept/") :].strip()


# --- invitations ---------------------------------------------------------------------------


def test_invitation_to_a_new_person_creates_account_and_membership(world, django_capture_on_commit_callbacks):
    clt = world.a.objects["clt"]
    invite(
        world, django_capture_on_commit_callbacks, email="Ann.Newcomer@Example.test", role=Role.CLT_VOLUNTEER, clt=clt
    )
    assert len(mail.outbox) == 1
    link = accept_link(mail.outbox[0])

    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert "Set up your account" in page.content.decode()

    response = client.post(
        link,
        {
            "first_name": "Ann",
            "last_name": "Newcomer",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})
    user = User.objects.get(email="ann.newcomer@example.test")
    m = Membership.objects.get(user=user)
    assert (m.role, m.clt_id, m.umbrella_id) == (Role.CLT_VOLUNTEER, clt.pk, world.a.umbrella.pk)
    assert user.emailaddress_set.get().verified
    # Signed in, and lands in the CLT volunteer's home.
    assert client.get(response["Location"]).status_code == 200


def test_invitation_link_is_one_time(world, django_capture_on_commit_callbacks):
    invite(world, django_capture_on_commit_callbacks, email="once@example.test", role=Role.STAFF)
    link = accept_link(mail.outbox[0])
    data = {
        "first_name": "O",
        "last_name": "Nce",
        "password1": "a-long-new-password",
        "password2": "a-long-new-password",
    }
    assert Client().post(link, data).status_code == 302
    again = Client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert Client().post(link, data).status_code == 410
    assert Membership.objects.filter(user__email="once@example.test").count() == 1


def test_expired_invitation_says_so_and_creates_nothing(world, django_capture_on_commit_callbacks):
    invitation = invite(world, django_capture_on_commit_callbacks, email="late@example.test", role=Role.STAFF)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    link = accept_link(mail.outbox[0])
    response = Client().post(
        link,
        {"first_name": "L", "last_name": "Ate", "password1": "a-long-new-password", "password2": "a-long-new-password"},
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.test").exists()


def test_tampered_link_is_a_clear_404():
    response = Client().get(reverse("invitation_accept", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_revoked_invitation_cannot_be_used(world, django_capture_on_commit_callbacks):
    invitation = invite(world, django_capture_on_commit_callbacks, email="withdrawn@example.test", role=Role.STAFF)
    services.invitation_revoke(access=admin_access(world), invitation=invitation)
    response = Client().get(accept_link(mail.outbox[0]))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_bad_password_on_acceptance_re_renders_and_creates_nothing(world, django_capture_on_commit_callbacks):
    invite(world, django_capture_on_commit_callbacks, email="weak@example.test", role=Role.STAFF)
    response = Client().post(
        accept_link(mail.outbox[0]), {"first_name": "W", "last_name": "Eak", "password1": "short", "password2": "other"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "The two passwords differ" in body
    assert not User.objects.filter(email="weak@example.test").exists()


def test_existing_user_accepts_when_signed_in(world, django_capture_on_commit_callbacks):
    person = world.b.users["staff"]  # staff of umbrella B, now invited to A as well
    invite(world, django_capture_on_commit_callbacks, email=person.email, role=Role.STAFF)
    link = accept_link(mail.outbox[0])
    anonymous = Client().get(link)
    assert "Sign in" in anonymous.content.decode()
    client = Client()
    client.force_login(person)
    assert client.post(link).status_code == 302
    assert Membership.objects.active().filter(user=person).count() == 2
    # Now the person belongs to two umbrellas: the root sends them to the picker, which lists both.
    client.session.pop("fieldgate_last_umbrella", None)
    picker = client.get(reverse("umbrella_picker")).content.decode()
    assert world.a.umbrella.name in picker and world.b.umbrella.name in picker


def test_signed_in_as_someone_else_is_told_and_nothing_changes(world, django_capture_on_commit_callbacks):
    invite(world, django_capture_on_commit_callbacks, email="intended@example.test", role=Role.STAFF)
    client = Client()
    client.force_login(world.a.users["staff"])
    response = client.post(accept_link(mail.outbox[0]))
    assert response.status_code == 400
    assert "This invitation is for intended@example.test" in response.content.decode()
    assert not Membership.objects.filter(user__email="intended@example.test").exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"role": Role.CLT_VOLUNTEER}, "Choose the CLT"),
        ({"role": Role.HA_TEAM}, "Choose the housing association"),
        ({"role": Role.STAFF, "is_allocation_panel": True}, "Only CLT volunteers"),
    ],
)
def test_role_and_scope_mismatch_is_refused_with_a_message(world, fields, message):
    client = Client()
    client.force_login(world.a.users["admin"])
    data = {"email": "mismatch@example.test", "role": fields["role"]}
    if fields.get("is_allocation_panel"):
        data["is_allocation_panel"] = "on"
    response = client.post(reverse("invitation_create", kwargs={"umbrella_slug": world.a.umbrella.slug}), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.filter(email="mismatch@example.test").exists()


def test_a_clt_of_another_umbrella_is_not_a_valid_choice(world):
    client = Client()
    client.force_login(world.a.users["admin"])
    foreign_clt = world.b.objects["clt"]
    response = client.post(
        reverse("invitation_create", kwargs={"umbrella_slug": world.a.umbrella.slug}),
        {"email": "probe@example.test", "role": Role.CLT_VOLUNTEER, "clt": foreign_clt.pk},
    )
    assert response.status_code == 400
    assert "That is not one of the choices" in response.content.decode()
    assert not Invitation.objects.filter(email="probe@example.test").exists()


# --- memberships ---------------------------------------------------------------------------


def test_revoking_takes_effect_on_the_next_request(world):
    volunteer = world.a.users["volunteer"]
    client = Client()
    client.force_login(volunteer)
    home = reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})
    assert client.get(home).status_code == 200
    services.membership_revoke(access=admin_access(world), membership=world.a.objects["membership"])
    assert client.get(home).status_code == 404


def test_the_last_admin_cannot_be_removed_or_demoted(world):
    access = admin_access(world)
    own = Membership.objects.get(umbrella=world.a.umbrella, user=world.a.users["admin"])
    with pytest.raises(ValidationError, match="last admin"):
        services.membership_revoke(access=access, membership=own)
    with pytest.raises(ValidationError, match="last admin"):
        services.membership_change(access=access, membership=own, role=Role.STAFF)
    assert Membership.objects.get(pk=own.pk).role == Role.ADMIN


def test_changing_a_role_is_audited(world):
    target = world.a.objects["membership"]
    client = Client()
    client.force_login(world.a.users["admin"])
    url = reverse("membership_edit", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": target.public_id})
    response = client.post(url, {"role": Role.STAFF})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.clt_id, target.is_allocation_panel) == (Role.STAFF, None, False)
    page = client.get(url).content.decode()
    assert "Change history" in page and "clt_volunteer → staff" in page


def test_the_database_refuses_a_role_without_its_scope():
    umbrella = UmbrellaFactory()
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(umbrella=umbrella, user=user, role=Role.CLT_VOLUNTEER)
    clt = CLTFactory(umbrella=umbrella)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(umbrella=umbrella, user=user, role=Role.STAFF, clt=clt)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(umbrella=umbrella, user=user, role=Role.STAFF, is_allocation_panel=True)


def test_one_person_cannot_hold_clashing_roles(world, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="already a member"):
        invite(
            world,
            django_capture_on_commit_callbacks,
            email=world.a.users["staff"].email,
            role=Role.HA_TEAM,
            housing_association=world.a.objects["ha"],
        )


def test_a_volunteer_of_two_clts_sees_both(world):
    umbrella = world.a.umbrella
    person = world.a.users["volunteer"]
    membership(umbrella, Role.CLT_VOLUNTEER, user=person, clt=world.a.objects["other_clt"])
    access = access_for(user=person, umbrella_slug=umbrella.slug)
    assert access.clt_ids == {world.a.objects["clt"].pk, world.a.objects["other_clt"].pk}
    assert access.panel_clt_ids == {world.a.objects["clt"].pk}


# --- two-factor and sign-in --------------------------------------------------------------


def test_umbrella_requiring_two_factor_sends_staff_to_set_it_up(world):
    umbrella = UmbrellaFactory(require_mfa_for_staff=True)
    staff = membership(umbrella, Role.STAFF).user
    volunteer = membership(umbrella, Role.CLT_VOLUNTEER, clt=CLTFactory(umbrella=umbrella)).user
    home = reverse("umbrella_home", kwargs={"umbrella_slug": umbrella.slug})

    client = Client()
    client.force_login(staff)
    response = client.get(home)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(home).status_code == 200

    # Volunteers are not asked (the setting is for admins and staff).
    client.force_login(volunteer)
    assert client.get(home).status_code == 200


def test_new_umbrellas_require_two_factor_by_default():
    from accounts.models import Umbrella

    assert Umbrella(name="x", slug="x").require_mfa_for_staff is True


def test_login_with_wrong_password_says_so(world):
    client = Client()
    response = client.post(reverse("account_login"), {"login": world.a.users["staff"].email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct" in response.content.decode()


def test_sixth_bad_password_in_a_minute_is_refused_but_the_real_user_gets_in_elsewhere(world):
    email = world.a.users["staff"].email
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        body = attacker.post(reverse("account_login"), {"login": email, "password": "guess"}).content.decode()
        assert "not correct" in body
    sixth = attacker.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "Too many failed login attempts" in sixth.content.decode()
    assert "_auth_user_id" not in attacker.session

    real = Client(REMOTE_ADDR="198.51.100.7")
    response = real.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert real.session["_auth_user_id"] == str(world.a.users["staff"].pk)
    from tests.conftest import SECURITY_SUMMARY

    SECURITY_SUMMARY["brute_force"] = (
        "the 6th bad password in a minute was refused; the real user got in from another address"
    )


def test_behind_the_proxy_failed_sign_ins_count_against_the_client_not_the_proxy(world, settings):
    """Issue 18.4: behind docker-compose's reverse proxy every request comes from the proxy's
    address, the client's in X-Forwarded-For (the proxy appends it). Counted per proxy address,
    one person's bad tries locked everyone out; counted per client, only them."""
    from tests.conftest import SECURITY_SUMMARY

    email, url = world.a.users["staff"].email, reverse("account_login")
    proxy = "10.0.0.2"

    def through_proxy(client_ip, forged=""):
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{forged}{client_ip}")

    # Before: no trusted proxy, so the proxy's address is everyone's.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for _ in range(6):
        through_proxy("203.0.113.66").post(url, {"login": "someone-else@example.test", "password": "guess"})
    shared = through_proxy("198.51.100.7").post(url, {"login": email, "password": PASSWORD})
    assert "Too many failed login attempts" in shared.content.decode()

    # Now: one proxy trusted (production's default, TRUSTED_PROXY_COUNT).
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = through_proxy("203.0.113.67")
    for _ in range(5):
        assert "not correct" in attacker.post(url, {"login": email, "password": "guess"}).content.decode()
    # A header the attacker writes himself does not make him someone else: the proxy's hop is last.
    forged = through_proxy("203.0.113.67", forged="198.51.100.99, ")
    assert "Too many failed login attempts" in forged.post(url, {"login": email, "password": "guess"}).content.decode()
    real = through_proxy("198.51.100.7")
    response = real.post(url, {"login": email, "password": PASSWORD})
    assert response.status_code == 302 and real.session["_auth_user_id"] == str(world.a.users["staff"].pk)
    # Fewer hops than proxies (someone reaching gunicorn directly): counted by its peer, never a 500.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    direct = Client(REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert direct.post(url, {"login": email, "password": "guess"}).status_code == 200
    SECURITY_SUMMARY["proxy_throttle"] = (
        "behind one proxy, 6 bad passwords from one client refused that client (a forged header too) "
        "while another signed in; with no trusted proxy the same tries locked everyone out"
    )


def test_open_sign_up_is_closed():
    response = Client().get(reverse("account_signup"))
    assert "Joining Fieldgate is by invitation" in response.content.decode()


def test_root_sends_a_one_umbrella_user_home_and_anonymous_to_login(world):
    assert Client().get("/")["Location"] == reverse("account_login")
    client = Client()
    client.force_login(world.a.users["volunteer"])
    assert client.get("/")["Location"] == reverse("umbrella_home", kwargs={"umbrella_slug": world.a.umbrella.slug})


def test_active_members_count_is_unchanged_by_a_rejected_post(world):
    before = active_membership_count(world.a.umbrella)
    client = Client()
    client.force_login(world.a.users["admin"])
    target = world.a.objects["membership"]
    url = reverse("membership_edit", kwargs={"umbrella_slug": world.a.umbrella.slug, "public_id": target.public_id})
    assert client.post(url, {"role": "nonsense"}).status_code == 400
    assert active_membership_count(world.a.umbrella) == before


def test_create_umbrella_admin_bootstraps_a_deployment(monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from accounts.models import Umbrella

    monkeypatch.setenv("FIELDGATE_ADMIN_PASSWORD", "a-strong-first-password")
    # The name is asked for: cost lines and statements show it, not an email address.
    with pytest.raises(CommandError, match='--name "First Last"'):
        call_command("create_umbrella_admin", umbrella="Northern CLT Hub", email="first@example.test", no_input=True)
    assert not Umbrella.objects.filter(slug="northern-clt-hub").exists()
    call_command(
        "create_umbrella_admin", umbrella="Northern CLT Hub", email="first@example.test", name="  Mary  Ann Evans ",
        no_input=True,
    )  # fmt: skip
    umbrella = Umbrella.objects.get(slug="northern-clt-hub")
    assert umbrella.require_mfa_for_staff is True
    admin = User.objects.get(email="first@example.test")
    assert (admin.first_name, admin.last_name, admin.display_name) == ("Mary Ann", "Evans", "Mary Ann Evans")
    assert admin.check_password("a-strong-first-password")
    assert Membership.objects.get(user=admin).role == Role.ADMIN
    # Again: nothing doubles.
    call_command(
        "create_umbrella_admin", umbrella="Northern CLT Hub", email="first@example.test", name="Mary Ann Evans",
        no_input=True,
    )  # fmt: skip
    assert Membership.objects.filter(user=admin).count() == 1

    monkeypatch.setenv("FIELDGATE_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_umbrella_admin", umbrella="Other", email="x@example.test", name="X Y", no_input=True)
    assert not Umbrella.objects.filter(name="Other").exists()
