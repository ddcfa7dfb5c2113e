"""Sending the app's emails so that one that fails says so in the UI (accounts.EmailFailure),
never only in a worker's log: a bad header, a mail server that refuses or is away.

Every task that emails calls `send`, which returns whether it went. `about` names what the email
is for ("invitation:<public id>"): the page of that thing shows the failure, and a later send for
it that goes marks the failure sent."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from accounts.models import EmailFailure

log = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The email could not be handed to the mail server; the message says why."""


def deliver(*, subject: str, message: str, recipients: list[str]) -> None:
    """Hand the email to the mail server, or raise EmailNotSent (a header with a line break, an
    address the server refuses, a server that does not answer)."""
    try:
        send_mail(subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; BadHeaderError is a ValueError
        raise EmailNotSent(f"{type(error).__name__}: {error}"[:500]) from error


def record_failure(*, umbrella_id: int, about: str, subject: str, recipients: list[str], error: str) -> None:
    log.warning("Email about %s in umbrella %s not sent: %s", about, umbrella_id, error)
    updated = EmailFailure.objects.filter(umbrella_id=umbrella_id, about=about, sent_at__isnull=True).first()
    if updated is not None:
        EmailFailure.objects.filter(pk=updated.pk).update(
            error=error, attempts=updated.attempts + 1, subject=subject[:300], updated_at=timezone.now()
        )
        return
    EmailFailure.objects.create(
        umbrella_id=umbrella_id, about=about[:200], subject=subject[:300], recipients=len(recipients), error=error
    )


def mark_sent(*, umbrella_id: int, about: str) -> None:
    EmailFailure.objects.filter(umbrella_id=umbrella_id, about=about, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


def send(*, umbrella_id: int, about: str, subject: str, message: str, recipients: list[str]) -> bool:
    """Send one email; when it cannot go, record why for the umbrella's staff and return False."""
    try:
        deliver(subject=subject, message=message, recipients=recipients)
    except EmailNotSent as error:
        record_failure(umbrella_id=umbrella_id, about=about, subject=subject, recipients=recipients, error=str(error))
        return False
    mark_sent(umbrella_id=umbrella_id, about=about)
    return True
