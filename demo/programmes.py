"""Demo data: the ASELA strategic partnership programme (shared/context/south-essex-...txt).

The organisations are the real ones the published case study names; every person is invented.
Run after demo.schemes.load_demo() (which makes the "south-essex" umbrella and its HAs). Keyed on
natural keys, and a row is saved only when something in it differs, so a second run changes
nothing (not even `updated_at`).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Umbrella
from partnerships.organisations.models import HousingAssociation
from partnerships.programmes.models import (
    AgreementParty,
    Commitment,
    CommitmentStatus,
    Engagement,
    EngagementAttendee,
    EngagementFormat,
    EngagementKind,
    EngagementReschedule,
    ExemplarSite,
    Lesson,
    NextStep,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeAgreement,
    ProgrammeAgreementKind,
    ProgrammeAgreementStatus,
    ProgrammeMember,
    ProgrammeQuote,
    ProgrammeStatus,
    Representative,
)
from schemes.models import Site

PROGRAMME_NAME = "ASELA local authority and housing association partnership development programme: phase one"


def _upsert(model, defaults: dict | None = None, **lookup):
    """update_or_create that writes only when a value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **(defaults or {}))
    changed = [k for k, v in (defaults or {}).items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, (defaults or {})[k])
        obj.save()
    return obj


LA = OrganisationKind.LOCAL_AUTHORITY
HA = OrganisationKind.HOUSING_ASSOCIATION

# Organisation, kind, linked demo HA, representative (invented), title.
MEMBERS = [
    ("Castle Point Borough Council", LA, None, "Helen Ashdown", "Chief Executive", "Lead authority"),
    ("Rochford District Council", LA, None, "Martin Greaves", "Joint Chief Executive", ""),
    ("Brentwood Borough Council", LA, None, "Martin Greaves", "Joint Chief Executive", ""),
    ("Estuary Homes", HA, "Estuary Homes", "Priya Castell", "Chief Executive", "Representing HAs in the region"),
    (
        "Crouch Valley Housing",
        HA,
        "Crouch Valley Housing",
        "Tom Redfern",
        "Chief Executive",
        "Representing HAs in the region",
    ),
    (
        "Thameside Community Homes",
        HA,
        "Thameside Community Homes",
        "Nadia Okafor",
        "Chief Executive",
        "Representing HAs in the region",
    ),
    (
        "Weald and Marsh Housing",
        HA,
        "Weald and Marsh Housing",
        "Gareth Lyle",
        "Chief Executive",
        "Representing HAs in the region",
    ),
    (
        "Homes England",
        OrganisationKind.HOMES_ENGLAND,
        None,
        "Fiona Marchetti",
        "Senior Manager, Place Partnerships",
        "Senior representative",
    ),
]

# Title, kind, date held (after any move), agenda, outcomes, moves [(original, reason)], attendees ("all" / names).
ENGAGEMENTS = [
    (
        "Workshop 1: our ambition and what success looks like",
        EngagementKind.WORKSHOP,
        date(2021, 3, 4),
        "Introductions; the housing challenge in South Essex; a shared ambition.",
        "Agreed the ambition to become the affordable housing delivery partnership of choice in South Essex.",
        [(date(2021, 2, 4), "National lockdown: the workshop was rearranged and moved online")],
        "all",
    ),
    (
        "One-to-one: Castle Point Borough Council",
        EngagementKind.ONE_TO_ONE,
        date(2021, 3, 18),
        "Catching up after the rearranged workshop.",
        "The lead authority's priorities for the partnership.",
        [],
        ["Helen Ashdown"],
    ),
    (
        "One-to-one: Estuary Homes",
        EngagementKind.ONE_TO_ONE,
        date(2021, 3, 25),
        "The HA's development pipeline in South Essex.",
        "Appetite for exemplar sites confirmed.",
        [],
        ["Priya Castell"],
    ),
    (
        "Workshop 2: areas of focus",
        EngagementKind.WORKSHOP,
        date(2021, 5, 13),
        "What the partnership should focus on; the three new settlements.",
        "Main areas of focus agreed: accelerated delivery, regeneration, net-zero homes.",
        [(date(2021, 4, 22), "Changes to key positions in two member organisations")],
        "all",
    ),
    (
        "Workshop 3: strategic interventions",
        EngagementKind.WORKSHOP,
        date(2021, 7, 8),
        "Interventions at a scale no partner could reach alone.",
        "A long list of interventions, and a short list.",
        [],
        "all",
    ),
    (
        "One-to-one: Homes England",
        EngagementKind.ONE_TO_ONE,
        date(2021, 8, 12),
        "How the partnership fits the Place Based Partnership with ASELA.",
        "Next stages to join that work programme.",
        [],
        ["Fiona Marchetti"],
    ),
    (
        "Workshop 4: the nature of our partnership and next steps",
        EngagementKind.WORKSHOP,
        date(2021, 10, 14),
        "Form of the partnership; SPV(s); funding the next stage.",
        "Commitment to a strategic partnership underpinned by SPV(s); sign-up to develop the core proposition.",
        [],
        "all",
    ),
]


