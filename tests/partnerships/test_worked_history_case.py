"""Issue 19, done when: a worked multi-HA case with capped, fixed-fee and percentage bases, an
earlier invoice and past stage dates comes out right on screen and in the PDF, with the right
went-ahead dates. Statements for 1 January to 31 March 2026; staff time at £50.00 an hour.

Aster Group, fixed fee £4,000.00 a home, VAT 20%:
  Orchard Close, 10 homes, moved to Start on site on 10 Feb 2026 (recorded later)
  time 20 h on 15 Jan 2026 = £1,000.00 (at "Freehold acquired and lease granted"),
       10 h on 20 Feb 2026 =   £500.00 (at "Start on site"): costs to date £1,500.00
  recoverable 10 × £4,000.00 = £40,000.00; invoiced before: invoice OLD-1 of 1 Dec 2025 £15,000.00
  outstanding £25,000.00; VAT £5,000.00; due £30,000.00
Teign Housing, actual costs capped at £6,000.00 a scheme, VAT 20%:
  Mill Lane, went ahead 1 Mar 2026: 100 h, 20 h a day from 5 Jan = £5,000.00 + £300.00 expense = £5,300.00
       (under the cap)
  Chapel Row, went ahead 5 Mar 2026: 150 h, 20 h a day from 20 Jan = £7,500.00, capped at £6,000.00
  outstanding £11,300.00; VAT £1,060.00 + £1,200.00 = £2,260.00; due £13,560.00
Yarlington, 1.5% of the total scheme cost, no VAT:
  Barn Field, £2,000,000.00 total cost, went ahead 20 Jan 2026: 1.50% × £2,000,000.00 = £30,000.00; due £30,000.00
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.access import access_for
from accounts.models import Role
from core.pdf import private_path
from partnerships.organisations.models import FeeBasis, RoleRate, StaffRole
from partnerships.recoupment import services as statements
from schemes import services as scheme_services
from schemes.models import CostEntry, StageChange
from schemes.stages import Stage
from tests.factories import (
    AgreementFactory,
    CLTFactory,
    HousingAssociationFactory,
    SchemeFactory,
    UmbrellaFactory,
    membership,
)

D = Decimal
PERIOD = {"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)}


def text_of(statement) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(private_path(statement.file_path))).pages).split())


def world():
    u = UmbrellaFactory(name="Wessex CLT Project")
    membership(u, Role.ADMIN)
    staff = membership(u, Role.STAFF).user
    access = access_for(user=staff, umbrella_slug=u.slug)
    role = StaffRole.objects.create(umbrella=u, name="Project manager")
    RoleRate.objects.create(umbrella=u, staff_role=role, hourly_rate=D("50.00"), effective_from=date(2025, 1, 1))
    clt = CLTFactory(umbrella=u)

    def scheme(ha, name, **homes):
        s = SchemeFactory(clt=clt, housing_association=ha, name=name, stage=Stage.FREEHOLD_AND_LEASE, **homes)
        StageChange.objects.create(
            umbrella=u,
            scheme=s,
            to_stage=Stage.FREEHOLD_AND_LEASE,
            changed_at=timezone.make_aware(datetime(2025, 6, 1, 9)),
        )
        return s

    def time(s, on, hours):  # at most 20 h a day (an entry is a day's work at most), day after day
        left, day = D(hours), on
        while left > 0:
            CostEntry.objects.create(
                umbrella=u, kind="time", clt=clt, scheme=s, on=day, person=staff, staff_role=role,
                hours=min(left, D("20")), activity="Meeting",
            )  # fmt: skip
            left, day = left - D("20"), day + timedelta(days=1)

    def went_ahead(s, on):
        s.refresh_from_db()
        scheme_services.scheme_advance_stage(
            access=access, scheme=s, to_stage=Stage.START_ON_SITE, on=on, note="Start notice (entered later)"
        )

    aster = HousingAssociationFactory(umbrella=u, name="Aster Group")
    AgreementFactory(housing_association=aster, fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=D("4000.00"))
    orchard = scheme(aster, "Orchard Close", homes_affordable_rent=8, homes_shared_ownership=2)
    time(orchard, date(2026, 1, 15), "20")
    time(orchard, date(2026, 2, 20), "10")
    went_ahead(orchard, date(2026, 2, 10))
    statements.earlier_invoice_create(
        access=access, scheme=orchard, reference="OLD-1", invoiced_on=date(2025, 12, 1), amount=D("15000.00")
    )

    teign = HousingAssociationFactory(umbrella=u, name="Teign Housing")
    AgreementFactory(
        housing_association=teign, fee_basis=FeeBasis.ACTUAL_CAPPED, fee_per_home=None, cap_amount=D("6000.00")
    )
    mill = scheme(teign, "Mill Lane")
    time(mill, date(2026, 1, 5), "100")
    CostEntry.objects.create(
        umbrella=u,
        kind="expense",
        clt=clt,
        scheme=mill,
        on=date(2026, 2, 1),
        description="Hall hire",
        amount=D("300.00"),
    )
    chapel = scheme(teign, "Chapel Row")
    time(chapel, date(2026, 1, 20), "150")
    went_ahead(mill, date(2026, 3, 1))
    went_ahead(chapel, date(2026, 3, 5))

    yarlington = HousingAssociationFactory(umbrella=u, name="Yarlington")
    AgreementFactory(
        housing_association=yarlington, fee_basis=FeeBasis.PERCENT_OF_COST, fee_per_home=None,
        fee_percent=D("1.5"), fees_subject_to_vat=False,
    )  # fmt: skip
    barn = scheme(yarlington, "Barn Field", total_cost=D("2000000.00"))
    went_ahead(barn, date(2026, 1, 20))
    return access, {"aster": aster, "teign": teign, "yarlington": yarlington}


@pytest.mark.django_db
def test_the_worked_multi_ha_case_on_screen_and_in_the_pdf():
    access, has = world()
    made = {}
    for key, ha in has.items():
        statement, _ = statements.statement_request(access=access, housing_association=ha, **PERIOD)
        statement.refresh_from_db()
        made[key] = statement

    aster, teign, yarlington = made["aster"], made["teign"], made["yarlington"]
    assert (aster.total_outstanding, aster.total_vat, aster.total_due) == (D("25000.00"), D("5000.00"), D("30000.00"))
    assert (teign.total_outstanding, teign.total_vat, teign.total_due) == (D("11300.00"), D("2260.00"), D("13560.00"))
    assert (yarlington.total_outstanding, yarlington.total_vat, yarlington.total_due) == (
        D("30000.00"), D("0.00"), D("30000.00"),
    )  # fmt: skip
    rows = {r["name"]: r for s in made.values() for r in s.figures["schemes"]}
    assert {name: r["went_ahead_on"] for name, r in rows.items()} == {
        "Orchard Close": "2026-02-10", "Mill Lane": "2026-03-01", "Chapel Row": "2026-03-05", "Barn Field": "2026-01-20",
    }  # fmt: skip
    assert (rows["Mill Lane"]["recoverable"], rows["Chapel Row"]["recoverable"]) == ("5300.00", "6000.00")
    assert (rows["Mill Lane"]["vat"], rows["Chapel Row"]["vat"]) == ("1060.00", "1200.00")
    assert aster.figures["costs_by_stage"] == {
        "Freehold acquired and lease granted": "1000.00",
        "Start on site": "500.00",
    }

    pdf = text_of(aster)
    for expected in ("10 Feb 2026", "£40,000.00", "£15,000.00: invoice OLD-1 of 1 Dec 2025", "£25,000.00", "£30,000.00",
                     "10 homes × £4,000.00 = £40,000.00"):  # fmt: skip
        assert expected in pdf, expected
    pdf = text_of(teign)
    assert "Actual costs £7,500.00, up to the cap of £6,000.00 = £6,000.00 (capped)" in pdf and "£13,560.00" in pdf
    pdf = text_of(yarlington)
    assert (
        "1.50% × £2,000,000.00 total scheme cost (as recorded on the scheme) = £30,000.00" in pdf
        and "(not charged)" in pdf
    )

    client = Client()
    client.force_login(access.user)
    page = client.get(
        reverse("statement_detail", kwargs={"umbrella_slug": access.umbrella.slug, "public_id": aster.public_id})
    ).content.decode()
    for expected in (
        "10 Feb 2026",
        "£40,000.00",
        "£15,000.00: invoice OLD-1 of 1 Dec 2025",
        "£25,000.00",
        "£30,000.00",
    ):
        assert expected in page, expected
