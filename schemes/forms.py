"""Forms for sites and schemes. Every choice is narrowed through a selector on the access."""

from django import forms

from accounts.selectors import people_list
from accounts.views_base import TenantModelForm
from clts.selectors import clt_list, parish_list
from core.plain import PlainForm
from core.uploads import CSVUploadField
from core.validators import not_in_future
from partnerships.organisations.models import AdviserRole
from partnerships.organisations.selectors import adviser_firm_list, housing_association_list, staff_role_list
from schemes.costs.selectors import cost_people
from schemes.models import (
    RAG,
    Bid,
    Lease,
    Milestone,
    MilestoneKind,
    Negotiation,
    NegotiationStatus,
    Scheme,
    Site,
    Tender,
    TenderStatus,
)
from schemes.selectors import scheme_list, site_list
from schemes.stages import Stage


class _Filter(PlainForm):
    def __init__(self, *args, access=None, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)


class SchemeFilterForm(_Filter):
    search = forms.CharField(label="Search by scheme, CLT or parish", required=False)
    stage = forms.ChoiceField(choices=[("", "Any")] + Stage.choices, required=False)
    rag = forms.ChoiceField(label="RAG status", choices=[("", "Any")] + RAG.choices, required=False)


class SiteFilterForm(_Filter):
    search = forms.CharField(label="Search by site, parish or landowner", required=False)
    negotiation_status = forms.ChoiceField(
        label="Landowner negotiation", choices=[("", "Any")] + NegotiationStatus.choices, required=False
    )


class TenderFilterForm(_Filter):
    status = forms.ChoiceField(choices=[("", "Any")] + TenderStatus.choices, required=False)
    role = forms.ChoiceField(label="Adviser role", choices=[("", "Any")] + AdviserRole.choices, required=False)


class MilestoneFilterForm(_Filter):
    state = forms.ChoiceField(
        label="Show",
        choices=[
            ("", "All"),
            ("open", "Not done"),
            ("overdue", "Overdue"),
            ("due_30", "Due in the next 30 days"),
            ("done", "Done"),
        ],
        required=False,
    )
    kind = forms.ChoiceField(choices=[("", "Milestones and tasks")] + MilestoneKind.choices, required=False)
    mine = forms.BooleanField(label="Only mine", required=False)


def umbrella_people(access):
    return people_list(access=access)


def umbrella_staff(access):
    return people_list(access=access, staff_only=True)


class SiteForm(TenantModelForm):
    class Meta:
        model = Site
        fields = [
            "name",
            "parish",
            "address",
            "area_hectares",
            "current_use",
            "landowner",
            "planning_status",
            "score_access",
            "score_planning",
            "score_landowner",
            "score_community",
            "score_cost",
            "assessment_notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parish"].queryset = parish_list(access=self.access)


class NegotiationForm(TenantModelForm):
    class Meta:
        model = Negotiation
        fields = ["on", "contact", "offer_or_terms", "outcome", "status_after"]
        widgets = {"on": forms.DateInput()}


