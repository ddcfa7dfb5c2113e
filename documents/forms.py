"""Forms for documents: the file is checked by its content (core.uploads.check_document) and every
error is shown at once beside its field."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.plain import PlainForm
from core.uploads import ACCEPT, UploadField, check_document
from documents.models import DocumentType, VersionStatus
from documents.services import check_status

NEW_STATUSES = [(VersionStatus.DRAFT.value, "Draft"), (VersionStatus.SIGNED.value, "Signed")]


def _file_field():
    return UploadField(
        label="File",
        check=check_document,
        max_bytes=settings.DOCUMENT_MAX_BYTES,
        help_text="A PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG or JPEG file of at most "
        f"{settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class _VersionFields(PlainForm):
    status = forms.ChoiceField(choices=NEW_STATUSES, widget=forms.RadioSelect, initial=VersionStatus.DRAFT)
    signed_on = forms.DateField(
        label="Signed on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For a signed version.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if "status" in data:
            try:
                check_status(data["status"], data.get("signed_on"))
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    if field not in self.errors:
                        self.add_error(field, errors)
        return data


class DocumentForm(_VersionFields):
    field_order = ["type", "title", "file", "status", "signed_on", "shared_with_ha", "note"]

    type = forms.ChoiceField(label="What it is", choices=DocumentType.choices)
    title = forms.CharField(max_length=200, help_text="For example “Lease of Orchard Close, 12 homes”.")
    shared_with_ha = forms.BooleanField(label="Share with the housing association's team", required=False)

    def __init__(self, *args, access, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.order_fields(self.field_order)
        labels = dict(DocumentType.choices)
        usual = [(value, labels[value]) for value in subject.usual_types]
        self.fields["type"].choices = usual + [c for c in DocumentType.choices if c[0] not in subject.usual_types]
        if not subject.sharable:
            del self.fields["shared_with_ha"]


class VersionForm(_VersionFields):
    field_order = ["file", "status", "signed_on", "note"]

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.order_fields(self.field_order)


class DocumentEditForm(PlainForm):
    type = forms.ChoiceField(label="What it is", choices=DocumentType.choices)
    title = forms.CharField(max_length=200)
    shared_with_ha = forms.BooleanField(label="Share with the housing association's team", required=False)

    def __init__(self, *args, access, subject, **kwargs):
        super().__init__(*args, **kwargs)
        if not subject.sharable:
            del self.fields["shared_with_ha"]
