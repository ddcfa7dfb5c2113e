"""clts/ records of one mirrored tenant: keys added to Tenant.objects (see tests/worlds/world.py)."""

from datetime import date
from decimal import Decimal

from clts.models import AGM, CLT, AdviceSession, AdviceTopic, GrantStatus, Person, PersonRole, RevenueGrant, SetupStatus
from tests.factories import ParishFactory


def extend(t) -> dict:
    """Build this app's records for tenant `t`; put t.canary in their text fields.

    One of each record on the first CLT (the volunteer's), plus a spare CLT and a spare parish
    that nothing depends on, so the matrix can delete them.
    """
    c = t.canary
    umbrella = t.umbrella
    clt = t.objects["clt"]
    person = Person.objects.create(
        umbrella=umbrella,
        clt=clt,
        name=f"Board member {c}",
        email=f"board-{t.key}@example.test",
        role=PersonRole.CHAIR,
        term_start=date(2024, 5, 1),
        term_end=date(2027, 5, 1),
        notes=f"Note {c}",
    )
    advice_session = AdviceSession.objects.create(
        umbrella=umbrella,
        clt=clt,
        given_on=date(2025, 2, 11),
        topic=AdviceTopic.BUSINESS_PLANNING,
        attendees=f"Attendees {c}",
        notes=f"Advice note {c}",
        hours=Decimal("2.50"),
        given_by=t.users["staff"],
    )
    revenue_grant = RevenueGrant.objects.create(
        umbrella=umbrella,
        clt=clt,
        funder=f"Funder {c}",
        programme="Community Housing Fund (revenue)",
        amount_requested=Decimal("45000.00"),
        amount_awarded=Decimal("40000.00"),
        status=GrantStatus.AWARDED,
        submitted_on=date(2024, 9, 2),
        decision_on=date(2024, 12, 6),
        conditions=f"Conditions {c}",
    )
    agm = AGM.objects.create(
        umbrella=umbrella,
        clt=clt,
        held_on=date(2025, 6, 14),
        members_present=31,
        resolutions=f"Resolution {c}",
        notes=f"AGM note {c}",
    )
    spare_parish = ParishFactory(umbrella=umbrella, name=f"Spare parish {c}")
    spare_clt = CLT.objects.create(umbrella=umbrella, name=f"Spare CLT {c}", setup_status=SetupStatus.ENQUIRY)
    from datetime import date as _date

    from clts.models import HousingNeed, HousingNeedSurvey

    survey = HousingNeedSurvey.objects.create(
        umbrella=t.umbrella,
        parish=t.objects["parish"],
        surveyed_on=_date(2025, 9, 30),
        households_surveyed=240,
        responses=96,
        notes=f"Survey note {t.canary}",
    )
    HousingNeed.objects.create(umbrella=t.umbrella, survey=survey, tenure="affordable_rent", bedrooms=2, households=5)
    return {
        "survey": survey,
        "person": person,
        "advice_session": advice_session,
        "revenue_grant": revenue_grant,
        "agm": agm,
        "spare_parish": spare_parish,
        "spare_clt": spare_clt,
    }
