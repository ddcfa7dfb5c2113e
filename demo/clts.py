"""Demo records for the demo CLTs that demo.schemes creates: board members, AGMs, advice and
training sessions and revenue grants. Every person is invented.

Keyed on natural keys (umbrella slug, CLT name, then the person's name, the AGM's date, the
session's date and topic, the grant's funder and programme), so running it twice changes
nothing. Call it after demo.schemes.load_demo().
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Umbrella, User
from clts.models import AGM, CLT, S79_TESTS, AdviceSession, AdviceTopic, GrantStatus, Person, PersonRole, RevenueGrant

ALL_S79 = {field: True for field, _ in S79_TESTS}


def _clt(umbrella: Umbrella, name: str, **governance: bool) -> CLT | None:
    clt = CLT.objects.filter(umbrella=umbrella, name=name).first()
    if clt is not None and governance:
        CLT.objects.filter(pk=clt.pk).update(**governance)
    return clt


def _people(clt: CLT, people: list[tuple]) -> None:
    for name, role, term_start, term_end in people:
        Person.objects.update_or_create(
            umbrella=clt.umbrella,
            clt=clt,
            name=name,
            defaults={"role": role, "term_start": term_start, "term_end": term_end},
        )


def _agm(clt: CLT, held_on: date, members_present: int, resolutions: str, notes: str = "") -> None:
    AGM.objects.update_or_create(
        umbrella=clt.umbrella,
        clt=clt,
        held_on=held_on,
        defaults={"members_present": members_present, "resolutions": resolutions, "notes": notes},
    )


def _advice(clt: CLT, given_on: date, topic: str, *, hours: str, by: User, attendees: str, notes: str = "") -> None:
    AdviceSession.objects.update_or_create(
        umbrella=clt.umbrella,
        clt=clt,
        given_on=given_on,
        topic=topic,
        defaults={"hours": Decimal(hours), "given_by": by, "attendees": attendees, "notes": notes},
    )


def _grant(clt: CLT, funder: str, programme: str, **fields) -> None:
    RevenueGrant.objects.update_or_create(
        umbrella=clt.umbrella,
        clt=clt,
        funder=funder,
        programme=programme,
        defaults=fields,
    )


def _load_wessex() -> None:
    umbrella = Umbrella.objects.filter(slug="wessex").first()
    staff = User.objects.filter(email="wessex-staff@fieldgate.test").first()
    if umbrella is None or staff is None:
        return
    ashcombe = _clt(umbrella, "Ashcombe Magna Community Land Trust", **ALL_S79)
    if ashcombe is not None:
        _people(
            ashcombe,
            [
                ("Margaret Yeo", PersonRole.CHAIR, date(2021, 3, 18), date(2027, 3, 18)),
                ("Colin Darch", PersonRole.TREASURER, date(2022, 6, 11), date(2026, 12, 31)),
                ("Sunita Rowe", PersonRole.SECRETARY, date(2023, 6, 10), date(2026, 6, 10)),
                ("Peter Hosegood", PersonRole.BOARD_MEMBER, date(2021, 3, 18), date(2025, 3, 18)),
                ("Elsie Chard", PersonRole.VOLUNTEER, date(2024, 9, 1), None),
            ],
        )
        _agm(ashcombe, date(2024, 6, 15), 38, "Accounts for 2023 adopted\nColin Darch re-elected as treasurer")
        _agm(
            ashcombe,
            date(2025, 6, 14),
            44,
            "Accounts for 2024 adopted\nRules amended to widen the community to Ashcombe Parva",
        )
        _advice(
            ashcombe,
            date(2021, 1, 26),
            AdviceTopic.LEGAL_FRAMEWORK,
            hours="3.00",
            by=staff,
            attendees="Steering group (7)",
            notes="Choosing a legal form: the community benefit society model rules.",
        )
        _advice(
            ashcombe,
            date(2021, 9, 14),
            AdviceTopic.BUSINESS_PLANNING,
            hours="4.50",
            by=staff,
            attendees="Board (6)",
            notes="First business plan and cash flow for pre-development.",
        )
        _advice(
            ashcombe,
            date(2023, 2, 7),
            AdviceTopic.ALLOCATIONS,
            hours="2.00",
            by=staff,
            attendees="Board and allocation panel",
            notes="Local connection criteria for the s106 and nomination agreement.",
        )
        _grant(
            ashcombe,
            "Homes England",
            "Community Housing Fund (revenue)",
            amount_requested=Decimal("45000.00"),
            amount_awarded=Decimal("42500.00"),
            status=GrantStatus.AWARDED,
            submitted_on=date(2021, 5, 4),
            decision_on=date(2021, 8, 19),
            conditions="Paid in tranches against milestones: site secured, planning submitted.",
        )
        _grant(
            ashcombe,
            "Somerset Community Foundation",
            "Community Led Housing start-up",
            amount_requested=Decimal("5000.00"),
            amount_awarded=Decimal("5000.00"),
            status=GrantStatus.AWARDED,
            submitted_on=date(2020, 11, 2),
            decision_on=date(2020, 12, 15),
        )
    hembury = _clt(
        umbrella,
        "Hembury Cross CLT",
        s79_defined_community=True,
        s79_community_benefit=True,
        s79_open_membership=True,
        s79_member_control=True,
    )
    if hembury is not None:
        _people(
            hembury,
            [
                ("Gareth Lamacraft", PersonRole.CHAIR, date(2022, 5, 9), date(2026, 5, 9)),
                ("Ruth Vosper", PersonRole.SECRETARY, date(2022, 5, 9), None),
            ],
        )
        _agm(hembury, date(2025, 5, 22), 19, "Accounts for 2024 adopted")
        _advice(
            hembury,
            date(2024, 10, 3),
            AdviceTopic.COMMUNITY_ENGAGEMENT,
            hours="2.75",
            by=staff,
            attendees="Board (5) and parish council chair",
            notes="Planning the consultation event for Glebe Field.",
        )
        _grant(
            hembury,
            "Homes England",
            "Community Housing Fund (revenue)",
            amount_requested=Decimal("45000.00"),
            amount_awarded=None,
            status=GrantStatus.SUBMITTED,
            submitted_on=date(2025, 11, 3),
        )
    stourcombe = _clt(umbrella, "Stourcombe Community Land Trust", s79_defined_community=True, s79_open_membership=True)
    if stourcombe is not None:
        _people(stourcombe, [("Anne Pitman", PersonRole.CHAIR, date(2023, 10, 2), date(2026, 10, 2))])
        _advice(
            stourcombe,
            date(2023, 7, 18),
            AdviceTopic.GOVERNANCE,
            hours="1.50",
            by=staff,
            attendees="Founding members (4)",
            notes="Board roles and the asset lock in the model rules.",
        )
        _grant(
            stourcombe,
            "Homes England",
            "Community Housing Fund (revenue)",
            amount_requested=Decimal("30000.00"),
            amount_awarded=None,
            status=GrantStatus.DRAFTING,
        )


def _load_south_essex() -> None:
    umbrella = Umbrella.objects.filter(slug="south-essex").first()
    staff = User.objects.filter(email="southessex-staff@fieldgate.test").first()
    if umbrella is None or staff is None:
        return
    leigh = _clt(
        umbrella,
        "Leigh Creek Community Land Trust",
        s79_defined_community=True,
        s79_community_benefit=True,
        s79_open_membership=True,
        s79_member_control=True,
    )
    if leigh is not None:
        _people(
            leigh,
            [
                ("Owen Hart", PersonRole.CHAIR, date(2024, 2, 14), date(2027, 2, 14)),
                ("Bernadette Quy", PersonRole.TREASURER, date(2024, 2, 14), date(2026, 2, 14)),
                ("Dev Malhotra", PersonRole.BOARD_MEMBER, date(2024, 2, 14), date(2027, 2, 14)),
            ],
        )
        _agm(leigh, date(2025, 3, 27), 22, "First accounts adopted\nBoard elected")
        _advice(
            leigh,
            date(2024, 1, 9),
            AdviceTopic.LEGAL_FRAMEWORK,
            hours="2.00",
            by=staff,
            attendees="Steering group (5)",
            notes="Registering as a community benefit society with the FCA.",
        )
        _advice(
            leigh,
            date(2024, 4, 16),
            AdviceTopic.BUSINESS_PLANNING,
            hours="3.25",
            by=staff,
            attendees="Board (5)",
            notes="Pre-development budget for the Creekside exemplar site.",
        )
        _grant(
            leigh,
            "Homes England",
            "Community Housing Fund (revenue)",
            amount_requested=Decimal("45000.00"),
            amount_awarded=None,
            status=GrantStatus.REFUSED,
            submitted_on=date(2024, 5, 20),
            decision_on=date(2024, 9, 30),
            conditions="Programme closed to new bids; advised to reapply.",
        )


@transaction.atomic
def load_clts_demo() -> None:
    """Add the demo CLTs' people, AGMs, advice sessions and grants (safe to run again)."""
    _load_wessex()
    _load_south_essex()
    _load_needs()


