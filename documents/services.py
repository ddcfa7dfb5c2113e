"""Writes of documents: a new document with its first version, a new version, the title, type and
sharing. The file is written to private storage first (named by us), then the rows in one
transaction; if the rows fail, the file goes again, so nothing is half-saved."""

import hashlib
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import Access
from accounts.records import record_event, record_update, require, snapshot
from core.pdf import delete_private_file, write_private_file
from core.uploads import CheckedFile
from documents.models import Document, DocumentVersion, VersionStatus
from documents.subjects import Subject

RULE = "documents.manage"


def check_status(status: str, signed_on: date | None) -> None:
    """A new version's status and signed date agree (the form asks this too, to show every error at once)."""
    if status not in (VersionStatus.DRAFT, VersionStatus.SIGNED):
        raise ValidationError({"status": "A new version is a draft or signed."})
    if status == VersionStatus.SIGNED and signed_on is None:
        raise ValidationError({"signed_on": "Give the date it was signed."})
    if status == VersionStatus.DRAFT and signed_on is not None:
        raise ValidationError({"signed_on": "A draft has no signed date: leave it empty, or say it is signed."})
    if signed_on is not None and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The signed date cannot be in the future."})


def document_create(
    *,
    access: Access,
    subject: Subject,
    record,
    type: str,
    title: str,
    shared_with_ha: bool,
    file: CheckedFile,
    status: str,
    signed_on: date | None,
    note: str = "",
) -> Document:
    require(access, RULE)
    check_status(status, signed_on)
    _check_sharing(subject, shared_with_ha)
    document = Document(
        umbrella=access.umbrella,
        subject_kind=subject.kind,
        subject_id=record.public_id,
        type=type,
        title=title.strip(),
        shared_with_ha=shared_with_ha,
        created_by=access.user,
    )
    document.full_clean()
    with _files_go_on_failure() as written, transaction.atomic():
        document.save()
        version = _add_version(access, document, file, status, signed_on, note, written)
        record_event(
            access=access,
            instance=document,
            action="created",
            summary=f"Uploaded “{document.title}” (version 1, {version.get_status_display().lower()})",
        )
    return document


def version_add(
    *, access: Access, document: Document, file: CheckedFile, status: str, signed_on: date | None, note: str = ""
) -> DocumentVersion:
    require(access, RULE)
    check_status(status, signed_on)
    with _files_go_on_failure() as written, transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk, umbrella_id=access.umbrella_id)
        version = _add_version(access, document, file, status, signed_on, note, written)
        record_event(
            access=access,
            instance=document,
            action="changed",
            summary=f"Uploaded version {version.number} of “{document.title}” ({version.get_status_display().lower()})",
        )
    return version


def document_update(
    *, access: Access, document: Document, subject: Subject, type: str, title: str, shared_with_ha: bool
) -> Document:
    _check_sharing(subject, shared_with_ha)
    before = snapshot(document)
    document.type, document.title, document.shared_with_ha = type, title.strip(), shared_with_ha
    return record_update(access=access, instance=document, before=before, rule=RULE)


def _check_sharing(subject: Subject, shared_with_ha: bool) -> None:
    if shared_with_ha and not subject.sharable:
        raise ValidationError(
            {"shared_with_ha": "Only the documents of a scheme or an agreement can be shared with the HA."}
        )


@contextmanager
def _files_go_on_failure():
    """The private files written inside; removed again if the block fails (the rows rolled back)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for path in written:
            delete_private_file(path)
        raise


def _add_version(access, document, file: CheckedFile, status, signed_on, note, written) -> DocumentVersion:
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    if status == VersionStatus.SIGNED:
        # The version signed now governs; the ones signed before are superseded.
        document.versions.filter(status=VersionStatus.SIGNED).update(status=VersionStatus.SUPERSEDED)
    version = DocumentVersion(
        umbrella=access.umbrella,
        document=document,
        number=number,
        status=status,
        signed_on=signed_on,
        note=note.strip(),
        original_name=file.original_name,
        content_type=file.type.content_type,
        extension=file.type.extension,
        size=file.size,
        sha256=hashlib.sha256(file.content).hexdigest(),
        uploaded_by=access.user,
    )
    path = f"{access.umbrella_id}/documents/{document.public_id}/{version.public_id}.{file.type.extension}"
    written.append(path)
    version.file_path = write_private_file(path, file.content)
    version.full_clean(exclude=["document"])
    version.save()
    return version
