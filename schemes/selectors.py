"""Reads of sites, schemes, tenders, leases and milestones, scoped by the access object.

Staff see the whole umbrella; a CLT volunteer sees what belongs to their CLTs; an HA team sees
the schemes its HA partners on (and what hangs off them). Anything else answers 404.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.access import Access
from partnerships.organisations.models import AgreementStatus, CollaborationAgreement, HousingAssociation
from schemes.calculations import (
    Estimate,
    buy_back_fixed_formula,
    buy_back_outstanding_debt,
    buy_back_valuation,
    rank_bids,
)
from schemes.models import (
    PLANNING_ON_RECORD,
    SECURED_STATUSES,
    TENURE_FIELDS,
    Bid,
    Lease,
    Milestone,
    Negotiation,
    Scheme,
    Site,
    StageChange,
    Tender,
)
from schemes.stages import PIPELINE, Stage


def scheme_list(
    *, access: Access, search: str = "", stage: str = "", rag: str = "", clt=None, housing_association=None
) -> QuerySet[Scheme]:
    qs = Scheme.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_clt_volunteer:
        qs = qs.filter(clt_id__in=access.clt_ids)
    elif access.is_ha_team:
        qs = qs.filter(housing_association_id__in=access.ha_ids)
    else:
        return qs.none()
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(clt__name__icontains=search) | Q(site__parish__name__icontains=search)
        )
    if stage:
        qs = qs.filter(stage=stage)
    if rag:
        qs = qs.filter(rag=rag)
    if clt is not None:
        qs = qs.filter(clt=clt)
    if housing_association is not None:
        qs = qs.filter(housing_association=housing_association)
    return qs.select_related("clt", "housing_association", "site", "site__parish", "lead_officer").order_by(
        "name", "pk"
    )


def scheme_get(*, access: Access, public_id) -> Scheme:
    """One scheme through the access (404 if not visible), with its site's parish (its page names it)."""
    return get_object_or_404(scheme_list(access=access).select_related("site__parish"), public_id=public_id)


def scheme_stage_get(*, access: Access, public_id) -> Scheme:
    """The scheme through the access (404 if not visible), with only its name and stage: for a
    page that draws the rest once (SchemeDetailView)."""
    return get_object_or_404(
        scheme_list(access=access).select_related(None).only("public_id", "name", "stage", "held_from_stage"),
        public_id=public_id,
    )


def stage_history(*, access: Access, scheme: Scheme) -> QuerySet[StageChange]:
    return StageChange.objects.filter(umbrella=access.umbrella, scheme=scheme).select_related("changed_by")


# --- sites -----------------------------------------------------------------------------------


def site_list(*, access: Access, search: str = "", negotiation_status: str = "", parish=None) -> QuerySet[Site]:
    qs = Site.objects.filter(umbrella=access.umbrella)
    if access.is_clt_volunteer:
        # Sites in the parishes their CLTs serve, and any site one of their schemes uses.
        qs = qs.filter(Q(parish__clts__in=access.clt_ids) | Q(schemes__clt_id__in=access.clt_ids)).distinct()
    elif not access.is_staff:
        return qs.none()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(parish__name__icontains=search) | Q(landowner__icontains=search))
    if negotiation_status:
        qs = qs.filter(negotiation_status=negotiation_status)
    if parish is not None:
        qs = qs.filter(parish=parish)
    return qs.select_related("parish").order_by("name", "pk")


def site_public_list(*, access: Access) -> QuerySet[Site]:
    """The sites the umbrella may publish: secured (an option or a sale) or with a planning
    application made. A site still in talks, or one whose landowner declined, is left out: naming
    it would tell the market what the umbrella is after, and the landowner what it is worth."""
    return site_list(access=access).filter(
        Q(negotiation_status__in=SECURED_STATUSES) | Q(planning_status__in=PLANNING_ON_RECORD)
    )


def scheme_public_list(*, access: Access) -> QuerySet[Scheme]:
    """The schemes the umbrella may publish: those on a site it may publish (site_public_list). A
    scheme with no site yet, or on a site still in talks, is left out: its name is often the site's."""
    return scheme_list(access=access).filter(site__in=site_public_list(access=access))


def site_get(*, access: Access, public_id) -> Site:
    return get_object_or_404(site_list(access=access), public_id=public_id)


def negotiation_list(*, access: Access, site: Site) -> QuerySet[Negotiation]:
    return Negotiation.objects.filter(umbrella=access.umbrella, site=site)


