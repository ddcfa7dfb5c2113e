"""What each role's home page shows: aggregate reads over the scoped selectors (no per-row queries).

Figures are sums and counts the database makes; every figure links to the list behind it.
"""

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from .access import Access

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


def _time_cost():
    """hours × the rate of the entry's role in force on its date, in SQL."""
    from partnerships.models import RoleRate

    rate = Subquery(RoleRate.objects.filter(staff_role=OuterRef("staff_role"), effective_from__lte=OuterRef("on"))
                    .order_by("-effective_from").values("hourly_rate")[:1])
    return ExpressionWrapper(F("hours") * rate, output_field=DecimalField(max_digits=16, decimal_places=4))


@dataclass
class MoneyYear:
    year_start: date
    incurred: Decimal
    at_risk: Decimal
    absorbed: Decimal
    invoiced: Decimal
    recovered: Decimal


def money_this_year(*, access: Access, today: date) -> MoneyYear:
    """This financial year (from 1 April): costs incurred; of those, on schemes not yet gone ahead
    (at risk) and withdrawn (absorbed); statements issued (invoiced) and paid (recovered)."""
    from partnerships.models import Statement
    from schemes.models import CostEntry
    from schemes.stages import PIPELINE, Stage

    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    entries = CostEntry.objects.filter(umbrella=access.umbrella, on__gte=start, on__lte=today)
    gone_ahead = PIPELINE[PIPELINE.index(Stage.START_ON_SITE):]

    def total(qs) -> Decimal:
        time = qs.filter(kind="time").aggregate(v=Sum(_time_cost()))["v"] or ZERO
        spend = qs.filter(kind="expense").aggregate(v=Sum("amount"))["v"] or ZERO
        return (time + spend).quantize(Decimal("0.01"))

    statements = Statement.objects.filter(umbrella=access.umbrella, issued_at__date__gte=start)
    return MoneyYear(
        year_start=start,
        incurred=total(entries),
        at_risk=total(entries.exclude(scheme__stage__in=gone_ahead + [Stage.WITHDRAWN])),
        absorbed=total(entries.filter(scheme__stage=Stage.WITHDRAWN)),
        invoiced=statements.filter(status__in=["issued", "paid"]).aggregate(v=Sum("total_due"))["v"] or ZERO,
        recovered=statements.filter(status="paid").aggregate(v=Sum("total_due"))["v"] or ZERO,
    )


def ha_partners(*, access: Access):
    """Partners with their active schemes and what issued statements leave unpaid."""
    from partnerships.models import HousingAssociation
    from schemes.stages import Stage

    return HousingAssociation.objects.filter(umbrella=access.umbrella).annotate(
        active_schemes=Count("schemes", filter=~Q(schemes__stage__in=[Stage.WITHDRAWN, Stage.OCCUPIED]), distinct=True),
    ).annotate(
        outstanding=Coalesce(Subquery(
            HousingAssociation.objects.filter(pk=OuterRef("pk")).annotate(
                v=Sum("statements__total_due", filter=Q(statements__status="issued"))).values("v")[:1]),
            ZERO, output_field=DecimalField(max_digits=14, decimal_places=2)),
    ).order_by("name")


def changes_since(*, access: Access, since, scheme_ids: list[str]):
    """What changed on these schemes (and their leases and milestones) since a moment."""
    from .models import AuditEvent

    if since is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(umbrella=access.umbrella, at__gt=since, object_id__in=scheme_ids).select_related(
        "actor")[:20]


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
