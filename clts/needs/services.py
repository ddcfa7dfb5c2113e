"""Writes of housing needs surveys: a survey with its grid of need, and the all-or-nothing CSV import."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.access import Access
from accounts.records import record_create, record_event, record_update, require
from clts.models import HousingNeed, HousingNeedSurvey, Tenure
from core.csvimport import read_csv


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


def needs_import(*, access: Access, survey: HousingNeedSurvey, source) -> int:
    """Replace a survey's need from CSV (tenure, bedrooms, households; a file or its text): every
    row, or none."""
    require(access, "clts.manage")
    rows = read_csv(source, columns=["tenure", "bedrooms", "households"], required=["tenure", "bedrooms", "households"])
    problems = rows.problems
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
    problems.refuse()
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
