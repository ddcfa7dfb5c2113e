"""Issue 19: invoices raised before Fieldgate are recorded per scheme and counted as "invoiced
before", and every statement names the invoices each figure comes from.

Worked figures (tests.partnerships.test_statements.build: fixed fee £4,500 a home, 12 homes,
gone ahead 1 May 2026, VAT as the agreement's factory says):
  recoverable                          12 × £4,500.00 = £54,000.00
  invoiced before: paper invoice PAPER-17 of 1 Mar 2026 = £20,000.00
  outstanding                  £54,000.00 − £20,000.00 = £34,000.00
Then a statement for April–September 2026 is issued (outstanding £34,000.00), and a later one for
October–December 2026 counts both:
  invoiced before  £20,000.00 (PAPER-17) + £34,000.00 (the issued statement) = £54,000.00
  outstanding                                                          £0.00
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core.pdf import private_path
from partnerships.recoupment import services as statements
from partnerships.recoupment.calculator import recoupment_calculate
from partnerships.recoupment.models import EarlierInvoice
from tests.partnerships.test_statements import PERIOD, build

D = Decimal


def row_of(access, ha, period_start, period_end):
    result = recoupment_calculate(
        access=access, housing_association=ha, period_start=period_start, period_end=period_end
    )
    (row,) = result.schemes
    return row


@pytest.mark.django_db
def test_an_earlier_invoice_counts_as_invoiced_before_and_the_statement_names_it():
    access, ha, _team, scheme = build()
    statements.earlier_invoice_create(
        access=access, scheme=scheme, reference="PAPER-17", invoiced_on=date(2026, 3, 1), amount=D("20000.00")
    )
    # Before its date it counts for nothing.
    assert row_of(access, ha, date(2026, 1, 1), date(2026, 2, 28)).invoiced_before == D("0")

    row = row_of(access, ha, **PERIOD)
    assert (row.recoverable, row.invoiced_before, row.outstanding) == (D("54000.00"), D("20000.00"), D("34000.00"))
    assert [(i.label, i.amount) for i in row.invoiced_before_from] == [
        ("invoice PAPER-17 of 1 Mar 2026", D("20000.00"))
    ]

    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    statement.refresh_from_db()
    assert statement.total_outstanding == D("34000.00")
    text = "\n".join(p.extract_text() for p in PdfReader(str(private_path(statement.file_path))).pages)
    assert "invoice PAPER-17 of 1 Mar 2026" in text and "£20,000.00" in text
    client = Client()
    client.force_login(access.user)
    page = client.get(
        reverse("statement_detail", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": statement.public_id})
    ).content.decode()
    assert "invoice PAPER-17 of 1 Mar 2026" in page

    statements.statement_issue(access=access, statement=statement)
    later = row_of(access, ha, date(2026, 10, 1), date(2026, 12, 31))
    assert (later.invoiced_before, later.outstanding) == (D("54000.00"), D("0"))
    assert [i.label for i in later.invoiced_before_from] == [
        "invoice PAPER-17 of 1 Mar 2026",
        f"statement {statement.reference}",
    ]


@pytest.mark.django_db
def test_an_earlier_invoice_with_every_problem_says_them_all_and_saves_nothing():
    access, _ha, _team, scheme = build()
    statements.earlier_invoice_create(
        access=access, scheme=scheme, reference="PAPER-1", invoiced_on=date(2026, 3, 1), amount=D("10.00")
    )
    scheme.housing_association = None
    with pytest.raises(ValidationError) as refused:
        statements.earlier_invoice_create(
            access=access, scheme=scheme, reference=" paper-1 ", invoiced_on=date(2099, 1, 1), amount=D("-5")
        )
    assert refused.value.message_dict == {
        "reference": ["An earlier invoice paper-1 is already recorded."],
        "scheme": [f"{scheme} has no HA partner: an invoice for its costs has nobody it was sent to."],
        "invoiced_on": ["An invoice already raised cannot be dated after today."],
        "amount": ["The amount invoiced must be more than £0.00."],
    }
    assert EarlierInvoice.objects.filter(umbrella=access.umbrella).count() == 1


@pytest.mark.django_db
def test_staff_record_and_list_earlier_invoices_from_the_page():
    access, _ha, _team, scheme = build()
    client = Client()
    client.force_login(access.user)
    new = reverse("earlier_invoice_create", kwargs={"umbrella_slug": access.umbrella.slug})
    refused = client.post(new, {"scheme": scheme.pk, "reference": "", "invoiced_on": "2026-03-01", "amount": "0"})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Give the invoice&#x27;s reference" in body or "Give the invoice's reference" in body
    assert "The amount invoiced must be more than £0.00." in body
    made = client.post(
        new, {"scheme": scheme.pk, "reference": "PAPER-9", "invoiced_on": "2026-03-01", "amount": "1234.50"}
    )
    assert made.status_code == 302
    listing = client.get(reverse("earlier_invoice_list", kwargs={"umbrella_slug": access.umbrella.slug}))
    assert "PAPER-9" in listing.content.decode() and "£1,234.50" in listing.content.decode()
    csv = client.get(reverse("earlier_invoice_list", kwargs={"umbrella_slug": access.umbrella.slug}) + "?format=csv")
    assert b"PAPER-9" in b"".join(csv.streaming_content if csv.streaming else [csv.content])
