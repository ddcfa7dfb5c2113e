"""Forms for recoupment statements: ask for one, filter them, mark one paid."""

from decimal import Decimal

from django import forms

from core.plain import PlainForm


class StatementRequestForm(PlainForm):
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


class StatementFilterForm(PlainForm):
    status = forms.ChoiceField(required=False, choices=[("", "Any")])

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerships.recoupment.models import StatementStatus

        self.fields["status"].choices = [("", "Any")] + StatementStatus.choices


class PaidForm(PlainForm):
    paid_on = forms.DateField(label="Paid on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class EarlierInvoiceForm(PlainForm):
    scheme = forms.ModelChoiceField(
        label="Scheme", queryset=None, help_text="The invoice went to its HA partner.",
        error_messages={"required": "Choose the scheme the invoice was for."},
    )  # fmt: skip
    reference = forms.CharField(
        label="Invoice reference", max_length=60,
        error_messages={"required": "Give the invoice's reference, as it was sent."},
    )  # fmt: skip
    invoiced_on = forms.DateField(
        label="Invoice date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Give the invoice's date.", "invalid": "Give the invoice's date as a date."},
    )  # fmt: skip
    amount = forms.DecimalField(
        label="Amount before VAT (£)", max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
        help_text="What it invoiced for the umbrella's costs on this scheme, before VAT.",
        error_messages={"required": "Give the amount invoiced, before VAT.", "invalid": "Give the amount in pounds, such as 1234.50.",
                        "min_value": "The amount invoiced must be more than £0.00."},
    )  # fmt: skip
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        from schemes.selectors import scheme_list

        self.fields["scheme"].queryset = (
            scheme_list(access=access).select_related("housing_association").order_by("name")
        )
        self.fields["scheme"].label_from_instance = lambda s: (
            f"{s.name} ({s.housing_association.name if s.housing_association else 'no HA partner'})"
        )


class EarlierInvoiceFilterForm(PlainForm):
    search = forms.CharField(label="Reference or scheme", required=False)

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
