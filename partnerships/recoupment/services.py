"""Recoupment statements: ask for one, render it (in a task), issue it, mark it paid."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.access import Access
from accounts.records import record_create, record_delete, record_event, require
from core import documents
from core.charts import bar_chart_svg
from core.pdf import SafeURLFetcher, render_pdf, write_private_file
from partnerships.organisations.models import HousingAssociation
from partnerships.recoupment.calculator import recoupment_calculate, recoupment_figures
from partnerships.recoupment.models import IN_PROGRESS, EarlierInvoice, Statement, StatementStatus


def _reference(umbrella, ha: HousingAssociation, period_end: date, version: int) -> str:
    ha_code = "".join(w[0] for w in ha.name.split() if w[:1].isalnum()).upper()[:4] or "HA"
    umbrella_code = umbrella.slug.upper().replace("-", "")[:6]
    return f"{umbrella_code}-{ha_code}-{period_end:%Y%m}-V{version}-{str(timezone.now().timestamp()).replace('.', '')[-5:]}"


def statement_request(
    *,
    access: Access,
    housing_association: HousingAssociation,
    period_start: date,
    period_end: date,
    by_schedule: bool = False,
) -> tuple[Statement, bool]:
    """Ask for a statement. Returns (statement, created). One already queued or rendering for the
    same HA and period is returned instead of a second (the database holds that rule too); if it
    has been unfinished for too long (its worker died) it is queued again first."""
    require(access, "partners.manage")
    if housing_association.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")
    if period_start > period_end:
        raise ValidationError({"period_end": "The period must end after it starts."})
    existing = Statement.objects.filter(
        housing_association=housing_association,
        period_start=period_start,
        period_end=period_end,
        status__in=IN_PROGRESS,
    ).first()
    if existing:
        _revive(existing, user_id=access.user.pk)
        return existing, False
    try:
        with transaction.atomic():
            version = (
                Statement.objects.filter(
                    housing_association=housing_association, period_start=period_start, period_end=period_end
                ).aggregate(v=Max("version"))["v"]
                or 0
            ) + 1
            statement = Statement.objects.create(
                umbrella=access.umbrella,
                housing_association=housing_association,
                period_start=period_start,
                period_end=period_end,
                version=version,
                requested_by=access.user,
                is_draft_by_schedule=by_schedule,
                reference=_reference(access.umbrella, housing_association, period_end, version),
            )
            record_event(
                access=access,
                instance=statement,
                action="requested",
                summary=f"Asked for statement {statement.reference}",
            )
    except IntegrityError:
        # Another request for the same HA and period won the race: return that one.
        existing = Statement.objects.filter(
            housing_association=housing_association,
            period_start=period_start,
            period_end=period_end,
            status__in=IN_PROGRESS,
        ).first()
        if existing:
            return existing, False
        raise
    _enqueue(statement)
    return statement, True


def _enqueue(statement: Statement) -> None:
    """Queue the PDF (core.documents); QueueUnavailable when the queue cannot be reached."""
    from partnerships.recoupment.tasks import STATEMENT

    documents.enqueue(STATEMENT, statement)


def _revive(statement: Statement, *, user_id: int) -> None:
    """Queue again a statement whose worker died, drawn now for the person asking."""
    from partnerships.recoupment.tasks import STATEMENT

    documents.revive(STATEMENT, statement, user_id=user_id)


def statement_retry(*, access: Access, statement: Statement) -> Statement:
    """Try a failed statement again (a new version), or queue again one whose worker died."""
    require(access, "partners.manage")
    if statement.in_progress:
        if not statement.is_stale:
            raise ValidationError("This statement is being made now; wait a moment.")
        _revive(statement, user_id=access.user.pk)
        return statement
    if statement.status != StatementStatus.FAILED:
        raise ValidationError("Only a failed statement can be tried again.")
    fresh, _ = statement_request(
        access=access,
        housing_association=statement.housing_association,
        period_start=statement.period_start,
        period_end=statement.period_end,
    )
    return fresh


def _calculate(access: Access, statement: Statement):
    return recoupment_calculate(
        access=access,
        housing_association=statement.housing_association,
        period_start=statement.period_start,
        period_end=statement.period_end,
        exclude_statement_pk=statement.pk,
    )


def _draw_pdf(*, access: Access, statement: Statement, result, umbrella) -> str:
    """Draw the statement's PDF (a draft, or once issued the invoice) and store it privately."""
    chart = (
        bar_chart_svg(title="Costs by stage", values=result.costs_by_stage, show_title=False)
        if result.costs_by_stage
        else ""
    )
    html = render_to_string(
        "partnerships/statement_pdf.html",
        {
            "statement": statement,
            "r": result,
            "umbrella": umbrella,
            "ha": statement.housing_association,
            "chart_svg": chart,
            "generated_on": timezone.localdate(),
        },
    )
    pdf = render_pdf(html, SafeURLFetcher())
    return write_private_file(
        f"{access.umbrella.pk}/statements/{statement.housing_association.public_id}/{statement.public_id}.pdf", pdf
    )


