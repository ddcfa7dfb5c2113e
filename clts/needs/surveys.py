"""Housing need: parish surveys, the need they found, and a scheme's mix set against it."""

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Access
from accounts.records import record_create, record_event, record_update, require
from accounts.views_base import TenantModelForm
from clts.models import BEDROOMS, HousingNeed, HousingNeedSurvey, Tenure
from clts.selectors import parish_choice_list
from core.csvimport import read_csv

# --- reads -----------------------------------------------------------------------------------


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
            HousingNeedSurvey.objects.filter(umbrella=access.umbrella, parish=parish).order_by("-surveyed_on").first()
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


# --- writes ----------------------------------------------------------------------------------


def _write_needs(access: Access, survey: HousingNeedSurvey, cells: dict[tuple[str, int], int]) -> None:
    HousingNeed.objects.filter(survey=survey).delete()
    HousingNeed.objects.bulk_create(
        [
            HousingNeed(umbrella=access.umbrella, survey=survey, tenure=t, bedrooms=b, households=n)
            for (t, b), n in cells.items()
            if n
        ]
    )


def survey_save(
    *, access: Access, survey: HousingNeedSurvey, cells: dict[tuple[str, int], int], before: dict | None = None
) -> HousingNeedSurvey:
    """Record a survey and the need it found (staff)."""
    require(access, "clts.manage")
    if survey.parish.umbrella_id != access.umbrella.pk:
        raise ValidationError({"parish": "That parish is not in this umbrella."})
    if (
        survey.responses is not None
        and survey.households_surveyed is not None
        and survey.responses > survey.households_surveyed
    ):
        raise ValidationError({"responses": "There cannot be more responses than households surveyed."})
    if any(n < 0 for n in cells.values()):
        raise ValidationError("Households in need cannot be negative.")
    if sum(cells.values()) > (survey.responses or 0):
        raise ValidationError(
            f"The need adds up to {sum(cells.values())} households, more than the {survey.responses} that responded."
        )
    with transaction.atomic():
        if before is None:
            record_create(access=access, instance=survey, rule="clts.manage")
        else:
            record_update(access=access, instance=survey, before=before, rule="clts.manage")
        _write_needs(access, survey, cells)
    return survey


def needs_import(*, access: Access, survey: HousingNeedSurvey, text: str) -> int:
    """Replace a survey's need from CSV (tenure, bedrooms, households): every row, or none."""
    require(access, "clts.manage")
    rows, problems = read_csv(
        text, columns=["tenure", "bedrooms", "households"], required=["tenure", "bedrooms", "households"]
    )
    by_label = {label.lower(): value for value, label in Tenure.choices} | {v: v for v in Tenure.values}
    cells: dict[tuple[str, int], int] = {}
    for line, row in rows:
        tenure = by_label.get(row["tenure"].lower())
        if tenure is None:
            problems.append(
                f"Line {line}, column “tenure”: “{row['tenure']}” is not one of "
                f"{', '.join(label for _, label in Tenure.choices)}."
            )
        bedrooms = row["bedrooms"].rstrip("+")
        if bedrooms not in {"1", "2", "3", "4"}:
            problems.append(f"Line {line}, column “bedrooms”: “{row['bedrooms']}” is not 1, 2, 3 or 4+.")
        households = row["households"]
        if not households.isdigit():
            problems.append(f"Line {line}, column “households”: “{households}” is not a whole number.")
        if tenure and bedrooms in {"1", "2", "3", "4"} and households.isdigit():
            key = (tenure, int(bedrooms))
            if key in cells:
                problems.append(f"Line {line}: {row['tenure']}, {row['bedrooms']} bedrooms appears twice.")
            cells[key] = int(households)
    if problems:
        raise ValidationError({"file": problems})
    if sum(cells.values()) > survey.responses:
        raise ValidationError(
            {
                "file": f"The need adds up to {sum(cells.values())} households, more than the "
                f"{survey.responses} that responded."
            }
        )
    with transaction.atomic():
        _write_needs(access, survey, cells)
        record_event(
            access=access,
            instance=survey,
            action="imported",
            summary=f"Imported the need found ({sum(cells.values())} households)",
        )
    return sum(cells.values())


# --- forms -----------------------------------------------------------------------------------


def cell_name(tenure: str, bedrooms: int) -> str:
    return f"need_{tenure}_{bedrooms}"


class SurveyForm(TenantModelForm):
    class Meta:
        model = HousingNeedSurvey
        fields = ["parish", "surveyed_on", "households_surveyed", "responses", "notes"]
        widgets = {"surveyed_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parish"].queryset = parish_choice_list(access=self.access)
        existing = {(n.tenure, n.bedrooms): n.households for n in self.instance.needs.all()} if self.instance.pk else {}
        for tenure, label in Tenure.choices:
            for b in BEDROOMS:
                self.fields[cell_name(tenure, b)] = forms.IntegerField(
                    label=f"{label}, {b}{'+' if b == 4 else ''} bedroom",
                    min_value=0,
                    required=False,
                    initial=existing.get((tenure, b), 0),
                )

    @property
    def grid(self):
        return [(label, [self[cell_name(t, b)] for b in BEDROOMS]) for t, label in Tenure.choices]

    @property
    def header_fields(self):
        return [self[name] for name in self.Meta.fields]

    def cells(self) -> dict[tuple[str, int], int]:
        return {(t, b): self.cleaned_data.get(cell_name(t, b)) or 0 for t in Tenure.values for b in BEDROOMS}


class NeedImportForm(forms.Form):
    file = forms.FileField(
        label="Need found (CSV)",
        help_text="Columns: tenure, bedrooms (1, 2, 3 or 4+), households. "
        "It replaces the survey's need; every row, or none.",
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