@transaction.atomic
def load_programmes_demo() -> Programme | None:
    umbrella = Umbrella.objects.filter(slug="south-essex").first()
    if umbrella is None:
        return None
    u = umbrella
    orgs, members, reps = {}, {}, {}
    for name, kind, ha_name, *_ in MEMBERS:
        ha = HousingAssociation.objects.filter(umbrella=u, name=ha_name).first() if ha_name else None
        orgs[name] = _upsert(Organisation, {"kind": kind, "housing_association": ha}, umbrella=u, name=name)

    programme = _upsert(
        Programme,
        {
            "lead_authority": orgs["Castle Point Borough Council"],
            "cohort": "2020/21 cohort",
            "aim": "To become the affordable housing delivery partnership of choice in South Essex",
            "funder": "Local Government Association",
            "funding_programme": "Housing Advisers Programme",
            "funding_amount": Decimal("20000.00"),
            "starts_on": date(2021, 2, 1),
            "ends_on": date(2021, 10, 31),
            "facilitators": "independent housing consultants with prior experience (Harbour Lane Housing Consultancy)",
            "status": ProgrammeStatus.COMPLETED,
            # Demo narrative, written for Fieldgate from the facts of the published programme (not its words).
            "executive_summary": (
                "Over nine months, the chief executives of three councils and four housing associations met with "
                "Homes England to agree what a South Essex partnership for affordable homes should be. They settled "
                "on a core proposition: a standing strategic partnership, with one or more special purpose vehicles "
                "behind it, that councils and associations would turn to first when affordable homes are planned.\n\n"
                "The four associations took part on behalf of the sector in the area, so the partnership stays open "
                "to others. Its role is to broker: to pool what councils, associations and Homes England can each "
                "bring, in existing towns and in the three large new settlements planned for the area."
            ),
            "challenge_and_context": (
                "The programme was planned as workshops in a room. The pandemic moved it online, and lockdowns and "
                "staff changes in senior posts pushed several workshops back. The facilitators held one-to-one "
                "conversations between sessions so that nobody fell behind."
            ),
            "what_we_did": (
                "The workshops worked in order: first the shared ambition and what success would look like, then "
                "the few areas that matter most and the interventions that would move them, and last what each "
                "partner would do, what form the partnership would take and what would happen next."
            ),
            "difference_made": (
                "It was the first time council and housing association chief executives in South Essex had agreed a "
                "single vision for affordable homes. The partnership gives the area shared leadership and an agreed "
                "way of working, and it has been written into the place-based partnership between the councils and "
                "Homes England, which also aims to help smaller local builders work with associations."
            ),
            "whats_next": (
                "Phase two: prove the model on a few small exemplar sites, turn that into a template for later "
                "schemes, and design and set up the delivery vehicle."
            ),
            "lessons_learned": (
                "Council chief executives found more values in common than they expected, and were ready to work "
                "together for better places. Partnerships take time: people need to step away from the day job to "
                "meet and build a shared understanding of the problem."
            ),
        },
        umbrella=u,
        name=PROGRAMME_NAME,
    )

    for name, _kind, _ha, rep_name, title, role in MEMBERS:
        members[name] = _upsert(
            ProgrammeMember,
            {"role": role, "joined_on": date(2021, 2, 1)},
            umbrella=u,
            programme=programme,
            organisation=orgs[name],
        )
        reps[(name, rep_name)] = _upsert(
            Representative, {"title": title}, umbrella=u, member=members[name], name=rep_name
        )

    for title, kind, held_on, agenda, outcomes, moves, who in ENGAGEMENTS:
        engagement = _upsert(
            Engagement,
            {
                "kind": kind,
                "format": EngagementFormat.ONLINE,
                "held_on": held_on,
                "agenda": agenda,
                "outcomes": outcomes,
            },
            umbrella=u,
            programme=programme,
            title=title,
        )
        previous = [original for original, _ in moves]
        for (original, reason), new in zip(moves, previous[1:] + [held_on]):
            _upsert(
                EngagementReschedule,
                {"new_date": new, "reason": reason},
                umbrella=u,
                engagement=engagement,
                original_date=original,
            )
        attendees = [r for (org, name), r in reps.items() if who == "all" or name in who]
        for rep in attendees:
            _upsert(EngagementAttendee, umbrella=u, engagement=engagement, representative=rep)

    for title, member, status, on in [
        ("Develop a strategic partnership underpinned by SPV(s)", None, CommitmentStatus.AGREED, date(2021, 10, 14)),
        (
            "Develop the core proposition to the next stage, including a commitment of funding",
            None,
            CommitmentStatus.IN_PROGRESS,
            date(2021, 10, 14),
        ),
        (
            "Include the next stages in the work programme of the ASELA Place Based Partnership",
            "Homes England",
            CommitmentStatus.MET,
            date(2021, 10, 14),
        ),
        (
            "Lead the second phase and convene the partners",
            "Castle Point Borough Council",
            CommitmentStatus.IN_PROGRESS,
            date(2021, 10, 14),
        ),
    ]:
        _upsert(
            Commitment,
            {"member": members[member] if member else None, "status": status, "committed_on": on},
            umbrella=u,
            programme=programme,
            title=title,
        )

    mou = _upsert(
        ProgrammeAgreement,
        {
            "kind": ProgrammeAgreementKind.MOU,
            "status": ProgrammeAgreementStatus.SIGNED,
            "signed_on": date(2022, 1, 17),
            "purpose": "The South Essex Place Based Partnership: the programme's next stages sit in its work programme.",
            "other_parties": "Association of South Essex Local Authorities (ASELA)",
        },
        umbrella=u,
        programme=programme,
        name="ASELA Place Based Partnership with Homes England",
    )
    _upsert(AgreementParty, umbrella=u, agreement=mou, member=members["Homes England"])
    spv = _upsert(
        ProgrammeAgreement,
        {
            "kind": ProgrammeAgreementKind.SPV,
            "status": ProgrammeAgreementStatus.IN_DEVELOPMENT,
            "signed_on": None,
            "purpose": "A vehicle to deliver affordable, carbon net-zero homes of mixed tenures at scale.",
            "other_parties": "",
        },
        umbrella=u,
        programme=programme,
        name="South Essex housing delivery SPV",
    )
    for name, _kind, *_ in MEMBERS:
        if name != "Homes England":
            _upsert(AgreementParty, umbrella=u, agreement=spv, member=members[name])

    site = Site.objects.filter(umbrella=u, name="Former boatyard, Creekside").first()
    if site is not None:
        _upsert(
            ExemplarSite,
            {
                "proposed_by": members["Castle Point Borough Council"],
                "notes": "A small council-owned site to show the partnership can deliver.",
            },
            umbrella=u,
            programme=programme,
            site=site,
        )
    for title, due in [
        ("Develop a series of small exemplar sites", date(2022, 9, 30)),
        ("Investigate and set up the delivery model", date(2022, 12, 31)),
    ]:
        _upsert(NextStep, {"due_on": due}, umbrella=u, programme=programme, title=title)
    for title, detail in [
        (
            "Shared values come first",
            "The chief executives agreed on more than they expected, which made "
            "working together for better places straightforward.",
        ),
        ("Make time to meet", "A partnership needs time away from the day job to build a shared view of the problem."),
    ]:
        _upsert(Lesson, {"detail": detail}, umbrella=u, programme=programme, title=title)
    for name, title, text in [
        (
            "Martin Greaves",
            "Joint Chief Executive, Brentwood Borough Council and Rochford District Council",
            "Sitting councils, associations and Homes England round one table let us plan for the whole of "
            "South Essex rather than for one district at a time.",
        ),
        (
            "Priya Castell",
            "Chief Executive, Estuary Homes",
            "For an association our size, a partnership like this is how small sites get built: we bring the "
            "homes, the councils bring the land and the plan.",
        ),
    ]:
        _upsert(
            ProgrammeQuote,
            {"attribution_title": title, "text": text},
            umbrella=u,
            programme=programme,
            attribution_name=name,
        )
    return programme
