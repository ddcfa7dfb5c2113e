"""Allocation records of one mirrored tenant (see tests/worlds/world.py): policies, applicants, nominations.

Everything is written through the services, as staff and the CLT's allocation panel would (the way
demo/allocation_services.py builds the demo), so the rows are valid by the app's own rules:

- the first CLT's allocation policy in every status: version 1 superseded, version 2 agreed (in
  force), version 3 a draft copied from it (its tiers and bands are the ones the matrix edits);
- two tiers (the first CLT's parish, then the district) and two need bands, their names and
  descriptions carrying the canary;
- applicants for the world's scheme of that CLT (whose HA partner is the world's first HA): one
  ranked (checked evidence), one waiting but not ranked (evidence not checked yet);
- nomination list 1, agreed by the panel and issued (status ready: Celery runs eager in tests, so
  its PDF and CSV are drawn and the HA team's email is sent while the world is built), and list 2
  whose files failed (for the retry URL; the HA team must not see it).

The canary is in every user-editable field that reaches a page, a CSV, the PDF or the subject
access export: the policy's summary, s106 reference and council, tier names, band descriptions,
the applicants' names, addresses, notes and evidence, the failure reason.

Also the builders the query budgets use for these pages (tests/project/test_query_budgets.py PAGES).
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.access import access_for_user_id
from accounts.records import snapshot
from clts.allocations import services as policy_services
from clts.allocations.models import AllocationPolicy, ConnectionKind, NeedBand, PolicyStatus, PolicyTier, TierScope
from schemes.allocations import services as allocation_services
from schemes.allocations.models import (
    Applicant,
    ApplicantStatus,
    ApplicantView,
    Connection,
    NominationEntry,
    NominationList,
    NominationStatus,
)

DISTRICT = "Somerset"  # the district of the world's parishes (tests/factories.py ParishFactory)


def _change(access, obj, save, **fields):
    before = snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    return save(before)


def extend(t) -> dict:
    c = t.canary
    u = t.umbrella
    clt, scheme, parish, ha = t.objects["clt"], t.objects["scheme"], t.objects["parish"], t.objects["ha"]
    assert scheme.clt_id == clt.pk and scheme.housing_association_id == ha.pk, "the world's scheme: CLT 1 with HA 1"
    staff = access_for_user_id(user_id=t.users["staff"].pk, umbrella_id=u.pk)
    panel = access_for_user_id(user_id=t.users["volunteer"].pk, umbrella_id=u.pk)
    assert clt.pk in panel.panel_clt_ids, "the world's volunteer sits on the first CLT's allocation panel"

    # Version 1, later superseded: the parish, then the district.
    v1 = policy_services.policy_start(access=staff, clt=clt)
    _change(
        staff,
        v1,
        lambda before: policy_services.policy_update(access=staff, policy=v1, before=before),
        summary=f"Homes for people of the first parish, then the district {c}",
        s106_reference=f"S106-{t.key.upper()}-1 {c}",
        s106_signed_on=date(2023, 11, 3),
        housing_association=ha,
        district_council=f"District council {c}",
        nomination_signed_on=date(2023, 11, 3),
    )
    policy_services.tier_save(
        access=staff,
        parishes=[parish],
        tier=PolicyTier(
            policy=v1,
            position=1,
            name=f"Tier parish {c}",
            scope=TierScope.THIS_PARISH,
            lives_years=3,
            works_hours=16,
            family_years=5,
        ),
    )
    policy_services.tier_save(
        access=staff,
        parishes=[],
        tier=PolicyTier(
            policy=v1, position=2, name=f"Tier district {c}", scope=TierScope.DISTRICT, district=DISTRICT, lives_years=5
        ),
    )
    for position, name in ((1, "Urgent need"), (2, "Sharing or cannot afford")):
        policy_services.band_save(
            access=staff,
            band=NeedBand(
                policy=v1, position=position, name=f"{name} {c}", description=f"Who is in band {position} {c}"
            ),
        )
    policy_services.policy_agree(access=staff, policy=v1, agreed_on=date(2023, 11, 14))

    # Version 2, in force: version 1 copied, "has lived there" added to the parish tier.
    v2 = policy_services.policy_start(access=staff, clt=clt)
    _change(
        staff,
        v2,
        lambda before: policy_services.policy_update(access=staff, policy=v2, before=before),
        summary=f"Agreed summary: the first parish, then the district {c}",
    )
    tier1 = v2.tiers.get(position=1)
    _change(
        staff,
        tier1,
        lambda before: policy_services.tier_save(access=staff, tier=tier1, parishes=[parish], before=before),
        lived_years=5,
    )
    policy_services.policy_agree(access=staff, policy=v2, agreed_on=date(2025, 1, 10))

    # Version 3, a draft being written (copied from version 2).
    v3 = policy_services.policy_start(access=staff, clt=clt)
    _change(
        staff,
        v3,
        lambda before: policy_services.policy_update(access=staff, policy=v3, before=before),
        summary=f"Draft summary {c}",
    )

    def applicant(name, registered_on, band, connections, **fields):
        a = Applicant(scheme=scheme, name=name, registered_on=registered_on, need_band=band, **fields)
        return allocation_services.applicant_save(access=panel, applicant=a, connections=connections)

    ranked = applicant(
        f"Applicant ranked {c}",
        date(2024, 3, 1),
        1,
        household_size=3,
        bedrooms_needed=2,
        email=f"ranked-{t.key}@example.test",
        phone="01234 567890",
        address=f"2 Church Row {c}",
        notes=f"Applicant note {c}",
        connections=[
            {
                "kind": ConnectionKind.LIVES,
                "parish": parish,
                "district": "",
                "years": 6,
                "hours": None,
                "evidence": f"Council tax bills 2019 to 2025 {c}",
                "checked": True,
            }
        ],
    )
    unranked = applicant(
        f"Applicant unranked {c}",
        date(2024, 6, 1),
        2,
        email=f"unranked-{t.key}@example.test",
        connections=[
            {
                "kind": ConnectionKind.WORKS,
                "parish": None,
                "district": DISTRICT,
                "years": None,
                "hours": 20,
                "evidence": f"Payslips, not seen yet {c}",
                "checked": False,
            }
        ],
    )

    issued = allocation_services.nomination_issue(access=panel, scheme=scheme, today=date(2026, 1, 15))
    issued.refresh_from_db()
    assert issued.status == NominationStatus.READY and issued.pdf_path and issued.csv_path, issued.failure_reason
    failed = NominationList.objects.create(
        umbrella=u,
        scheme=scheme,
        number=issued.number + 1,
        policy=v2,
        agreed_by=t.users["volunteer"],
        agreed_at=timezone.now(),
        status=NominationStatus.FAILED,
        attempts=4,
        failure_reason=f"The files could not be made {c}",
    )
    return {
        "policy": v2,
        "policy_superseded": v1,
        "policy_draft": v3,
        "agreed_tier": v2.tiers.get(position=1),
        "agreed_band": v2.bands.get(position=1),
        "draft_tier": v3.tiers.get(position=1),
        "draft_band": v3.bands.get(position=1),
        "applicant": ranked,
        "unranked_applicant": unranked,
        "nomination_list": issued,
        "failed_nomination_list": failed,
    }


# --- query-budget builders (tests/project/test_query_budgets.py PAGES) ----------------------------------
# Each takes the case's Tenancy and the row numbers to add; rows hang off the signed-in role's own
# CLT (the volunteer sits on its allocation panel) or HA, so they are rows that role really sees.


def make_policy(t, clt, *, status=PolicyStatus.AGREED, version=1, tiers=True):
    """A complete policy of `clt`: HA party, council, a parish tier, a district tier, two bands."""
    policy = AllocationPolicy.objects.create(
        umbrella=t.umbrella,
        clt=clt,
        version=version,
        status=status,
        summary="Local people first",
        s106_reference="24/01234/FUL",
        s106_signed_on=date(2024, 5, 1),
        housing_association=t.ha(),
        district_council="Somerset Council",
        nomination_signed_on=date(2024, 5, 1),
        agreed_on=date(2024, 6, 1) if status != PolicyStatus.DRAFT else None,
        agreed_by=t.lead if status != PolicyStatus.DRAFT else None,
    )
    if tiers:
        tier = PolicyTier.objects.create(
            umbrella=t.umbrella,
            policy=policy,
            position=1,
            name="The parish",
            scope=TierScope.THIS_PARISH,
            lives_years=3,
            works_hours=16,
        )
        tier.parishes.set(list(clt.parishes.all()))
        PolicyTier.objects.create(
            umbrella=t.umbrella,
            policy=policy,
            position=2,
            name="The district",
            scope=TierScope.DISTRICT,
            district=DISTRICT,
            lives_years=5,
        )
        for position in (1, 2, 3):
            NeedBand.objects.create(
                umbrella=t.umbrella,
                policy=policy,
                position=position,
                name=f"Band {position}",
                description="As the panel reads it out",
            )
    return policy


def _scheme(t, name="Orchard Close"):
    """The page's scheme: of the volunteer's (panel) CLT, with the HA team's HA as partner, and the
    CLT's agreed policy."""

    def make():
        scheme = t.scheme(name=name, i=4)  # start on site
        t.target("policy", lambda: make_policy(t, scheme.clt))
        return scheme

    return t.target("scheme", make)


