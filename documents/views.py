"""Pages of documents. Thin: the subject is found through its owner's selector (404 for what the
access may not see), forms check the file, services write."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.text import slugify

from accounts.views_base import TenantFormView, TenantPage, TenantView
from core.pdf import private_path
from documents import selectors, services
from documents.forms import DocumentEditForm, DocumentForm, VersionForm
from documents.models import SubjectKind
from documents.subjects import subject_get

VIEW, MANAGE = "documents.view", "documents.manage"


def _document_url(view, document) -> str:
    return reverse("document_detail", kwargs={"umbrella_slug": view.umbrella.slug, "public_id": document.public_id})


class _OfSubject:
    """The record named by the URL's subject_kind and subject_id, through its owner's selector."""

    def find_subject(self):
        self.subject, self.record = subject_get(
            access=self.access, kind=self.kwargs["subject_kind"], public_id=self.kwargs["subject_id"]
        )
        self.record_url = self.subject.url(self.record, self.umbrella.slug)

    def subject_context(self) -> dict:
        return {
            "subject": self.subject,
            "subject_label": SubjectKind(self.subject.kind).label,
            "record": self.record,
            "record_url": self.record_url,
        }


class SubjectDocumentsView(_OfSubject, TenantPage):
    permissions = {"GET": VIEW}
    template_name = "documents/subject_documents.html"

    def get_context_data(self, **kwargs):
        self.find_subject()
        context = super().get_context_data()
        context.update(self.subject_context())
        context["documents"] = selectors.documents_for(access=self.access, kind=self.subject.kind, record=self.record)
        return context


class DocumentCreateView(_OfSubject, TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = DocumentForm
    submit_label = "Upload"

    def get_object(self):
        self.find_subject()
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "subject": self.subject}

    def get_title(self):
        return f"Upload a document of {self.record}"

    def get_cancel_url(self):
        return self.record_url

    def save(self, form):
        data = form.cleaned_data
        return services.document_create(
            access=self.access,
            subject=self.subject,
            record=self.record,
            type=data["type"],
            title=data["title"],
            shared_with_ha=data.get("shared_with_ha", False),
            file=data["file"],
            status=data["status"],
            signed_on=data.get("signed_on"),
            note=data.get("note", ""),
        )

    def success_message(self, obj):
        return f"Uploaded “{obj.title}”."

    def get_success_url(self, obj):
        return _document_url(self, obj)


class DocumentDetailView(TenantPage):
    permissions = {"GET": VIEW}
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        document = selectors.document_get(access=self.access, public_id=kwargs.pop("public_id"))
        context = super().get_context_data(**kwargs)
        context.update(
            document=document,
            versions=selectors.document_versions(document=document),
            subject_label=SubjectKind(document.subject_kind).label,
            record=document.subject_record,
            record_url=document.subject.url(document.subject_record, self.umbrella.slug),
        )
        return context


class DocumentEditView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = DocumentEditForm
    submit_label = "Save"

    def get_object(self):
        return selectors.document_get(access=self.access, public_id=self.kwargs["public_id"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "subject": self.object.subject}

    def get_initial(self):
        d = self.object
        return {"type": d.type, "title": d.title, "shared_with_ha": d.shared_with_ha}

    def get_title(self):
        return f"Change “{self.object.title}”"

    def get_cancel_url(self):
        return _document_url(self, self.object)

    def save(self, form):
        data = form.cleaned_data
        return services.document_update(
            access=self.access,
            document=self.object,
            subject=self.object.subject,
            type=data["type"],
            title=data["title"],
            shared_with_ha=data.get("shared_with_ha", False),
        )

    def get_success_url(self, obj):
        return _document_url(self, obj)


class VersionCreateView(TenantFormView):
    permissions = {"GET": MANAGE, "POST": MANAGE}
    form_class = VersionForm
    submit_label = "Upload"

    def get_object(self):
        return selectors.document_get(access=self.access, public_id=self.kwargs["public_id"])

    def get_title(self):
        return f"Upload a new version of “{self.object.title}”"

    def get_cancel_url(self):
        return _document_url(self, self.object)

    def save(self, form):
        data = form.cleaned_data
        return services.version_add(
            access=self.access,
            document=self.object,
            file=data["file"],
            status=data["status"],
            signed_on=data.get("signed_on"),
            note=data.get("note", ""),
        )

    def success_message(self, obj):
        return f"Uploaded version {obj.number} of “{self.object.title}”."

    def get_success_url(self, obj):
        return _document_url(self, self.object)


class VersionDownloadView(TenantView):
    """The file, to those who may see its document: always as an attachment, with the type we
    sniffed and a name we made (never the uploader's)."""

    permissions = {"GET": VIEW}

    def get(self, request, public_id):
        version = selectors.version_get(access=self.access, public_id=public_id)
        try:
            handle = open(private_path(version.file_path), "rb")
        except OSError as error:
            raise Http404("The file is missing.") from error
        name = f"{slugify(version.document.title)[:80] or 'document'}-v{version.number}.{version.extension}"
        return FileResponse(handle, as_attachment=True, filename=name, content_type=version.content_type)
