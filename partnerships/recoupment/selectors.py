"""Reads of recoupment statements and the money figures of the staff's home page, scoped by the access object."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import Access
from core.pdf import private_path
from partnerships.organisations.models import HousingAssociation
from partnerships.recoupment.calculator import ZERO, rate_table


def statement_list(*, access: Access, housing_association=None, status: str = "") -> QuerySet:
    """Staff see every statement; an HA team sees its own HA's once staff have issued it (never a
    draft, nor one ready for review)."""
    from partnerships.recoupment.models import Statement, StatementStatus

    qs = Statement.objects.filter(umbrella=access.umbrella).select_related(
        "housing_association", "requested_by", "umbrella"
    )
    if access.is_ha_team:
        qs = qs.filter(
            housing_association_id__in=access.ha_ids,
            status__in=[StatementStatus.ISSUED, StatementStatus.PAID],
        )
    elif not access.is_staff:
        return qs.none()
    if housing_association is not None:
        qs = qs.filter(housing_association=housing_association)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period_end", "housing_association__name", "-version", "pk")


def statement_get(*, access: Access, public_id):
    return get_object_or_404(statement_list(access=access), public_id=public_id)


def _rate_in_force(umbrella):
    """The hourly rate of an entry's role on its date, as one CASE over the umbrella's few rates
    (newest first per role, so the first match is the rate in force): a correlated subquery per
    entry costs hundreds of ms over a large umbrella's year of entries."""

    whens = [
        When(staff_role_id=role_id, on__gte=effective_from, then=Value(rate))
        for role_id, rates in rate_table(umbrella).items()
        for effective_from, rate in rates
    ]
    return Case(*whens, default=Value(None), output_field=DecimalField(max_digits=8, decimal_places=2))


@dataclass
class MoneyYear:
    year_start: date
    incurred: Decimal
    at_risk: Decimal
    absorbed: Decimal
    invoiced: Decimal
    recovered: Decimal


def money_this_year(*, access: Access, today: date) -> MoneyYear:
    """This financial year (from 1 April): costs incurred (time at the rate in force on the day,
    expenses before VAT); of those, on schemes not yet gone ahead (at risk: CLT costs before a
    scheme too) and on withdrawn schemes (absorbed); statements issued (invoiced) and paid
    (recovered). Two queries: one pass over the cost entries, one over the statements."""
    from partnerships.recoupment.models import Statement
    from schemes.models import CostEntry, CostKind
    from schemes.stages import PIPELINE, Stage

    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    gone_ahead = PIPELINE[PIPELINE.index(Stage.START_ON_SITE) :]
    cost = Case(
        When(kind=CostKind.TIME, then=F("hours") * _rate_in_force(access.umbrella)),
        When(kind=CostKind.EXPENSE, then=F("amount")),
        output_field=DecimalField(max_digits=16, decimal_places=4),
    )
    costs = CostEntry.objects.filter(umbrella=access.umbrella, on__gte=start, on__lte=today).aggregate(
        incurred=Sum(cost),
        at_risk=Sum(cost, filter=Q(scheme__isnull=True) | ~Q(scheme__stage__in=gone_ahead + [Stage.WITHDRAWN])),
        absorbed=Sum(cost, filter=Q(scheme__stage=Stage.WITHDRAWN)),
    )
    billed = Statement.objects.filter(umbrella=access.umbrella, issued_at__date__gte=start).aggregate(
        invoiced=Sum("total_due", filter=Q(status__in=["issued", "paid"])),
        recovered=Sum("total_due", filter=Q(status="paid")),
    )

    def pounds(value) -> Decimal:
        return (value or ZERO).quantize(Decimal("0.01"))

    return MoneyYear(year_start=start, **{k: pounds(v) for k, v in (costs | billed).items()})


