"""A real Celery worker on the real Redis (started by the harness) runs our queued work."""

import time

import pytest
from django.core import mail

from accounts import services
from accounts.access import access_for
from accounts.models import Role
from tests.factories import UmbrellaFactory, membership


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_by_the_worker(real_worker):
    umbrella = UmbrellaFactory(name="Worker Test Umbrella")
    admin = membership(umbrella, Role.ADMIN).user
    access = access_for(user=admin, umbrella_slug=umbrella.slug)

    services.invitation_create(access=access, email="queued@example.test", role=Role.STAFF)

    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not send the invitation"
    assert mail.outbox[0].to == ["queued@example.test"]
    assert "Worker Test Umbrella" in mail.outbox[0].subject


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_task_re_checks_access_and_skips_a_revoked_inviter(real_worker):
    """Access is rebuilt inside the task: an inviter revoked before it runs sends nothing.

    The solo worker takes tasks in order, so once the second (valid) email has arrived, the first
    task has run too, and sent nothing.
    """
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Invitation, Membership
    from accounts.tasks import send_invitation_email

    umbrella = UmbrellaFactory()
    revoked = membership(umbrella, Role.ADMIN)
    still_admin = membership(umbrella, Role.ADMIN)
    expires = timezone.now() + timedelta(days=1)
    stale = Invitation.objects.create(
        umbrella=umbrella, email="stale@example.test", role=Role.STAFF, invited_by=revoked.user, expires_at=expires
    )
    fresh = Invitation.objects.create(
        umbrella=umbrella, email="fresh@example.test", role=Role.STAFF, invited_by=still_admin.user, expires_at=expires
    )
    Membership.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())

    send_invitation_email.delay(stale.pk)
    send_invitation_email.delay(fresh.pk)

    assert wait_for(lambda: len(mail.outbox) >= 1)
    assert [m.to for m in mail.outbox] == [["fresh@example.test"]]
