"""Queued work for schemes: nomination-list files, the HA team's notice, and the retention rule.
Tasks take ids only, reload their rows and check them again."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership, Role
from schemes.allocations.models import NOMINATION_IN_PROGRESS, NominationList, NominationStatus

log = logging.getLogger(__name__)
MAX_RETRIES = 3


@shared_task(bind=True, name="schemes.render_nomination_list", max_retries=MAX_RETRIES, acks_late=True)
def render_nomination_list(self, nomination_list_id: int) -> str:
    from schemes.allocations.applicants import nomination_render

    with transaction.atomic():
        nomination_list = (
            NominationList.objects.select_for_update(of=("self",))
            .select_related("scheme", "scheme__clt", "scheme__housing_association", "umbrella", "policy")
            .filter(pk=nomination_list_id)
            .first()
        )
        if nomination_list is None:
            return "gone"
        if nomination_list.status not in NOMINATION_IN_PROGRESS:
            return f"skipped: {nomination_list.status}"  # done already (a redelivered task)
        first_time = not nomination_list.rendered_at
        nomination_list.status = NominationStatus.RENDERING
        nomination_list.attempts += 1
        nomination_list.save(update_fields=["status", "attempts", "updated_at"])
    try:
        nomination_render(nomination_list=nomination_list)
    except Exception as error:
        log.exception("Rendering nomination list %s failed", nomination_list_id)
        if self.request.retries < MAX_RETRIES:
            NominationList.objects.filter(pk=nomination_list_id).update(
                status=NominationStatus.QUEUED, failure_reason=f"Retrying after: {error}"
            )
            raise self.retry(exc=error, countdown=2**self.request.retries * settings.STATEMENT_RETRY_BASE_SECONDS)
        NominationList.objects.filter(pk=nomination_list_id).update(
            status=NominationStatus.FAILED,
            failure_reason=f"The files could not be made after {MAX_RETRIES + 1} tries: {error}",
        )
        return "failed"
    if first_time:
        notify_nomination_list.delay(nomination_list_id)
    return "ready"


@shared_task(name="schemes.notify_nomination_list")
def notify_nomination_list(nomination_list_id: int) -> int:
    """Email the HA team a link (never the names) once a list is issued."""
    nomination_list = NominationList.objects.select_related(
        "scheme", "scheme__clt", "scheme__housing_association", "umbrella"
    ).get(pk=nomination_list_id)
    ha = nomination_list.scheme.housing_association
    if nomination_list.status != NominationStatus.READY or ha is None:
        return 0
    recipients = sorted(
        set(
            Membership.objects.active()
            .filter(umbrella=nomination_list.umbrella, role=Role.HA_TEAM, housing_association=ha)
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse(
        "nomination_detail",
        kwargs={"umbrella_slug": nomination_list.umbrella.slug, "public_id": nomination_list.public_id},
    )
    send_mail(
        subject=f"[Fieldgate] Nomination list {nomination_list.number} for {nomination_list.scheme.name}",
        message=(
            f"{nomination_list.scheme.clt.name} has issued nomination list {nomination_list.number} for "
            f"{nomination_list.scheme.name}.\n\nSign in to read and download it:\n{link}\n\n"
            f"{nomination_list.umbrella.name}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(name="schemes.erase_expired_applicants")
def erase_expired_applicants() -> int:
    """Daily: erase applicants not housed once their umbrella's retention period has passed."""
    from schemes.allocations.applicants import erase_expired

    return erase_expired()