def statement_render(*, access: Access, statement: Statement) -> Statement:
    """Compute the figures, draw the PDF and store it privately (called by the task)."""
    if statement.is_frozen:
        return statement  # issued statements never change
    result = _calculate(access, statement)
    figures = recoupment_figures(result)
    path = _draw_pdf(access=access, statement=statement, result=result, umbrella=access.umbrella)
    Statement.objects.filter(pk=statement.pk, status=StatementStatus.RENDERING).update(
        status=StatementStatus.READY,
        file_path=path,
        figures=figures,
        failure_reason="",
        total_outstanding=result.total_outstanding,
        total_vat=result.vat,
        total_due=result.total_due,
        rendered_at=timezone.now(),
    )
    statement.refresh_from_db()
    return statement


#: Keys of a cost line that only say how it reads (added after some statements were drawn): a
#: statement drawn before them still bills the same, and may be issued.
_LINE_WORDING = ("who", "role", "what")


def _what_is_billed(figures: dict) -> dict:
    """The figures less their wording (each cost line's who, role and what, and each scheme's
    working): what issuing compares with a fresh calculation, so a statement drawn before the
    wording changed still bills the same and may be issued."""
    schemes = [
        {
            **{k: v for k, v in row.items() if k != "working"},
            "lines": [{k: v for k, v in line.items() if k not in _LINE_WORDING} for line in row.get("lines", [])],
        }
        for row in figures.get("schemes", [])
    ]
    return {**figures, "schemes": schemes}


def _issue_check(access: Access, statement: Statement):
    """(Why the statement cannot be issued as it is, its figures recalculated now or None.)"""
    if statement.status != StatementStatus.READY:
        return [
            f"Only a statement that is ready can be issued; this one is {statement.get_status_display().lower()}."
        ], None
    if statement.total_due is not None and statement.total_due <= 0:
        return ["Nothing is due on this statement, so there is nothing to invoice."], None
    result = _calculate(access, statement)
    if _what_is_billed(recoupment_figures(result)) != _what_is_billed(statement.figures):
        return [
            "The costs, agreement or invoices have changed since this statement was drawn: ask for a fresh "
            "statement, review it, and issue that one."
        ], None
    return [], result


def statement_issue_problems(*, access: Access, statement: Statement) -> list[str]:
    """Why the statement cannot be issued as it is (shown on the page that asks to confirm)."""
    return _issue_check(access, statement)[0]


def statement_issue(*, access: Access, statement: Statement) -> Statement:
    """Issue a reviewed statement as an invoice: it takes the umbrella's next invoice number (under
    a lock, in the transaction that issues it, so numbers run without gaps and are never reused),
    today as its invoice date and tax point, a due date by the agreement's terms, and its PDF is
    redrawn to say so. Its figures must be those that were reviewed; then it is frozen."""
    from accounts.models import Umbrella

    require(access, "partners.manage")
    with transaction.atomic():
        umbrella = Umbrella.objects.select_for_update().get(pk=access.umbrella.pk)
        statement = (
            Statement.objects.select_for_update(of=("self",))
            .select_related("housing_association")
            .get(pk=statement.pk, umbrella=umbrella)
        )
        problems, result = _issue_check(access, statement)
        if problems:
            raise ValidationError(problems)
        today = timezone.localdate()
        terms = result.agreement.invoice_terms_days if result.agreement else 30
        statement.umbrella = umbrella
        statement.invoice_number = umbrella.next_invoice_number
        statement.invoice_date = statement.tax_point = today
        statement.due_on = today + timedelta(days=terms)
        statement.status = StatementStatus.ISSUED
        statement.issued_at = timezone.now()
        statement.issued_by = access.user
        Umbrella.objects.filter(pk=umbrella.pk).update(next_invoice_number=umbrella.next_invoice_number + 1)
        statement.file_path = _draw_pdf(access=access, statement=statement, result=result, umbrella=umbrella)
        statement.save(
            update_fields=[
                "status", "issued_at", "issued_by", "invoice_number", "invoice_date", "tax_point", "due_on",
                "file_path", "updated_at",
            ]
        )  # fmt: skip
        record_event(
            access=access,
            instance=statement,
            action="issued",
            summary=f"Issued {statement.reference} as invoice {statement.invoice_label}",
        )
        transaction.on_commit(lambda: _notify_issued(statement, user_id=access.user.pk))
    return statement