def negotiation_get(*, access: Access, public_id) -> Negotiation:
    negotiation = get_object_or_404(
        Negotiation.objects.filter(umbrella=access.umbrella).select_related("site"), public_id=public_id
    )
    site_get(access=access, public_id=negotiation.site.public_id)  # visible only with its site
    return negotiation


# --- tenders ---------------------------------------------------------------------------------


def tender_list(*, access: Access, scheme: Scheme | None = None, status: str = "", role: str = "") -> QuerySet[Tender]:
    qs = Tender.objects.filter(umbrella=access.umbrella, scheme__in=scheme_list(access=access))
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if status:
        qs = qs.filter(status=status)
    if role:
        qs = qs.filter(role=role)
    return (
        qs.select_related("scheme", "appointed_bid__firm")
        .annotate(bid_count=Count("bids", distinct=True), invited_count=Count("invited_firms", distinct=True))
        .order_by("-created_at", "pk")
    )


def tender_get(*, access: Access, public_id) -> Tender:
    return get_object_or_404(tender_list(access=access), public_id=public_id)


def tender_bids(*, access: Access, tender: Tender) -> QuerySet[Bid]:
    return Bid.objects.filter(umbrella=access.umbrella, tender=tender).select_related("firm")


def tender_ranking(*, access: Access, tender: Tender):
    return rank_bids(tender_bids(access=access, tender=tender), price_weight=tender.price_weight)


def bid_get(*, access: Access, public_id) -> Bid:
    bid = get_object_or_404(
        Bid.objects.filter(umbrella=access.umbrella).select_related("tender", "firm"), public_id=public_id
    )
    tender_get(access=access, public_id=bid.tender.public_id)
    return bid


# --- lease -----------------------------------------------------------------------------------


def lease_for(*, access: Access, scheme: Scheme) -> Lease | None:
    return Lease.objects.filter(umbrella=access.umbrella, scheme=scheme).first()


def lease_buy_back_price(*, lease: Lease, on: date) -> Estimate:
    """An estimate of the buy-back price if the option were exercised on `on`, with its working."""
    if lease.start_on is None:
        return Estimate(None, problems=["The lease has no start date yet."])
    problems = []
    if lease.option_earliest_on and on < lease.option_earliest_on:
        problems.append(
            f"The option cannot be exercised before {lease.option_earliest_on.day} {lease.option_earliest_on:%B %Y}; "
            "the figure shows what the formula gives on that date all the same."
        )
    if lease.option_basis == "fixed_formula":
        estimate = buy_back_fixed_formula(
            base_price=lease.option_base_price,
            indexation_percent=lease.option_indexation_percent,
            start_on=lease.start_on,
            on=on,
        )
    elif lease.option_basis == "outstanding_debt":
        estimate = buy_back_outstanding_debt(
            principal=lease.option_loan_principal,
            rate_percent=lease.option_loan_rate_percent,
            term_years=lease.option_loan_term_years,
            start_on=lease.start_on,
            on=on,
        )
    else:
        if lease.option_valuation_amount is None:
            return Estimate(None, problems=["No valuation is recorded yet."])
        estimate = buy_back_valuation(
            valuation=lease.option_valuation_amount,
            valued_on=lease.option_valuation_on,
            percent=lease.option_valuation_percent,
        )
    estimate.problems = problems + estimate.problems
    notice_by = on - timedelta(days=round(lease.option_notice_months * 30.44))
    estimate.working.append(
        f"Notice of {lease.option_notice_months} months: give it by about {notice_by.day} {notice_by:%B %Y}."
    )
    return estimate


# --- milestones ------------------------------------------------------------------------------


def milestone_list(
    *,
    access: Access,
    scheme: Scheme | None = None,
    clt=None,
    owner=None,
    state: str = "",
    kind: str = "",
    today: date | None = None,
) -> QuerySet[Milestone]:
    qs = Milestone.objects.filter(umbrella=access.umbrella)
    if access.is_staff:
        pass
    elif access.is_clt_volunteer:
        qs = qs.filter(clt_id__in=access.clt_ids)
    elif access.is_ha_team:
        qs = qs.filter(scheme__housing_association_id__in=access.ha_ids)
    else:
        return qs.none()
    today = today or date.today()
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if clt is not None:
        qs = qs.filter(clt=clt)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if kind:
        qs = qs.filter(kind=kind)
    if state == "overdue":
        qs = qs.filter(completed_on__isnull=True, due_on__lt=today)
    elif state == "open":
        qs = qs.filter(completed_on__isnull=True)
    elif state == "due_30":
        qs = qs.filter(completed_on__isnull=True, due_on__gte=today, due_on__lte=today + timedelta(days=30))
    elif state == "done":
        qs = qs.filter(completed_on__isnull=False)
    return qs.select_related("scheme", "clt", "owner").order_by("due_on", "title", "pk")


