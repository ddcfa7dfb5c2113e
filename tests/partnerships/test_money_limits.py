"""Issue 17, domain limits on the money side: a statement cannot be paid before it was issued nor
on a future date, and VAT and a percentage fee are percentages from 0 to 100 (said in plain words,
nothing saved)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.organisations.models import CollaborationAgreement
from partnerships.recoupment import services as statements
from partnerships.recoupment.models import StatementStatus
from tests.partnerships.test_statements import PERIOD, build


@pytest.mark.django_db
def test_a_statement_is_not_paid_before_it_was_issued_nor_in_the_future():
    access, ha, *_ = build()
    statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
    statement.refresh_from_db()
    issued = statements.statement_issue(access=access, statement=statement)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as early:
        statements.statement_mark_paid(access=access, statement=issued, paid_on=today - timedelta(days=1))
    assert early.value.messages == [
        f"It cannot have been paid before it was issued on {today:%-d %b %Y}: give the date the payment arrived."
    ]
    with pytest.raises(ValidationError) as future:
        statements.statement_mark_paid(access=access, statement=issued, paid_on=today + timedelta(days=1))
    assert future.value.messages == ["A payment cannot be dated after today: give the date it arrived."]
    issued.refresh_from_db()
    assert issued.status == StatementStatus.ISSUED and issued.paid_on is None
    statements.statement_mark_paid(access=access, statement=issued, paid_on=today)
    issued.refresh_from_db()
    assert issued.status == StatementStatus.PAID


@pytest.mark.django_db
def test_vat_and_a_percentage_fee_are_percentages_from_0_to_100():
    access, ha, *_ = build()
    agreement = CollaborationAgreement.objects.get(housing_association=ha)
    client = Client()
    client.force_login(access.user)
    url = reverse("agreement_edit", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": agreement.public_id})
    response = client.post(
        url,
        {"status": "active", "fee_basis": "percent_of_cost", "fee_percent": "120", "goes_ahead_at": "start_on_site",
         "vat_rate": "150", "fees_subject_to_vat": "on", "invoice_terms_days": "30"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400
    assert "VAT is a percentage from 0 to 100." in body
    assert "The fee is a percentage of the total scheme cost, from 0 to 100." in body
    assert "Ensure this value" not in body
    agreement.refresh_from_db()
    assert agreement.vat_rate == Decimal("20.00")
