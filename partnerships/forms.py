from django import forms


class HousingAssociationFilterForm(forms.Form):
    search = forms.CharField(label="Search by name", required=False)

    def __init__(self, *args, access=None, **kwargs):
        super().__init__(*args, **kwargs)
