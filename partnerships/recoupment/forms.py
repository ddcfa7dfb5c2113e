"""Forms for recoupment statements: ask for one, filter them, mark one paid."""

from django import forms


class StatementRequestForm(forms.Form):
    housing_association = forms.ModelChoiceField(label="Housing association", queryset=None)
    period_start = forms.DateField(
        label="Period starts", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(label="Period ends", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerships.organisations.selectors import housing_association_list

        self.fields["housing_association"].queryset = housing_association_list(access=access)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period must end on or after the day it starts.")
        return cleaned


class StatementFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any")])

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerships.recoupment.models import StatementStatus

        self.fields["status"].choices = [("", "Any")] + StatementStatus.choices


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="Paid on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
