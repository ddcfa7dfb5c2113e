"""Strategic partnership programme records of one mirrored tenant (see tests/worlds/world.py).

The programme's members include an organisation linked to the tenant's first HA, so that HA's
team reads it and the second HA's team gets 404. Every text field carries the canary.
"""

from datetime import date
from decimal import Decimal

from partnerships.programmes.models import (
    AgreementParty,
    CaseStudy,
    CaseStudyStatus,
    Commitment,
    Engagement,
    EngagementAttendee,
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
    Representative,
)


def extend(t) -> dict:
    c = t.canary
    u = t.umbrella
    council = Organisation.objects.create(
        umbrella=u, name=f"Borough Council {c}", kind=OrganisationKind.LOCAL_AUTHORITY
    )
    ha_org = Organisation.objects.create(
        umbrella=u,
        name=f"HA organisation {c}",
        kind=OrganisationKind.HOUSING_ASSOCIATION,
        housing_association=t.objects["ha"],
        notes=f"Notes {c}",
    )
    Organisation.objects.create(umbrella=u, name=f"Homes England {c}", kind=OrganisationKind.HOMES_ENGLAND)
    programme = Programme.objects.create(
        umbrella=u,
        name=f"Partnership programme {c}",
        lead_authority=council,
        aim=f"Deliver together {c}",
        funder=f"Funder {c}",
        funding_programme="Housing Advisers Programme",
        funding_amount=Decimal("20000.00"),
        starts_on=date(2021, 2, 1),
        ends_on=date(2021, 10, 31),
        facilitators=f"Facilitators {c}",
        status="completed",
        executive_summary=f"Summary {c}",
        challenge_and_context=f"Context {c}",
        what_we_did=f"Did {c}",
        difference_made=f"Difference {c}",
        whats_next=f"Next {c}",
        lessons_learned=f"Lessons {c}",
    )
    member_la = ProgrammeMember.objects.create(umbrella=u, programme=programme, organisation=council, role=f"Lead {c}")
    member_ha = ProgrammeMember.objects.create(umbrella=u, programme=programme, organisation=ha_org)
    rep = Representative.objects.create(umbrella=u, member=member_ha, name=f"Rep {c}", title="Chief Executive")
    engagement = Engagement.objects.create(
        umbrella=u,
        programme=programme,
        title=f"Workshop {c}",
        held_on=date(2021, 3, 4),
        agenda=f"Agenda {c}",
        outcomes=f"Outcomes {c}",
    )
    EngagementAttendee.objects.create(umbrella=u, engagement=engagement, representative=rep)
    EngagementReschedule.objects.create(
        umbrella=u,
        engagement=engagement,
        original_date=date(2021, 2, 11),
        new_date=date(2021, 3, 4),
        reason=f"Lockdown {c}",
    )
    commitment = Commitment.objects.create(
        umbrella=u, programme=programme, member=member_la, title=f"Commitment {c}", committed_on=date(2021, 9, 1)
    )
    agreement = ProgrammeAgreement.objects.create(
        umbrella=u,
        programme=programme,
        kind=ProgrammeAgreementKind.MOU,
        name=f"MOU {c}",
        status=ProgrammeAgreementStatus.SIGNED,
        signed_on=date(2022, 1, 17),
        purpose=f"Purpose {c}",
    )
    AgreementParty.objects.create(umbrella=u, agreement=agreement, member=member_la)
    exemplar = ExemplarSite.objects.create(
        umbrella=u, programme=programme, site=t.objects["site"], notes=f"Exemplar {c}"
    )
    next_step = NextStep.objects.create(umbrella=u, programme=programme, title=f"Next step {c}")
    lesson = Lesson.objects.create(umbrella=u, programme=programme, title=f"Lesson {c}")
    quote = ProgrammeQuote.objects.create(
        umbrella=u, programme=programme, text=f"Quote {c}", attribution_name=f"Speaker {c}"
    )
    from core.pdf import render_pdf, write_private_file

    case_study = CaseStudy.objects.create(
        umbrella=u, programme=programme, status=CaseStudyStatus.READY, requested_by=t.users["staff"]
    )
    case_study.file_path = write_private_file(
        f"{u.pk}/case-studies/{programme.public_id}/{case_study.public_id}.pdf", render_pdf(f"<h1>Case study {c}</h1>")
    )
    case_study.save()
    return {
        "programme": programme,
        "prog_org": ha_org,
        "prog_member": member_ha,
        "prog_rep": rep,
        "engagement": engagement,
        "commitment": commitment,
        "prog_agreement": agreement,
        "exemplar": exemplar,
        "next_step": next_step,
        "lesson": lesson,
        "quote": quote,
        "case_study": case_study,
        "prog_council": council,
    }


# --- query-budget builders (for tests/project/test_query_budgets.py PAGES; see test_programmes_queries.py) ---


def build_programmes(t, rows) -> dict:
    """Programmes with a lead authority, two members (one an HA the HA team belongs to) and a
    representative each; the HA team sees them through its HA."""
    from datetime import date as _date

    for i in rows:
        u = t.umbrella
        council = Organisation.objects.create(
            umbrella=u, name=f"{t.mark(i)} District Council", kind=OrganisationKind.LOCAL_AUTHORITY
        )
        ha_org = Organisation.objects.create(
            umbrella=u,
            name=f"{t.mark(i)} Homes",
            kind=OrganisationKind.HOUSING_ASSOCIATION,
            housing_association=t.ha(spread=False),
        )
        programme = Programme.objects.create(
            umbrella=u,
            name=f"{t.mark(i)} partnership",
            lead_authority=council,
            aim="Deliver together",
            funder="LGA",
            funding_programme="Housing Advisers Programme",
            funding_amount=Decimal("20000.00"),
            starts_on=_date(2021, 2, 1),
            ends_on=_date(2021, 10, 31),
            status="active",
        )
        for org in (council, ha_org):
            member = ProgrammeMember.objects.create(umbrella=u, programme=programme, organisation=org)
            Representative.objects.create(umbrella=u, member=member, name=f"Person {i}", title="Chief Executive")
    return {}


def build_programme_organisations(t, rows) -> dict:
    for i in rows:
        Organisation.objects.create(
            umbrella=t.umbrella,
            name=f"{t.mark(i)} Homes",
            kind=OrganisationKind.HOUSING_ASSOCIATION,
            housing_association=t.new_ha(),
        )
    return {}
