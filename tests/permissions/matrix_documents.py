"""The permission matrix for documents (issue 15). A document is seen by those who may see what it
belongs to; an HA team sees only what staff share with it; staff upload and change."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permissions.matrix_base import Case, obj, roles

STAFF_ONLY = dict(volunteer=403, other_clt_volunteer=403, ha_team=403, other_ha_team=403)
# The scheme's lease is shared with the HA: as the scheme page.
AS_SCHEME = dict(other_clt_volunteer=404, other_ha_team=404)
# The CLT's survey report is not shared: the CLT's volunteers and staff only.
AS_CLT = dict(other_clt_volunteer=404, ha_team=404, other_ha_team=404)


def subject(name: str, kind: str):
    return lambda t: {"subject_kind": kind, "subject_id": t.objects[name].public_id}


def version_of(name: str):
    return lambda t: {"public_id": t.objects[name].versions.order_by("-number").first().public_id}


def _pdf():
    return SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "application/pdf"
    )


def _upload(t):
    return {
        "type": "s106",
        "title": "Section 106, as signed",
        "file": _pdf(),
        "status": "signed",
        "signed_on": "2025-06-01",
    }


def _version(t):
    return {"file": _pdf(), "status": "draft"}


def _edit(t):
    return {"type": "lease", "title": "The lease", "shared_with_ha": "on"}


MATRIX_DOCUMENTS = [
    Case("subject_documents", "GET", roles(200, **AS_SCHEME), kwargs=subject("scheme", "scheme")),
    Case("subject_documents", "GET", roles(200, **AS_CLT), kwargs=subject("clt", "clt")),
    Case("document_create", "GET", roles(200, **STAFF_ONLY), kwargs=subject("scheme", "scheme")),
    Case("document_create", "POST", roles(302, **STAFF_ONLY), kwargs=subject("scheme", "scheme"), data=_upload),
    Case("document_detail", "GET", roles(200, **AS_SCHEME), kwargs=obj("document")),
    Case("document_edit", "GET", roles(200, **STAFF_ONLY), kwargs=obj("document")),
    Case("document_edit", "POST", roles(302, **STAFF_ONLY), kwargs=obj("document"), data=_edit),
    Case("document_version_create", "GET", roles(200, **STAFF_ONLY), kwargs=obj("document")),
    Case("document_version_create", "POST", roles(302, **STAFF_ONLY), kwargs=obj("document"), data=_version),
    Case("document_file", "GET", roles(200, **AS_SCHEME), kwargs=version_of("document")),
    Case("document_file", "GET", roles(200, **AS_CLT), kwargs=version_of("clt_document")),
]
