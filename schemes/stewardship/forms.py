from django import forms

from accounts.views_base import TenantModelForm
from core.plain import PlainForm
from documents.models import Document, SubjectKind
from documents.selectors import document_choices
from schemes.stewardship.models import CovenantCheck, GroundRentPayment
from schemes.stewardship.services import payment_problems


class PaymentForm(TenantModelForm):
    class Meta:
        model = GroundRentPayment
        fields = ["paid_on", "amount", "reference"]
        widgets = {"paid_on": forms.DateInput()}

    def __init__(self, *args, lease, **kwargs):
        self.lease = lease
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        problems = payment_problems(lease=self.lease, paid_on=data.get("paid_on"), amount=data.get("amount"))
        for field, message in problems.items():
            if field == "__all__" or field not in self.errors:
                self.add_error(None if field == "__all__" else field, message)
        return data


class CheckForm(TenantModelForm):
    class Meta:
        model = CovenantCheck
        fields = ["kind", "title", "due_on", "recurs_yearly"]
        widgets = {"due_on": forms.DateInput()}


class CheckDoneForm(PlainForm):
    done_on = forms.DateField(label="Done on", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="What shows it is done: who sent what, and when.")  # fmt: skip
    evidence_document = forms.ModelChoiceField(
        label="Evidence document (optional)", queryset=Document.objects.none(), required=False,
        help_text="One of the scheme's documents (upload it on the scheme's page first).",
    )  # fmt: skip

    def __init__(self, *args, access, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_document"].queryset = document_choices(
            access=access, kind=SubjectKind.SCHEME, record=scheme
        )