def ha_partners(*, access: Access):
    """Partners with their active schemes and what issued statements leave unpaid (one query:
    a subquery each, rather than joining every scheme and statement to every partner)."""
    from partnerships.recoupment.models import Statement
    from schemes.models import Scheme
    from schemes.stages import Stage

    def per_partner(qs, value):
        return Subquery(
            qs.filter(housing_association=OuterRef("pk"))
            .order_by()
            .values("housing_association")
            .annotate(v=value)
            .values("v")
        )

    return (
        HousingAssociation.objects.filter(umbrella=access.umbrella)
        .annotate(
            active_schemes=Coalesce(
                per_partner(
                    Scheme.objects.filter(umbrella=access.umbrella).exclude(
                        stage__in=[Stage.WITHDRAWN, Stage.OCCUPIED]
                    ),
                    Count("pk"),
                ),
                0,
            ),
            outstanding=Coalesce(
                per_partner(Statement.objects.filter(umbrella=access.umbrella, status="issued"), Sum("total_due")),
                ZERO,
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("name")
    )


def earlier_invoice_list(*, access: Access, housing_association=None, search: str = "") -> QuerySet:
    """Invoices raised outside Fieldgate, recorded by staff (nobody else lists them; a statement
    names those it counts)."""
    from partnerships.recoupment.models import EarlierInvoice

    if not access.is_staff:
        return EarlierInvoice.objects.none()
    qs = EarlierInvoice.objects.filter(umbrella=access.umbrella).select_related(
        "scheme", "scheme__clt", "housing_association", "recorded_by"
    )
    if housing_association is not None:
        qs = qs.filter(housing_association=housing_association)
    if search:
        qs = qs.filter(Q(reference__icontains=search) | Q(scheme__name__icontains=search))
    return qs


def earlier_invoice_get(*, access: Access, public_id):
    return get_object_or_404(earlier_invoice_list(access=access), public_id=public_id)


@dataclass
class SchemeMoney:
    """A scheme's money with its HA partner, to date (today): what the umbrella has spent on it,
    what the agreement makes recoverable, what has been invoiced, and what is still to invoice."""

    costs_to_date: Decimal
    state: str  # "gone_ahead", "at_risk", "absorbed" or "no_partner"
    went_ahead_on: date | None = None
    recoverable: Decimal = ZERO
    working: str = ""
    invoiced: Decimal = ZERO
    invoiced_from: list = field(default_factory=list)  # [calculator.InvoicedBefore]
    outstanding: Decimal = ZERO
    problems: list[str] = field(default_factory=list)


def scheme_money(*, access: Access, scheme, today: date) -> SchemeMoney | None:
    """The money line of the scheme's page: staff only (the umbrella's costs are its own business).
    Figured by the recoupment calculator, so it agrees with the next statement to the penny."""
    from partnerships.recoupment.calculator import recoupment_calculate
    from schemes.costs.selectors import cost_entry_list, cost_entry_totals

    if not access.is_staff:
        return None
    if scheme.housing_association_id is None:
        costs = cost_entry_totals(cost_entry_list(access=access, scheme=scheme, date_to=today))["cost"]
        return SchemeMoney(costs_to_date=costs, state="no_partner")
    result = recoupment_calculate(
        access=access,
        housing_association=scheme.housing_association,
        period_start=today,
        period_end=today,
        only_scheme=scheme,
    )
    row = result.schemes[0]
    return SchemeMoney(
        costs_to_date=row.costs_to_date,
        state=row.state,
        went_ahead_on=row.went_ahead_on,
        recoverable=row.recoverable,
        working=row.working,
        invoiced=row.invoiced_before,
        invoiced_from=row.invoiced_before_from,
        outstanding=row.outstanding,
        problems=list(dict.fromkeys(result.problems)),  # (one line per missing rate, not per entry)
    )


def statements_for_scheme(*, access: Access, scheme) -> list[tuple]:
    """(date, what, amount, state) for each issued statement that billed this scheme (what it made
    outstanding for it, before VAT), and its payment: for the scheme's funding timeline."""
    from partnerships.recoupment.models import StatementStatus

    if scheme.housing_association_id is None:
        return []
    rows = []
    issued = statement_list(access=access, housing_association=scheme.housing_association).filter(
        status__in=[StatementStatus.ISSUED, StatementStatus.PAID]
    )
    for statement in issued:
        issued_on = statement.invoice_date or (
            timezone.localdate(statement.issued_at) if statement.issued_at else statement.period_end
        )
        for row in statement_scheme_rows(statement):
            if row["scheme_id"] == str(scheme.public_id) and (row["outstanding"] or 0) > 0:
                amount, label = row["outstanding"], statement.invoice_label or statement.reference
                rows.append((issued_on, f"Invoice {label} issued", amount, statement.get_status_display()))
                if statement.paid_on:
                    rows.append((statement.paid_on, f"Invoice {label} paid", amount, "paid"))
    return rows


# --- a statement's frozen figures, read back -------------------------------------------------

#: A billed scheme's sums in the figures (recoupment_figures).
SCHEME_MONEY_KEYS = ("costs_to_date", "costs_in_period", "recoverable", "invoiced_before", "outstanding")


def _money(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() and abs(amount) < Decimal("1e12") else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _figures(statement) -> dict:
    return statement.figures if isinstance(statement.figures, dict) else {}


STATEMENT_TOTAL_KEYS = ("costs", "recoverable", "invoiced_before", "outstanding", "vat", "due", "at_risk", "absorbed")


def statement_totals(statement) -> dict:
    """The statement's totals as frozen when drawn, as Decimals (None for one missing or that
    cannot be read); {} when the figures hold none."""
    totals = _figures(statement).get("totals")
    if not isinstance(totals, dict):
        return {}
    return {key: _money(totals.get(key)) for key in STATEMENT_TOTAL_KEYS}


def statement_fee_basis(statement) -> str:
    """How the agreement in force when the statement was drawn worked the fee, in its words."""
    return str(_figures(statement).get("agreement") or "")


def statement_pdf_path(statement) -> Path | None:
    """The statement's drawn PDF in the private folder; None while there is none (not drawn yet,
    failed, or the file gone)."""
    if not statement.file_path:
        return None
    path = private_path(statement.file_path)
    return path if path.is_file() else None


def statement_scheme_rows(statement) -> list[dict]:
    """The schemes a statement bills (those gone ahead), read from the figures frozen on it when
    it was drawn: every key present, sums as Decimals and days as dates, and None for a sum or a
    day the figures lack or cannot be read (figures frozen by an older Fieldgate lack some keys).
    Each row keeps its cost lines (those with a day)."""
    figures = _figures(statement)
    rows = []
    for row in _list(figures.get("schemes")):
        if not isinstance(row, dict) or row.get("state") != "gone_ahead":
            continue
        lines = [
            {
                "on": _day(line.get("on")),
                "who": str(line.get("who") or line.get("role") or ""),
                "what": str(line.get("what") or line.get("text") or ""),
                "hours": _money(line.get("hours")) if line.get("hours") is not None else None,
                "rate": _money(line.get("rate")) if line.get("rate") is not None else None,
                "amount": _money(line.get("amount")),
            }
            for line in _list(row.get("lines"))
            if isinstance(line, dict) and _day(line.get("on"))
        ]
        invoiced_from = [
            {"label": str(i.get("label") or ""), "amount": _money(i.get("amount"))}
            for i in _list(row.get("invoiced_before_from"))
            if isinstance(i, dict)
        ]
        rows.append(
            {
                "scheme_id": row.get("scheme_id") if isinstance(row.get("scheme_id"), str) else None,
                "name": str(row.get("name") or ""),
                "clt": str(row.get("clt") or ""),
                "stage": str(row.get("stage") or ""),
                "went_ahead_on": _day(row.get("went_ahead_on")),
                **{key: _money(row.get(key)) for key in SCHEME_MONEY_KEYS},
                "vat": _money(row["vat"]) if "vat" in row else None,
                "working": str(row.get("working") or ""),
                "invoiced_before_from": invoiced_from,
                "lines": lines,
            }
        )
    return rows
