"""Reads of documents, always through the request's access: a document answers 404 unless its
subject does for that access (documents.subjects), and an HA team sees only shared ones."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.access import Access
from documents.models import Document, DocumentType, DocumentVersion, VersionStatus
from documents.subjects import subject_get


def _documents(access: Access) -> QuerySet[Document]:
    documents = Document.objects.filter(umbrella_id=access.umbrella_id)
    if not access.is_staff and access.is_ha_team:
        documents = documents.filter(shared_with_ha=True)
    return documents


def document_choices(*, access: Access, kind: str, record) -> QuerySet[Document]:
    """The documents of a record the access may see, for a form's choice of one (evidence)."""
    return _documents(access).filter(subject_kind=kind, subject_id=record.public_id)


def documents_for(*, access: Access, kind: str, record) -> list[Document]:
    """The documents of a record the caller has already found through its own selector (so it is
    the access's to see), each with its versions, newest first, and `signed` (the signed one)."""
    documents = list(
        document_choices(access=access, kind=kind, record=record).prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by"))
        )
    )
    for document in documents:
        versions = list(document.versions.all())
        document.latest = versions[0] if versions else None
        document.signed = next((v for v in versions if v.status == VersionStatus.SIGNED), None)
    return documents


def signed_version(*, access: Access, kind: str, record, type: str = DocumentType.LEASE) -> DocumentVersion | None:
    """The signed version of the record's document of `type` (the lease page's signed lease)."""
    return (
        DocumentVersion.objects.filter(
            document__in=_documents(access).filter(subject_kind=kind, subject_id=record.public_id, type=type),
            status=VersionStatus.SIGNED,
        )
        .select_related("document")
        .order_by("-signed_on", "-created_at", "-pk")
        .first()
    )


def document_get(*, access: Access, public_id) -> Document:
    """A document and its subject (`document.subject`, `document.subject_record`), or 404."""
    document = _documents(access).filter(public_id=public_id).select_related("created_by").first()
    if document is None:
        raise Http404("No such document.")
    document.subject, document.subject_record = subject_get(
        access=access, kind=document.subject_kind, public_id=document.subject_id
    )
    return document


def document_versions(*, document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by"))


def version_get(*, access: Access, public_id) -> DocumentVersion:
    """A version whose document the access may see, or 404."""
    version = DocumentVersion.objects.filter(umbrella_id=access.umbrella_id, public_id=public_id).first()
    if version is None:
        raise Http404("No such file.")
    version.document = document_get(access=access, public_id=version.document.public_id)
    return version
