"""What each role's home page shows: aggregate reads over the scoped selectors (no per-row queries).

Figures are sums and counts the database makes; every figure links to the list behind it.
"""

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from accounts.access import Access

ZERO = Decimal("0.00")


def chart_data_uri(svg: str) -> str:
    """Charts go into pages as data: images (allowed by our CSP), with a table beside them."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pipeline(*, access: Access) -> list[dict]:
    """Schemes and homes by stage, in the order of the process."""
    from schemes.models import TENURE_FIELDS
    from schemes.selectors import scheme_list
    from schemes.stages import PIPELINE, Stage

    homes = sum((F(f) for f, _, _ in TENURE_FIELDS[1:]), F(TENURE_FIELDS[0][0]))
    rows = {r["stage"]: r for r in scheme_list(access=access).order_by().values("stage")
            .annotate(schemes=Count("pk"), homes=Sum(homes))}
    out = []
    for stage in PIPELINE + [Stage.ON_HOLD, Stage.WITHDRAWN]:
        row = rows.get(stage)
        if row or stage in PIPELINE:
            out.append({"stage": stage, "label": Stage(stage).label, "schemes": row["schemes"] if row else 0,
                        "homes": (row["homes"] or 0) if row else 0})
    return out


def homes_by_tenure(*, access: Access) -> list[dict]:
    from schemes.models import TENURE_FIELDS
    from schemes.selectors import scheme_list
    from schemes.stages import Stage

    totals = scheme_list(access=access).exclude(stage=Stage.WITHDRAWN).order_by().aggregate(
        **{f: Coalesce(Sum(f), 0) for f, _, _ in TENURE_FIELDS})
    return [{"label": label.capitalize(), "homes": totals[f]} for f, label, _ in TENURE_FIELDS]


def schemes_needing_attention(*, access: Access):
    from schemes.selectors import scheme_list

    return scheme_list(access=access).filter(rag__in=["red", "amber"]).order_by("-rag", "name")[:20]


def milestones_due(*, access: Access, today: date):
    from schemes.selectors import milestone_list

    soon = milestone_list(access=access, today=today).filter(
        completed_on__isnull=True, due_on__lte=today + timedelta(days=30))
    return soon[:25], soon.count()


def clts_by_status(*, access: Access) -> list[dict]:
    from clts.models import SetupStatus
    from clts.selectors import clt_list

    counts = {r["setup_status"]: r["n"] for r in clt_list(access=access).order_by().values("setup_status")
              .annotate(n=Count("pk", distinct=True))}
    return [{"status": s, "label": label, "clts": counts.get(s, 0)} for s, label in SetupStatus.choices]


def grants_awaiting(*, access: Access):
    from clts.models import RevenueGrant

    qs = RevenueGrant.objects.filter(umbrella=access.umbrella, status="submitted").select_related("clt")
    if access.is_clt_volunteer:
        qs = qs.filter(clt_id__in=access.clt_ids)
    elif not access.is_staff:
        return qs.none()
    return qs.order_by("submitted_on", "pk")


def _rate_in_force(umbrella):
    """The hourly rate of an entry's role on its date, as one CASE over the umbrella's few rates
    (newest first per role, so the first match is the rate in force): a correlated subquery per
    entry costs hundreds of ms over a large umbrella's year of entries."""
    from partnerships.recoupment import rate_table

    whens = [When(staff_role_id=role_id, on__gte=effective_from, then=Value(rate))
             for role_id, rates in rate_table(umbrella).items() for effective_from, rate in rates]
    return Case(*whens, default=Value(None), output_field=DecimalField(max_digits=8, decimal_places=2))


@dataclass
class MoneyYear:
    year_start: date
    incurred: Decimal
    at_risk: Decimal
    absorbed: Decimal
    invoiced: Decimal
    recovered: Decimal


