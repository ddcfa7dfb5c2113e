from django import forms

from accounts.views_base import TenantModelForm
from core.plain import PlainForm
from core.validators import not_in_future
from schemes.funding.models import CapitalFunding, Milestone
from schemes.funding.services import funding_problems


class FundingForm(TenantModelForm):
    class Meta:
        model = CapitalFunding
        fields = ["kind", "funder", "programme", "reference", "allocation", "allocated_on", "acquisition_percent",
                  "start_on_site_percent", "completion_percent"]  # fmt: skip
        widgets = {"allocated_on": forms.DateInput()}
        help_texts = {"completion_percent": "The three tranches add up to 100%, as the programme sets them."}

    def _post_clean(self):
        super()._post_clean()  # the model's limits, then the split: every problem at once
        for field, message in funding_problems(self.instance).items():
            if field not in self.errors:
                self.add_error(field, message)


class ClaimForm(PlainForm):
    milestone = forms.ChoiceField(label="Tranche", choices=Milestone.choices)
    claimed_on = forms.DateField(label="Claimed on", widget=forms.DateInput(attrs={"type": "date"}),
                                 validators=[not_in_future])  # fmt: skip
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text="What shows the milestone was reached, e.g. “start notice of 10 March”.")  # fmt: skip

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class PaidForm(PlainForm):
    paid_on = forms.DateField(label="Paid on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
