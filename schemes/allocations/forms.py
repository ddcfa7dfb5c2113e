"""Forms for applicants, nomination lists and erasure. Choices through selectors; the rules
(evidence for every connection, a band of the agreed policy) are in schemes.allocations.services."""

from django import forms

from accounts.views_base import TenantModelForm
from clts.allocations.forms import ConnectionFieldsMixin
from clts.allocations.models import ConnectionKind
from core.plain import PlainForm
from schemes.allocations.models import Applicant, ApplicantStatus
from schemes.allocations.ranking import tie_field
from schemes.allocations.selectors import applicant_scheme_list
from schemes.forms import _Filter


class ApplicantFilterForm(_Filter):
    search = forms.CharField(label="Search by name or reference", required=False)
    scheme = forms.ModelChoiceField(queryset=None, required=False, to_field_name="public_id", empty_label="Any scheme")
    status = forms.ChoiceField(choices=[("", "Any")] + ApplicantStatus.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = applicant_scheme_list(access=self.access)


class ApplicantForm(ConnectionFieldsMixin, TenantModelForm):
    """The applicant, then for each connection: where, how long, the evidence and whether it has
    been checked (who and when are recorded by the service)."""

    class Meta:
        model = Applicant
        fields = [
            "name",
            "email",
            "phone",
            "address",
            "household_size",
            "bedrooms_needed",
            "tenure_wanted",
            "registered_on",
            "need_band",
            "status",
            "notes",
        ]
        widgets = {
            "registered_on": forms.DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_connection_fields(access=self.access, policy=policy)
        existing = {c.kind: c for c in self.instance.connections.all()} if self.instance.pk else {}
        for kind, label in ConnectionKind.choices:
            self.fields[f"{kind}_evidence"] = forms.CharField(
                label=f"{label}: evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What shows it, e.g. “council tax bills 2019 to 2025”.",
            )
            self.fields[f"{kind}_checked"] = forms.BooleanField(label=f"{label}: evidence checked", required=False)
            c = existing.get(kind)
            if c is not None and not self.is_bound:
                self.initial.update(
                    {
                        f"{kind}_place": f"p:{c.parish.public_id}" if c.parish else f"d:{c.district}",
                        f"{kind}_amount": c.hours if kind == ConnectionKind.WORKS else c.years,
                        f"{kind}_evidence": c.evidence,
                        f"{kind}_checked": c.checked,
                    }
                )

    def clean(self):
        data = super().clean()
        self.clean_connections(data)
        for kind, _label in ConnectionKind.choices:
            if data.get(f"{kind}_checked") and kind not in self.places:
                self.add_error(f"{kind}_checked", "There is no connection here to check.")
        return data

    def connections(self) -> list[dict]:
        return [
            {
                "kind": kind,
                "parish": parish,
                "district": "" if parish else district,
                **self.amounts(kind),
                "evidence": self.cleaned_data.get(f"{kind}_evidence", "").strip(),
                "checked": self.cleaned_data.get(f"{kind}_checked", False),
            }
            for kind, (parish, district) in self.places.items()
        ]

    def connection_rows(self):
        return [
            (label, [self[f"{kind}_{part}"] for part in ("place", "amount", "evidence", "checked")])
            for kind, label in ConnectionKind.choices
        ]

    def detail_fields(self):
        return [self[name] for name in self.Meta.fields]


class IssueForm(PlainForm):
    confirm = forms.BooleanField(
        label="The allocation panel has agreed this ranking, and it may be issued to the housing association",
        required=True,
        error_messages={"required": "Tick to confirm the panel agreed the ranking."},
    )

    def __init__(self, *args, access=None, ties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ties = ties
        for group in ties:
            for place in group:
                self.fields[tie_field(place)] = forms.IntegerField(
                    label=f"Place of {place.applicant.name} ({place.applicant.reference}) in the tie at {place.rank}=",
                    required=False,
                    min_value=1,
                    max_value=len(group),
                    help_text=f"1 to {len(group)}: 1 goes first.",
                    widget=forms.NumberInput(attrs={"class": "narrow-number"}),
                )
        if ties:
            self.fields["tie_note"] = forms.CharField(
                label="How the panel settled the tie",
                required=False,
                max_length=300,
                help_text="It goes on the list beside the tied applicants, e.g. “drawn by lot at the meeting of 3 December”.",
            )
            self.order_fields([name for name in self.fields if name != "confirm"] + ["confirm"])

    def settlement(self) -> dict:
        """What the service needs of the panel's decision on ties (from a valid form)."""
        return {
            "places_in_tie": {
                place.applicant.reference: self.cleaned_data.get(tie_field(place)) for g in self.ties for place in g
            },
            "tie_note": self.cleaned_data.get("tie_note", ""),
        }


class EraseForm(PlainForm):
    reason = forms.CharField(
        label="Why erase the record",
        max_length=300,
        error_messages={"required": "Say why the record is erased, e.g. “asked to be removed”."},
        help_text="e.g. “asked to be removed (email of 3 March)”. Kept in the scheme's history "
        "with the reference, not the name.",
    )
    confirm = forms.BooleanField(
        label="I understand the record, its connections and evidence are deleted for good",
        required=True,
        error_messages={"required": "Tick to confirm the erasure."},
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
