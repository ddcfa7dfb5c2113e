"""Forms for homes, vacancies and lets. The rules are in schemes.relets.services; the forms ask
its `*_problems` so that every problem shows at once."""

from django import forms
from django.utils import timezone

from accounts.views_base import TenantModelForm
from core.plain import PlainForm
from schemes.allocations.models import NominationEntry
from schemes.forms import _Filter
from schemes.relets.models import Home, Vacancy, VacancyStatus
from schemes.relets.selectors import nominees_for
from schemes.relets.services import let_problems, vacancy_problems


def _show(form, problems: dict[str, str]) -> None:
    for field, message in problems.items():
        if field == "__all__" or field not in form.errors:
            form.add_error(None if field == "__all__" else field, message)


class HomeForm(TenantModelForm):
    let_since = forms.DateField(
        label="Let since (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="If the home is let already, the day its tenancy began.",
    )

    class Meta:
        model = Home
        fields = ["name", "bedrooms", "tenure"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["let_since"]


class VacancyForm(TenantModelForm):
    class Meta:
        model = Vacancy
        fields = ["vacant_from", "notes"]
        widgets = {"vacant_from": forms.DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, home, **kwargs):
        self.home = home
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        _show(
            self,
            vacancy_problems(
                access=self.access, home=self.home, vacant_from=data.get("vacant_from"), today=timezone.localdate()
            ),
        )
        return data


class NomineeChoice(forms.ModelChoiceField):
    def label_from_instance(self, entry):
        person = entry.applicant
        return f"{entry.rank}{'=' if entry.tied else ''}. {entry.reference} {person.name}, list {entry.nomination_list.number}"


class LetForm(PlainForm):
    nominee = NomineeChoice(
        label="Let to (from the nomination list)",
        queryset=NominationEntry.objects.none(),
        required=False,
        empty_label="Someone not on the list",
    )
    outside_reason = forms.CharField(
        label="If not on the list: why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example “nobody on the list accepted within 28 days; let under the s106 cascade”.",
    )
    started_on = forms.DateField(label="Tenancy started on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, access, vacancy, **kwargs):
        self.vacancy = vacancy
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = nominees_for(access=access, vacancy=vacancy)

    def clean(self):
        data = super().clean()
        _show(
            self,
            let_problems(
                vacancy=self.vacancy,
                started_on=data.get("started_on"),
                entry=data.get("nominee"),
                outside_reason=data.get("outside_reason") or "",
                today=timezone.localdate(),
            ),
        )
        return data


class VacancyFilterForm(_Filter):
    status = forms.ChoiceField(choices=[("", "Any")] + VacancyStatus.choices, required=False)
    search = forms.CharField(label="Search by home or scheme", required=False)
