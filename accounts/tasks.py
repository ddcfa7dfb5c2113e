"""Queued work for accounts. Tasks take ids only and re-check access inside."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.access import access_for_user_id, second_check
from accounts.models import Invitation
from accounts.rules import can

log = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(self, invitation_id: int) -> str:
    invitation = Invitation.objects.select_related("umbrella", "invited_by", "clt", "housing_association").get(
        pk=invitation_id
    )
    if invitation.status != "pending":
        return f"skipped: invitation is {invitation.status}"
    # The inviter may have lost the right to invite since the click.
    access = access_for_user_id(user_id=invitation.invited_by_id, umbrella_id=invitation.umbrella_id)
    if access is None or not can(access, "members.manage"):
        return "skipped: the inviter may no longer invite"
    second_check(access.umbrella.pk == invitation.umbrella_id)  # the second check, on the path that emails

    from accounts.services import invitation_token

    link = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    context = {"invitation": invitation, "link": link, "valid_days": settings.INVITATION_VALID_DAYS}
    send_mail(
        subject=f"[Fieldgate] You are invited to join {invitation.umbrella.name}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    return "sent"
