"""Documents (issue 15.1): uploaded, versioned, found, and served only to those who may see what
they belong to. Files are what their content says, never what their name or the browser says."""

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.uploads import DOCX, JPEG, ODT, PDF, PNG, XLSX, check_document, sniff
from documents.models import Document, DocumentVersion, VersionStatus
from tests.conftest import client_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _zip(parts: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """The same bytes whenever it is built: each part's date is fixed, not the clock's (pytest-xdist
    processes collect the parameters apart and must see the same ones)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, compress_type=compression)
    return buffer.getvalue()


def _image(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=format)
    return buffer.getvalue()


DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT_BYTES = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


KNOWN = [
    ("lease.pdf", PDF_BYTES, PDF),
    ("report.docx", DOCX_BYTES, DOCX),
    ("figures.xlsx", XLSX_BYTES, XLSX),
    ("minutes.odt", ODT_BYTES, ODT),
    ("plan.png", _image("PNG"), PNG),
    ("photo.jpeg", _image("JPEG"), JPEG),
    ("C:\\Users\\clerk\\photo.JPG", _image("JPEG"), JPEG),
]


@pytest.mark.parametrize("name, content, kind", KNOWN, ids=[name for name, _, _ in KNOWN])
def test_a_document_is_known_by_its_content(name, content, kind):
    checked = check_document(upload(name, content, "text/html"))  # the browser's word is not taken
    assert checked.type == kind and checked.content == content
    assert "\\" not in checked.original_name and "/" not in checked.original_name


REFUSED = [
    ("page.pdf", b"<html><script>alert(1)</script></html>", "cannot be kept"),
    ("plan.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "cannot be kept"),
    ("plan.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "cannot be kept"),
    ("lease.docx", PDF_BYTES, "content is a PDF but its name ends in .docx"),
    ("lease", PDF_BYTES, "its name has no extension"),
    ("archive.docx", _zip({"readme.txt": b"hello"}), "cannot be kept"),
    (
        "bomb.docx",
        _zip({"[Content_Types].xml": b"<T/>", "word/document.xml": b"\0" * (30 * 1024 * 1024)}),
        "unpack",
    ),
    ("fake.png", b"\x89PNG\r\n\x1a\n" + b"not really an image", "cannot be kept"),
    ("empty.pdf", b"", "empty"),
]


@pytest.mark.parametrize("name, content, said", REFUSED, ids=[name for name, _, _ in REFUSED])
def test_a_hostile_or_mislabelled_file_is_refused_with_a_reason(name, content, said):
    with pytest.raises(ValidationError) as refused:
        check_document(upload(name, content))
    assert said in " ".join(refused.value.messages)


def test_a_file_over_the_cap_is_refused_before_it_is_read(settings):
    settings.DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="at most 1 KB"):
        check_document(upload("big.pdf", PDF_BYTES + b"0" * 2000))


def test_sniffing_ignores_what_follows_a_known_start():
    assert sniff(b"%PDF-1.7 anything") == PDF and sniff(b"GIF89a") is None


# --- through the pages -------------------------------------------------------------------------


def _url(world, name, **kwargs):
    return reverse(name, kwargs={"umbrella_slug": world.a.umbrella.slug, **kwargs})


def _new(world, kind="scheme", record="scheme"):
    return _url(world, "document_create", subject_kind=kind, subject_id=world.a.objects[record].public_id)


def _private_files() -> set[Path]:
    return {p for p in Path(settings.PRIVATE_FILES_ROOT).rglob("*") if p.is_file() and "/documents/" in str(p)}


def test_staff_upload_a_signed_lease_and_the_lease_page_links_it(world):
    staff = client_for(world, "staff")
    scheme = world.a.objects["scheme"]
    response = staff.post(
        _new(world),
        {"type": "lease", "title": "Lease of the scheme, as signed", "status": "signed", "signed_on": "2025-04-01",
         "shared_with_ha": "on", "file": upload("Scan 0032 FINAL(2).pdf", PDF_BYTES, "application/x-anything")},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(umbrella=world.a.umbrella, title="Lease of the scheme, as signed")
    version = document.versions.get()
    assert (version.number, version.status, version.signed_on) == (1, VersionStatus.SIGNED, date(2025, 4, 1))
    assert version.uploaded_by == world.a.users["staff"] and version.content_type == "application/pdf"
    assert version.original_name == "Scan 0032 FINAL(2).pdf" and "Scan" not in version.file_path

    lease_page = staff.get(_url(world, "lease_detail", public_id=scheme.public_id)).content.decode()
    file_url = _url(world, "document_file", public_id=version.public_id)
    # The world's own lease paper was signed on the same day; the newest upload comes first.
    assert "The signed lease:" in lease_page and file_url in lease_page

    download = staff.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="lease-of-the-scheme-as-signed-v1.pdf"'
    # The HA team partners on the scheme and the paper is shared with it.
    assert client_for(world, "ha_team").get(file_url).status_code == 200


def test_a_new_signed_version_supersedes_the_signed_one_and_each_keeps_who_and_when(world):
    document = world.a.objects["document"]  # version 1 draft, version 2 signed (tests/worlds/world_documents.py)
    admin = client_for(world, "admin")
    response = admin.post(
        _url(world, "document_version_create", public_id=document.public_id),
        {"status": "signed", "signed_on": "2026-01-15", "note": "Deed of variation", "file": upload("v3.pdf", PDF_BYTES)},
    )  # fmt: skip
    assert response.status_code == 302
    versions = {v.number: v for v in document.versions.all()}
    assert [versions[n].status for n in (1, 2, 3)] == ["draft", "superseded", "signed"]
    assert versions[3].uploaded_by == world.a.users["admin"] and versions[2].signed_on == date(2025, 4, 1)
    page = admin.get(_url(world, "document_detail", public_id=document.public_id)).content.decode()
    assert "Superseded" in page and "Deed of variation" in page and "uploaded as “v3.pdf”" in page


def test_a_hostile_file_changes_nothing_and_says_why(world):
    staff = client_for(world, "staff")
    before_rows, before_files = Document.objects.count(), _private_files()
    response = staff.post(
        _new(world),
        {"type": "other", "title": "Site plan", "status": "draft",
         "file": upload("plan.pdf", b"<html><script>alert(1)</script>", "application/pdf")},
    )  # fmt: skip
    assert response.status_code == 400
    assert "This file cannot be kept" in response.content.decode()
    assert Document.objects.count() == before_rows and _private_files() == before_files


def test_every_error_is_shown_at_once(world):
    response = client_for(world, "staff").post(
        _new(world),
        {"type": "lease", "title": "", "status": "signed", "signed_on": "", "file": upload("a.exe", b"MZ\x90\x00")},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "This field is required" in text or "required" in text
    assert "Give the date it was signed." in text and "This file cannot be kept" in text


def test_a_signed_date_in_the_future_or_on_a_draft_is_refused(world):
    staff = client_for(world, "staff")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for status, signed_on, said in (
        ("signed", tomorrow, "cannot be in the future"),
        ("draft", "2025-01-01", "A draft has no signed date"),
    ):
        response = staff.post(
            _new(world),
            {"type": "lease", "title": "Lease", "status": status, "signed_on": signed_on, "file": upload("l.pdf", PDF_BYTES)},
        )  # fmt: skip
        assert response.status_code == 400 and said in response.content.decode()
    assert not Document.objects.filter(title="Lease", umbrella=world.a.umbrella).exists()


def test_a_file_too_large_to_keep_is_not_kept_anywhere(world, settings):
    settings.FILE_UPLOAD_MAX_BYTES = settings.DOCUMENT_MAX_BYTES = 2048
    before = DocumentVersion.objects.count()
    response = client_for(world, "staff").post(
        _new(world),
        {"type": "lease", "title": "Big", "status": "draft", "file": upload("big.pdf", PDF_BYTES + b"0" * 10_000)},
    )
    assert response.status_code == 400
    assert re.search(r"The file is \d+ KB; it may be at most 2 KB\.", response.content.decode())
    assert DocumentVersion.objects.count() == before


def test_the_ha_team_sees_only_what_staff_share_and_volunteers_their_clts(world):
    clt_doc, lease = world.a.objects["clt_document"], world.a.objects["document"]
    ha, volunteer = client_for(world, "ha_team"), client_for(world, "volunteer")
    assert ha.get(_url(world, "document_detail", public_id=clt_doc.public_id)).status_code == 404
    assert volunteer.get(_url(world, "document_detail", public_id=clt_doc.public_id)).status_code == 200
    scheme_page = ha.get(_url(world, "scheme_detail", public_id=world.a.objects["scheme"].public_id)).content.decode()
    assert lease.title in scheme_page and "Upload a document" not in scheme_page
    # Staff stop sharing the lease: the HA team's pages and files answer as if it did not exist.
    staff = client_for(world, "staff")
    edit = _url(world, "document_edit", public_id=lease.public_id)
    assert staff.post(edit, {"type": "lease", "title": lease.title}).status_code == 302
    assert ha.get(_url(world, "document_detail", public_id=lease.public_id)).status_code == 404
    version = lease.versions.first()
    assert ha.get(_url(world, "document_file", public_id=version.public_id)).status_code == 404
    scheme_page = ha.get(_url(world, "scheme_detail", public_id=world.a.objects["scheme"].public_id)).content.decode()
    assert lease.title not in scheme_page


def test_a_programmes_documents_are_not_shared_with_the_ha(world):
    programme = world.a.objects["programme"]
    response = client_for(world, "staff").post(
        _new(world, "programme", "programme"),
        {"type": "mou", "title": "MOU", "status": "draft", "shared_with_ha": "on", "file": upload("m.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302  # the box is not offered, so it is not taken
    assert not Document.objects.get(subject_id=programme.public_id, title="MOU").shared_with_ha


def test_an_unknown_subject_kind_answers_404(world):
    url = _url(world, "subject_documents", subject_kind="site", subject_id=world.a.objects["site"].public_id)
    assert client_for(world, "staff").get(url).status_code == 404
