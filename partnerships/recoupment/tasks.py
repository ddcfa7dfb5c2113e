"""Queued work for recoupment statements: the PDF (through core.documents), the HA team's notice,
and the monthly drafts. Tasks take ids only, rebuild the access of the person who asked and
re-check it. Task names are kept from before the sub-domain moved (queued messages, beat)."""

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import mail
from accounts.access import Access, access_for_user_id, second_check
from accounts.rules import access_that_can
from accounts.selectors import acting_admin_id, ha_team_emails, umbrella_id_list
from core import documents
from partnerships.organisations.selectors import housing_association_list
from partnerships.recoupment.models import Statement, StatementStatus
from partnerships.recoupment.selectors import statement_list


def _access(statement: Statement, user_id: int | None) -> Access | None:
    user_id = user_id or statement.requested_by_id
    access = access_that_can(user_id=user_id, umbrella_id=statement.umbrella_id, rule="partners.manage")
    if access is None:
        return None
    second_check(access.umbrella.pk == statement.housing_association.umbrella_id)
    return access


def _draw(access: Access, statement: Statement) -> None:
    from partnerships.recoupment.services import statement_render

    statement_render(access=access, statement=statement)


@shared_task(bind=True, name="partnerships.tasks.render_statement", max_retries=documents.MAX_RETRIES, acks_late=True)
def render_statement(self, statement_id: int, user_id: int | None = None) -> str:
    return documents.render(self, STATEMENT, statement_id, user_id)


STATEMENT = documents.DocumentKind(
    label="statement",
    what="The PDF",
    model=Statement,
    task=render_statement,
    access=_access,
    draw=_draw,
    select_related=("housing_association", "umbrella"),
    unreachable="The task queue could not be reached, so the statement was not made. Try again shortly.",
)


@shared_task(name="partnerships.tasks.notify_statement_ready")
def notify_statement_ready(statement_id: int, user_id: int | None = None) -> int:
    """Kept for messages queued before statements were shown to HAs only once issued: it sends
    nothing (notify_statement_issued does, on issue)."""
    return 0


@shared_task(name="partnerships.tasks.notify_statement_issued")
def notify_statement_issued(statement_id: int, user_id: int | None = None) -> int:
    """Email the HA team a link (never the file) once staff have issued a statement as an invoice."""
    statement = Statement.objects.select_related("housing_association", "umbrella").get(pk=statement_id)
    access = _access(statement, user_id)
    if statement.status not in (StatementStatus.ISSUED, StatementStatus.PAID) or access is None:
        return 0
    recipients = ha_team_emails(access=access, housing_association_id=statement.housing_association_id)
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse(
        "statement_detail", kwargs={"umbrella_slug": statement.umbrella.slug, "public_id": statement.public_id}
    )
    sent = mail.send(
        umbrella_id=statement.umbrella_id,
        about=f"statement:{statement.public_id}",
        subject=f"[Fieldgate] Invoice {statement.invoice_label} from {statement.umbrella.name}",
        message=(
            f"{statement.umbrella.name} has issued invoice {statement.invoice_label} to "
            f"{statement.housing_association.name}: the recoupment statement {statement.reference} covering "
            f"{statement.period_start.day} {statement.period_start:%B %Y} to {statement.period_end.day} {statement.period_end:%B %Y}.\n\n"
            f"Total due £{statement.total_due:,.2f}, by {statement.due_on.day} {statement.due_on:%B %Y}.\n\n"
            f"Sign in to read and download it:\n{link}\n\n{statement.umbrella.name}\n"
        ),
        recipients=recipients,
    )
    return len(recipients) if sent else 0


@shared_task(name="partnerships.tasks.draft_monthly_statements")
def draft_monthly_statements(today: str | None = None) -> int:
    """On the first of the month: draft last month's statement for every HA with recoverable costs,
    for staff to review before issue. Asked in the name of the umbrella's acting admin."""
    from partnerships.recoupment.calculator import recoupment_calculate
    from partnerships.recoupment.services import statement_request

    day = date.fromisoformat(today) if today else timezone.localdate()
    period_end = day.replace(day=1) - timedelta(days=1)
    period_start = period_end.replace(day=1)
    drafted = 0
    for umbrella_id in umbrella_id_list():
        admin_id = acting_admin_id(umbrella_id=umbrella_id)
        access = access_for_user_id(user_id=admin_id, umbrella_id=umbrella_id) if admin_id else None
        if access is None:
            continue
        for ha in housing_association_list(access=access):
            already = statement_list(access=access, housing_association=ha).filter(
                period_start=period_start, period_end=period_end
            )
            if already.exclude(status=StatementStatus.FAILED).exists():
                continue  # run twice (a restart), it drafts nothing more
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
            except documents.QueueUnavailable:
                continue
            drafted += int(created)
    return drafted
