"""Demo data drawn from the two published partnership models (shared/context/).

Organisations are the real partnership models; every person and village is invented. Loading is
keyed on natural keys (slugs, names, emails), so running it twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, Umbrella, User
from clts.models import CLT, CLTParish, LegalForm, Parish, SetupStatus
from partnerships.organisations.models import (
    AdviserFirm,
    AdviserRole,
    AgreementStatus,
    CollaborationAgreement,
    FeeBasis,
    HousingAssociation,
)
from schemes.calculations import add_years
from schemes.models import (
    RAG,
    Bid,
    Lease,
    Milestone,
    MilestoneKind,
    Negotiation,
    NegotiationStatus,
    PlanningStatus,
    Scheme,
    Site,
    StageChange,
    Tender,
    TenderInvitation,
    TenderStatus,
)
from schemes.stages import PIPELINE, Stage

DEMO_PASSWORD = "fieldgate-demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    description: str


def _user(email: str, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _member(umbrella, user, role, clt=None, ha=None, panel=False) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        umbrella=umbrella,
        user=user,
        role=role,
        clt=clt,
        housing_association=ha,
        revoked_at=None,
        defaults={"is_allocation_panel": panel},
    )
    return membership


def _ha(umbrella, name, **fields) -> HousingAssociation:
    ha, _ = HousingAssociation.objects.update_or_create(umbrella=umbrella, name=name, defaults=fields)
    return ha


def _agreement(umbrella, ha, **fields) -> CollaborationAgreement:
    agreement, _ = CollaborationAgreement.objects.update_or_create(
        umbrella=umbrella, housing_association=ha, defaults=fields
    )
    return agreement


def _parish(umbrella, name, district, county) -> Parish:
    parish, _ = Parish.objects.get_or_create(
        umbrella=umbrella, name=name, district=district, defaults={"county": county}
    )
    return parish


def _clt(umbrella, name, parishes, **fields) -> CLT:
    clt, _ = CLT.objects.update_or_create(umbrella=umbrella, name=name, defaults=fields)
    for parish in parishes:
        CLTParish.objects.get_or_create(umbrella=umbrella, clt=clt, parish=parish)
    return clt


def _move_dates(path: list[str], started: date, moves: dict[str, date]) -> list[date]:
    """The date of each move along `path`: the enquiry on `started`, the moves named in `moves` on
    theirs (the dates the lease, the s106, the start notice give), and the rest spread evenly
    between the named ones (or 75 days apart after the last)."""
    known = {0: started, **{path.index(stage): on for stage, on in moves.items()}}
    dates = []
    for i in range(len(path)):
        if i in known:
            dates.append(known[i])
            continue
        before = max(k for k in known if k < i)
        after = min((k for k in known if k > i), default=None)
        if after is None:
            dates.append(known[before] + timedelta(days=75 * (i - before)))
        else:
            span = (known[after] - known[before]).days
            dates.append(known[before] + timedelta(days=span * (i - before) // (after - before)))
    return dates


def _scheme(umbrella, name, *, clt, stage, started: date, by: User, site=None, ha=None, moves=None, **fields) -> Scheme:
    scheme, created = Scheme.objects.update_or_create(
        umbrella=umbrella,
        name=name,
        defaults={"clt": clt, "stage": stage, "site": site, "housing_association": ha, **fields},
    )
    if created:
        # The path the scheme took to its stage: the CLT formed when it was incorporated (or at
        # once, for a CLT that has one scheme already), the moves `moves` names on their dates.
        if stage in PIPELINE:
            path = PIPELINE[: PIPELINE.index(stage) + 1]
        else:
            path = PIPELINE[:4] + [stage]
        moves = dict(moves or {})
        if len(path) > 1 and Stage.CLT_FORMED not in moves:
            formed = clt.incorporated_on if clt.incorporated_on and clt.incorporated_on > started else None
            moves[Stage.CLT_FORMED] = formed or started + timedelta(days=1)
        previous = ""
        for step, (to_stage, on) in enumerate(zip(path, _move_dates(path, started, moves), strict=True)):
            at = timezone.make_aware(datetime.combine(on, time(10, 0)))
            StageChange.objects.create(
                umbrella=umbrella,
                scheme=scheme,
                from_stage=previous,
                to_stage=to_stage,
                changed_by=by,
                changed_at=at,
                recorded_at=at,  # recorded as it happened
                note="" if step else "Enquiry from the parish council",
            )
            previous = to_stage
    return scheme


def _site(umbrella, name, parish, **fields) -> Site:
    site, _ = Site.objects.update_or_create(umbrella=umbrella, name=name, defaults={"parish": parish, **fields})
    return site


def _four_roles(umbrella, people: dict, *, clt, ha, labels: dict) -> list[DemoLogin]:
    """The admin, staff, CLT volunteer (on the allocation panel) and HA team of one umbrella."""
    _member(umbrella, people["admin"], Role.ADMIN)
    _member(umbrella, people["staff"], Role.STAFF)
    _member(umbrella, people["volunteer"], Role.CLT_VOLUNTEER, clt=clt, panel=True)
    _member(umbrella, people["ha_team"], Role.HA_TEAM, ha=ha)
    return [DemoLogin(people[key].email, people[key].display_name, labels[key]) for key in people]


def load_wessex() -> list[DemoLogin]:
    umbrella, _ = Umbrella.objects.update_or_create(
        slug="wessex",
        defaults={
            "name": "Wessex CLT Project",
            "host_organisation": "Wessex Community Assets",
            "region": "Somerset, Devon and Dorset",
            "address": "Wessex Community Assets\nThe Old Chapel, Market Street\nLangport\nSomerset TA10 9PS",
            "email": "clt-project@wessex.fieldgate.test",
            "require_mfa_for_staff": False,
            # What its invoices carry (made-up numbers of the right shape).
            "vat_number": "GB 123 4567 89",
            "company_number": "07654321",
            "charity_number": "1187654",
            "bank_account_name": "Wessex Community Assets",
            "bank_sort_code": "30-99-50",
            "bank_account_number": "12345678",
            "remittance_email": "accounts@wessex.fieldgate.test",
            "invoice_contact": "Harriet Penrose, 01458 250000",
            "invoice_prefix": "WCP",
        },
    )
    admin = _user("wessex-admin@fieldgate.test", "Harriet", "Penrose")
    staff = _user("wessex-staff@fieldgate.test", "Tom", "Ashdown")
    volunteer = _user("ashcombe-volunteer@fieldgate.test", "Margaret", "Yeo")
    ha_team = _user("aster-team@fieldgate.test", "Priya", "Lacey")

    aster = _ha(
        umbrella,
        "Aster Group",
        short_name="Aster",
        homes_managed=27000,
        staff_count=1500,
        assets_note="assets of over £1 billion",
        area_of_operation="Somerset\nDorset\nWiltshire\nDevon",
        statement_email="development@aster.fieldgate.test",
        address="Accounts payable\nAster Group\nSarsen Court, Horton Avenue\nDevizes\nWiltshire SN10 2AZ",
        purchase_order_reference="PO-4500123",
        notes="Employs a project manager with specific responsibility for community-led development.",
    )
    hastoe = _ha(
        umbrella,
        "Hastoe",
        short_name="Hastoe",
        area_of_operation="Somerset\nDorset\nDevon",
        statement_email="development@hastoe.fieldgate.test",
    )
    yarlington = _ha(
        umbrella,
        "Yarlington",
        short_name="Yarlington",
        area_of_operation="Somerset\nDorset",
        statement_email="development@yarlington.fieldgate.test",
    )
    teign = _ha(
        umbrella,
        "Teign Housing",
        short_name="Teign",
        area_of_operation="Devon",
        statement_email="development@teign.fieldgate.test",
    )
    alliance = _ha(
        umbrella,
        "Alliance",
        short_name="Alliance",
        area_of_operation="Somerset",
        statement_email="development@alliance.fieldgate.test",
    )

    _agreement(
        umbrella,
        aster,
        status=AgreementStatus.ACTIVE,
        signed_on=date(2023, 4, 3),
        review_on=date(2027, 4, 3),
        fee_basis=FeeBasis.FIXED_PER_HOME,
        fee_per_home=Decimal("4500.00"),
        goes_ahead_at=Stage.START_ON_SITE,
    )
    _agreement(
        umbrella,
        hastoe,
        status=AgreementStatus.ACTIVE,
        signed_on=date(2022, 9, 12),
        review_on=date(2026, 9, 12),
        fee_basis=FeeBasis.PERCENT_OF_COST,
        fee_percent=Decimal("2.50"),
        goes_ahead_at=Stage.START_ON_SITE,
    )
    _agreement(
        umbrella,
        yarlington,
        status=AgreementStatus.ACTIVE,
        signed_on=date(2021, 6, 1),
        review_on=date(2027, 6, 1),
        fee_basis=FeeBasis.ACTUAL_CAPPED,
        cap_amount=Decimal("40000.00"),
        goes_ahead_at=Stage.PLANNING_APPROVED,
    )
    _agreement(
        umbrella,
        teign,
        status=AgreementStatus.ACTIVE,
        signed_on=date(2024, 1, 15),
        review_on=date(2028, 1, 15),
        fee_basis=FeeBasis.FIXED_PER_HOME,
        fee_per_home=Decimal("4000.00"),
        goes_ahead_at=Stage.START_ON_SITE,
        fees_subject_to_vat=False,
    )
    _agreement(
        umbrella,
        alliance,
        status=AgreementStatus.DRAFT,
        fee_basis=FeeBasis.PERCENT_OF_COST,
        fee_percent=Decimal("3.00"),
        goes_ahead_at=Stage.START_ON_SITE,
    )

    ashcombe = _parish(umbrella, "Ashcombe Magna", "Somerset", "Somerset")
    ashcombe_parva = _parish(umbrella, "Ashcombe Parva", "Somerset", "Somerset")
    hembury = _parish(umbrella, "Hembury Cross", "East Devon", "Devon")
    stourcombe = _parish(umbrella, "Stourcombe", "Dorset", "Dorset")
    kingsmere = _parish(umbrella, "Kingsmere", "Somerset", "Somerset")
    brackenford = _parish(umbrella, "Brackenford", "Somerset", "Somerset")
    wellow = _parish(umbrella, "Wellow Marsh", "Somerset", "Somerset")
    thornbury = _parish(umbrella, "Thornbury St Clement", "Mid Devon", "Devon")

    cbs = {"legal_form": LegalForm.CBS}
    ashcombe_clt = _clt(
        umbrella,
        "Ashcombe Magna Community Land Trust",
        [ashcombe, ashcombe_parva],
        **cbs,
        registration_number="RS008341",
        incorporated_on=date(2021, 3, 18),
        membership_count=74,
        contact_name="Margaret Yeo",
        contact_email="ashcombe-volunteer@fieldgate.test",
        setup_status=SetupStatus.ACTIVE,
    )
    hembury_clt = _clt(
        umbrella,
        "Hembury Cross CLT",
        [hembury],
        **cbs,
        registration_number="RS008702",
        incorporated_on=date(2022, 5, 9),
        membership_count=41,
        setup_status=SetupStatus.ACTIVE,
    )
    stourcombe_clt = _clt(
        umbrella,
        "Stourcombe Community Land Trust",
        [stourcombe],
        **cbs,
        registration_number="RS009115",
        incorporated_on=date(2023, 10, 2),
        membership_count=28,
        setup_status=SetupStatus.INCORPORATED,
    )
    kingsmere_clt = _clt(
        umbrella,
        "Kingsmere CLT",
        [kingsmere],
        **cbs,
        registration_number="RS007220",
        incorporated_on=date(2014, 9, 1),
        membership_count=96,
        setup_status=SetupStatus.ACTIVE,
    )
    brackenford_clt = _clt(
        umbrella,
        "Brackenford Community Land Trust",
        [brackenford],
        **cbs,
        membership_count=0,
        setup_status=SetupStatus.FORMING,
    )
    wellow_clt = _clt(
        umbrella,
        "Wellow Marsh CLT",
        [wellow],
        legal_form=LegalForm.CLG,
        registration_number="12873310",
        incorporated_on=date(2020, 12, 14),
        membership_count=19,
        setup_status=SetupStatus.DORMANT,
    )
    thornbury_clt = _clt(
        umbrella,
        "Thornbury St Clement CLT",
        [thornbury],
        **cbs,
        registration_number="RS007954",
        incorporated_on=date(2019, 11, 16),
        membership_count=55,
        setup_status=SetupStatus.ACTIVE,
    )

    _scheme(
        umbrella,
        "Orchard Close, Ashcombe Magna",
        clt=ashcombe_clt,
        ha=aster,
        stage=Stage.START_ON_SITE,
        started=date(2021, 1, 11),
        moves={
            Stage.DESIGN: date(2022, 3, 1),  # the architect appointed on 20 February
            Stage.S106_SIGNED: date(2022, 11, 3),  # as the allocation policy records it
            Stage.FREEHOLD_AND_LEASE: date(2025, 1, 6),  # freehold bought 28 Nov 2024, the lease from 6 Jan
            Stage.START_ON_SITE: date(2025, 3, 10),  # the contractor's start, a week late
        },
        by=staff,
        site=_site(
            umbrella,
            "Land east of Orchard Close",
            ashcombe,
            landowner="The Glebe Trustees",
            area_hectares=Decimal("0.620"),
            current_use="Pasture",
        ),
        homes_social_rent=4,
        homes_affordable_rent=4,
        homes_shared_ownership=4,
        total_cost=Decimal("2397999.00"),  # as its agreed appraisal works it out
        grant=Decimal("1080000.00"),
    )
    _scheme(
        umbrella,
        "Glebe Field, Hembury Cross",
        clt=hembury_clt,
        ha=hastoe,
        stage=Stage.PLANNING_SUBMITTED,
        started=date(2022, 3, 7),
        moves={Stage.DESIGN: date(2023, 3, 17), Stage.PLANNING_SUBMITTED: date(2024, 6, 10)},
        by=staff,
        rag=RAG.AMBER,
        rag_reason="Highways objection to the access",
        site=_site(
            umbrella,
            "Glebe Field",
            hembury,
            landowner="A local farming family",
            area_hectares=Decimal("0.410"),
            current_use="Grazing",
        ),
        homes_affordable_rent=5,
        homes_shared_ownership=3,
        total_cost=Decimal("1960000.00"),
    )
    _scheme(
        umbrella,
        "Mill Lane, Stourcombe",
        clt=stourcombe_clt,
        stage=Stage.SITE_SECURED,
        started=date(2023, 6, 5),
        moves={Stage.SITE_SECURED: date(2024, 5, 13)},
        by=staff,
        site=_site(
            umbrella,
            "Mill Lane paddock",
            stourcombe,
            landowner="Stourcombe Estate",
            area_hectares=Decimal("0.300"),
            current_use="Paddock",
        ),
        homes_affordable_rent=4,
        homes_first_homes=2,
    )
    _scheme(
        umbrella,
        "Chapel Orchard, Kingsmere",
        clt=kingsmere_clt,
        ha=yarlington,
        stage=Stage.OCCUPIED,
        started=date(2014, 5, 12),
        moves={
            Stage.S106_SIGNED: date(2016, 2, 9),
            Stage.FREEHOLD_AND_LEASE: date(2018, 6, 1),  # freehold bought 21 May 2018, the lease from 1 June
            Stage.START_ON_SITE: date(2018, 7, 2),
            Stage.PRACTICAL_COMPLETION: date(2019, 6, 14),
            Stage.OCCUPIED: date(2019, 6, 24),  # the first tenancies
        },
        by=staff,
        site=_site(umbrella, "Chapel Orchard", kingsmere, landowner="Kingsmere Methodist Trustees"),
        homes_social_rent=6,
        homes_shared_ownership=4,
        total_cost=Decimal("2150000.00"),
        grant=Decimal("640000.00"),
    )
    _scheme(umbrella, "Brackenford homes", clt=brackenford_clt, stage=Stage.ENQUIRY, started=date(2026, 7, 1), by=staff)
    _scheme(
        umbrella,
        "Station Yard, Wellow Marsh",
        clt=wellow_clt,
        ha=alliance,
        stage=Stage.WITHDRAWN,
        started=date(2020, 10, 5),
        moves={Stage.SITE_SECURED: date(2021, 5, 18), Stage.WITHDRAWN: date(2023, 4, 17)},
        by=staff,
        rag=RAG.RED,
        rag_reason="The landowner withdrew the site",
        site=_site(umbrella, "Old station yard", wellow, landowner="A private landowner"),
        homes_affordable_rent=6,
    )
    _scheme(
        umbrella,
        "Church Meadow, Thornbury St Clement",
        clt=thornbury_clt,
        ha=teign,
        stage=Stage.PRACTICAL_COMPLETION,
        started=date(2019, 9, 2),
        moves={
            Stage.S106_SIGNED: date(2021, 4, 24),
            Stage.FREEHOLD_AND_LEASE: date(2022, 2, 14),  # freehold bought 1 Feb 2022, the lease from 14 Feb
            Stage.START_ON_SITE: date(2022, 3, 7),
            Stage.PRACTICAL_COMPLETION: date(2023, 6, 30),
        },
        by=staff,
        site=_site(umbrella, "Church Meadow", thornbury, landowner="The Diocese"),
        homes_social_rent=3,
        homes_affordable_rent=3,
        homes_shared_ownership=2,
        total_cost=Decimal("1780000.00"),
        grant=Decimal("560000.00"),
    )

    people = {"admin": admin, "staff": staff, "volunteer": volunteer, "ha_team": ha_team}
    return _four_roles(
        umbrella,
        people,
        clt=ashcombe_clt,
        ha=aster,
        labels={
            "admin": "Wessex CLT Project: umbrella admin",
            "staff": "Wessex CLT Project: umbrella staff",
            "volunteer": "Ashcombe Magna CLT volunteer (allocation panel)",
            "ha_team": "Aster Group development team",
        },
    )


def load_south_essex() -> list[DemoLogin]:
    umbrella, _ = Umbrella.objects.update_or_create(
        slug="south-essex",
        defaults={
            "name": "South Essex Housing Partnership",
            "host_organisation": "Association of South Essex Local Authorities (ASELA)",
            "region": "South Essex",
            "address": "South Essex Housing Partnership\nc/o Castle Point Borough Council\nThundersley, Essex",
            "email": "partnership@southessex.fieldgate.test",
            "require_mfa_for_staff": False,
        },
    )
    admin = _user("southessex-admin@fieldgate.test", "Daniel", "Marsh")
    staff = _user("southessex-staff@fieldgate.test", "Grace", "Whitlow")
    volunteer = _user("leighcreek-volunteer@fieldgate.test", "Owen", "Hart")
    ha_team = _user("estuary-team@fieldgate.test", "Ruth", "Kemble")

    estuary = _ha(
        umbrella,
        "Estuary Homes",
        area_of_operation="Castle Point\nRochford\nSouthend-on-Sea",
        statement_email="development@estuary.fieldgate.test",
    )
    crouch = _ha(umbrella, "Crouch Valley Housing", area_of_operation="Rochford\nBasildon")
    thameside = _ha(umbrella, "Thameside Community Homes", area_of_operation="Thurrock\nBasildon")
    brentwood = _ha(umbrella, "Weald and Marsh Housing", area_of_operation="Brentwood\nBasildon")
    for ha, basis in (
        (estuary, FeeBasis.FIXED_PER_HOME),
        (crouch, FeeBasis.PERCENT_OF_COST),
        (thameside, FeeBasis.ACTUAL_CAPPED),
        (brentwood, FeeBasis.FIXED_PER_HOME),
    ):
        figures = {
            FeeBasis.FIXED_PER_HOME: {"fee_per_home": Decimal("3500.00")},
            FeeBasis.PERCENT_OF_COST: {"fee_percent": Decimal("2.00")},
            FeeBasis.ACTUAL_CAPPED: {"cap_amount": Decimal("30000.00")},
        }[basis]
        _agreement(
            umbrella,
            ha,
            status=AgreementStatus.ACTIVE,
            signed_on=date(2022, 1, 17),
            fee_basis=basis,
            goes_ahead_at=Stage.START_ON_SITE,
            **figures,
        )

    leigh = _parish(umbrella, "Leigh Creek", "Castle Point", "Essex")
    canvey = _parish(umbrella, "Canvey Point", "Castle Point", "Essex")
    leigh_clt = _clt(
        umbrella,
        "Leigh Creek Community Land Trust",
        [leigh, canvey],
        legal_form=LegalForm.CBS,
        registration_number="RS009480",
        incorporated_on=date(2024, 5, 20),
        membership_count=37,
        setup_status=SetupStatus.INCORPORATED,
    )
    _scheme(
        umbrella,
        "Creekside exemplar site",
        clt=leigh_clt,
        ha=estuary,
        stage=Stage.HA_MATCHED,
        started=date(2024, 3, 4),
        moves={Stage.HA_MATCHED: date(2024, 12, 29)},
        by=staff,
        site=_site(umbrella, "Former boatyard, Creekside", leigh, landowner="Castle Point Borough Council"),
        homes_social_rent=6,
        homes_shared_ownership=4,
        total_cost=Decimal("3100000.00"),
    )
    _scheme(
        umbrella,
        "Canvey Point infill",
        clt=leigh_clt,
        stage=Stage.SITE_SEARCH,
        started=date(2025, 5, 12),
        moves={Stage.SITE_SEARCH: date(2025, 10, 9)},
        by=staff,
    )

    people = {"admin": admin, "staff": staff, "volunteer": volunteer, "ha_team": ha_team}
    return _four_roles(
        umbrella,
        people,
        clt=leigh_clt,
        ha=estuary,
        labels={
            "admin": "South Essex Housing Partnership: umbrella admin",
            "staff": "South Essex Housing Partnership: umbrella staff",
            "volunteer": "Leigh Creek CLT volunteer (allocation panel)",
            "ha_team": "Estuary Homes development team",
        },
    )


def load_both() -> list[DemoLogin]:
    consultant = _user("consultant@fieldgate.test", "Sam", "Rowley")
    for slug in ("wessex", "south-essex"):
        _member(Umbrella.objects.get(slug=slug), consultant, Role.STAFF)
    return [DemoLogin(consultant.email, consultant.display_name, "Staff in both umbrellas (a shared consultant)")]


def _firm(umbrella, name, disciplines) -> AdviserFirm:
    firm, _ = AdviserFirm.objects.get_or_create(umbrella=umbrella, name=name, defaults={"disciplines": disciplines})
    return firm


def _talks(site: Site, entries: list[tuple[date, str, str, str, str]]) -> None:
    for on, contact, terms, outcome, status in entries:
        Negotiation.objects.get_or_create(
            umbrella=site.umbrella,
            site=site,
            on=on,
            contact=contact,
            defaults={"offer_or_terms": terms, "outcome": outcome, "status_after": status},
        )
    latest = site.negotiations.order_by("-on").first()
    if latest:
        Site.objects.filter(pk=site.pk).update(negotiation_status=latest.status_after)


def _tender(
    scheme,
    title,
    role,
    firms,
    bids,
    *,
    appoint=None,
    price_weight=40,
    status=TenderStatus.OPEN,
    received_on=date(2024, 2, 1),
    appointed_on=date(2024, 2, 20),
) -> Tender:
    tender, created = Tender.objects.get_or_create(
        umbrella=scheme.umbrella,
        scheme=scheme,
        title=title,
        defaults={
            "role": role,
            "price_weight": price_weight,
            "status": status,
            "brief": "RIBA stages 1 to 4 for a small rural affordable housing scheme.",
        },
    )
    if not created:
        return tender
    for firm in firms:
        TenderInvitation.objects.create(umbrella=scheme.umbrella, tender=tender, firm=firm)
    made = {
        firm: Bid.objects.create(
            umbrella=scheme.umbrella,
            tender=tender,
            firm=firm,
            price=Decimal(price),
            quality_score=Decimal(quality),
            received_on=received_on,
        )
        for firm, price, quality in bids
    }
    if appoint:
        tender.status = TenderStatus.AWARDED
        tender.appointed_bid = made[appoint]
        tender.appointed_on = appointed_on
        tender.appointed_fee = made[appoint].price
        tender.save()
    return tender


def _lease(scheme, **fields) -> Lease:
    lease, _ = Lease.objects.update_or_create(umbrella=scheme.umbrella, scheme=scheme, defaults=fields)
    return lease


def _milestone(scheme, title, due_on, *, owner=None, kind=MilestoneKind.MILESTONE, development=False, done=None):
    Milestone.objects.update_or_create(
        umbrella=scheme.umbrella,
        clt=scheme.clt,
        scheme=scheme,
        title=title,
        defaults={"due_on": due_on, "owner": owner, "kind": kind, "is_development": development, "completed_on": done},
    )


def load_wessex_lifecycle() -> None:
    """Sites' talks, adviser tenders, leases and milestones for the Wessex demo schemes."""
    umbrella = Umbrella.objects.get(slug="wessex")
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    volunteer = User.objects.get(email="ashcombe-volunteer@fieldgate.test")
    aster_team = User.objects.get(email="aster-team@fieldgate.test")
    schemes = {s.name: s for s in Scheme.objects.filter(umbrella=umbrella).select_related("site", "clt")}
    appetite = {
        "Aster Group": (6, 40, True),
        "Hastoe": (4, 20, True),
        "Yarlington": (6, 30, False),
        "Teign Housing": (4, 15, False),
        "Alliance": (8, 40, False),
    }
    for name, (low, high, first_homes) in appetite.items():
        HousingAssociation.objects.filter(umbrella=umbrella, name=name).update(
            min_scheme_homes=low, max_scheme_homes=high, develops_first_homes=first_homes
        )

    firms = [
        _firm(umbrella, "Quantock Rural Architects", "architect"),
        _firm(umbrella, "Levels and Moor Architecture", "architect"),
        _firm(umbrella, "Blackdown Cost Consultants", "quantity surveyor, employer's agent"),
        _firm(umbrella, "Parrett Planning Associates", "planning consultant"),
        _firm(umbrella, "Stoke Abbott Solicitors", "solicitor"),
    ]

    orchard = schemes["Orchard Close, Ashcombe Magna"]
    Site.objects.filter(pk=orchard.site_id).update(
        planning_status=PlanningStatus.APPROVED,
        score_access=4,
        score_planning=5,
        score_landowner=4,
        score_community=5,
        score_cost=3,
    )
    _talks(
        orchard.site,
        [
            (
                date(2021, 5, 10),
                "The Glebe Trustees' agent",
                "Asked about selling 0.6 ha for affordable homes",
                "Willing in principle",
                NegotiationStatus.APPROACHED,
            ),
            (
                date(2021, 9, 2),
                "The Glebe Trustees' agent",
                "£10,000 a plot for 12 plots",
                "Trustees to consider",
                NegotiationStatus.NEGOTIATING,
            ),
            (
                date(2022, 1, 20),
                "The Glebe Trustees",
                "£11,500 a plot, option for 3 years",
                "Heads of terms signed",
                NegotiationStatus.HEADS_OF_TERMS,
            ),
            (
                date(2022, 4, 4),
                "The Glebe Trustees' solicitor",
                "Option agreement",
                "Option completed",
                NegotiationStatus.OPTION_AGREED,
            ),
            (
                date(2024, 11, 28),
                "The Glebe Trustees' solicitor",
                "Purchase at £138,000",
                "Freehold bought by the CLT",
                NegotiationStatus.PURCHASED,
            ),
        ],
    )
    _tender(
        orchard,
        "Architect for Orchard Close",
        AdviserRole.ARCHITECT,
        firms[:2],
        [(firms[0], "38500", "78"), (firms[1], "32750", "66")],
        appoint=firms[0],
        received_on=date(2022, 2, 1),
        appointed_on=date(2022, 2, 20),  # before design began on 1 March
    )
    _lease(
        orchard,
        freehold_acquired_on=date(2024, 11, 28),
        term_years=125,
        start_on=date(2025, 1, 6),
        premium=Decimal("1.00"),
        ground_rent=Decimal("1200.00"),
        option_earliest_on=date(2045, 1, 6),
        option_notice_months=12,
        option_basis="fixed_formula",
        option_base_price=Decimal("1450000.00"),
        option_indexation_percent=Decimal("2.50"),
    )
    today = date.today()
    _milestone(
        orchard,
        "Contractor starts on site",
        date(2025, 3, 3),
        owner=aster_team,
        development=True,
        done=date(2025, 3, 10),
    )
    _milestone(orchard, "Roofs on (weathertight)", today + timedelta(days=21), owner=aster_team, development=True)
    _milestone(orchard, "Practical completion", today + timedelta(days=160), owner=aster_team, development=True)
    _milestone(
        orchard,
        "Agree the local lettings plan with the district",
        today - timedelta(days=6),
        owner=volunteer,
        kind=MilestoneKind.TASK,
    )
    _milestone(
        orchard,
        "Newsletter to every household on progress",
        today + timedelta(days=12),
        owner=volunteer,
        kind=MilestoneKind.TASK,
    )

    glebe = schemes["Glebe Field, Hembury Cross"]
    Site.objects.filter(pk=glebe.site_id).update(
        planning_status=PlanningStatus.SUBMITTED,
        score_access=2,
        score_planning=3,
        score_landowner=4,
        score_community=4,
        score_cost=3,
    )
    _talks(
        glebe.site,
        [
            (
                date(2022, 6, 14),
                "The landowning family",
                "Option at £9,000 a plot",
                "Option signed",
                NegotiationStatus.OPTION_AGREED,
            )
        ],
    )
    _tender(
        glebe,
        "Planning consultant for Glebe Field",
        AdviserRole.PLANNING_CONSULTANT,
        [firms[3]],
        [(firms[3], "8400", "82")],
        appoint=firms[3],
        price_weight=30,
    )
    _milestone(glebe, "Highways response to the revised access", today + timedelta(days=9), owner=staff)
    _milestone(glebe, "Planning committee", today + timedelta(days=45), owner=staff)

    mill = schemes["Mill Lane, Stourcombe"]
    _talks(
        mill.site,
        [
            (
                date(2023, 9, 1),
                "Stourcombe Estate's land agent",
                "Option at agricultural value plus 10%",
                "Option agreed",
                NegotiationStatus.OPTION_AGREED,
            )
        ],
    )
    _tender(mill, "Architect for Mill Lane", AdviserRole.ARCHITECT, firms[:2], [(firms[0], "29000", "74")])
    _milestone(mill, "Match an HA partner", today + timedelta(days=20), owner=staff)

    for name, start, freehold, ground_rent in (
        ("Chapel Orchard, Kingsmere", date(2018, 6, 1), date(2018, 5, 21), Decimal("650.00")),
        ("Church Meadow, Thornbury St Clement", date(2022, 2, 14), date(2022, 2, 1), Decimal("0.00")),
    ):
        scheme = schemes[name]
        Site.objects.filter(pk=scheme.site_id).update(negotiation_status=NegotiationStatus.PURCHASED)
        _lease(
            scheme,
            freehold_acquired_on=freehold,
            term_years=125,
            start_on=start,
            premium=Decimal("1.00"),
            ground_rent=ground_rent,
            option_earliest_on=add_years(start, 25),
            option_notice_months=6,
            option_basis="outstanding_debt",
            option_loan_principal=Decimal("1400000.00"),
            option_loan_rate_percent=Decimal("4.50"),
            option_loan_term_years=30,
        )


