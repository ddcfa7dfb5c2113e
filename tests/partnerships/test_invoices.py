"""Issue 19: an issued statement is an invoice. It takes the umbrella's next invoice number (no
gaps, unique, never reused), an invoice date, tax point and due date, shows VAT per scheme and in
total, the umbrella's VAT, company and charity numbers, bank and remittance details and a contact,
and its PDF is redrawn on issue to say it is issued and when. Until then it is marked DRAFT.

Worked figures (fixed fee £4,500 a home, VAT 20%, 30 days' terms):
  Orchard Close  12 homes × £4,500 = £54,000.00, VAT £10,800.00
  Mill Lane       5 homes × £4,500 = £22,500.00, VAT  £4,500.00
  outstanding £76,500.00; VAT £15,300.00 (the sum of the schemes'); total due £91,800.00
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Umbrella
from core.pdf import private_path
from partnerships.recoupment import services as statements
from partnerships.recoupment.models import Statement, StatementStatus
from schemes.models import CostEntry, StageChange
from schemes.stages import Stage
from tests.factories import SchemeFactory
from tests.partnerships.test_statements import PERIOD, build

D = Decimal


def pdf_text(statement) -> str:
    """The PDF's text with its line breaks as spaces (a long line wraps)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(private_path(statement.file_path))).pages).split())


def with_billing_details(access, ha):
    Umbrella.objects.filter(pk=access.umbrella.pk).update(
        vat_number="GB123456789", company_number="09876543", charity_number="1180000",
        bank_account_name="Wessex CLT Project", bank_sort_code="12-34-56", bank_account_number="12345678",
        remittance_email="accounts@wessex.example", invoice_contact="Sam Carter, 01234 567890",
    )  # fmt: skip
    type(ha).objects.filter(pk=ha.pk).update(purchase_order_reference="PO-4471")
    access.umbrella.refresh_from_db()
    ha.refresh_from_db()


def second_scheme(access, ha, scheme, went_ahead=datetime(2026, 6, 1, 9)):
    other = SchemeFactory(
        clt=scheme.clt, housing_association=ha, name="Mill Lane", stage=Stage.START_ON_SITE,
        homes_affordable_rent=5, homes_shared_ownership=0,
    )  # fmt: skip
    StageChange.objects.create(
        umbrella=access.umbrella, scheme=other, to_stage=Stage.START_ON_SITE,
        changed_at=timezone.make_aware(went_ahead),
    )  # fmt: skip
    return other


@pytest.mark.django_db
def test_issue_numbers_dates_and_redraws_the_invoice_with_vat_per_scheme():
    access, ha, _team, scheme = build()
    with_billing_details(access, ha)
    second_scheme(access, ha, scheme)
    draft, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    draft.refresh_from_db()
    text = pdf_text(draft)
    assert "DRAFT" in text and "not an invoice" in text and "Invoice number" not in text
    rows = {row["name"]: (row["outstanding"], row["vat"]) for row in draft.figures["schemes"]}
    assert rows == {"Orchard Close": ("54000.00", "10800.00"), "Mill Lane": ("22500.00", "4500.00")}
    assert (draft.total_outstanding, draft.total_vat, draft.total_due) == (D("76500.00"), D("15300.00"), D("91800.00"))

    issued = statements.statement_issue(access=access, statement=draft)
    today = timezone.localdate()
    assert (issued.invoice_number, issued.invoice_label) == (1, "INV-000001")
    assert issued.invoice_date == issued.tax_point == today and issued.due_on == today + timedelta(days=30)
    text = pdf_text(issued)
    for expected in (
        "Invoice INV-000001",
        f"Tax point {today:%-d %B %Y}",
        f"Due by {(today + timedelta(days=30)):%-d %B %Y}",
        "VAT registration number GB123456789",
        "Company number 09876543",
        "Charity number 1180000",
        "sort code 12-34-56, account 12345678",
        "accounts@wessex.example",
        "Sam Carter, 01234 567890",
        "Purchase order PO-4471",
        "£10,800.00",
        "£4,500.00",
        "£15,300.00",
        "£91,800.00",
    ):
        assert expected in text, expected
    assert "DRAFT" not in text
    access.umbrella.refresh_from_db()
    assert access.umbrella.next_invoice_number == 2