def money_this_year(*, access: Access, today: date) -> MoneyYear:
    """This financial year (from 1 April): costs incurred (time at the rate in force on the day,
    expenses before VAT); of those, on schemes not yet gone ahead (at risk: CLT costs before a
    scheme too) and on withdrawn schemes (absorbed); statements issued (invoiced) and paid
    (recovered). Two queries: one pass over the cost entries, one over the statements."""
    from partnerships.models import Statement
    from schemes.models import CostEntry, CostKind
    from schemes.stages import PIPELINE, Stage

    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    gone_ahead = PIPELINE[PIPELINE.index(Stage.START_ON_SITE):]
    cost = Case(When(kind=CostKind.TIME, then=F("hours") * _rate_in_force(access.umbrella)),
                When(kind=CostKind.EXPENSE, then=F("amount")),
                output_field=DecimalField(max_digits=16, decimal_places=4))
    costs = CostEntry.objects.filter(umbrella=access.umbrella, on__gte=start, on__lte=today).aggregate(
        incurred=Sum(cost),
        at_risk=Sum(cost, filter=Q(scheme__isnull=True) | ~Q(scheme__stage__in=gone_ahead + [Stage.WITHDRAWN])),
        absorbed=Sum(cost, filter=Q(scheme__stage=Stage.WITHDRAWN)),
    )
    billed = Statement.objects.filter(umbrella=access.umbrella, issued_at__date__gte=start).aggregate(
        invoiced=Sum("total_due", filter=Q(status__in=["issued", "paid"])),
        recovered=Sum("total_due", filter=Q(status="paid")),
    )

    def pounds(value) -> Decimal:
        return (value or ZERO).quantize(Decimal("0.01"))

    return MoneyYear(year_start=start, **{k: pounds(v) for k, v in (costs | billed).items()})


def ha_partners(*, access: Access):
    """Partners with their active schemes and what issued statements leave unpaid (one query:
    a subquery each, rather than joining every scheme and statement to every partner)."""
    from partnerships.models import HousingAssociation, Statement
    from schemes.models import Scheme
    from schemes.stages import Stage

    def per_partner(qs, value):
        return Subquery(qs.filter(housing_association=OuterRef("pk")).order_by()
                        .values("housing_association").annotate(v=value).values("v"))

    return HousingAssociation.objects.filter(umbrella=access.umbrella).annotate(
        active_schemes=Coalesce(per_partner(
            Scheme.objects.filter(umbrella=access.umbrella).exclude(stage__in=[Stage.WITHDRAWN, Stage.OCCUPIED]),
            Count("pk")), 0),
        outstanding=Coalesce(per_partner(
            Statement.objects.filter(umbrella=access.umbrella, status="issued"), Sum("total_due")),
            ZERO, output_field=DecimalField(max_digits=14, decimal_places=2)),
    ).order_by("name")


#: What an HA team's "changed since your last visit" is about, and how many of the umbrella's
#: newest such events it reads at most (a team back after months sees the newest changes).
RELATED_TYPES = ("scheme", "lease", "milestone")
CHANGES_READ = 1000


def changes_since(*, access: Access, since, scheme_ids: list[str], limit: int = 20) -> list:
    """What changed on these records (a team's schemes, their leases and milestones) since a
    moment, newest first: the umbrella's events since then, read newest first by an index on
    (umbrella, time) and kept when they are about one of these records. (As one query with the
    ids in an IN list, a team with a few hundred schemes sent and planned a thousand ids a visit.)"""
    from accounts.models import AuditEvent

    if since is None:
        return []
    wanted, out = set(scheme_ids), []
    events = AuditEvent.objects.filter(umbrella=access.umbrella, at__gt=since, object_type__in=RELATED_TYPES)
    for event in events.select_related("actor")[:CHANGES_READ]:
        if event.object_id in wanted:
            out.append(event)
            if len(out) == limit:
                break
    return out


