from django import forms

from .models import SetupStatus


class CLTFilterForm(forms.Form):
    search = forms.CharField(label="Search by name or parish", required=False)
    setup_status = forms.ChoiceField(
        label="Set-up status", choices=[("", "Any")] + SetupStatus.choices, required=False
    )

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