@pytest.mark.django_db
def test_numbers_run_without_gaps_and_a_refused_issue_takes_none():
    access, ha, _team, scheme = build()
    first, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    first.refresh_from_db()
    # A cost arrives after it was drawn: issuing it now would invoice figures nobody reviewed.
    CostEntry.objects.create(
        umbrella=access.umbrella, kind="expense", clt=scheme.clt, scheme=scheme, on=date(2026, 7, 1),
        description="Late receipt", amount=D("80.00"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="have changed since this statement was drawn"):
        statements.statement_issue(access=access, statement=first)
    first.refresh_from_db()
    assert first.status == StatementStatus.READY and first.invoice_number is None
    access.umbrella.refresh_from_db()
    assert access.umbrella.next_invoice_number == 1  # no number was used up

    fresh, _ = statements.statement_request(
        access=access, housing_association=ha, period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
    )
    fresh.refresh_from_db()
    assert statements.statement_issue(access=access, statement=fresh).invoice_number == 1
    second_scheme(access, ha, scheme, went_ahead=datetime(2026, 8, 1, 9))  # something new to invoice
    later, _ = statements.statement_request(
        access=access, housing_association=ha, period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
    )
    later.refresh_from_db()
    assert statements.statement_issue(access=access, statement=later).invoice_number == 2
    # The database holds the rule too: a number is never given twice in an umbrella.
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=first.pk).update(invoice_number=1)


@pytest.mark.django_db
def test_issuing_asks_to_confirm_and_says_which_number_it_takes():
    access, ha, _team, _scheme = build()
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    client = Client()
    client.force_login(access.user)
    detail = reverse(
        "statement_detail", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": statement.public_id}
    )
    issue = reverse("statement_issue", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": statement.public_id})
    page = client.get(detail).content.decode()
    assert "<strong>DRAFT</strong>" in page and issue in page
    confirm = client.get(issue).content.decode()
    assert "Issue it as invoice INV-000001" in confirm and "cannot be undone" in confirm
    assert client.post(issue).status_code == 302
    page = client.get(detail).content.decode()
    assert "Invoice INV-000001" in page and "<strong>DRAFT</strong>" not in page


@pytest.mark.django_db
def test_a_statement_with_nothing_due_is_not_issued_as_an_invoice():
    access, ha, *_ = build()
    statement, _ = statements.statement_request(
        access=access, housing_association=ha, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )  # the scheme went ahead on 1 May 2026: nothing is recoverable yet
    statement.refresh_from_db()
    assert statement.total_due == D("0.00")
    with pytest.raises(ValidationError, match="Nothing is due on this statement"):
        statements.statement_issue(access=access, statement=statement)
    access.umbrella.refresh_from_db()
    assert access.umbrella.next_invoice_number == 1


@pytest.mark.django_db
def test_a_statement_drawn_before_cost_lines_were_worded_may_still_be_issued():
    """Statements drawn before the cost lines carried who, role and what bill the same: issuing
    compares only what is billed, so they are not refused as changed."""
    access, ha, _team, _scheme = build()
    draft, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    draft.refresh_from_db()
    older = dict(draft.figures)
    older["schemes"] = [
        {**row, "lines": [{k: v for k, v in line.items() if k not in ("who", "role", "what")} for line in row["lines"]]}
        for row in older["schemes"]
    ]
    older["schemes"][0]["working"] = "worded as it was then"
    Statement.objects.filter(pk=draft.pk).update(figures=older)
    draft.refresh_from_db()
    assert statements.statement_issue_problems(access=access, statement=draft) == []
    # A changed figure is still a change.
    older["schemes"][0]["lines"][0]["amount"] = "1.00"
    Statement.objects.filter(pk=draft.pk).update(figures=older)
    draft.refresh_from_db()
    assert statements.statement_issue_problems(access=access, statement=draft) != []