def _applicant(t, scheme, name, i, *, checked=True):
    """An applicant with a checked connection (to the CLT's parish, or elsewhere in the district)."""
    applicant = Applicant.objects.create(
        umbrella=t.umbrella,
        scheme=scheme,
        name=name,
        email=f"applicant{i}@example.test",
        phone="01234 567890",
        household_size=1 + i % 4,
        bedrooms_needed=1 + i % 3,
        registered_on=date(2023, 1, 1) + timedelta(days=7 * (i // 2)),
        need_band=1 + i % 3,
        status=ApplicantStatus.WAITING,
    )
    parish = scheme.clt.parishes.first() if i % 3 else None
    Connection.objects.create(
        umbrella=t.umbrella,
        applicant=applicant,
        kind=ConnectionKind.LIVES,
        parish=parish,
        district="" if parish else DISTRICT,
        years=3 + i % 5,
        evidence="Council tax bills",
        checked=checked,
        checked_by=t.colleague(f"Checker {i}") if checked else None,
        checked_at=timezone.now() if checked else None,
    )
    if i % 2:
        Connection.objects.create(
            umbrella=t.umbrella,
            applicant=applicant,
            kind=ConnectionKind.WORKS,
            district=DISTRICT,
            hours=20,
            evidence="Payslips",
            checked=False,
        )
    return applicant


def build_policies(t, rows) -> dict:
    """Allocation policies, one CLT each (a volunteer's: a CLT they volunteer for)."""
    for i in rows:
        clt = t.clt(spread=True, name=f"{t.mark(i)} Community Land Trust")
        status = [PolicyStatus.AGREED, PolicyStatus.DRAFT, PolicyStatus.SUPERSEDED][i % 3]
        make_policy(t, clt, status=status, tiers=False)
    return {}


def build_applicants(t, rows) -> dict:
    """Applicants spread over five schemes of the CLT (the volunteer's: their panel's)."""
    clt = t.target("clt", lambda: t.clt())
    for i in rows:
        scheme = t.target(f"scheme {i % 5}", lambda: t.scheme(name=f"Scheme {i % 5}", i=i, clt=clt))
        _applicant(t, scheme, f"{t.mark(i)} Applicant", i)
    return {}


def build_nomination_lists(t, rows) -> dict:
    """Nomination lists, one scheme each (of the HA team's HA; of the volunteer's panel CLT); an HA
    team's are issued (ready), the others' in every state."""
    statuses = [NominationStatus.READY]
    if t.role != "ha_team":
        statuses += [NominationStatus.QUEUED, NominationStatus.FAILED]
    for i in rows:
        scheme = t.scheme(name=f"{t.mark(i)} Orchard Close", i=i)
        policy = t.target(f"policy of {scheme.clt_id}", lambda: make_policy(t, scheme.clt, tiers=False))
        NominationList.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            number=1,
            policy=policy,
            agreed_by=t.colleague(f"Panel {i}"),
            agreed_at=timezone.now() - timedelta(days=i),
            status=statuses[i % len(statuses)],
        )
    return {}


def build_policy_page(t, rows) -> dict:
    """A draft policy (its page shows what it still lacks) with i tiers (each naming a parish),
    i bands, i older versions and i history entries."""

    def make():
        clt = t.clt()
        return make_policy(t, clt, status=PolicyStatus.DRAFT, version=100, tiers=False)

    policy = t.target("policy page", make)
    for i in rows:
        parish = t.parish(serves=policy.clt, name=f"{t.mark(i)} Parva")
        tier = PolicyTier.objects.create(
            umbrella=t.umbrella,
            policy=policy,
            position=i + 1,
            name=f"{t.mark(i)} tier",
            scope=[TierScope.THIS_PARISH, TierScope.ADJOINING, TierScope.DISTRICT][i % 3],
            district=DISTRICT if i % 3 == 2 else "",
            lives_years=3,
            works_hours=16 if i % 2 else None,
            family_years=5 if i % 4 == 0 else None,
        )
        if i % 3 != 2:
            tier.parishes.set([parish])
        NeedBand.objects.create(
            umbrella=t.umbrella, policy=policy, position=i + 1, name=f"{t.mark(i)} band", description="Who is in it"
        )
        AllocationPolicy.objects.create(
            umbrella=t.umbrella,
            clt=policy.clt,
            version=i + 1,
            status=PolicyStatus.SUPERSEDED,
            agreed_on=date(2020, 1, 1),
        )
        t.history(policy, i)
    return {"public_id": policy.public_id}


def build_check_page(t, rows) -> dict:
    """The eligibility checker of a CLT whose agreed policy has i tiers and i bands; the umbrella
    has i parishes to choose from."""

    def make():
        clt = t.clt()
        return make_policy(t, clt, tiers=False)

    policy = t.target("check policy", make)
    for i in rows:
        parish = t.parish(serves=policy.clt, name=f"{t.mark(i)} Parva")
        tier = PolicyTier.objects.create(
            umbrella=t.umbrella,
            policy=policy,
            position=i + 1,
            name=f"Tier {i}",
            scope=TierScope.THIS_PARISH,
            lives_years=3,
            works_hours=16,
        )
        tier.parishes.set([parish])
        NeedBand.objects.create(
            umbrella=t.umbrella, policy=policy, position=i + 1, name=f"Band {i}", description=f"{t.mark(i)} need"
        )
    return {"public_id": policy.clt.public_id}


def build_applicant_page(t, rows) -> dict:
    """An applicant with all four connections, on i nomination lists, seen i times, changed i times."""
    scheme = _scheme(t)

    def make():
        applicant = _applicant(t, scheme, "Hannah Coombe", 0)
        for kind in (ConnectionKind.LIVED, ConnectionKind.FAMILY):
            Connection.objects.create(
                umbrella=t.umbrella,
                applicant=applicant,
                kind=kind,
                parish=scheme.clt.parishes.first(),
                years=9,
                evidence="School records",
                checked=True,
                checked_by=t.colleague(),
                checked_at=timezone.now(),
            )
        return applicant

    applicant = t.target("applicant", make)
    policy = t.targets["policy"]
    for i in rows:
        nomination_list = NominationList.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            number=i + 1,
            policy=policy,
            agreed_by=t.lead,
            agreed_at=timezone.now() - timedelta(days=50 - i),
            status=NominationStatus.READY,
        )
        NominationEntry.objects.create(
            umbrella=t.umbrella,
            nomination_list=nomination_list,
            applicant=applicant,
            reference=applicant.reference,
            position=1,
            rank=1,
            tier="Tier 1: The parish",
            band="Band 1",
            registered_on=applicant.registered_on,
            reasons="Tier 1 (The parish): lives there.",
        )
        ApplicantView.objects.create(
            umbrella=t.umbrella,
            applicant=applicant,
            reference=applicant.reference,
            viewed_by=t.colleague(f"Viewer {i}"),
            context=f"{t.mark(i)} ranking",
        )
        t.history(applicant, i)
    return {"public_id": applicant.public_id}


