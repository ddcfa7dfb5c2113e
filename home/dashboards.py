"""What each role's home page shows, gathered from each app's selectors (aggregates, no per-row
queries). Every figure is a sum or a count the database makes, and links to the list behind it.

What a home page shows is the same for everyone with the same scope, and at scale it is the most
expensive read there is (every scheme, a year of cost entries): the view keeps it, drawn, until
the umbrella's data changes (core.versions). "Since your last visit" is read each time.
"""

from datetime import date

from accounts.access import Access
from clts.allocations.selectors import policy_list
from clts.selectors import advice_session_list, clt_list, clts_by_status, grants_awaiting, person_list
from core.charts import bar_chart_svg, chart_data_uri
from partnerships.organisations.selectors import housing_association_list
from partnerships.recoupment.selectors import ha_partners, money_this_year, statement_list
from schemes.allocations.selectors import nomination_list_list
from schemes.selectors import (
    ha_overview,
    homes_by_tenure,
    milestones_due,
    pipeline,
    scheme_list,
    schemes_needing_attention,
)
from schemes.stages import stage_track


def home(*, access: Access, today: date) -> dict:
    """The figures and lists of the role's home page (a dict for the template)."""
    out: dict = {"today": today}
    schemes = scheme_list(access=access)
    if access.is_staff:
        stages = pipeline(access=access)
        tenures = homes_by_tenure(access=access)
        money = money_this_year(access=access, today=today)
        out.update(
            stages=stages,
            tenures=tenures,
            money=money,
            pipeline_chart=chart_data_uri(
                bar_chart_svg(title="Schemes by stage", values={r["label"]: r["schemes"] for r in stages}, money=False)
            ),
            tenure_chart=chart_data_uri(
                bar_chart_svg(title="Homes by tenure", values={r["label"]: r["homes"] for r in tenures}, money=False)
            ),
            money_chart=chart_data_uri(
                bar_chart_svg(
                    title="Costs this year",
                    values={
                        "Incurred": money.incurred,
                        "At risk": money.at_risk,
                        "Invoiced": money.invoiced,
                        "Recovered": money.recovered,
                    },
                )
            ),
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
        out.update(
            clts=list(clt_list(access=access)),
            tracks=[(s, stage_track(s.stage, s.held_from_stage)) for s in out["schemes"]],
            grants=list(grants_awaiting(access=access)),
            board=list(person_list(access=access)[:30]),
            advice=list(advice_session_list(access=access)[:5]),
            allocation_policies=list(policy_list(access=access, status="agreed")),
        )
    if access.is_ha_team:
        overview = ha_overview(access=access, schemes=schemes)
        out.update(
            housing_associations=list(housing_association_list(access=access)),
            statements=list(statement_list(access=access)[:10]),
            nomination_lists=list(nomination_list_list(access=access).order_by("-agreed_at")[:10]),
            leases=overview["leases"],
            next_milestones=overview["next_milestones"],
            related_ids=overview["related_ids"],
        )
    return out