def ha_overview(*, access: Access, schemes) -> dict:
    """The HA team's leases and each scheme's next open milestone, and the ids whose changes count
    as "changed since your last visit" (the schemes, their leases and their milestones)."""
    from schemes.models import Lease, Milestone

    leases = list(Lease.objects.filter(umbrella=access.umbrella, scheme__in=schemes).select_related("scheme"))
    open_milestones = list(Milestone.objects.filter(umbrella=access.umbrella, scheme__in=schemes,
                                                    completed_on__isnull=True).order_by("due_on", "pk"))
    next_milestones = {}
    for milestone in open_milestones:
        next_milestones.setdefault(milestone.scheme_id, milestone)
    related = [str(i) for i in schemes.values_list("public_id", flat=True)]
    related += [str(lease.public_id) for lease in leases]
    related += [str(i) for i in Milestone.objects.filter(umbrella=access.umbrella, scheme__in=schemes)
                .values_list("public_id", flat=True)]
    return {"leases": leases, "next_milestones": next_milestones, "related_ids": related}


# --- each role's home page ------------------------------------------------------------------
# What a home page shows is the same for everyone with the same scope, and at scale it is the
# most expensive read there is (every scheme, a year of cost entries): the view keeps it, drawn,
# until the umbrella's data changes (accounts.versions). "Since your last visit" is read each time.


def home(*, access: Access, today: date) -> dict:
    """The figures and lists of the role's home page (a dict for the template)."""
    from partnerships.charts import bar_chart_svg
    from schemes.selectors import scheme_list

    out: dict = {"today": today}
    schemes = scheme_list(access=access)
    if access.is_staff:
        stages = pipeline(access=access)
        tenures = homes_by_tenure(access=access)
        money = money_this_year(access=access, today=today)
        out.update(
            stages=stages, tenures=tenures, money=money,
            pipeline_chart=chart_data_uri(bar_chart_svg(
                title="Schemes by stage", values={r["label"]: r["schemes"] for r in stages}, money=False)),
            tenure_chart=chart_data_uri(bar_chart_svg(
                title="Homes by tenure", values={r["label"]: r["homes"] for r in tenures}, money=False)),
            money_chart=chart_data_uri(bar_chart_svg(
                title="Costs this year", values={"Incurred": money.incurred, "At risk": money.at_risk,
                                                 "Invoiced": money.invoiced, "Recovered": money.recovered})),
            attention=list(schemes_needing_attention(access=access)),
            clt_statuses=clts_by_status(access=access),
            grants=list(grants_awaiting(access=access)),
            partners=list(ha_partners(access=access)),
        )
    else:
        out["schemes"] = list(schemes)
    if access.is_staff or access.is_clt_volunteer or access.is_ha_team:
        due, due_count = milestones_due(access=access, today=today)
        out.update(milestones_due=list(due), milestones_due_count=due_count)
    if access.is_clt_volunteer:
        from clts.allocations import policy_list
        from clts.selectors import advice_session_list, clt_list, person_list
        from schemes.stages import stage_track

        out.update(
            clts=list(clt_list(access=access)),
            tracks=[(s, stage_track(s.stage, s.held_from_stage)) for s in out["schemes"]],
            grants=list(grants_awaiting(access=access)),
            board=list(person_list(access=access)[:30]),
            advice=list(advice_session_list(access=access)[:5]),
            allocation_policies=list(policy_list(access=access, status="agreed")),
        )
    if access.is_ha_team:
        from partnerships.selectors import housing_association_list, statement_list
        from schemes.allocations import nomination_list_list

        overview = ha_overview(access=access, schemes=schemes)
        out.update(
            housing_associations=list(housing_association_list(access=access)),
            statements=list(statement_list(access=access)[:10]),
            nomination_lists=list(nomination_list_list(access=access).order_by("-agreed_at")[:10]),
            leases=overview["leases"], next_milestones=overview["next_milestones"],
            related_ids=overview["related_ids"],
        )
    return out
