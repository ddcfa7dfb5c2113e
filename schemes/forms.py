from django import forms

from .models import RAG
from .stages import Stage


class SchemeFilterForm(forms.Form):
    search = forms.CharField(label="Search by scheme, CLT or parish", required=False)
    stage = forms.ChoiceField(choices=[("", "Any")] + Stage.choices, required=False)
    rag = forms.ChoiceField(label="RAG status", choices=[("", "Any")] + RAG.choices, required=False)

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
