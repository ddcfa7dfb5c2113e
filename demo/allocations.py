"""Demo allocations: Ashcombe Magna CLT's policy (version 1 superseded, version 2 agreed, three
tiers), eight applicants for Orchard Close across the three tiers (one tie), and nomination list 1
issued to Aster. Written through the services, as staff and the CLT's allocation panel would."""

from datetime import date

from accounts.access import access_for_user_id
from accounts.models import Umbrella, User
from accounts.records import snapshot
from clts.allocations import services as policy_services
from clts.allocations.models import AllocationPolicy, ConnectionKind, NeedBand, PolicyTier, TierScope
from clts.models import CLT, Parish
from partnerships.organisations.models import HousingAssociation
from schemes.allocations import services as allocation_services
from schemes.allocations.models import Applicant, NominationList
from schemes.allocations.ranking import ranking_for
from schemes.models import Scheme

BANDS = [
    (1, "Urgent need", "Homeless or about to be, or their home is unsafe for a medical or welfare reason."),
    (2, "Overcrowded or unsuitable", "Short of at least one bedroom, or the home cannot be made to suit their needs."),
    (3, "Sharing or cannot afford", "Sharing a home and wanting their own, or unable to afford a home locally."),
]

L, LV, W, F = ConnectionKind.LIVES, ConnectionKind.LIVED, ConnectionKind.WORKS, ConnectionKind.FAMILY
# name, registered, band, household, bedrooms, [(kind, place, amount, evidence, checked)]
APPLICANTS = [
    ("Hannah Coombe", date(2023, 5, 10), 2, 4, 3, [(L, "Ashcombe Magna", 12, "Council tax bills 2013 to 2025", True)]),
    (
        "Daniel Pike",
        date(2024, 2, 1),
        1,
        3,
        2,
        [(L, "Ashcombe Magna", 4, "Tenancy agreement from 2021; notice to quit", True)],
    ),
    (
        "Grace Venn",
        date(2023, 5, 10),
        2,
        2,
        2,
        [
            (LV, "Ashcombe Magna", 9, "School records 2008 to 2017; electoral roll", True),
            (L, "Somerset", 2, "Tenancy agreement, Taunton", True),
        ],
    ),
    (
        "Tom Rendell",
        date(2022, 11, 1),
        3,
        1,
        1,
        [
            (W, "Ashcombe Magna", 30, "Employer's letter, Ashcombe Farm Shop, 30 hours a week", True),
            (L, "Kingsmere", 6, "Council tax bills 2019 to 2025", True),
        ],
    ),
    ("Priya Shah", date(2024, 6, 15), 1, 3, 2, [(L, "Ashcombe Parva", 5, "Council tax bills 2020 to 2025", True)]),
    (
        "Owen Baker",
        date(2023, 1, 20),
        2,
        4,
        3,
        [
            (F, "Kingsmere", 20, "Parents' council tax bills, Kingsmere, since 2004", True),
            (L, "Dorset", 3, "Tenancy agreement, Sherborne", True),
        ],
    ),
    (
        "Lucy Marsh",
        date(2023, 8, 1),
        1,
        2,
        1,
        [
            (L, "Somerset", 7, "Council tax bills, Bridgwater, 2018 to 2025", True),
            (F, "Ashcombe Magna", 10, "Says her mother lives at Church Row", False),
        ],
    ),
    (
        "Sam Hooper",
        date(2021, 9, 1),
        3,
        1,
        1,
        [(W, "Brackenford", 20, "Payslips, Brackenford garage, 20 hours a week", True)],
    ),
]


def _tier(access, policy, position, name, scope, parishes=(), district="", **tests):
    tier = PolicyTier(policy=policy, position=position, name=name, scope=scope, district=district, **tests)
    policy_services.tier_save(access=access, tier=tier, parishes=list(parishes))


def _change(access, policy, **fields):
    before = snapshot(policy)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy_services.policy_update(access=access, policy=policy, before=before)


def _change_tier(access, tier, **fields):
    before = snapshot(tier)
    for name, value in fields.items():
        setattr(tier, name, value)
    policy_services.tier_save(access=access, tier=tier, parishes=list(tier.parishes.all()), before=before)


