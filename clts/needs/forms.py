"""Forms for housing needs surveys: the survey with one field per tenure and bedroom size, and the CSV import."""

from django import forms

from accounts.views_base import TenantModelForm
from clts.models import BEDROOMS, HousingNeedSurvey, Tenure
from clts.selectors import parish_choice_list
from core.plain import PlainForm
from core.uploads import CSVUploadField


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


class NeedImportForm(PlainForm):
    file = CSVUploadField(
        label="Need found (CSV)",
        help_text="Columns: tenure, bedrooms (1, 2, 3 or 4+), households. "
        "It replaces the survey's need; every row, or none.",
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
