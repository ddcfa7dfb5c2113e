"""Queued work for schemes' allocations: nomination-list files (through core.documents), the HA
team's notice, and the retention rule. Tasks take ids only, rebuild the access of the person who
asked and re-check it; work the umbrella does by itself (the retention rule's redraw) is done in
the name of its acting admin, as the monthly statement drafts are."""

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import mail
from accounts.access import Access
from accounts.rules import access_that_can
from accounts.selectors import acting_admin_id, ha_team_emails
from core import documents
from schemes.allocations.models import NominationList, NominationStatus

SELECT_RELATED = ("scheme", "scheme__clt", "scheme__housing_association", "umbrella", "policy", "vacancy__home")


def _access(nomination_list: NominationList, user_id: int | None) -> Access | None:
    """The access of whoever asked (the panel member who issued, the person who erased or retried),
    or of the umbrella's acting admin: still able to issue lists for this scheme, and to see this one."""
    from schemes.allocations.selectors import nomination_list_list, require_panel

    user_id = user_id or acting_admin_id(umbrella_id=nomination_list.umbrella_id)
    access = access_that_can(user_id=user_id, umbrella_id=nomination_list.umbrella_id, rule="nominations.issue")
    if access is None:
        return None
    try:
        require_panel(access, nomination_list.scheme)
    except PermissionDenied:
        return None
    if not nomination_list_list(access=access).filter(pk=nomination_list.pk).exists():
        return None
    return access


def _draw(access: Access, nomination_list: NominationList) -> None:
    from schemes.allocations.services import nomination_render

    nomination_render(access=access, nomination_list=nomination_list)


def _after(nomination_list: NominationList, access: Access, first_time: bool) -> None:
    if first_time:  # a redraw after an erasure tells nobody
        notify_nomination_list.delay(nomination_list.pk, access.user.pk)


@shared_task(bind=True, name="schemes.render_nomination_list", max_retries=documents.MAX_RETRIES, acks_late=True)
def render_nomination_list(self, nomination_list_id: int, user_id: int | None = None) -> str:
    return documents.render(self, NOMINATION_LIST, nomination_list_id, user_id)


NOMINATION_LIST = documents.DocumentKind(
    label="nomination list",
    what="The files",
    model=NominationList,
    task=render_nomination_list,
    access=_access,
    draw=_draw,
    after=_after,
    select_related=SELECT_RELATED,
)


@shared_task(name="schemes.notify_nomination_list")
def notify_nomination_list(nomination_list_id: int, user_id: int | None = None) -> int:
    """Email the HA team a link (never the names) once a list is issued."""
    nomination_list = NominationList.objects.select_related(*SELECT_RELATED).get(pk=nomination_list_id)
    ha = nomination_list.scheme.housing_association
    if nomination_list.status != NominationStatus.READY or ha is None:
        return 0
    access = _access(nomination_list, user_id)
    if access is None:
        return 0
    recipients = ha_team_emails(access=access, housing_association_id=ha.pk)
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse(
        "nomination_detail",
        kwargs={"umbrella_slug": nomination_list.umbrella.slug, "public_id": nomination_list.public_id},
    )
    sent = mail.send(
        umbrella_id=nomination_list.umbrella_id,
        about=f"nomination:{nomination_list.public_id}",
        subject=f"[Fieldgate] Nomination list {nomination_list.number} for {nomination_list.scheme.name}",
        message=(
            f"{nomination_list.scheme.clt.name} has issued nomination list {nomination_list.number} for "
            f"{nomination_list.scheme.name}.\n\nSign in to read and download it:\n{link}\n\n"
            f"{nomination_list.umbrella.name}\n"
        ),
        recipients=recipients,
    )
    return len(recipients) if sent else 0


@shared_task(name="schemes.erase_expired_applicants")
def erase_expired_applicants() -> int:
    """Daily: erase applicants not housed once their umbrella's retention period has passed."""
    from schemes.allocations.services import erase_expired

    return erase_expired()
