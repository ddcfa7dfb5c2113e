"""Queued work for accounts. Tasks take ids only and re-check access inside."""

import logging

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, reverse

from accounts import mail
from accounts.access import Access, access_for_user_id, second_check
from accounts.models import Export, ImportJob, Invitation
from accounts.rules import can
from core import documents

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5)
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
    sent = mail.send(
        umbrella_id=invitation.umbrella_id,
        about=f"invitation:{invitation.public_id}",
        subject=f"[Fieldgate] You are invited to join {invitation.umbrella.name}",
        message=render_to_string("accounts/email/invitation.txt", context),
        recipients=[invitation.email],
    )
    if sent:
        return "sent"
    if self.request.retries < self.max_retries and not self.request.is_eager:
        # The members page says it failed meanwhile; the mail server may be back in a while.
        # At most 5 minutes: a delayed task waits unacknowledged in Redis, which hands it to another
        # worker after the visibility timeout (7 minutes), and two would send two invitations.
        raise self.retry(countdown=min(60 * 2**self.request.retries, 300))
    return "not sent"


def _export_access(export: Export, user_id: int | None) -> Access | None:
    """The person who asked, still allowed to read the list (its view's rule for GET)."""
    from accounts.services import export_list_view

    user_id = user_id or export.requested_by_id
    if user_id != export.requested_by_id:
        return None
    access = access_for_user_id(user_id=user_id, umbrella_id=export.umbrella_id)
    if access is None:
        return None
    try:
        view = export_list_view(access=access, export=export)
    except (ValueError, NoReverseMatch, Resolver404):
        return None
    return access if can(access, view.permissions["GET"]) else None


def _export_draw(access: Access, export: Export) -> None:
    from accounts.services import export_write

    export_write(access=access, export=export)


@shared_task(bind=True, name="accounts.render_export", max_retries=documents.MAX_RETRIES, acks_late=True)
def render_export(self, export_id: int, user_id: int | None = None) -> str:
    return documents.render(self, EXPORT, export_id, user_id)


EXPORT = documents.DocumentKind(
    label="export",
    what="The CSV",
    model=Export,
    task=render_export,
    access=_export_access,
    draw=_export_draw,
    select_related=("umbrella",),
    unreachable="The task queue could not be reached, so the export was not made. Try again shortly.",
)


def _import_access(job: ImportJob, user_id: int | None) -> Access | None:
    """The person who uploaded it, still allowed to import that kind of file."""
    from accounts.imports import IMPORTERS

    importer = IMPORTERS.get(job.kind)
    user_id = user_id or job.requested_by_id
    if importer is None or user_id != job.requested_by_id:
        return None
    access = access_for_user_id(user_id=user_id, umbrella_id=job.umbrella_id)
    if access is None or not can(access, importer.rule):
        return None
    second_check(access.umbrella.pk == job.umbrella_id)
    return access


def _import_forget(pk: int) -> None:
    from accounts.services import import_forget_file

    import_forget_file(pk)


def _import_draw(access: Access, job: ImportJob) -> None:
    from accounts.services import import_run

    import_run(access=access, job=job)


@shared_task(bind=True, name="accounts.import_csv", max_retries=documents.MAX_RETRIES, acks_late=True)
def import_csv(self, job_id: int, user_id: int | None = None) -> str:
    return documents.render(self, IMPORT, job_id, user_id)


IMPORT = documents.DocumentKind(
    label="import",
    what="The import",
    model=ImportJob,
    task=import_csv,
    access=_import_access,
    draw=_import_draw,
    select_related=("umbrella",),
    unreachable="The task queue could not be reached, so nothing was imported. Upload the file again shortly.",
    on_failed=_import_forget,
)