def milestone_get(*, access: Access, public_id) -> Milestone:
    return get_object_or_404(milestone_list(access=access), public_id=public_id)


def milestones_for_calendar(*, user) -> QuerySet[Milestone]:
    """What a person owns, in the umbrellas where they are still a member (for the iCal feed),
    leaving out those whose pages they may not open until they set up two-factor."""
    from accounts.selectors import umbrellas_held_back_for_mfa

    return (
        Milestone.objects.filter(
            owner=user,
            umbrella__memberships__user=user,
            umbrella__memberships__revoked_at__isnull=True,
        )
        .exclude(umbrella__in=umbrellas_held_back_for_mfa(user=user))
        .distinct()
        .select_related("scheme", "clt", "umbrella")
        .order_by("due_on", "pk")
    )


# --- HA matching -----------------------------------------------------------------------------


@dataclass
class MatchCandidate:
    housing_association: HousingAssociation
    score: int
    reasons: list[str] = field(default_factory=list)
    rank: int = 0
    tied: bool = False


ACTIVE_STAGES = [s for s in PIPELINE if s != Stage.OCCUPIED] + [Stage.ON_HOLD]


def scheme_places(scheme: Scheme) -> set[str]:
    """The districts and counties the scheme sits in (its site's parish, else its CLT's parishes)."""
    parishes = [scheme.site.parish] if scheme.site else list(scheme.clt.parishes.all())
    places = set()
    for parish in parishes:
        places.add(parish.district.strip().lower())
        if parish.county:
            places.add(parish.county.strip().lower())
    return places


def ha_match_candidates(*, access: Access, scheme: Scheme) -> list[MatchCandidate]:
    """Rank the umbrella's partner HAs for a scheme, with the reasons for each score.

    Area of operation covers the scheme's district or county: 3. Active collaboration agreement:
    3 (draft: 1). Scheme size within the HA's range: 2 (no range stated: 1). Tenures it develops:
    up to 2, in proportion to the homes planned in them. Current CLT workload: 2 with no active
    CLT scheme, 1 with one or two, 0 with more.
    """
    places = scheme_places(scheme)
    has = (
        HousingAssociation.objects.filter(umbrella=access.umbrella)
        .annotate(
            active_schemes=Count(
                "schemes", filter=Q(schemes__stage__in=ACTIVE_STAGES) & ~Q(schemes__pk=scheme.pk), distinct=True
            )
        )
        .prefetch_related(
            Prefetch("agreements", queryset=CollaborationAgreement.objects.filter(umbrella=access.umbrella))
        )
    )
    homes = scheme.homes_total
    candidates = []
    for ha in has:
        score, reasons = 0, []
        areas = {a.lower() for a in ha.areas}
        covered = sorted(places & areas)
        if covered:
            score += 3
            reasons.append(f"Works in {', '.join(p.title() for p in covered)} (+3)")
        else:
            reasons.append(f"Does not list {', '.join(sorted(p.title() for p in places)) or 'the area'} (+0)")
        agreements = list(ha.agreements.all())
        if any(a.status == AgreementStatus.ACTIVE for a in agreements):
            score += 3
            reasons.append("Active collaboration agreement (+3)")
        elif any(a.status == AgreementStatus.DRAFT for a in agreements):
            score += 1
            reasons.append("Collaboration agreement in draft (+1)")
        else:
            reasons.append("No collaboration agreement (+0)")
        low, high = ha.min_scheme_homes, ha.max_scheme_homes
        if low is None and high is None:
            score += 1
            reasons.append("No stated scheme size (+1)")
        elif (low is None or homes >= low) and (high is None or homes <= high):
            score += 2
            reasons.append(f"Takes schemes of {low or 1}–{high or 'any number of'} homes; this has {homes} (+2)")
        else:
            reasons.append(f"Takes schemes of {low or 1}–{high or 'any number of'} homes; this has {homes} (+0)")
        planned = [
            (label, getattr(scheme, f), getattr(ha, flag)) for f, label, flag in TENURE_FIELDS if getattr(scheme, f)
        ]
        if planned:
            in_tenures = sum(n for _, n, ok in planned if ok)
            points = round(2 * in_tenures / homes) if homes else 0
            score += points
            missing = [label for label, _, ok in planned if not ok]
            reasons.append(
                f"Develops the tenures of {in_tenures} of the {homes} homes"
                + (f"; not {', '.join(missing)}" if missing else "")
                + f" (+{points})"
            )
        n = ha.active_schemes
        workload = 2 if n == 0 else 1 if n <= 2 else 0
        score += workload
        reasons.append(f"Partners on {n} other active CLT scheme{'s' if n != 1 else ''} (+{workload})")
        candidates.append(MatchCandidate(ha, score, reasons))
    candidates.sort(key=lambda c: (-c.score, c.housing_association.name))
    for i, c in enumerate(candidates):
        if i and c.score == candidates[i - 1].score:
            c.rank = candidates[i - 1].rank
            c.tied = candidates[i - 1].tied = True
        else:
            c.rank = i + 1
    return candidates