def _notify_issued(statement: Statement, *, user_id: int) -> None:
    """Queue the HA team's email; a queue that cannot be reached is said on the statement's page."""
    from kombu.exceptions import OperationalError

    from accounts import mail
    from partnerships.recoupment.tasks import notify_statement_issued

    try:
        notify_statement_issued.apply_async(args=[statement.pk, user_id], retry=False)
    except OperationalError as error:
        mail.record_failure(
            umbrella_id=statement.umbrella_id,
            about=f"statement:{statement.public_id}",
            subject=f"Invoice {statement.invoice_label}",
            recipients=[],
            error=f"The task queue could not be reached ({error}); tell the HA team yourself.",
        )


def statement_mark_paid(*, access: Access, statement: Statement, paid_on: date) -> Statement:
    require(access, "partners.manage")
    if statement.status != StatementStatus.ISSUED:
        raise ValidationError("Only an issued statement can be marked paid.")
    issued_on = statement.invoice_date or (timezone.localdate(statement.issued_at) if statement.issued_at else None)
    if paid_on > timezone.localdate():
        raise ValidationError("A payment cannot be dated after today: give the date it arrived.")
    if issued_on is not None and paid_on < issued_on:
        raise ValidationError(
            f"It cannot have been paid before it was issued on {issued_on:%-d %b %Y}: give the date the payment arrived."
        )
    statement.status = StatementStatus.PAID
    statement.paid_on = paid_on
    statement.save(update_fields=["status", "paid_on", "updated_at"])
    record_event(
        access=access,
        instance=statement,
        action="paid",
        summary=f"Marked {statement.reference} paid on {paid_on:%d %b %Y}",
    )
    return statement


# --- invoices raised before Fieldgate --------------------------------------------------------


def earlier_invoice_create(
    *, access: Access, scheme, reference: str, invoiced_on: date, amount, note: str = ""
) -> EarlierInvoice:
    """Record an invoice for the umbrella's costs on a scheme that was raised outside Fieldgate, to
    the scheme's HA partner. Every problem is told at once; nothing is saved until all are right."""
    from decimal import Decimal

    require(access, "partners.manage")
    if scheme.umbrella_id != access.umbrella.pk:
        raise PermissionDenied("Not in this umbrella.")
    errors: dict[str, str] = {}
    reference = " ".join((reference or "").split())
    if not reference:
        errors["reference"] = "Give the invoice's reference, as it was sent."
    elif EarlierInvoice.objects.filter(umbrella=access.umbrella, reference__iexact=reference).exists():
        errors["reference"] = f"An earlier invoice {reference} is already recorded."
    if scheme.housing_association_id is None:
        errors["scheme"] = f"{scheme} has no HA partner: an invoice for its costs has nobody it was sent to."
    if invoiced_on is not None and invoiced_on > timezone.localdate():
        errors["invoiced_on"] = "An invoice already raised cannot be dated after today."
    if amount is not None and Decimal(amount) <= 0:
        errors["amount"] = "The amount invoiced must be more than £0.00."
    if errors:
        raise ValidationError(errors)
    invoice = EarlierInvoice(
        umbrella=access.umbrella,
        scheme=scheme,
        housing_association_id=scheme.housing_association_id,
        reference=reference,
        invoiced_on=invoiced_on,
        amount=amount,
        note=note.strip(),
        recorded_by=access.user,
    )
    return record_create(
        access=access, instance=invoice, rule="partners.manage", summary=f"Recorded earlier {invoice} for {scheme}"
    )


def earlier_invoice_delete(*, access: Access, invoice: EarlierInvoice) -> None:
    """Take back an earlier invoice recorded by mistake (statements already issued keep their figures)."""
    record_delete(access=access, instance=invoice, rule="partners.manage")