class SchemeForm(TenantModelForm):
    class Meta:
        model = Scheme
        fields = [
            "name",
            "clt",
            "site",
            "rag",
            "rag_reason",
            "lead_officer",
            "clt_contact",
            "homes_social_rent",
            "homes_affordable_rent",
            "homes_shared_ownership",
            "homes_discounted_sale",
            "homes_first_homes",
            "bedrooms_1",
            "bedrooms_2",
            "bedrooms_3",
            "bedrooms_4_plus",
            "total_cost",
            "grant",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clt"].queryset = clt_list(access=self.access)
        self.fields["site"].queryset = site_list(access=self.access)
        self.fields["lead_officer"].queryset = umbrella_staff(self.access)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rag") in (RAG.AMBER, RAG.RED) and not cleaned.get("rag_reason"):
            self.add_error("rag_reason", "Say why the scheme is amber or red.")
        return cleaned


class StageMoveForm(PlainForm):
    to_stage = forms.ChoiceField(label="Move to")
    on = forms.DateField(
        label="Date of the move",
        required=False,
        help_text="Leave empty for today. A past date records history: not before the scheme's last move, and with a note.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label="Note (needed when moving back, on hold or withdrawn, or dated in the past)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in moves]


class MatchConfirmForm(PlainForm):
    housing_association = forms.ModelChoiceField(label="HA partner", queryset=None)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["housing_association"].queryset = housing_association_list(access=access)


class TenderForm(TenantModelForm):
    invited_firms = forms.ModelMultipleChoiceField(
        label="Firms invited", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Tender
        fields = ["role", "title", "brief", "price_weight", "closes_on"]
        widgets = {"closes_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_firms"].queryset = adviser_firm_list(access=self.access)
        if self.instance.pk:
            self.initial["invited_firms"] = list(self.instance.invited_firms.all())


class BidForm(TenantModelForm):
    class Meta:
        model = Bid
        fields = ["firm", "price", "quality_score", "received_on", "notes"]
        widgets = {"received_on": forms.DateInput()}

    def __init__(self, *args, tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = adviser_firm_list(access=self.access).filter(tenders=tender)


class LeaseForm(TenantModelForm):
    class Meta:
        model = Lease
        fields = [
            "freehold_acquired_on",
            "term_years",
            "start_on",
            "premium",
            "ground_rent",
            "option_earliest_on",
            "option_notice_months",
            "option_basis",
            "option_base_price",
            "option_indexation_percent",
            "option_loan_principal",
            "option_loan_rate_percent",
            "option_loan_term_years",
            "option_valuation_amount",
            "option_valuation_on",
            "option_valuation_percent",
            "notes",
        ]
        widgets = {
            f: forms.DateInput()
            for f in ["freehold_acquired_on", "start_on", "option_earliest_on", "option_valuation_on"]
        }


class BuyBackDateForm(PlainForm):
    on = forms.DateField(
        label="Estimate the price if exercised on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MilestoneForm(TenantModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "scheme", "clt", "due_on", "owner", "is_development", "completed_on", "notes"]
        widgets = {"due_on": forms.DateInput(), "completed_on": forms.DateInput()}
        help_texts = {"clt": "For a task before the CLT has a scheme; taken from the scheme when one is chosen."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = scheme_list(access=self.access)
        self.fields["clt"].queryset = clt_list(access=self.access)
        self.fields["clt"].required = False
        self.fields["owner"].queryset = umbrella_people(self.access)

    def clean(self):
        cleaned = super().clean()
        scheme, clt = cleaned.get("scheme"), cleaned.get("clt")
        if scheme is not None:
            cleaned["clt"] = scheme.clt
            self.instance.clt = scheme.clt
        elif clt is None and "clt" not in self.errors:
            self.add_error("clt", "Choose the scheme, or the CLT for a task before it has a scheme.")
        return cleaned


class MilestoneProgressForm(PlainForm):
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    completed_on = forms.DateField(
        label="Done on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[not_in_future],
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class SchemeHistoryImportForm(PlainForm):
    file = CSVUploadField(
        label="CSV file",
        help_text=(
            "Columns: clt, scheme, stage (its name, e.g. Start on site, or Withdrawn), stage date (YYYY-MM-DD), and "
            "optionally housing association, parish and district, site, social rent, affordable rent, shared "
            "ownership, discounted sale (numbers of homes) and note."
        ),
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class MilestoneImportForm(PlainForm):
    file = CSVUploadField(
        label="CSV file",
        help_text=(
            "Columns: title, due (YYYY-MM-DD), kind (milestone or task), owner email (optional), "
            "development (yes or no, optional). All rows are imported, or none."
        ),
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class CostEntryFilterForm(_Filter):
    scheme = forms.ModelChoiceField(queryset=None, required=False, to_field_name="public_id", empty_label="Any scheme")
    clt = forms.ModelChoiceField(
        label="CLT", queryset=None, required=False, to_field_name="public_id", empty_label="Any CLT"
    )
    person = forms.ModelChoiceField(queryset=None, required=False, to_field_name="public_id", empty_label="Anyone")
    kind = forms.ChoiceField(
        choices=[("", "Time and expenses")] + [("time", "Staff time"), ("expense", "Expenses")], required=False
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = scheme_list(access=self.access).order_by("name")
        self.fields["clt"].queryset = clt_list(access=self.access).order_by("name")
        self.fields["person"].queryset = cost_people(access=self.access)


class CostEntryForm(TenantModelForm):
    class Meta:
        from schemes.models import CostEntry

        model = CostEntry
        fields = [
            "kind",
            "on",
            "scheme",
            "clt",
            "person",
            "staff_role",
            "hours",
            "activity",
            "description",
            "amount",
            "vat",
        ]
        widgets = {"on": forms.DateInput()}
        help_texts = {
            "clt": "For work before the CLT has a scheme; taken from the scheme when one is chosen.",
            "hours": "Staff time only.",
            "amount": "Expenses only.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = scheme_list(access=self.access)
        self.fields["clt"].queryset = clt_list(access=self.access)
        self.fields["clt"].required = False
        self.fields["person"].queryset = umbrella_staff(self.access)
        self.fields["staff_role"].queryset = staff_role_list(access=self.access)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scheme") is None and cleaned.get("clt") is None and "clt" not in self.errors:
            self.add_error("clt", "Choose the scheme, or the CLT for work before it has a scheme.")
        elif cleaned.get("scheme") is not None:
            self.instance.clt = cleaned["scheme"].clt
        return cleaned

    def _post_clean(self):
        # The service validates the whole entry (kind by kind); the form only reads input.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields)
        if self.cleaned_data.get("scheme") is not None:
            self.instance.clt = self.cleaned_data["scheme"].clt


class TimesheetImportForm(PlainForm):
    file = CSVUploadField(
        label="Timesheet (CSV)",
        help_text=(
            "Columns: date (YYYY-MM-DD), person email, role, hours, activity, and scheme (its name) or clt (its name). "
            "Every row is imported, or none."
        ),
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