def _bands(access, policy):
    for position, name, description in BANDS:
        policy_services.band_save(
            access=access, band=NeedBand(policy=policy, position=position, name=name, description=description)
        )


def load_allocations_demo() -> None:
    umbrella = Umbrella.objects.filter(slug="wessex").first()
    clt = CLT.objects.filter(umbrella=umbrella, name="Ashcombe Magna Community Land Trust").first()
    if clt is None or AllocationPolicy.objects.filter(clt=clt).exists():
        return  # not this demo, or loaded already
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    panel = User.objects.get(email="ashcombe-volunteer@fieldgate.test")
    access = access_for_user_id(user_id=staff.pk, umbrella_id=umbrella.pk)
    parish = {p.name: p for p in Parish.objects.filter(umbrella=umbrella)}
    aster = HousingAssociation.objects.get(umbrella=umbrella, name__startswith="Aster")

    # Version 1 (2022): the parish, then the district.
    v1 = policy_services.policy_start(access=access, clt=clt)
    _change(
        access,
        v1,
        summary="Homes for people with a strong connection to Ashcombe Magna, then to the rest of Somerset.",
        s106_reference="22/00871/FUL",
        s106_signed_on=date(2022, 11, 3),
        housing_association=aster,
        district_council="Somerset Council",
        nomination_signed_on=date(2022, 11, 3),
    )
    _tier(
        access,
        v1,
        1,
        "Ashcombe Magna",
        TierScope.THIS_PARISH,
        [parish["Ashcombe Magna"]],
        lives_years=3,
        works_hours=16,
        family_years=5,
    )
    _tier(access, v1, 2, "Somerset", TierScope.DISTRICT, district="Somerset", lives_years=5)
    _bands(access, v1)
    policy_services.policy_agree(access=access, policy=v1, agreed_on=date(2022, 11, 14))

    # Version 2 (2024): Ashcombe Parva and Kingsmere become a tier of their own; "has lived" added.
    v2 = policy_services.policy_start(access=access, clt=clt)
    _change(
        access,
        v2,
        summary="Homes for people with a strong connection to Ashcombe Magna, then the adjoining "
        "parishes of Ashcombe Parva and Kingsmere, then the rest of Somerset.",
    )
    _change_tier(access, v2.tiers.get(position=1), lived_years=5)
    _change_tier(access, v2.tiers.get(position=2), position=3, name="Elsewhere in Somerset", works_hours=16)
    _tier(
        access,
        v2,
        2,
        "Ashcombe Parva and Kingsmere",
        TierScope.ADJOINING,
        [parish["Ashcombe Parva"], parish["Kingsmere"]],
        lives_years=3,
        works_hours=16,
        family_years=5,
    )
    policy_services.policy_agree(access=access, policy=v2, agreed_on=date(2024, 9, 12))

    orchard = Scheme.objects.get(umbrella=umbrella, name="Orchard Close, Ashcombe Magna")
    panel_access = access_for_user_id(user_id=panel.pk, umbrella_id=umbrella.pk)
    for name, registered, band, household, bedrooms, connections in APPLICANTS:
        applicant = Applicant(
            scheme=orchard,
            name=name,
            registered_on=registered,
            need_band=band,
            household_size=household,
            bedrooms_needed=bedrooms,
            email=name.lower().replace(" ", ".") + "@example.org",
        )
        rows = []
        for kind, place, amount, evidence, checked in connections:
            p = parish.get(place)
            rows.append(
                {
                    "kind": kind,
                    "parish": p,
                    "district": "" if p else place,
                    "evidence": evidence,
                    "checked": checked,
                    "years": None if kind == W else amount,
                    "hours": amount if kind == W else None,
                }
            )
        allocation_services.applicant_save(access=panel_access, applicant=applicant, connections=rows)
    if not NominationList.objects.filter(scheme=orchard).exists():
        # Two households share a place (same tier, band and date registered): the panel drew lots.
        ties = ranking_for(access=panel_access, scheme=orchard, today=date(2026, 11, 1)).ties
        allocation_services.nomination_issue(
            access=panel_access,
            scheme=orchard,
            today=date(2026, 11, 1),
            places_in_tie={p.applicant.reference: i + 1 for group in ties for i, p in enumerate(group)},
            tie_note="drawn by lot at the panel meeting of 28 October 2026",
        )
