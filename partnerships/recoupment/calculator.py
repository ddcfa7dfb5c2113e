"""The recoupment calculator: what the umbrella may recover from one HA for one period.

For each scheme the HA partners on: the costs incurred on it (staff time at the role's rate in
force on each entry's date, and expenses before VAT), whether it has gone ahead (reached the
stage the collaboration agreement names, on or before the period's end), what the agreement makes
recoverable, what earlier issued statements invoiced, and what is outstanding. Schemes not yet
gone ahead carry costs at risk; withdrawn schemes that never went ahead are absorbed by the
umbrella and never billed. Every figure keeps the rows it came from.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from accounts.access import Access, second_check
from partnerships.organisations.models import (
    AgreementStatus,
    CollaborationAgreement,
    FeeBasis,
    HousingAssociation,
    RoleRate,
)
from partnerships.recoupment.models import EarlierInvoice, Statement, StatementStatus
from schemes.appraisals.calculations import appraise
from schemes.appraisals.models import Appraisal, AppraisalStatus
from schemes.calculations import money, pounds
from schemes.models import CostEntry, CostKind, Scheme, StageChange
from schemes.selectors import first_reached
from schemes.stages import PIPELINE, Stage

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


@dataclass
class CostLine:
    on: date
    kind: str
    text: str
    hours: Decimal | None
    rate: Decimal | None
    amount: Decimal
    stage: str
    entry_id: str
    who: str = ""  # the person, or for an expense whoever recorded it
    role: str = ""  # their staff role, or "Expense"
    what: str = ""  # the activity, or what the expense was for


@dataclass
class SchemeRecoupment:
    scheme: Scheme
    state: str  # "gone_ahead", "at_risk" or "absorbed"
    went_ahead_on: date | None
    lines: list[CostLine] = field(default_factory=list)
    costs_to_date: Decimal = ZERO
    costs_in_period: Decimal = ZERO
    recoverable: Decimal = ZERO
    working: str = ""
    invoiced_before: Decimal = ZERO
    invoiced_before_from: list = field(default_factory=list)  # [InvoicedBefore]
    outstanding: Decimal = ZERO
    vat: Decimal = ZERO  # on the outstanding amount, at the agreement's rate

    @property
    def costs_before_period(self) -> Decimal:
        return self.costs_to_date - self.costs_in_period

    @property
    def costs_by_stage(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            totals[line.stage] += line.amount
        return dict(totals)


@dataclass
class Recoupment:
    housing_association: HousingAssociation
    agreement: CollaborationAgreement | None
    period_start: date
    period_end: date
    schemes: list[SchemeRecoupment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def _of(self, state):
        return [s for s in self.schemes if s.state == state]

    @property
    def gone_ahead(self):
        return self._of("gone_ahead")

    @property
    def at_risk(self):
        return self._of("at_risk")

    @property
    def absorbed(self):
        return self._of("absorbed")

    @property
    def total_costs(self) -> Decimal:
        return sum((s.costs_to_date for s in self.gone_ahead), ZERO)

    @property
    def total_recoverable(self) -> Decimal:
        return sum((s.recoverable for s in self.gone_ahead), ZERO)

    @property
    def total_invoiced_before(self) -> Decimal:
        return sum((s.invoiced_before for s in self.gone_ahead), ZERO)

    @property
    def total_outstanding(self) -> Decimal:
        return sum((s.outstanding for s in self.gone_ahead), ZERO)

    @property
    def total_at_risk(self) -> Decimal:
        return sum((s.costs_to_date for s in self.at_risk), ZERO)

    @property
    def total_absorbed(self) -> Decimal:
        return sum((s.costs_to_date for s in self.absorbed), ZERO)

    @property
    def vat(self) -> Decimal:
        """The sum of each scheme's VAT (an invoice shows VAT per line, rounded to the penny)."""
        return sum((s.vat for s in self.schemes), ZERO)

    @property
    def total_due(self) -> Decimal:
        return self.total_outstanding + self.vat

    @property
    def costs_by_stage(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for s in self.schemes:
            for stage, amount in s.costs_by_stage.items():
                totals[stage] += amount
        order = {Stage(s).label: i for i, s in enumerate(PIPELINE)}
        return dict(sorted(totals.items(), key=lambda kv: order.get(kv[0], -1)))


def rate_table(umbrella) -> dict[int, list[tuple[date, Decimal]]]:
    """Per staff role, its rates newest first."""
    table: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for rate in RoleRate.objects.filter(umbrella=umbrella).order_by("staff_role_id", "-effective_from"):
        table[rate.staff_role_id].append((rate.effective_from, rate.hourly_rate))
    return table


def rate_on(table, staff_role_id: int, on: date) -> Decimal | None:
    for effective_from, rate in table.get(staff_role_id, []):
        if effective_from <= on:
            return rate
    return None


def _stage_on(changes: list[StageChange], on: date) -> str:
    label = "Before the scheme was recorded"
    for change in changes:
        if timezone.localdate(change.changed_at) <= on:
            label = Stage(change.to_stage).label
        else:
            break
    return label


def _withdrawn_by(scheme: Scheme, changes: list[StageChange], on: date) -> bool:
    """Withdrawn on or before `on`: by the dated move that withdrew it (a scheme withdrawn after a
    period ended was still at risk in that period), or, where no move records it, by its stage."""
    if scheme.stage != Stage.WITHDRAWN:
        return False
    withdrawal = next((c for c in reversed(changes) if c.to_stage == Stage.WITHDRAWN), None)
    return withdrawal is None or timezone.localdate(withdrawal.changed_at) <= on


def _total_scheme_cost(scheme: Scheme) -> tuple[Decimal | None, str]:
    """The total scheme cost a percentage fee is worked on: the latest agreed appraisal's, or
    (with none agreed yet) the figure recorded on the scheme."""
    agreed = getattr(scheme, "agreed_appraisals", None)
    if agreed:
        return appraise(agreed[0]).total_scheme_cost, f"agreed appraisal, version {agreed[0].version}"
    return scheme.total_cost, "as recorded on the scheme"


def _recoverable(agreement: CollaborationAgreement, scheme: Scheme, costs: Decimal) -> tuple[Decimal, str]:
    if agreement.fee_basis == FeeBasis.FIXED_PER_HOME:
        amount = pounds(agreement.fee_per_home * scheme.homes_total)
        return amount, f"{scheme.homes_total} homes × {money(agreement.fee_per_home)} = {money(amount)}"
    if agreement.fee_basis == FeeBasis.PERCENT_OF_COST:
        total, source = _total_scheme_cost(scheme)
        if total is None:
            return ZERO, "No total scheme cost is recorded, so nothing can be charged as a percentage yet."
        amount = pounds(total * agreement.fee_percent / HUNDRED)
        return amount, f"{agreement.fee_percent}% × {money(total)} total scheme cost ({source}) = {money(amount)}"
    amount = min(costs, agreement.cap_amount)
    capped = " (capped)" if costs > agreement.cap_amount else ""
    return (
        amount,
        f"Actual costs {money(costs)}, up to the cap of {money(agreement.cap_amount)} = {money(amount)}{capped}",
    )


@dataclass(frozen=True)
class InvoicedBefore:
    """One earlier invoice counted in a scheme's "invoiced before": a statement issued here, or an
    invoice raised outside Fieldgate (EarlierInvoice)."""

    label: str
    amount: Decimal


def invoiced_before(*, housing_association, period_end: date, exclude_pk=None) -> dict[str, list[InvoicedBefore]]:
    """Per scheme (public id), the invoices to this HA up to this period's end: issued or paid
    statements (what each made outstanding), and invoices recorded as raised before Fieldgate."""
    found: dict[str, list[InvoicedBefore]] = defaultdict(list)
    earlier = EarlierInvoice.objects.filter(
        housing_association=housing_association, invoiced_on__lte=period_end
    ).select_related("scheme")
    for invoice in earlier.order_by("invoiced_on", "reference"):
        found[str(invoice.scheme.public_id)].append(
            InvoicedBefore(f"invoice {invoice.reference} of {invoice.invoiced_on:%-d %b %Y}", invoice.amount)
        )
    statements = Statement.objects.filter(
        housing_association=housing_association,
        status__in=[StatementStatus.ISSUED, StatementStatus.PAID],
        period_end__lte=period_end,
    ).exclude(pk=exclude_pk)
    for statement in statements.order_by("period_end", "version"):
        for row in statement.figures.get("schemes", []):
            if row.get("state") == "gone_ahead" and Decimal(row["outstanding"]) > 0:
                found[row["scheme_id"]].append(
                    InvoicedBefore(f"statement {statement.reference}", Decimal(row["outstanding"]))
                )
    return found


def recoupment_calculate(
    *,
    access: Access,
    housing_association: HousingAssociation,
    period_start: date,
    period_end: date,
    exclude_statement_pk=None,
    only_scheme: Scheme | None = None,
) -> Recoupment:
    """The statement's figures for one HA and one period (a read: nothing is written); with
    `only_scheme`, that scheme's alone."""
    second_check(housing_association.umbrella_id == access.umbrella.pk)  # the second check on a money path
    umbrella = access.umbrella
    agreements = list(
        CollaborationAgreement.objects.filter(umbrella=umbrella, housing_association=housing_association).order_by(
            "-signed_on", "-created_at"
        )
    )
    agreement = next(
        (a for a in agreements if a.status == AgreementStatus.ACTIVE), agreements[0] if agreements else None
    )
    result = Recoupment(housing_association, agreement, period_start, period_end)
    if agreement is None:
        result.problems.append(
            f"There is no collaboration agreement with {housing_association}: nothing is recoverable."
        )
    elif agreement.status != AgreementStatus.ACTIVE:
        result.problems.append(f"The agreement with {housing_association} is {agreement.get_status_display().lower()}.")

    schemes = Scheme.objects.filter(umbrella=umbrella, housing_association=housing_association)
    if only_scheme is not None:
        schemes = schemes.filter(pk=only_scheme.pk)
    schemes = (
        schemes.select_related("clt")
        .prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("changed_at", "id"), to_attr="changes"),
            Prefetch(
                "appraisals",
                # Agreed by the period's end: a later agreement is not this period's.
                queryset=Appraisal.objects.filter(status=AppraisalStatus.AGREED, agreed_on__lte=period_end).order_by(
                    "-agreed_on", "-version"
                ),
                to_attr="agreed_appraisals",
            ),
            Prefetch(
                "cost_entries",
                queryset=CostEntry.objects.filter(on__lte=period_end)
                .select_related("person", "staff_role")
                .order_by("on", "created_at"),
                to_attr="entries",
            ),
        )
        .order_by("name")
    )
    rates = rate_table(umbrella)
    before = invoiced_before(
        housing_association=housing_association, period_end=period_end, exclude_pk=exclude_statement_pk
    )
    goes_ahead_at = agreement.goes_ahead_at if agreement else Stage.START_ON_SITE
    for scheme in schemes:
        went = first_reached(scheme.changes, goes_ahead_at)
        if went is not None and went <= period_end:
            state = "gone_ahead"
        elif _withdrawn_by(scheme, scheme.changes, period_end):
            state = "absorbed"
        else:
            state = "at_risk"
        row = SchemeRecoupment(scheme, state, went if state == "gone_ahead" else None)
        for entry in scheme.entries:
            if entry.kind == CostKind.TIME:
                rate = rate_on(rates, entry.staff_role_id, entry.on)
                if rate is None:
                    result.problems.append(
                        f"No rate for {entry.staff_role} on {entry.on:%d %b %Y} "
                        f"({scheme}): the entry is counted at £0.00 until one is set."
                    )
                    rate = ZERO
                amount = pounds(entry.hours * rate)
                who = entry.person.display_name if entry.person else ""
                role, what = str(entry.staff_role), entry.activity or "Staff time"
                text = f"{who} ({role}) — {what}"
            else:
                rate, amount, text = None, entry.amount, entry.description or "Expense"
                who, role, what = (entry.person.display_name if entry.person else ""), "Expense", text
            row.lines.append(
                CostLine(
                    entry.on,
                    entry.kind,
                    text,
                    entry.hours,
                    rate,
                    amount,
                    _stage_on(scheme.changes, entry.on),
                    str(entry.public_id),
                    who=who,
                    role=role,
                    what=what,
                )
            )
        row.costs_to_date = sum((line.amount for line in row.lines), ZERO)
        row.costs_in_period = sum((line.amount for line in row.lines if line.on >= period_start), ZERO)
        if state == "gone_ahead" and agreement is not None:
            row.recoverable, row.working = _recoverable(agreement, scheme, row.costs_to_date)
            row.invoiced_before_from = before.get(str(scheme.public_id), [])
            row.invoiced_before = sum((i.amount for i in row.invoiced_before_from), ZERO)
            row.outstanding = max(row.recoverable - row.invoiced_before, ZERO)
            if agreement.fees_subject_to_vat:
                row.vat = pounds(row.outstanding * agreement.vat_rate / HUNDRED)
        result.schemes.append(row)
    return result


