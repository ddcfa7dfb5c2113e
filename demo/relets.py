"""Demo homes and re-lets (issue 15.3): Chapel Orchard's ten homes (six for social rent, let since
they were finished in June 2019; four shared ownership), Kingsmere CLT's agreed allocation policy, four applicants
waiting, and two re-lets Yarlington has asked for: 4 Chapel Orchard, empty for a fortnight, with
the panel's nomination list issued for it (Yarlington has still to record whom it let it to), and
1 Chapel Orchard, whose tenant has given notice, waiting for the panel. Written through the
services, as staff and the HA would. Safe to repeat."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.access import access_for_user_id
from accounts.models import Umbrella, User
from clts.allocations import services as policy_services
from clts.allocations.models import AllocationPolicy, ConnectionKind, TierScope
from clts.models import CLT, Parish
from demo.allocations import _bands, _change, _tier
from schemes.allocations import services as allocation_services
from schemes.allocations.models import Applicant
from schemes.models import Scheme
from schemes.relets import services as relet_services
from schemes.relets.models import Home, Tenure

#: The social-rent homes' first tenancies, ten days after practical completion (14 June 2019).
FIRST_LETS = date(2019, 6, 24)

HOMES = [  # name, bedrooms, tenure
    ("1 Chapel Orchard", 2, Tenure.SOCIAL_RENT),
    ("2 Chapel Orchard", 2, Tenure.SOCIAL_RENT),
    ("3 Chapel Orchard", 3, Tenure.SOCIAL_RENT),
    ("4 Chapel Orchard", 2, Tenure.SOCIAL_RENT),
    ("5 Chapel Orchard", 1, Tenure.SOCIAL_RENT),
    ("6 Chapel Orchard", 3, Tenure.SOCIAL_RENT),
    ("7 Chapel Orchard", 2, Tenure.SHARED_OWNERSHIP),
    ("8 Chapel Orchard", 2, Tenure.SHARED_OWNERSHIP),
    ("9 Chapel Orchard", 3, Tenure.SHARED_OWNERSHIP),
    ("10 Chapel Orchard", 3, Tenure.SHARED_OWNERSHIP),
]
L, F, W = ConnectionKind.LIVES, ConnectionKind.FAMILY, ConnectionKind.WORKS
# name, registered, band, household, bedrooms, (kind, years or hours in Kingsmere, evidence)
APPLICANTS = [
    ("Sam Tucker", date(2024, 9, 2), 2, 3, 2, (L, 7, "Council tax bills 2018 to 2025")),
    ("Ruth Lovell", date(2025, 1, 20), 1, 2, 1, (L, 4, "Tenancy agreement; landlord's notice")),
    ("Kieran Bond", date(2023, 11, 6), 2, 5, 3, (F, 30, "Mother's council tax bills since 1995")),
    ("Nia Hext", date(2025, 3, 3), 3, 2, 2, (W, 30, "Payslips, Kingsmere primary school")),
]


def load_relets_demo() -> None:
    umbrella = Umbrella.objects.get(slug="wessex")
    scheme = Scheme.objects.get(umbrella=umbrella, name="Chapel Orchard, Kingsmere")
    if Home.objects.filter(scheme=scheme).exists():
        return
    clt = CLT.objects.get(umbrella=umbrella, name="Kingsmere CLT")
    staff = User.objects.get(email="wessex-staff@fieldgate.test")
    access = access_for_user_id(user_id=staff.pk, umbrella_id=umbrella.pk)
    kingsmere = Parish.objects.get(umbrella=umbrella, name="Kingsmere")
    today = timezone.localdate()

    if not AllocationPolicy.objects.filter(clt=clt).exists():
        policy = policy_services.policy_start(access=access, clt=clt)
        _change(
            access,
            policy,
            summary="Homes for people with a strong connection to Kingsmere, then to the rest of Somerset.",
            s106_reference="15/02214/FUL",
            s106_signed_on=date(2016, 2, 9),
            housing_association=scheme.housing_association,
            district_council="Somerset Council",
            nomination_signed_on=date(2016, 2, 9),
        )
        _tier(access, policy, 1, "Kingsmere", TierScope.THIS_PARISH, [kingsmere],
              lives_years=3, works_hours=16, family_years=5)  # fmt: skip
        _tier(access, policy, 2, "Somerset", TierScope.DISTRICT, district="Somerset", lives_years=5)
        _bands(access, policy)
        policy_services.policy_agree(access=access, policy=policy, agreed_on=date(2016, 3, 1))

    for name, bedrooms, tenure in HOMES:
        relet_services.home_save(
            access=access,
            home=Home(scheme=scheme, name=name, bedrooms=bedrooms, tenure=tenure),
            let_since=FIRST_LETS if tenure == Tenure.SOCIAL_RENT else None,
        )
    for name, registered, band, household, bedrooms, (kind, amount, evidence) in APPLICANTS:
        allocation_services.applicant_save(
            access=access,
            applicant=Applicant(
                scheme=scheme, name=name, registered_on=registered, need_band=band, household_size=household,
                bedrooms_needed=bedrooms, email=name.lower().replace(" ", ".") + "@example.org",
            ),
            connections=[{
                "kind": kind, "parish": kingsmere, "district": "", "evidence": evidence, "checked": True,
                "years": None if kind == W else amount, "hours": amount if kind == W else None,
            }],
        )  # fmt: skip
    homes = {h.name: h for h in Home.objects.filter(scheme=scheme)}
    four = relet_services.vacancy_record(
        access=access,
        home=homes["4 Chapel Orchard"],
        vacant_from=today - timedelta(days=14),
        notes="Recorded for Yarlington: the tenant moved to a bungalow in Wellow. Keys back; void works done.",
    )
    allocation_services.nomination_issue(access=access, scheme=scheme, vacancy=four)
    relet_services.vacancy_record(
        access=access,
        home=homes["1 Chapel Orchard"],
        vacant_from=today + timedelta(days=28),
        notes="Recorded for Yarlington: four weeks' notice given.",
    )
