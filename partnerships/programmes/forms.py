"""Forms for programmes. Every choice is narrowed through a selector on the access (and the
programme), so a posted id of another umbrella or programme fails validation."""

from django import forms

from accounts.views_base import TenantModelForm
from core.plain import PlainForm
from partnerships.organisations.selectors import housing_association_list
from partnerships.programmes import selectors as sel
from partnerships.programmes.models import (
    Commitment,
    Engagement,
    ExemplarSite,
    Lesson,
    NextStep,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeAgreement,
    ProgrammeMember,
    ProgrammeQuote,
    ProgrammeStatus,
    Representative,
)
from schemes.selectors import site_list

_TEXT = {"rows": 4}


class ProgrammeFilterForm(PlainForm):
    search = forms.CharField(label="Search by name, aim, funder or lead authority", required=False)
    status = forms.ChoiceField(choices=[("", "Any")] + ProgrammeStatus.choices, required=False)

    def __init__(self, *args, access=None, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)


class OrganisationFilterForm(PlainForm):
    search = forms.CharField(label="Search by name", required=False)
    kind = forms.ChoiceField(choices=[("", "Any")] + OrganisationKind.choices, required=False)

    def __init__(self, *args, access=None, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)


class OrganisationForm(TenantModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "housing_association", "website", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["housing_association"].queryset = housing_association_list(access=self.access)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("housing_association") and cleaned.get("kind") != OrganisationKind.HOUSING_ASSOCIATION:
            self.add_error("housing_association", "Only a housing association links to a partner HA.")
        return cleaned


class ProgrammeForm(TenantModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "lead_authority",
            "cohort",
            "aim",
            "status",
            "funder",
            "funding_programme",
            "funding_amount",
            "starts_on",
            "ends_on",
            "facilitators",
            "executive_summary",
            "challenge_and_context",
            "what_we_did",
            "difference_made",
            "whats_next",
            "lessons_learned",
        ]
        widgets = {
            "starts_on": forms.DateInput(),
            "ends_on": forms.DateInput(),
            "aim": forms.Textarea(attrs={"rows": 2}),
            "facilitators": forms.Textarea(attrs={"rows": 2}),
            **{
                f: forms.Textarea(attrs=_TEXT)
                for f in (
                    "executive_summary",
                    "challenge_and_context",
                    "what_we_did",
                    "difference_made",
                    "whats_next",
                    "lessons_learned",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_authority"].queryset = sel.organisation_list(
            access=self.access, kind=OrganisationKind.LOCAL_AUTHORITY
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The programme must end on or after the day it starts.")
        return cleaned


class _RecordForm(TenantModelForm):
    """A form for a record of one programme: gets the programme, narrows its choices to it."""

    def __init__(self, *args, programme, **kwargs):
        self.programme = programme
        super().__init__(*args, **kwargs)

    def members(self):
        return sel.member_list(access=self.access, programme=self.programme)


class MemberForm(_RecordForm):
    class Meta:
        model = ProgrammeMember
        fields = ["organisation", "role", "joined_on"]
        widgets = {"joined_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = sel.organisation_list(access=self.access)

    def clean_organisation(self):
        org = self.cleaned_data["organisation"]
        taken = ProgrammeMember.objects.filter(programme=self.programme, organisation=org)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{org} is already a member.")
        return org


class RepresentativeForm(_RecordForm):
    class Meta:
        model = Representative
        fields = ["member", "name", "title", "email"]
        labels = {"member": "Represents"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = self.members()


class EngagementForm(_RecordForm):
    attendees = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Members' representatives who took part.",
    )

    class Meta:
        model = Engagement
        fields = ["title", "kind", "format", "held_on", "agenda", "outcomes"]
        widgets = {
            "held_on": forms.DateInput(),
            "agenda": forms.Textarea(attrs=_TEXT),
            "outcomes": forms.Textarea(attrs=_TEXT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = sel.representative_list(access=self.access, programme=self.programme)
        if self.instance.pk:
            self.initial["attendees"] = list(self.instance.attendees.all())
            self.fields["held_on"].disabled = True
            self.fields["held_on"].help_text = "To move it, reschedule it from the programme's page."


class RescheduleForm(PlainForm):
    new_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=300, help_text="e.g. national lockdown; a change in a key post")

    def __init__(self, *args, access=None, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)


class CommitmentForm(_RecordForm):
    class Meta:
        model = Commitment
        fields = ["member", "title", "detail", "committed_on", "due_on", "status"]
        labels = {"member": "Party"}
        widgets = {
            "committed_on": forms.DateInput(),
            "due_on": forms.DateInput(),
            "detail": forms.Textarea(attrs=_TEXT),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = self.members()


class AgreementForm(_RecordForm):
    parties = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The members who are parties to it (an SPV's members).",
    )

    class Meta:
        model = ProgrammeAgreement
        fields = ["kind", "name", "purpose", "status", "signed_on", "other_parties"]
        widgets = {"signed_on": forms.DateInput(), "purpose": forms.Textarea(attrs=_TEXT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = self.members()
        if self.instance.pk:
            self.initial["parties"] = list(self.instance.parties.all())


class ExemplarSiteForm(_RecordForm):
    class Meta:
        model = ExemplarSite
        fields = ["site", "proposed_by", "notes"]
        widgets = {"notes": forms.Textarea(attrs=_TEXT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = site_list(access=self.access)
        self.fields["proposed_by"].queryset = self.members()

    def clean_site(self):
        site = self.cleaned_data["site"]
        taken = ExemplarSite.objects.filter(programme=self.programme, site=site)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{site} is already an exemplar site of this programme.")
        return site


class NextStepForm(_RecordForm):
    class Meta:
        model = NextStep
        fields = ["title", "detail", "due_on", "done"]
        widgets = {"due_on": forms.DateInput(), "detail": forms.Textarea(attrs=_TEXT)}


class LessonForm(_RecordForm):
    class Meta:
        model = Lesson
        fields = ["title", "detail"]
        widgets = {"detail": forms.Textarea(attrs=_TEXT)}


class QuoteForm(_RecordForm):
    class Meta:
        model = ProgrammeQuote
        fields = ["text", "attribution_name", "attribution_title"]
        labels = {"attribution_name": "Said by", "attribution_title": "Their title and organisation"}
        error_messages = {"attribution_name": {"required": "Say who said it."}}
        widgets = {"text": forms.Textarea(attrs=_TEXT)}


#: URL kind -> (form, words for titles)
RECORD_FORMS = {
    "member": (MemberForm, "a member"),
    "representative": (RepresentativeForm, "a representative"),
    "engagement": (EngagementForm, "a workshop or one-to-one"),
    "commitment": (CommitmentForm, "a commitment"),
    "agreement": (AgreementForm, "an agreement (MOU or SPV)"),
    "exemplar_site": (ExemplarSiteForm, "an exemplar site"),
    "next_step": (NextStepForm, "a next step"),
    "lesson": (LessonForm, "a lesson learned"),
    "quote": (QuoteForm, "a quote"),
}