def recoupment_figures(r: Recoupment) -> dict:
    """The figures as JSON (Decimals as strings), to freeze on a statement."""
    return {
        "housing_association": r.housing_association.name,
        "period_start": r.period_start.isoformat(),
        "period_end": r.period_end.isoformat(),
        "agreement": r.agreement.fee_summary if r.agreement else "",
        "problems": r.problems,
        "schemes": [
            {
                "scheme_id": str(s.scheme.public_id),
                "name": s.scheme.name,
                "clt": s.scheme.clt.name,
                "state": s.state,
                "stage": s.scheme.get_stage_display(),
                "went_ahead_on": s.went_ahead_on.isoformat() if s.went_ahead_on else None,
                "costs_to_date": str(s.costs_to_date),
                "costs_in_period": str(s.costs_in_period),
                "recoverable": str(s.recoverable),
                "working": s.working,
                "invoiced_before": str(s.invoiced_before),
                "invoiced_before_from": [{"label": i.label, "amount": str(i.amount)} for i in s.invoiced_before_from],
                "outstanding": str(s.outstanding),
                "vat": str(s.vat),
                "lines": [
                    {
                        "on": line.on.isoformat(),
                        "kind": line.kind,
                        "text": line.text,
                        "hours": str(line.hours) if line.hours is not None else None,
                        "rate": str(line.rate) if line.rate is not None else None,
                        "amount": str(line.amount),
                        "stage": line.stage,
                        "entry_id": line.entry_id,
                        "who": line.who,
                        "role": line.role,
                        "what": line.what,
                    }
                    for line in s.lines
                ],
            }
            for s in r.schemes
        ],
        "totals": {
            "costs": str(r.total_costs),
            "recoverable": str(r.total_recoverable),
            "invoiced_before": str(r.total_invoiced_before),
            "outstanding": str(r.total_outstanding),
            "vat": str(r.vat),
            "due": str(r.total_due),
            "at_risk": str(r.total_at_risk),
            "absorbed": str(r.total_absorbed),
        },
        "costs_by_stage": {k: str(v) for k, v in r.costs_by_stage.items()},
    }
