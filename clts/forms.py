"""Forms for CLTs and their records. They parse input and narrow every choice through a
selector; a posted id outside those choices (another umbrella's parish or staff member) is not
a valid choice. Validation of the row and every rule live in clts.services."""

from django import forms

from accounts.views_base import TenantModelForm
from clts import selectors
from clts.models import (
    AGM,
    CLT,
    S79_TESTS,
    AdviceSession,
    AdviceTopic,
    GrantStatus,
    Parish,
    Person,
    PersonRole,
    RevenueGrant,
    SetupStatus,
)
from core.plain import PlainForm


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- filters (each list's cleaned data are its selector's keyword filters) ---------------------


class _FilterForm(PlainForm):
    def __init__(self, *args, access=None, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)


class _CLTFilterMixin(_FilterForm):
    """A `clt` filter over the CLTs this access may see, by public id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clt"] = forms.ModelChoiceField(
            label="CLT",
            queryset=selectors.clt_choice_list(access=self.access),
            to_field_name="public_id",
            required=False,
            empty_label="Any",
        )
        self.order_fields(["search", "clt"])


class CLTFilterForm(_FilterForm):
    search = forms.CharField(label="Search by name or parish", required=False)
    setup_status = forms.ChoiceField(label="Set-up status", choices=[("", "Any")] + SetupStatus.choices, required=False)


class ParishFilterForm(_FilterForm):
    search = forms.CharField(label="Search by name, district or county", required=False)
    district = forms.ChoiceField(label="District", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        districts = selectors.parish_district_list(access=self.access)
        self.fields["district"].choices = [("", "Any")] + [(d, d) for d in districts]


class PersonFilterForm(_CLTFilterMixin):
    search = forms.CharField(label="Search by name or email", required=False)
    role = forms.ChoiceField(label="Role", choices=[("", "Any")] + PersonRole.choices, required=False)
    term = forms.ChoiceField(label="Term", choices=[("", "Any")] + selectors.TERM_STATE_CHOICES, required=False)


class AdviceSessionFilterForm(_CLTFilterMixin):
    search = forms.CharField(label="Search attendees and notes", required=False)
    topic = forms.ChoiceField(label="Topic", choices=[("", "Any")] + AdviceTopic.choices, required=False)
    date_from = forms.DateField(label="From", required=False, widget=_date_input())
    date_to = forms.DateField(label="To", required=False, widget=_date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.access is not None and self.access.is_staff:
            self.fields["given_by"] = forms.ModelChoiceField(
                label="Given by",
                queryset=selectors.advice_giver_list(access=self.access),
                to_field_name="public_id",
                required=False,
                empty_label="Anyone",
            )


class RevenueGrantFilterForm(_CLTFilterMixin):
    search = forms.CharField(label="Search funder or programme", required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Any")] + GrantStatus.choices, required=False)


class AGMFilterForm(_CLTFilterMixin):
    search = forms.CharField(label="Search resolutions and notes", required=False)
    year = forms.IntegerField(label="Year", required=False, min_value=1900, max_value=2200)


# --- record forms ---------------------------------------------------------------------------


class RecordForm(TenantModelForm):
    """A model form that only reads input: the service validates the row and saves it, so the
    form neither runs the model's validation nor changes the instance it was given."""

    def _post_clean(self):
        pass


class CLTForm(RecordForm):
    parishes = forms.ModelMultipleChoiceField(
        label="Parishes served",
        queryset=Parish.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (Cmd on a Mac) to choose more than one. Staff add parishes to the umbrella's list.",
    )

    class Meta:
        model = CLT
        fields = [
            "name",
            "legal_form",
            "registration_number",
            "incorporated_on",
            "parishes",
            "membership_count",
            "contact_name",
            "contact_email",
            "setup_status",
        ]
        labels = {
            "name": "Name",
            "registration_number": "Registration number (FCA or Companies House)",
            "incorporated_on": "Incorporated on",
            "membership_count": "Number of members",
            "setup_status": "Set-up status",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parishes"].queryset = selectors.parish_choice_list(access=self.access)


class CLTGovernanceForm(RecordForm):
    class Meta:
        model = CLT
        fields = [field for field, _ in S79_TESTS]


class ParishForm(RecordForm):
    class Meta:
        model = Parish
        fields = ["name", "district", "county"]
        labels = {"district": "District (local authority)"}


class PersonForm(RecordForm):
    class Meta:
        model = Person
        fields = ["name", "role", "email", "term_start", "term_end", "notes"]
        labels = {"email": "Email address"}


class AdviceSessionForm(RecordForm):
    given_by = forms.ModelChoiceField(
        label="Given by", queryset=None, to_field_name="public_id", empty_label="Choose a member of staff"
    )

    staff_role = forms.ModelChoiceField(
        label="Costed as (staff role)",
        queryset=None,
        to_field_name="public_id",
        required=False,
        empty_label="Not costed",
        help_text="The hours become a cost entry at this role's hourly rate.",
    )

    class Meta:
        model = AdviceSession
        fields = ["given_on", "topic", "hours", "given_by", "staff_role", "attendees", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerships.organisations.selectors import staff_role_list

        self.fields["staff_role"].queryset = staff_role_list(access=self.access)
        if self.instance.pk and self.instance.staff_role_id:
            self.initial["staff_role"] = self.instance.staff_role.public_id
        recorded = self.instance.given_by if self.instance.pk else None
        # The recorded giver stays selectable, even if they have since left the umbrella.
        self.fields["given_by"].queryset = selectors.advice_giver_list(access=self.access, include=recorded)
        if recorded is not None:
            self.initial["given_by"] = recorded.public_id


class RevenueGrantForm(RecordForm):
    class Meta:
        model = RevenueGrant
        fields = [
            "funder",
            "programme",
            "status",
            "amount_requested",
            "amount_awarded",
            "submitted_on",
            "decision_on",
            "conditions",
        ]


class AGMForm(RecordForm):
    class Meta:
        model = AGM
        fields = ["held_on", "members_present", "resolutions", "notes"]
