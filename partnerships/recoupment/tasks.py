"""Queued work for recoupment statements (task names kept from before the move, for queued messages
and the beat schedule). Tasks take ids only, rebuild access inside and re-check it."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for_user_id, second_check
from accounts.models import Membership, Role
from accounts.rules import can
from partnerships.organisations.models import HousingAssociation
from partnerships.recoupment.models import Statement, StatementStatus

log = logging.getLogger(__name__)
MAX_RETRIES = 3


@shared_task(bind=True, name="partnerships.tasks.render_statement", max_retries=MAX_RETRIES, acks_late=True)
def render_statement(self, statement_id: int) -> str:
    with transaction.atomic():
        statement = (
            Statement.objects.select_for_update()
            .select_related("housing_association", "umbrella")
            .filter(pk=statement_id)
            .first()
        )
        if statement is None:
            return "gone"
        if statement.status not in (StatementStatus.QUEUED, StatementStatus.RENDERING):
            return f"skipped: {statement.status}"  # done already (a redelivered task), or frozen
        statement.status = StatementStatus.RENDERING
        statement.attempts += 1
        statement.save(update_fields=["status", "attempts", "updated_at"])

    access = access_for_user_id(user_id=statement.requested_by_id, umbrella_id=statement.umbrella_id)
    if access is None or not can(access, "partners.manage"):
        _fail(statement, "The person who asked for it no longer has access; ask again.")
        return "refused"
    second_check(access.umbrella.pk == statement.housing_association.umbrella_id)

    from partnerships.recoupment.statements import statement_render

    try:
        statement = statement_render(access=access, statement=statement)
    except Exception as error:
        log.exception("Rendering statement %s failed", statement_id)
        if self.request.retries < MAX_RETRIES:
            Statement.objects.filter(pk=statement_id).update(
                status=StatementStatus.QUEUED, failure_reason=f"Retrying after: {error}"
            )
            raise self.retry(exc=error, countdown=2**self.request.retries * settings.STATEMENT_RETRY_BASE_SECONDS)
        _fail(statement, f"The PDF could not be made after {MAX_RETRIES + 1} tries: {error}")
        return "failed"
    transaction.on_commit(lambda: notify_statement_ready.delay(statement.pk))
    return "ready"


def _fail(statement: Statement, reason: str) -> None:
    Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.FAILED, failure_reason=reason)


@shared_task(name="partnerships.tasks.notify_statement_ready")
def notify_statement_ready(statement_id: int) -> int:
    """Email the HA team a link (never the file) once a statement is ready."""
    statement = Statement.objects.select_related("housing_association", "umbrella").get(pk=statement_id)
    if statement.status != StatementStatus.READY:
        return 0
    recipients = sorted(
        set(
            Membership.objects.active()
            .filter(umbrella=statement.umbrella, role=Role.HA_TEAM, housing_association=statement.housing_association)
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse(
        "statement_detail", kwargs={"umbrella_slug": statement.umbrella.slug, "public_id": statement.public_id}
    )
    send_mail(
        subject=f"[Fieldgate] Recoupment statement {statement.reference} from {statement.umbrella.name}",
        message=(
            f"A recoupment statement for {statement.housing_association.name} covering "
            f"{statement.period_start.day} {statement.period_start:%B %Y} to {statement.period_end.day} {statement.period_end:%B %Y} is ready.\n\n"
            f"Sign in to read and download it:\n{link}\n\n{statement.umbrella.name}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(name="partnerships.tasks.draft_monthly_statements")
def draft_monthly_statements(today: str | None = None) -> int:
    """On the first of the month: draft last month's statement for every HA with recoverable costs,
    for staff to review before issue. Asked in the name of one of the umbrella's admins."""
    from core.documents import QueueUnavailable
    from partnerships.recoupment.calculator import recoupment_calculate
    from partnerships.recoupment.statements import statement_request

    day = date.fromisoformat(today) if today else timezone.localdate()
    period_end = day.replace(day=1) - timedelta(days=1)
    period_start = period_end.replace(day=1)
    drafted = 0
    for ha in HousingAssociation.objects.select_related("umbrella"):
        admin = Membership.objects.active().filter(umbrella=ha.umbrella, role=Role.ADMIN).order_by("created_at").first()
        if admin is None:
            continue
        already = Statement.objects.filter(
            housing_association=ha, period_start=period_start, period_end=period_end
        ).exclude(status=StatementStatus.FAILED)
        if already.exists():
            continue  # run twice (a restart), it drafts nothing more
        access = access_for_user_id(user_id=admin.user_id, umbrella_id=ha.umbrella_id)
        result = recoupment_calculate(
            access=access, housing_association=ha, period_start=period_start, period_end=period_end
        )
        if result.total_outstanding <= 0:
            continue
        try:
            _, created = statement_request(
                access=access,
                housing_association=ha,
                period_start=period_start,
                period_end=period_end,
                by_schedule=True,
            )
        except QueueUnavailable:
            continue
        drafted += int(created)
    return drafted
