"""Files people upload: what they are is read from their content, never from their name or the
browser's word, and what we keep is a size we chose.

`check_document(upload)` answers a `CheckedFile` (the bytes, the type sniffed, the extension we
will use) or raises ValidationError with a message for the person: too large, a type we do not
keep (HTML, SVG, scripts, archives...), a name whose extension says another type than the content,
an office file that is not what it claims inside, or a zip whose content would unpack to far more
than was sent (a zip bomb).

`CappedUploadHandler` (settings.FILE_UPLOAD_HANDLERS) keeps at most FILE_UPLOAD_MAX_BYTES of any
one uploaded file, so a request with a huge file costs neither memory nor disk: the file arrives
empty and marked `too_large`, with the size that was sent, and the form says so.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


@dataclass(frozen=True)
class FileType:
    label: str
    extension: str
    content_type: str
    #: Other extensions a person's file of this type may carry.
    aliases: tuple[str, ...] = ()


PDF = FileType("PDF", "pdf", "application/pdf")
DOCX = FileType(
    "Word document (DOCX)", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = FileType("Excel workbook (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileType("OpenDocument text (ODT)", "odt", "application/vnd.oasis.opendocument.text")
ODS = FileType("OpenDocument spreadsheet (ODS)", "ods", "application/vnd.oasis.opendocument.spreadsheet")
PNG = FileType("PNG image", "png", "image/png")
JPEG = FileType("JPEG image", "jpg", "image/jpeg", aliases=("jpeg",))
DOCUMENT_TYPES = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)
ACCEPT = ",".join(f".{t.extension}" + "".join(f",.{a}" for a in t.aliases) for t in DOCUMENT_TYPES)

#: An office file may unpack to at most this many bytes, and each part to at most this many
#: times its compressed size (text compresses well; a zip bomb by a factor of thousands).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_PARTS = 5000

_KINDS = "a PDF, a Word (DOCX), Excel (XLSX) or OpenDocument (ODT, ODS) file, or a PNG or JPEG image"


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    type: FileType
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def megabytes(size: int) -> str:
    """A size as a person reads it: "640 KB" under a megabyte, "12.5 MB" from one up."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)):,} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def check_document(upload, *, max_bytes: int | None = None) -> CheckedFile:
    """The upload as a file we may keep, or ValidationError saying why not (see the module)."""
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    size = getattr(upload, "size", None) or 0
    if getattr(upload, "too_large", False) or size > max_bytes:
        raise ValidationError(
            f"The file is {megabytes(size)}; a document may be at most {megabytes(max_bytes)}.", code="too_large"
        )
    content = upload.read()
    if not content:
        raise ValidationError("The file is empty.", code="empty")
    kind = sniff(content)
    if kind is None:
        raise ValidationError(f"This file cannot be kept: only {_KINDS} can.", code="type")
    name = display_name(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in (kind.extension, *kind.aliases):
        said = f"its name ends in .{extension}" if extension else "its name has no extension"
        raise ValidationError(
            f"The file's content is a {kind.label} but {said}: upload the file you meant, or rename it "
            f"to end in .{kind.extension}.",
            code="extension",
        )
    return CheckedFile(content=content, type=kind, original_name=name)


def display_name(name: str) -> str:
    """A name to show (never to store by): its last path part, without control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200]


def sniff(content: bytes) -> FileType | None:
    """The type `content` is, from its bytes alone; None for anything we do not keep."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(content, PNG)
    if content.startswith(b"\xff\xd8\xff"):
        return _image(content, JPEG)
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    return None


def _image(content: bytes, kind: FileType) -> FileType | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            if image.format not in ("PNG", "JPEG"):
                return None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a file that is not an image
        return None
    return kind


def _office(content: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if len(parts) > MAX_PARTS:
        raise ValidationError("This file has too many parts inside to be a document.", code="bomb")
    unpacked = 0
    for part in parts:
        unpacked += part.file_size
        if part.file_size > MAX_RATIO * max(part.compress_size, 1) and part.file_size > 1024 * 1024:
            raise ValidationError("This file would unpack to far more than its size: it cannot be kept.", code="bomb")
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError("This file would unpack to far more than its size: it cannot be kept.", code="bomb")
    names = {part.filename for part in parts}
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, KeyError, RuntimeError, OSError):
            return None
        return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


class CappedUploadHandler(FileUploadHandler):
    """Keeps each uploaded file whole up to FILE_UPLOAD_MAX_BYTES (in memory up to Django's
    FILE_UPLOAD_MAX_MEMORY_SIZE, then in a temporary file), and past it keeps nothing more: the
    file arrives empty with `too_large` set and `size` the bytes that were sent."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False
        self.buffer = io.BytesIO()
        self.file = None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.too_large:
            return None
        if self.received > settings.FILE_UPLOAD_MAX_BYTES:
            self.too_large = True
            if self.file is not None:
                self.file.close()
            self.file, self.buffer = None, io.BytesIO()
            return None
        if self.file is None and self.buffer.tell() + len(raw_data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE:
            self.file = TemporaryUploadedFile(
                self.file_name, self.content_type, 0, self.charset, self.content_type_extra
            )
            self.file.write(self.buffer.getvalue())
            self.buffer = io.BytesIO()
        (self.file or self.buffer).write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.too_large:
            upload = SimpleUploadedFile(self.file_name, b"", self.content_type)
            upload.too_large = True
            upload.size = self.received
            return upload
        if self.file is not None:
            self.file.seek(0)
            self.file.size = file_size
            return self.file
        upload = SimpleUploadedFile(self.file_name, self.buffer.getvalue(), self.content_type)
        upload.too_large = False
        return upload


class UploadField(forms.FileField):
    """A file field that says "too large" for a file CappedUploadHandler did not keep (rather than
    Django's "the submitted file is empty"), and, with `check`, runs a check on the file (such as
    check_document) so that its message lands beside the field."""

    def __init__(self, *args, check=None, max_bytes: int | None = None, **kwargs):
        self.check, self.max_bytes = check, max_bytes
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if getattr(data, "too_large", False):
            limit = min(filter(None, [self.max_bytes, settings.FILE_UPLOAD_MAX_BYTES]))
            raise ValidationError(
                f"The file is {megabytes(data.size)}; it may be at most {megabytes(limit)}.", code="too_large"
            )
        upload = super().to_python(data)
        if upload is not None and self.max_bytes and upload.size > self.max_bytes:
            raise ValidationError(
                f"The file is {megabytes(upload.size)}; it may be at most {megabytes(self.max_bytes)}.",
                code="too_large",
            )
        if upload is not None and self.check is not None:
            return self.check(upload)
        return upload


class CSVUploadField(UploadField):
    """A CSV file to import: at most CSV_IMPORT_MAX_BYTES (read when the form is checked, so a
    test's or deployment's setting holds). Its rows are read by core.csvimport."""

    def to_python(self, data):
        self.max_bytes = settings.CSV_IMPORT_MAX_BYTES
        return super().to_python(data)