def load_wessex_costs() -> None:
    """Staff roles with rates that rise each April, and a monthly pattern of time and expenses on
    the Wessex schemes (deterministic, so a second load changes nothing)."""
    from partnerships.organisations.models import RoleRate, StaffRole
    from schemes.models import CostEntry, CostKind

    umbrella = Umbrella.objects.get(slug="wessex")
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    admin = User.objects.get(email="wessex-admin@fieldgate.test")
    pm, _ = StaffRole.objects.get_or_create(umbrella=umbrella, name="Project manager")
    adviser, _ = StaffRole.objects.get_or_create(umbrella=umbrella, name="Community housing adviser")
    for role, rates in (
        (pm, ["46.00", "48.00", "50.00", "52.00", "55.00"]),
        (adviser, ["38.00", "40.00", "42.00", "43.50", "45.00"]),
    ):
        for year, rate in zip(range(2022, 2027), rates):
            RoleRate.objects.get_or_create(
                umbrella=umbrella,
                staff_role=role,
                effective_from=date(year, 4, 1),
                defaults={"hourly_rate": Decimal(rate)},
            )
    if CostEntry.objects.filter(umbrella=umbrella, source="demo").exists():
        return
    plans = {
        "Orchard Close, Ashcombe Magna": (date(2022, 4, 1), date(2026, 10, 31)),
        "Glebe Field, Hembury Cross": (date(2022, 6, 1), date(2026, 10, 31)),
        "Station Yard, Wellow Marsh": (date(2022, 4, 1), date(2023, 3, 31)),
        "Church Meadow, Thornbury St Clement": (date(2022, 4, 1), date(2023, 6, 30)),
        "Mill Lane, Stourcombe": (date(2023, 9, 1), date(2026, 10, 31)),
    }
    activities = [
        "Project meeting with the CLT board",
        "Landowner negotiation",
        "Design team meeting",
        "Community consultation",
        "Planning liaison",
        "Funding application",
    ]
    entries = []
    for name, (start, end) in plans.items():
        scheme = Scheme.objects.get(umbrella=umbrella, name=name)
        month, i = start, 0
        while month <= end:
            entries.append(
                CostEntry(
                    umbrella=umbrella,
                    kind=CostKind.TIME,
                    clt=scheme.clt,
                    scheme=scheme,
                    on=month.replace(day=10),
                    person=staff,
                    staff_role=pm,
                    hours=Decimal(3 + (i * 7) % 6) + Decimal("0.5") * (i % 2),
                    activity=activities[i % len(activities)],
                    source="demo",
                )
            )
            if i % 3 == 0:
                entries.append(
                    CostEntry(
                        umbrella=umbrella,
                        kind=CostKind.TIME,
                        clt=scheme.clt,
                        scheme=scheme,
                        on=month.replace(day=18),
                        person=admin,
                        staff_role=adviser,
                        hours=Decimal(2 + i % 3),
                        activity="Governance and allocations advice",
                        source="demo",
                    )
                )
            if i % 5 == 2:
                entries.append(
                    CostEntry(
                        umbrella=umbrella,
                        kind=CostKind.EXPENSE,
                        clt=scheme.clt,
                        scheme=scheme,
                        on=month.replace(day=22),
                        description="Village hall hire and refreshments",
                        amount=Decimal("85.00"),
                        vat=Decimal("17.00"),
                        source="demo",
                    )
                )
            i += 1
            month = (month.replace(day=28) + timedelta(days=5)).replace(day=1)
    CostEntry.objects.bulk_create(entries)


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    logins = load_wessex() + load_south_essex() + load_both()
    load_wessex_lifecycle()
    load_wessex_costs()
    from demo.appraisals import load_appraisals_demo, load_funding_demo
    from demo.programmes import load_programmes_demo

    load_appraisals_demo()
    load_funding_demo()
    load_programmes_demo()
    from demo.clts import load_clts_demo

    load_clts_demo()
    from demo.allocations import load_allocations_demo

    load_allocations_demo()
    from demo.documents import load_documents_demo

    load_documents_demo()
    from demo.stewardship import load_stewardship_demo

    load_stewardship_demo()
    from demo.relets import load_relets_demo

    load_relets_demo()
    return logins