# --- home-page figures (home.dashboards) --------------------------------------------------


def pipeline(*, access: Access) -> list[dict]:
    """Schemes and homes by stage, in the order of the process."""
    from schemes.models import TENURE_FIELDS
    from schemes.stages import PIPELINE, Stage

    homes = sum((F(f) for f, _, _ in TENURE_FIELDS[1:]), F(TENURE_FIELDS[0][0]))
    rows = {
        r["stage"]: r
        for r in scheme_list(access=access).order_by().values("stage").annotate(schemes=Count("pk"), homes=Sum(homes))
    }
    out = []
    for stage in PIPELINE + [Stage.ON_HOLD, Stage.WITHDRAWN]:
        row = rows.get(stage)
        if row or stage in PIPELINE:
            out.append(
                {
                    "stage": stage,
                    "label": Stage(stage).label,
                    "schemes": row["schemes"] if row else 0,
                    "homes": (row["homes"] or 0) if row else 0,
                }
            )
    return out


def homes_by_tenure(*, access: Access) -> list[dict]:
    from schemes.models import TENURE_FIELDS
    from schemes.stages import Stage

    totals = (
        scheme_list(access=access)
        .exclude(stage=Stage.WITHDRAWN)
        .order_by()
        .aggregate(**{f: Coalesce(Sum(f), 0) for f, _, _ in TENURE_FIELDS})
    )
    return [{"label": label.capitalize(), "homes": totals[f]} for f, label, _ in TENURE_FIELDS]


def schemes_needing_attention(*, access: Access):

    return scheme_list(access=access).filter(rag__in=["red", "amber"]).order_by("-rag", "name")[:20]


def milestones_due(*, access: Access, today: date):

    soon = milestone_list(access=access, today=today).filter(
        completed_on__isnull=True, due_on__lte=today + timedelta(days=30)
    )
    return soon[:25], soon.count()


def ha_overview(*, access: Access, schemes) -> dict:
    """The HA team's leases and each scheme's next open milestone, and the ids whose changes count
    as "changed since your last visit" (the schemes, their leases and their milestones)."""
    from schemes.models import Lease, Milestone

    leases = list(Lease.objects.filter(umbrella=access.umbrella, scheme__in=schemes).select_related("scheme"))
    open_milestones = list(
        Milestone.objects.filter(umbrella=access.umbrella, scheme__in=schemes, completed_on__isnull=True).order_by(
            "due_on", "pk"
        )
    )
    next_milestones = {}
    for milestone in open_milestones:
        next_milestones.setdefault(milestone.scheme_id, milestone)
    related = [str(i) for i in schemes.values_list("public_id", flat=True)]
    related += [str(lease.public_id) for lease in leases]
    related += [
        str(i)
        for i in Milestone.objects.filter(umbrella=access.umbrella, scheme__in=schemes).values_list(
            "public_id", flat=True
        )
    ]
    return {"leases": leases, "next_milestones": next_milestones, "related_ids": related}


def milestones_due_for_owner(*, access: Access, today: date, within_days: int) -> QuerySet[Milestone]:
    """The open milestones and tasks this person owns, overdue or due within `within_days`."""
    return milestone_list(access=access, owner=access.user, state="open", today=today).filter(
        due_on__lte=today + timedelta(days=within_days)
    )


def first_reached(changes, stage: str):
    """The day a scheme's dated moves (`changes`, oldest first) first reached `stage` or a later
    stage of the pipeline: the day it went ahead, or reached a grant's milestone. None if never."""
    from django.utils import timezone

    from schemes.stages import PIPELINE

    threshold = PIPELINE.index(stage)
    for change in changes:
        if change.to_stage in PIPELINE and PIPELINE.index(change.to_stage) >= threshold:
            return timezone.localdate(change.changed_at)
    return None
