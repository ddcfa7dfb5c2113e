"""Reads of housing need: parish surveys, the need they found, and a scheme's mix set against it."""

from collections import defaultdict

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from clts.models import BEDROOMS, HousingNeed, HousingNeedSurvey, Tenure


def survey_list(*, access: Access, parish=None) -> QuerySet[HousingNeedSurvey]:
    qs = HousingNeedSurvey.objects.filter(umbrella=access.umbrella)
    if access.is_clt_volunteer:
        qs = qs.filter(parish__clts__in=access.clt_ids).distinct()
    elif not access.is_staff:
        return qs.none()
    if parish is not None:
        qs = qs.filter(parish=parish)
    return qs.select_related("parish").order_by("parish__name", "-surveyed_on", "pk")


def survey_get(*, access: Access, public_id) -> HousingNeedSurvey:
    return get_object_or_404(survey_list(access=access), public_id=public_id)


def need_grid(survey: HousingNeedSurvey) -> list[dict]:
    """The need as rows by tenure, columns by bedrooms, with totals."""
    cells = {(n.tenure, n.bedrooms): n.households for n in survey.needs.all()}
    rows = []
    for tenure, label in Tenure.choices:
        counts = [cells.get((tenure, b), 0) for b in BEDROOMS]
        rows.append({"tenure": tenure, "label": label, "counts": counts, "total": sum(counts)})
    return rows


def latest_need_for(*, access: Access, parishes) -> tuple[list[HousingNeedSurvey], dict[str, int], dict[int, int]]:
    """The latest survey of each parish, and their need added up by tenure and by bedrooms."""
    surveys = []
    for parish in parishes:
        survey = (
            HousingNeedSurvey.objects.filter(umbrella=access.umbrella, parish=parish)
            .select_related("parish")
            .order_by("-surveyed_on")
            .first()
        )
        if survey:
            surveys.append(survey)
    by_tenure: dict[str, int] = defaultdict(int)
    by_bedrooms: dict[int, int] = defaultdict(int)
    for need in HousingNeed.objects.filter(survey__in=surveys):
        by_tenure[need.tenure] += need.households
        by_bedrooms[need.bedrooms] += need.households
    return surveys, dict(by_tenure), dict(by_bedrooms)


SCHEME_TENURE_FIELD = {
    Tenure.SOCIAL_RENT: "homes_social_rent",
    Tenure.AFFORDABLE_RENT: "homes_affordable_rent",
    Tenure.SHARED_OWNERSHIP: "homes_shared_ownership",
    Tenure.DISCOUNTED_SALE: "homes_discounted_sale",
    Tenure.FIRST_HOMES: "homes_first_homes",
}
SCHEME_BEDROOM_FIELD = {1: "bedrooms_1", 2: "bedrooms_2", 3: "bedrooms_3", 4: "bedrooms_4_plus"}


def scheme_mix_against_need(*, access: Access, scheme) -> dict:
    """The scheme's proposed mix beside the evidenced need of its parishes (its site's parish, or
    its CLT's parishes), each row with the difference: positive means more homes than need."""
    parishes = [scheme.site.parish] if scheme.site else list(scheme.clt.parishes.all())
    surveys, by_tenure, by_bedrooms = latest_need_for(access=access, parishes=parishes)

    # A scheme with no homes (or no bedroom sizes) recorded has not planned that mix yet: its rows
    # show the need alone, not a shortfall against zero.
    tenures_planned, bedrooms_planned = scheme.homes_total > 0, scheme.bedrooms_total > 0

    def row(label, planned, need, recorded):
        if not recorded:
            return {"label": label, "planned": None, "need": need, "difference": None, "flag": ""}
        diff = planned - need
        return {
            "label": label,
            "planned": planned,
            "need": need,
            "difference": diff,
            "flag": "over" if diff > 0 else "under" if diff < 0 else "",
        }

    return {
        "surveys": surveys,
        "tenures_planned": tenures_planned,
        "bedrooms_planned": bedrooms_planned,
        "tenures": [
            row(label, getattr(scheme, SCHEME_TENURE_FIELD[t]), by_tenure.get(t, 0), tenures_planned)
            for t, label in Tenure.choices
        ],
        "bedrooms": [
            row(
                f"{b}{'+' if b == 4 else ''} bedroom",
                getattr(scheme, SCHEME_BEDROOM_FIELD[b]),
                by_bedrooms.get(b, 0),
                bedrooms_planned,
            )
            for b in BEDROOMS
        ],
    }
