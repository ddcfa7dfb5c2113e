"""The reminders email, each morning, and the sweep of stale documents, every two minutes
(config.settings CELERY_BEAT_SCHEDULE)."""

import logging
from datetime import date

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import mail
from accounts.access import access_for_user_id
from accounts.models import Membership, ReminderSent
from accounts.selectors import umbrellas_held_back_for_mfa
from home.reminders import due_for, sends_today

log = logging.getLogger(__name__)


@shared_task(name="home.send_reminders")
def send_reminders(today: str | None = None) -> int:
    """One email per person and umbrella with what is due and not yet reminded; how many were sent.
    The items are recorded in the transaction that sends, so a failed send is tried again the next
    time and a sent one never twice."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    pairs = (
        Membership.objects.active()
        .filter(user__is_active=True)
        .values_list("user_id", "umbrella_id", "user__reminder_frequency")
        .distinct()
        .order_by("user_id", "umbrella_id")
    )
    sent = 0
    for user_id, umbrella_id, frequency in pairs:
        if sends_today(frequency, day) and _remind(user_id, umbrella_id, day):
            sent += 1
    return sent


def _remind(user_id: int, umbrella_id: int, day: date) -> bool:
    access = access_for_user_id(user_id=user_id, umbrella_id=umbrella_id)  # the memberships as they are now
    if access is None or umbrellas_held_back_for_mfa(user=access.user).filter(pk=umbrella_id).exists():
        return False  # the umbrella asks them for two-factor first, as its pages do
    items = due_for(access=access, today=day)
    if not items:
        return False
    about = f"reminders:{user_id}"  # the next email that goes clears it
    try:
        with transaction.atomic():
            sent = _remind_once(access, items, user_id, umbrella_id, day)
    except mail.EmailNotSent as error:  # nothing is marked reminded: tomorrow's email tries again
        mail.record_failure(
            umbrella_id=umbrella_id, about=about, subject="Reminders", recipients=[access.user.email], error=str(error)
        )
        return False
    if sent:
        mail.mark_sent(umbrella_id=umbrella_id, about=about)
    return sent


def _remind_once(access, items, user_id: int, umbrella_id: int, day: date) -> bool:
    """Mark what is fresh as reminded and email it, in the caller's transaction: an email that
    cannot go (EmailNotSent) rolls the marks back."""
    known = set(
        ReminderSent.objects.filter(umbrella_id=umbrella_id, user_id=user_id, key__in=[i.key for i in items])
        .select_for_update()
        .values_list("key", flat=True)
    )
    fresh = [i for i in items if i.key not in known]
    if not fresh:
        return False
    ReminderSent.objects.bulk_create(
        [ReminderSent(umbrella_id=umbrella_id, user_id=user_id, key=i.key, sent_on=day) for i in fresh],
        ignore_conflicts=False,
    )
    context = {"access": access, "items": fresh, "today": day, "site": settings.SITE_URL,
               "lines": [(i.line(day), settings.SITE_URL + i.path) for i in fresh]}  # fmt: skip
    mail.deliver(
        subject=f"[Fieldgate] {access.umbrella.name}: {len(fresh)} thing{'s' if len(fresh) != 1 else ''} due",
        message=render_to_string("home/email/reminders.txt", context),
        recipients=[access.user.email],
    )
    return True


@shared_task(name="home.revive_stale_documents")
def revive_stale_documents() -> int:
    """Every two minutes (beat): queue again any statement, case study, nomination list or export
    left unfinished for longer than DOCUMENT_STALE_AFTER_SECONDS (its worker died, or its message
    was lost with Redis). Each is still drawn once (core.documents.render)."""
    import accounts.tasks  # noqa: F401  each kind registers itself on import
    import partnerships.programmes.tasks  # noqa: F401
    import partnerships.recoupment.tasks  # noqa: F401
    import schemes.allocations.tasks  # noqa: F401
    from core import documents

    revived = documents.revive_stale_rows()
    if revived:
        log.warning("Queued %s stale documents again", revived)
    return revived
