"""Reads of strategic partnership programmes, scoped by the access object.

Staff see every programme of the umbrella. An HA team sees the programmes its HA is a member of
(through an organisation linked to the HA), and everything recorded on them. Nobody else sees
any; a programme out of sight answers 404, like one that does not exist.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access, second_check
from partnerships.programmes.models import (
    CaseStudy,
    Commitment,
    Engagement,
    EngagementFormat,
    EngagementKind,
    ExemplarSite,
    Lesson,
    NextStep,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeAgreement,
    ProgrammeAgreementKind,
    ProgrammeMember,
    ProgrammeQuote,
    Representative,
)


def programme_list(*, access: Access, search: str = "", status: str = "", kind_member: str = "") -> QuerySet[Programme]:
    qs = Programme.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_ha_team:
        qs = qs.filter(
            pk__in=ProgrammeMember.objects.filter(
                umbrella=access.umbrella, organisation__housing_association_id__in=access.ha_ids
            ).values("programme_id")
        )
    else:
        return qs.none()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(aim__icontains=search)
            | Q(funder__icontains=search)
            | Q(lead_authority__name__icontains=search)
        )
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("lead_authority")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("-starts_on", "name", "pk")
    )


def programme_get(*, access: Access, public_id) -> Programme:
    programme = get_object_or_404(programme_list(access=access), public_id=public_id)
    second_check(programme.umbrella_id == access.umbrella.pk)
    return programme


# --- organisations (the umbrella's address book of possible members) -----------------------


def organisation_list(*, access: Access, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(umbrella=access.umbrella)
    if not access.is_staff:
        return qs.none()
    if search:
        qs = qs.filter(name__icontains=search)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("housing_association").order_by("name", "pk")


def organisation_get(*, access: Access, public_id) -> Organisation:
    return get_object_or_404(organisation_list(access=access), public_id=public_id)


# --- what hangs off a programme ------------------------------------------------------------


def member_list(*, access: Access, programme: Programme) -> QuerySet[ProgrammeMember]:
    return (
        ProgrammeMember.objects.filter(umbrella=access.umbrella, programme=programme)
        .select_related("organisation", "organisation__housing_association")
        .prefetch_related(Prefetch("representatives", queryset=Representative.objects.order_by("name")))
        .order_by("organisation__name", "pk")
    )


def representative_list(*, access: Access, programme: Programme) -> QuerySet[Representative]:
    return (
        Representative.objects.filter(umbrella=access.umbrella, member__programme=programme)
        .select_related("member__organisation")
        .order_by("member__organisation__name", "name", "pk")
    )


def engagement_list(*, access: Access, programme: Programme) -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(umbrella=access.umbrella, programme=programme)
        .prefetch_related(
            Prefetch("attendees", queryset=Representative.objects.select_related("member__organisation")), "reschedules"
        )
        .order_by("held_on", "title", "pk")
    )


def commitment_list(*, access: Access, programme: Programme) -> QuerySet[Commitment]:
    return Commitment.objects.filter(umbrella=access.umbrella, programme=programme).select_related(
        "member__organisation"
    )


def agreement_list(*, access: Access, programme: Programme) -> QuerySet[ProgrammeAgreement]:
    return ProgrammeAgreement.objects.filter(umbrella=access.umbrella, programme=programme).prefetch_related(
        Prefetch("parties", queryset=ProgrammeMember.objects.select_related("organisation"))
    )


def exemplar_site_list(*, access: Access, programme: Programme) -> QuerySet[ExemplarSite]:
    return ExemplarSite.objects.filter(umbrella=access.umbrella, programme=programme).select_related(
        "site", "site__parish", "proposed_by__organisation"
    )


def next_step_list(*, access: Access, programme: Programme) -> QuerySet[NextStep]:
    return NextStep.objects.filter(umbrella=access.umbrella, programme=programme)


def lesson_list(*, access: Access, programme: Programme) -> QuerySet[Lesson]:
    return Lesson.objects.filter(umbrella=access.umbrella, programme=programme)


def quote_list(*, access: Access, programme: Programme) -> QuerySet[ProgrammeQuote]:
    return ProgrammeQuote.objects.filter(umbrella=access.umbrella, programme=programme)


#: URL kind -> the model of a record that hangs off a programme (through `programme`, or for a
#: representative through its member).
RECORD_MODELS = {
    "member": ProgrammeMember,
    "representative": Representative,
    "engagement": Engagement,
    "commitment": Commitment,
    "agreement": ProgrammeAgreement,
    "exemplar_site": ExemplarSite,
    "next_step": NextStep,
    "lesson": Lesson,
    "quote": ProgrammeQuote,
}


def programme_record_get(*, access: Access, kind: str, public_id):
    """A record of a programme the access may see, by its public id; 404 otherwise."""
    model = RECORD_MODELS[kind]
    through = "member__programme__in" if model is Representative else "programme__in"
    qs = model.objects.filter(umbrella=access.umbrella, **{through: programme_list(access=access)})
    record = get_object_or_404(qs, public_id=public_id)
    second_check(record.umbrella_id == access.umbrella.pk)
    return record


def record_programme(record) -> Programme:
    return record.member.programme if isinstance(record, Representative) else record.programme


# --- case studies ----------------------------------------------------------------------------


def case_study_list(*, access: Access, programme: Programme | None = None) -> QuerySet[CaseStudy]:
    qs = CaseStudy.objects.filter(umbrella=access.umbrella, programme__in=programme_list(access=access))
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.select_related("programme", "requested_by").order_by("-created_at", "-pk")


def case_study_get(*, access: Access, public_id) -> CaseStudy:
    case_study = get_object_or_404(case_study_list(access=access), public_id=public_id)
    second_check(case_study.umbrella_id == access.umbrella.pk == case_study.programme.umbrella_id)
    return case_study


# --- the case study's "at a glance" -----------------------------------------------------------


@dataclass
class AtAGlance:
    went_in: list[str] = field(default_factory=list)
    came_out: list[str] = field(default_factory=list)


_KIND_WORDS = {
    OrganisationKind.LOCAL_AUTHORITY: ("local authority", "local authorities"),
    OrganisationKind.HOUSING_ASSOCIATION: ("housing association", "housing associations"),
    OrganisationKind.HOMES_ENGLAND: ("Homes England", "Homes England"),
    OrganisationKind.OTHER: ("other organisation", "other organisations"),
}


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def programme_at_a_glance(*, access: Access, programme: Programme) -> AtAGlance:
    """What went in and what came out, derived from the programme's rows (so every line can be
    traced back to them)."""
    glance = AtAGlance()
    engagements = list(engagement_list(access=access, programme=programme))
    workshops = [e for e in engagements if e.kind == EngagementKind.WORKSHOP]
    one_to_ones = [e for e in engagements if e.kind == EngagementKind.ONE_TO_ONE]
    if workshops:
        online = sum(1 for e in workshops if e.format == EngagementFormat.ONLINE)
        how = "online" if online == len(workshops) else ("in person" if not online else f"{online} online")
        moved = sum(1 for e in workshops if e.reschedules.all())
        line = f"{_plural(len(workshops), 'workshop')} ({how})"
        if moved:
            line += f", {_plural(moved, 'rearranged', 'rearranged')}"
        glance.went_in.append(line + ".")
    titles = sorted({r.title for e in engagements for r in e.attendees.all() if r.title})
    if titles:
        glance.went_in.append("Attendance by: " + "; ".join(titles) + ".")
    if one_to_ones:
        glance.went_in.append(f"{_plural(len(one_to_ones), 'one-to-one meeting')} with members' representatives.")
    members = list(member_list(access=access, programme=programme))
    if members:
        counts: dict[str, int] = {}
        for m in members:
            counts[m.organisation.kind] = counts.get(m.organisation.kind, 0) + 1
        parts = []
        for kind, n in counts.items():
            one, many = _KIND_WORDS[kind]
            parts.append(one if kind == OrganisationKind.HOMES_ENGLAND else f"{n} {one if n == 1 else many}")
        glance.went_in.append(f"{_plural(len(members), 'member organisation')}: " + ", ".join(parts) + ".")
    if programme.funding_amount:
        source = " ".join(x for x in (programme.funder, programme.funding_programme) if x)
        glance.went_in.append(f"£{programme.funding_amount:,.2f}" + (f" from {source}" if source else "") + ".")
    if programme.facilitators:
        glance.went_in.append(f"Facilitation by {programme.facilitators.strip().rstrip('.')}.")
    glance.went_in.append(
        f"The programme lasted {_plural(programme.duration_months, 'month')} "
        f"({programme.starts_on:%-d %B %Y} to {programme.ends_on:%-d %B %Y})."
    )

    if programme.aim:
        glance.came_out.append(f"A joint ambition: {programme.aim.strip().rstrip('.')}.")
    for c in commitment_list(access=access, programme=programme):
        glance.came_out.append(f"{c.party}: {c.title.strip().rstrip('.')} ({c.get_status_display().lower()}).")
    for a in agreement_list(access=access, programme=programme):
        line = f"{a.get_kind_display()}: {a.name}"
        if a.kind == ProgrammeAgreementKind.MOU and a.signed_on:
            line += f", signed {a.signed_on:%-d %B %Y}"
        else:
            line += f" ({a.get_status_display().lower()})"
        glance.came_out.append(line + ".")
    sites = exemplar_site_list(access=access, programme=programme).count()
    if sites:
        glance.came_out.append(f"{_plural(sites, 'exemplar site')} put forward.")
    return glance
