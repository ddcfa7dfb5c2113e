from django import forms

from accounts.views_base import TenantModelForm
from core.plain import PlainForm
from partnerships.organisations.models import AdviserFirm, HousingAssociation


class HousingAssociationFilterForm(PlainForm):
    search = forms.CharField(label="Search by name", required=False)

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class AdviserFirmFilterForm(HousingAssociationFilterForm):
    search = forms.CharField(label="Search by name or discipline", required=False)


class HousingAssociationForm(TenantModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = HousingAssociation
        fields = [
            "name",
            "short_name",
            "homes_managed",
            "staff_count",
            "assets_note",
            "address",
            "area_of_operation",
            "statement_email",
            "purchase_order_reference",
            "website",
            "min_scheme_homes",
            "max_scheme_homes",
            "develops_social_rent",
            "develops_affordable_rent",
            "develops_shared_ownership",
            "develops_discounted_sale",
            "develops_first_homes",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_scheme_homes"), cleaned.get("max_scheme_homes")
        if low is not None and high is not None and low > high:
            self.add_error("max_scheme_homes", "The largest scheme must be at least the smallest.")
        return cleaned


class AdviserFirmForm(TenantModelForm):
    class Meta:
        model = AdviserFirm
        fields = ["name", "disciplines", "contact_name", "contact_email", "address"]


class StaffRoleForm(TenantModelForm):
    class Meta:
        from partnerships.organisations.models import StaffRole

        model = StaffRole
        fields = ["name"]


class RoleRateForm(TenantModelForm):
    class Meta:
        from partnerships.organisations.models import RoleRate

        model = RoleRate
        fields = ["hourly_rate", "effective_from"]
        widgets = {"effective_from": forms.DateInput()}


class AgreementForm(TenantModelForm):
    class Meta:
        from partnerships.organisations.models import CollaborationAgreement

        model = CollaborationAgreement
        fields = [
            "status",
            "signed_on",
            "review_on",
            "fee_basis",
            "fee_per_home",
            "fee_percent",
            "cap_amount",
            "goes_ahead_at",
            "vat_rate",
            "fees_subject_to_vat",
            "invoice_terms_days",
            "notes",
        ]
        widgets = {"signed_on": forms.DateInput(), "review_on": forms.DateInput()}
        help_texts = {
            "fee_per_home": "For “fixed fee per home”.",
            "fee_percent": "For “percentage of total scheme cost”.",
            "cap_amount": "For “actual costs up to a cap”.",
        }

    def _post_clean(self):
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)
