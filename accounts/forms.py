"""Forms for accounts. Every choice is narrowed through the access object."""

from django import forms
from django.contrib.auth import password_validation

from accounts.access import Access
from accounts.models import API_TOKEN_LIFETIMES, Role, Umbrella
from accounts.selectors import membership_scope_choices
from core.plain import PlainForm, PlainModelForm


class ScopeFormMixin(PlainForm):
    role = forms.ChoiceField(choices=[("", "Choose a role")] + Role.choices)
    clt = forms.ModelChoiceField(
        label="CLT (for CLT volunteers)", queryset=None, required=False, empty_label="— none —"
    )
    housing_association = forms.ModelChoiceField(
        label="Housing association (for HA teams)", queryset=None, required=False, empty_label="— none —"
    )
    is_allocation_panel = forms.BooleanField(
        label="Sits on the CLT's allocation panel (CLT volunteers only)", required=False
    )

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        # A posted id from another umbrella is simply not a valid choice.
        for name in ("clt", "housing_association"):
            self.fields[name].queryset = membership_scope_choices(access=access, field=name)


class InvitationForm(ScopeFormMixin):
    email = forms.EmailField(label="Email address")
    field_order = ["email", "role", "clt", "housing_association", "is_allocation_panel"]


class MembershipForm(ScopeFormMixin):
    pass


class UmbrellaSettingsForm(PlainModelForm):
    class Meta:
        model = Umbrella
        fields = [
            "name",
            "host_organisation",
            "region",
            "address",
            "email",
            "require_mfa_for_staff",
            "applicant_retention_months",
            "vat_number",
            "company_number",
            "charity_number",
            "bank_account_name",
            "bank_sort_code",
            "bank_account_number",
            "remittance_email",
            "invoice_contact",
            "invoice_prefix",
        ]


class AcceptInvitationForm(PlainForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        if p1:
            from accounts.models import User

            try:
                password_validation.validate_password(
                    p1,
                    User(
                        email=self.email,
                        first_name=cleaned.get("first_name", ""),
                        last_name=cleaned.get("last_name", ""),
                    ),
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ApiTokenForm(PlainForm):
    """A new API token: which umbrella it reads, and what the person will use it for."""

    umbrella = forms.ModelChoiceField(
        label="Umbrella", queryset=Umbrella.objects.none(), empty_label=None, to_field_name="slug"
    )
    name = forms.CharField(
        label="What it is for",
        max_length=100,
        help_text="A name to tell your tokens apart, for example “our asset register”.",
    )
    days = forms.TypedChoiceField(
        label="Works for",
        coerce=int,
        choices=list(API_TOKEN_LIFETIMES.items()),
        initial=next(iter(API_TOKEN_LIFETIMES)),
        help_text="From today. It stops working after that: you will be reminded two weeks before.",
    )

    def __init__(self, *args, umbrellas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["umbrella"].queryset = umbrellas
        if len(umbrellas) == 1:
            self.fields["umbrella"].initial = umbrellas[0].slug