def _survey(
    umbrella: Umbrella,
    parish_name: str,
    closed_on: date,
    households: int,
    responses: int,
    need: dict[tuple[str, int], int],
) -> None:
    from clts.models import HousingNeed, HousingNeedSurvey, Parish

    parish = Parish.objects.filter(umbrella=umbrella, name=parish_name).first()
    if parish is None:
        return
    survey, _ = HousingNeedSurvey.objects.get_or_create(
        umbrella=umbrella,
        parish=parish,
        surveyed_on=closed_on,
        defaults={"households_surveyed": households, "responses": responses},
    )
    for (tenure, bedrooms), count in need.items():
        HousingNeed.objects.get_or_create(
            umbrella=umbrella, survey=survey, tenure=tenure, bedrooms=bedrooms, defaults={"households": count}
        )


def _load_needs() -> None:
    """Parish housing needs surveys behind the demo schemes' mixes (figures invented)."""
    wessex = Umbrella.objects.filter(slug="wessex").first()
    if wessex is None:
        return
    _survey(
        wessex,
        "Ashcombe Magna",
        date(2020, 11, 30),
        412,
        187,
        {
            ("social_rent", 1): 2,
            ("social_rent", 2): 3,
            ("affordable_rent", 2): 3,
            ("affordable_rent", 3): 2,
            ("shared_ownership", 2): 3,
            ("shared_ownership", 3): 1,
        },
    )
    _survey(
        wessex,
        "Hembury Cross",
        date(2021, 10, 31),
        268,
        102,
        {("affordable_rent", 2): 4, ("affordable_rent", 3): 2, ("shared_ownership", 2): 2, ("first_homes", 2): 1},
    )
    _survey(
        wessex,
        "Stourcombe",
        date(2023, 3, 31),
        190,
        71,
        {("affordable_rent", 1): 1, ("affordable_rent", 2): 3, ("first_homes", 2): 2, ("first_homes", 3): 1},
    )