def build_ranking_page(t, rows) -> dict:
    """A scheme's ranking: i waiting applicants (some tied, some not ranked), and i issued lists."""
    scheme = _scheme(t)
    for i in rows:
        _applicant(t, scheme, f"{t.mark(i)} Applicant", i, checked=i % 7 != 3)
        NominationList.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            number=i + 1,
            policy=t.targets["policy"],
            agreed_by=t.lead,
            agreed_at=timezone.now() - timedelta(days=50 - i),
            status=NominationStatus.READY,
        )
    return {"public_id": scheme.public_id}


def build_nomination_page(t, rows) -> dict:
    """An issued nomination list (of the HA team's HA's scheme) with i entries, one erased."""
    scheme = _scheme(t)
    nomination_list = t.target(
        "nomination list",
        lambda: NominationList.objects.create(
            umbrella=t.umbrella,
            scheme=scheme,
            number=1,
            policy=t.targets["policy"],
            agreed_by=t.lead,
            agreed_at=timezone.now(),
            status=NominationStatus.READY,
        ),
    )
    for i in rows:
        applicant = _applicant(t, scheme, f"{t.mark(i)} Applicant", i)
        NominationEntry.objects.create(
            umbrella=t.umbrella,
            nomination_list=nomination_list,
            applicant=None if i == 7 else applicant,
            reference=applicant.reference,
            position=i + 1,
            rank=i + 1 - (i % 5 == 4),
            tied=i % 5 in (3, 4),
            tier="Tier 1: The parish",
            band=f"Band {1 + i % 3}",
            registered_on=applicant.registered_on,
            reasons=f"Tier 1 (The parish): lives there ({t.mark(i)}).",
        )
    return {"public_id": nomination_list.public_id}
