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
from partnerships.models import AgreementStatus, CollaborationAgreement, FeeBasis, HousingAssociation

from .models import RAG, Scheme, Site, StageChange
from .stages import PIPELINE, Stage

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
        umbrella=umbrella, user=user, role=role, clt=clt, housing_association=ha, revoked_at=None,
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
    parish, _ = Parish.objects.get_or_create(umbrella=umbrella, name=name, district=district, defaults={"county": county})
    return parish


def _clt(umbrella, name, parishes, **fields) -> CLT:
    clt, _ = CLT.objects.update_or_create(umbrella=umbrella, name=name, defaults=fields)
    for parish in parishes:
        CLTParish.objects.get_or_create(umbrella=umbrella, clt=clt, parish=parish)
    return clt


def _scheme(umbrella, name, *, clt, stage, started: date, by: User, site=None, ha=None, **fields) -> Scheme:
    scheme, created = Scheme.objects.update_or_create(
        umbrella=umbrella, name=name,
        defaults={"clt": clt, "stage": stage, "site": site, "housing_association": ha, **fields},
    )
    if created:
        # The path the scheme took to its stage, one move every few months.
        if stage in PIPELINE:
            path = PIPELINE[: PIPELINE.index(stage) + 1]
        else:
            path = PIPELINE[:4] + [stage]
        previous = ""
        for step, to_stage in enumerate(path):
            at = timezone.make_aware(datetime.combine(started + timedelta(days=75 * step), time(10, 0)))
            StageChange.objects.create(
                umbrella=umbrella, scheme=scheme, from_stage=previous, to_stage=to_stage,
                changed_by=by, changed_at=at, note="" if step else "Enquiry from the parish council",
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
            "address": "Wessex Community Assets\nThe Old Chapel, Market Street\nLangport, Somerset",
            "email": "clt-project@wessex.fieldgate.test",
            "require_mfa_for_staff": False,
        },
    )
    admin = _user("wessex-admin@fieldgate.test", "Harriet", "Penrose")
    staff = _user("wessex-staff@fieldgate.test", "Tom", "Ashdown")
    volunteer = _user("ashcombe-volunteer@fieldgate.test", "Margaret", "Yeo")
    ha_team = _user("aster-team@fieldgate.test", "Priya", "Lacey")

    aster = _ha(
        umbrella, "Aster Group", short_name="Aster", homes_managed=27000, staff_count=1500,
        assets_note="assets of over £1 billion",
        area_of_operation="Somerset\nDorset\nWiltshire\nDevon",
        statement_email="development@aster.fieldgate.test",
        address="Development team\nAster Group\nDevizes, Wiltshire",
        notes="Employs a project manager with specific responsibility for community-led development.",
    )
    hastoe = _ha(umbrella, "Hastoe", short_name="Hastoe", area_of_operation="Somerset\nDorset\nDevon",
                 statement_email="development@hastoe.fieldgate.test")
    yarlington = _ha(umbrella, "Yarlington", short_name="Yarlington", area_of_operation="Somerset\nDorset",
                     statement_email="development@yarlington.fieldgate.test")
    teign = _ha(umbrella, "Teign Housing", short_name="Teign", area_of_operation="Devon",
                statement_email="development@teign.fieldgate.test")
    alliance = _ha(umbrella, "Alliance", short_name="Alliance", area_of_operation="Somerset",
                   statement_email="development@alliance.fieldgate.test")

    _agreement(umbrella, aster, status=AgreementStatus.ACTIVE, signed_on=date(2023, 4, 3), review_on=date(2027, 4, 3),
               fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=Decimal("4500.00"), goes_ahead_at=Stage.START_ON_SITE)
    _agreement(umbrella, hastoe, status=AgreementStatus.ACTIVE, signed_on=date(2022, 9, 12), review_on=date(2026, 9, 12),
               fee_basis=FeeBasis.PERCENT_OF_COST, fee_percent=Decimal("2.50"), goes_ahead_at=Stage.START_ON_SITE)
    _agreement(umbrella, yarlington, status=AgreementStatus.ACTIVE, signed_on=date(2021, 6, 1), review_on=date(2027, 6, 1),
               fee_basis=FeeBasis.ACTUAL_CAPPED, cap_amount=Decimal("40000.00"), goes_ahead_at=Stage.PLANNING_APPROVED)
    _agreement(umbrella, teign, status=AgreementStatus.ACTIVE, signed_on=date(2024, 1, 15), review_on=date(2028, 1, 15),
               fee_basis=FeeBasis.FIXED_PER_HOME, fee_per_home=Decimal("4000.00"), goes_ahead_at=Stage.START_ON_SITE,
               fees_subject_to_vat=False)
    _agreement(umbrella, alliance, status=AgreementStatus.DRAFT, fee_basis=FeeBasis.PERCENT_OF_COST,
               fee_percent=Decimal("3.00"), goes_ahead_at=Stage.START_ON_SITE)

    ashcombe = _parish(umbrella, "Ashcombe Magna", "Somerset", "Somerset")
    ashcombe_parva = _parish(umbrella, "Ashcombe Parva", "Somerset", "Somerset")
    hembury = _parish(umbrella, "Hembury Cross", "East Devon", "Devon")
    stourcombe = _parish(umbrella, "Stourcombe", "Dorset", "Dorset")
    kingsmere = _parish(umbrella, "Kingsmere", "Somerset", "Somerset")
    brackenford = _parish(umbrella, "Brackenford", "Somerset", "Somerset")
    wellow = _parish(umbrella, "Wellow Marsh", "Somerset", "Somerset")
    thornbury = _parish(umbrella, "Thornbury St Clement", "Mid Devon", "Devon")

    cbs = {"legal_form": LegalForm.CBS}
    ashcombe_clt = _clt(umbrella, "Ashcombe Magna Community Land Trust", [ashcombe, ashcombe_parva], **cbs,
                        registration_number="RS008341", incorporated_on=date(2021, 3, 18), membership_count=74,
                        contact_name="Margaret Yeo", contact_email="ashcombe-volunteer@fieldgate.test",
                        setup_status=SetupStatus.ACTIVE)
    hembury_clt = _clt(umbrella, "Hembury Cross CLT", [hembury], **cbs, registration_number="RS008702",
                       incorporated_on=date(2022, 5, 9), membership_count=41, setup_status=SetupStatus.ACTIVE)
    stourcombe_clt = _clt(umbrella, "Stourcombe Community Land Trust", [stourcombe], **cbs,
                          registration_number="RS009115", incorporated_on=date(2023, 10, 2), membership_count=28,
                          setup_status=SetupStatus.INCORPORATED)
    kingsmere_clt = _clt(umbrella, "Kingsmere CLT", [kingsmere], **cbs, registration_number="RS007220",
                         incorporated_on=date(2018, 2, 26), membership_count=96, setup_status=SetupStatus.ACTIVE)
    brackenford_clt = _clt(umbrella, "Brackenford Community Land Trust", [brackenford], **cbs,
                           membership_count=0, setup_status=SetupStatus.FORMING)
    wellow_clt = _clt(umbrella, "Wellow Marsh CLT", [wellow], legal_form=LegalForm.CLG,
                      registration_number="12873310", incorporated_on=date(2020, 9, 1), membership_count=19,
                      setup_status=SetupStatus.DORMANT)
    thornbury_clt = _clt(umbrella, "Thornbury St Clement CLT", [thornbury], **cbs, registration_number="RS007954",
                         incorporated_on=date(2019, 7, 11), membership_count=55, setup_status=SetupStatus.ACTIVE)

    _scheme(umbrella, "Orchard Close, Ashcombe Magna", clt=ashcombe_clt, ha=aster, stage=Stage.START_ON_SITE,
            started=date(2021, 1, 11), by=staff,
            site=_site(umbrella, "Land east of Orchard Close", ashcombe, landowner="The Glebe Trustees",
                       area_hectares=Decimal("0.620"), current_use="Pasture"),
            homes_social_rent=4, homes_affordable_rent=4, homes_shared_ownership=4,
            total_cost=Decimal("2940000.00"), grant=Decimal("1080000.00"))
    _scheme(umbrella, "Glebe Field, Hembury Cross", clt=hembury_clt, ha=hastoe, stage=Stage.PLANNING_SUBMITTED,
            started=date(2022, 3, 7), by=staff, rag=RAG.AMBER, rag_reason="Highways objection to the access",
            site=_site(umbrella, "Glebe Field", hembury, landowner="A local farming family",
                       area_hectares=Decimal("0.410"), current_use="Grazing"),
            homes_affordable_rent=5, homes_shared_ownership=3, total_cost=Decimal("1960000.00"))
    _scheme(umbrella, "Mill Lane, Stourcombe", clt=stourcombe_clt, stage=Stage.SITE_SECURED,
            started=date(2023, 6, 5), by=staff,
            site=_site(umbrella, "Mill Lane paddock", stourcombe, landowner="Stourcombe Estate",
                       area_hectares=Decimal("0.300"), current_use="Paddock"),
            homes_affordable_rent=4, homes_first_homes=2)
    _scheme(umbrella, "Chapel Orchard, Kingsmere", clt=kingsmere_clt, ha=yarlington, stage=Stage.OCCUPIED,
            started=date(2016, 4, 18), by=staff,
            site=_site(umbrella, "Chapel Orchard", kingsmere, landowner="Kingsmere Methodist Trustees"),
            homes_social_rent=6, homes_shared_ownership=4, total_cost=Decimal("2150000.00"),
            grant=Decimal("640000.00"))
    _scheme(umbrella, "Brackenford homes", clt=brackenford_clt, stage=Stage.ENQUIRY, started=date(2026, 7, 1),
            by=staff)
    _scheme(umbrella, "Station Yard, Wellow Marsh", clt=wellow_clt, ha=alliance, stage=Stage.WITHDRAWN,
            started=date(2020, 10, 5), by=staff, rag=RAG.RED, rag_reason="The landowner withdrew the site",
            site=_site(umbrella, "Old station yard", wellow, landowner="A private landowner"),
            homes_affordable_rent=6)
    _scheme(umbrella, "Church Meadow, Thornbury St Clement", clt=thornbury_clt, ha=teign,
            stage=Stage.PRACTICAL_COMPLETION, started=date(2019, 9, 2), by=staff,
            site=_site(umbrella, "Church Meadow", thornbury, landowner="The Diocese"),
            homes_social_rent=3, homes_affordable_rent=3, homes_shared_ownership=2,
            total_cost=Decimal("1780000.00"), grant=Decimal("560000.00"))

    people = {"admin": admin, "staff": staff, "volunteer": volunteer, "ha_team": ha_team}
    return _four_roles(umbrella, people, clt=ashcombe_clt, ha=aster, labels={
        "admin": "Wessex CLT Project: umbrella admin",
        "staff": "Wessex CLT Project: umbrella staff",
        "volunteer": "Ashcombe Magna CLT volunteer (allocation panel)",
        "ha_team": "Aster Group development team",
    })


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

    estuary = _ha(umbrella, "Estuary Homes", area_of_operation="Castle Point\nRochford\nSouthend-on-Sea",
                  statement_email="development@estuary.fieldgate.test")
    crouch = _ha(umbrella, "Crouch Valley Housing", area_of_operation="Rochford\nBasildon")
    thameside = _ha(umbrella, "Thameside Community Homes", area_of_operation="Thurrock\nBasildon")
    brentwood = _ha(umbrella, "Weald and Marsh Housing", area_of_operation="Brentwood\nBasildon")
    for ha, basis in ((estuary, FeeBasis.FIXED_PER_HOME), (crouch, FeeBasis.PERCENT_OF_COST),
                      (thameside, FeeBasis.ACTUAL_CAPPED), (brentwood, FeeBasis.FIXED_PER_HOME)):
        figures = {
            FeeBasis.FIXED_PER_HOME: {"fee_per_home": Decimal("3500.00")},
            FeeBasis.PERCENT_OF_COST: {"fee_percent": Decimal("2.00")},
            FeeBasis.ACTUAL_CAPPED: {"cap_amount": Decimal("30000.00")},
        }[basis]
        _agreement(umbrella, ha, status=AgreementStatus.ACTIVE, signed_on=date(2022, 1, 17), fee_basis=basis,
                   goes_ahead_at=Stage.START_ON_SITE, **figures)

    leigh = _parish(umbrella, "Leigh Creek", "Castle Point", "Essex")
    canvey = _parish(umbrella, "Canvey Point", "Castle Point", "Essex")
    leigh_clt = _clt(umbrella, "Leigh Creek Community Land Trust", [leigh, canvey], legal_form=LegalForm.CBS,
                     registration_number="RS009480", incorporated_on=date(2024, 2, 14), membership_count=37,
                     setup_status=SetupStatus.INCORPORATED)
    _scheme(umbrella, "Creekside exemplar site", clt=leigh_clt, ha=estuary, stage=Stage.HA_MATCHED,
            started=date(2024, 3, 4), by=staff,
            site=_site(umbrella, "Former boatyard, Creekside", leigh, landowner="Castle Point Borough Council"),
            homes_social_rent=6, homes_shared_ownership=4, total_cost=Decimal("3100000.00"))
    _scheme(umbrella, "Canvey Point infill", clt=leigh_clt, stage=Stage.SITE_SEARCH, started=date(2025, 5, 12),
            by=staff)

    people = {"admin": admin, "staff": staff, "volunteer": volunteer, "ha_team": ha_team}
    return _four_roles(umbrella, people, clt=leigh_clt, ha=estuary, labels={
        "admin": "South Essex Housing Partnership: umbrella admin",
        "staff": "South Essex Housing Partnership: umbrella staff",
        "volunteer": "Leigh Creek CLT volunteer (allocation panel)",
        "ha_team": "Estuary Homes development team",
    })


def load_both() -> list[DemoLogin]:
    consultant = _user("consultant@fieldgate.test", "Sam", "Rowley")
    for slug in ("wessex", "south-essex"):
        _member(Umbrella.objects.get(slug=slug), consultant, Role.STAFF)
    return [DemoLogin(consultant.email, consultant.display_name, "Staff in both umbrellas (a shared consultant)")]


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    return load_wessex() + load_south_essex() + load_both()
