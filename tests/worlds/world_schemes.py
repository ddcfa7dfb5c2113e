"""schemes/ and partnerships/ records of one mirrored tenant (see tests/worlds/world.py)."""

from datetime import date
from decimal import Decimal

from partnerships.organisations.models import AdviserFirm, AdviserRole
from schemes.appraisals.models import Appraisal
from schemes.funding.models import CapitalFunding, FundingClaim
from schemes.models import Bid, Lease, Milestone, Negotiation, NegotiationStatus, Site, Tender, TenderInvitation
from schemes.stewardship.models import CheckKind, CovenantCheck, GroundRentPayment


def extend(t) -> dict:
    c = t.canary
    u = t.umbrella
    scheme, site = t.objects["scheme"], t.objects["site"]
    firm = AdviserFirm.objects.create(umbrella=u, name=f"Architects one {c}", disciplines="architect")
    firm2 = AdviserFirm.objects.create(umbrella=u, name=f"Architects two {c}", disciplines="architect")
    tender = Tender.objects.create(
        umbrella=u,
        scheme=scheme,
        role=AdviserRole.ARCHITECT,
        title=f"Architect for the scheme {c}",
        brief=f"Brief {c}",
        price_weight=40,
    )
    for f in (firm, firm2):
        TenderInvitation.objects.create(umbrella=u, tender=tender, firm=f)
    bid = Bid.objects.create(
        umbrella=u,
        tender=tender,
        firm=firm,
        price=Decimal("24000.00"),
        quality_score=Decimal("72"),
        notes=f"Bid note {c}",
    )
    negotiation = Negotiation.objects.create(
        umbrella=u,
        site=site,
        on=date(2026, 3, 2),
        contact=f"Landowner {c}",
        offer_or_terms=f"Terms {c}",
        status_after=NegotiationStatus.NEGOTIATING,
    )
    spare_site = Site.objects.create(umbrella=u, name=f"Spare site {c}", parish=t.objects["parish"])
    lease = Lease.objects.create(
        umbrella=u,
        scheme=scheme,
        freehold_acquired_on=date(2025, 3, 1),
        start_on=date(2025, 4, 1),
        premium=Decimal("1"),
        option_base_price=Decimal("250000"),
        option_indexation_percent=Decimal("2.5"),
        ground_rent=Decimal("500"),
        notes=f"Lease note {c}",
    )
    payment = GroundRentPayment.objects.create(
        umbrella=u, lease=lease, paid_on=date(2026, 4, 2), amount=Decimal("500"), reference=f"Payment {c}",
        recorded_by=t.users["staff"],
    )  # fmt: skip
    covenant_check = CovenantCheck.objects.create(
        umbrella=u, lease=lease, kind=CheckKind.INSURANCE, title=f"Insurance {c}", due_on=date(2026, 5, 1)
    )
    appraisal = Appraisal.objects.create(
        umbrella=u, scheme=scheme, version=1, social_rent_homes=2, social_rent_weekly=Decimal("110"),
        build_cost=Decimal("400000"), grant=Decimal("120000"), notes=f"Appraisal note {c}",
    )  # fmt: skip
    funding = CapitalFunding.objects.create(
        umbrella=u, scheme=scheme, funder=f"Homes England {c}", allocation=Decimal("300000"),
        allocated_on=date(2025, 6, 1), start_on_site_percent=Decimal("100"), completion_percent=Decimal("0"),
    )  # fmt: skip
    claim = FundingClaim.objects.create(
        umbrella=u, funding=funding, milestone="start_on_site", amount=Decimal("300000"),
        claimed_on=date(2026, 3, 20), evidence=f"Start notice {c}",
    )  # fmt: skip
    milestone = Milestone.objects.create(
        umbrella=u,
        clt=scheme.clt,
        scheme=scheme,
        title=f"Start on site {c}",
        due_on=date(2026, 9, 1),
        owner=t.users["volunteer"],
        is_development=True,
    )
    from core.pdf import render_pdf, write_private_file
    from partnerships.recoupment.models import Statement, StatementStatus

    statement = Statement.objects.create(
        umbrella=u,
        housing_association=t.objects["ha"],
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        reference=f"STATEMENT-{t.key.upper()}-1",
        status=StatementStatus.ISSUED,  # issued: its HA team sees it too
        invoice_number=1,
        invoice_date=date(2026, 7, 1),
        tax_point=date(2026, 7, 1),
        due_on=date(2026, 7, 31),
        total_due=Decimal("1.00"),
        figures={
            "totals": {"outstanding": "1.00", "vat": "0.00", "due": "1.00", "at_risk": "0", "absorbed": "0"},
            "schemes": [
                {
                    "name": f"Scheme one {c}",
                    "state": "gone_ahead",
                    "scheme_id": str(scheme.public_id),
                    "outstanding": "1.00",
                    "lines": [
                        {
                            "on": "2026-05-01",
                            "who": f"Staff {c}",
                            "what": f"Site visit {c}",
                            "hours": "3.00",
                            "rate": "50.00",
                            "amount": "150.00",
                        }
                    ],
                }
            ],  # fmt: skip
        },
    )
    statement.file_path = write_private_file(
        f"{u.pk}/statements/{statement.public_id}.pdf", render_pdf(f"<p>Statement for {c}</p>")
    )
    statement.save()
    from partnerships.organisations.models import CollaborationAgreement, RoleRate, StaffRole
    from schemes.models import CostEntry

    staff_role = StaffRole.objects.create(umbrella=u, name=f"Project manager {c}")
    RoleRate.objects.create(
        umbrella=u, staff_role=staff_role, hourly_rate=Decimal("50.00"), effective_from=date(2025, 1, 1)
    )
    cost_entry = CostEntry.objects.create(
        umbrella=u,
        kind="time",
        clt=scheme.clt,
        scheme=scheme,
        on=date(2026, 5, 1),
        person=t.users["staff"],
        staff_role=staff_role,
        hours=Decimal("3"),
        activity=f"Site visit {c}",
    )
    agreement = CollaborationAgreement.objects.get(umbrella=u, housing_association=t.objects["ha"])
    from partnerships.recoupment.models import EarlierInvoice

    # Dated after every period the tests compute, so that no statement's figures move for it.
    earlier_invoice = EarlierInvoice.objects.create(
        umbrella=u, scheme=scheme, housing_association=t.objects["ha"], reference=f"OLD-{t.key.upper()}-1 {c}",
        invoiced_on=date(2030, 1, 1), amount=Decimal("10.00"), note=f"Sent by post {c}",
    )  # fmt: skip
    return {
        "earlier_invoice": earlier_invoice,
        "staff_role": staff_role,
        "cost_entry": cost_entry,
        "agreement": agreement,
        "ground_rent_payment": payment,
        "covenant_check": covenant_check,
        "statement": statement,
        "firm": firm,
        "firm2": firm2,
        "tender": tender,
        "bid": bid,
        "negotiation": negotiation,
        "spare_site": spare_site,
        "lease": lease,
        "milestone": milestone,
        "appraisal": appraisal,
        "funding": funding,
        "funding_claim": claim,
    }
