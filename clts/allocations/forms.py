"""Forms for allocation policies and the eligibility checker. Choices come from selectors; the
rules (draft only, places named, what an agreed policy needs) are in clts.allocations.services."""

from django import forms

from accounts.views_base import TenantModelForm
from clts.allocations import eligibility
from clts.allocations import selectors as policy_selectors
from clts.allocations.models import TEST_FIELDS, AllocationPolicy, ConnectionKind, NeedBand, PolicyStatus, PolicyTier
from clts.forms import _CLTFilterMixin
from clts.models import Parish
from clts.selectors import parish_choice_list
from core.plain import PlainForm
from partnerships.organisations.selectors import housing_association_list


class PolicyFilterForm(_CLTFilterMixin):
    status = forms.ChoiceField(choices=[("", "Any status")] + PolicyStatus.choices, required=False)


class PolicyForm(TenantModelForm):
    class Meta:
        model = AllocationPolicy
        fields = [
            "summary",
            "s106_reference",
            "s106_signed_on",
            "housing_association",
            "district_council",
            "nomination_signed_on",
        ]
        widgets = {
            "s106_signed_on": forms.DateInput(),
            "nomination_signed_on": forms.DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["housing_association"].queryset = housing_association_list(access=self.access)
        self.fields["housing_association"].help_text = "The HA party to the nomination agreement."


class AgreeForm(PlainForm):
    agreed_on = forms.DateField(
        label="Agreed on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The date the CLT, the housing association and the council agreed it.",
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)


class TierForm(TenantModelForm):
    parishes = forms.ModelMultipleChoiceField(
        queryset=Parish.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For “this parish” and “named adjoining parishes”.",
    )

    class Meta:
        model = PolicyTier
        fields = [
            "position",
            "name",
            "scope",
            "parishes",
            "district",
            "lives_years",
            "lived_years",
            "works_hours",
            "family_years",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parishes"].queryset = parish_choice_list(access=self.access)
        for name, _unit in TEST_FIELDS.values():
            self.fields[name].help_text = "Leave empty if this test does not apply to the tier."

    def clean(self):
        data = super().clean()
        if all(data.get(name) is None for name, _ in TEST_FIELDS.values()):
            raise forms.ValidationError(
                "Set at least one connection test for the tier: lives there, has lived "
                "there, works there or close family there."
            )
        return data


class BandForm(TenantModelForm):
    class Meta:
        model = NeedBand
        fields = ["position", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ConnectionFieldsMixin:
    """Where and how long for each connection, and the band, answered against one policy.

    Field names: `<kind>_place` ("p:<parish id>" or "d:<district>"), `<kind>_amount` (years, or
    hours a week for work), and `need_band`. After cleaning, `self.places` maps each claimed kind
    to (parish, district)."""

    def add_connection_fields(self, *, access, policy) -> None:
        self.access, self.policy = access, policy
        places = policy_selectors.check_places(access=access, policy=policy)
        for kind, label in ConnectionKind.choices:
            unit = TEST_FIELDS[kind][1]
            self.fields[f"{kind}_place"] = forms.ChoiceField(label=f"{label}: where", choices=places, required=False)
            self.fields[f"{kind}_amount"] = forms.IntegerField(
                label=f"{label}: {'hours a week' if unit == 'hours a week' else 'for how many years'}",
                min_value=0,
                max_value=100,
                required=False,
            )
        self.fields["need_band"] = forms.TypedChoiceField(
            label="Housing need band",
            coerce=int,
            required=True,
            choices=[("", "Choose the band that describes them")]
            + [(b.position, f"{b}: {b.description}") for b in policy.bands.all()],
        )

    def clean_connections(self, data: dict) -> None:
        self.places = {}
        for kind, _label in ConnectionKind.choices:
            place, amount = data.get(f"{kind}_place"), data.get(f"{kind}_amount")
            if place and amount is None:
                self.add_error(f"{kind}_amount", "Say how long (or how many hours) for this connection.")
            elif amount is not None and not place:
                self.add_error(f"{kind}_place", "Say where, or leave the number empty.")
            elif place:
                try:
                    self.places[kind] = policy_selectors.place_from_choice(access=self.access, value=place)
                except ValueError:
                    self.add_error(f"{kind}_place", "Choose a place from the list.")

    def amounts(self, kind: str) -> dict:
        amount = self.cleaned_data.get(f"{kind}_amount")
        is_hours = TEST_FIELDS[kind][1] == "hours a week"
        return {"years": None if is_hours else amount, "hours": amount if is_hours else None}

    def connection_rows(self):
        return [(label, self[f"{kind}_place"], self[f"{kind}_amount"]) for kind, label in ConnectionKind.choices]


class ConnectionAnswersForm(ConnectionFieldsMixin, PlainForm):
    """The eligibility checker's answers."""

    def __init__(self, *args, access, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_connection_fields(access=access, policy=policy)

    def clean(self):
        data = super().clean()
        self.clean_connections(data)
        return data

    def answers(self) -> list[eligibility.Answer]:
        return [
            eligibility.Answer(kind=kind, parish=parish, district=district, **self.amounts(kind))
            for kind, (parish, district) in self.places.items()
        ]
