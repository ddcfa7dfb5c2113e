"""PDF rendering with WeasyPrint, fetching nothing but our own static files and data: URIs."""

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

#: The base URL documents are rendered against; our static files are served from under it.
BASE_URL = "https://fieldgate.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class SafeURLFetcher(URLFetcher):
    """Allows data: URIs and files of our own static folder; refuses file://, http(s) and the rest.

    Every refusal is recorded in `refused` (and logged), so tests can prove nothing was fetched.
    """

    def __init__(self):
        super().__init__(allowed_protocols=["data"], allow_redirects=False, timeout=2)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            relative = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
            if ".." not in relative.split("/"):
                path = finders.find(relative)
                if path:
                    self.served.append(relative)
                    return URLFetcherResponse(url, Path(path).read_bytes(), headers={"Content-Type": _mime(relative)})
        self.refused.append(url)
        log.warning("PDF fetch refused: %s", url[:200])
        raise ValueError(f"Fetching {url[:80]} is not allowed in PDFs")


def _mime(name: str) -> str:
    return {"css": "text/css", "svg": "image/svg+xml", "png": "image/png", "woff2": "font/woff2"}.get(
        name.rsplit(".", 1)[-1], "application/octet-stream"
    )


def render_pdf(html: str, fetcher: SafeURLFetcher | None = None) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or SafeURLFetcher()).write_pdf()


def write_private_file(relative_path: str, content: bytes) -> str:
    """Write atomically into private storage: a temp file in the same folder, then a rename, so a
    worker killed mid-write never leaves a half-written file under the real name."""

    def write(handle):
        handle.write(content)

    return _write_atomically(relative_path, write, binary=True)


def write_private_text(relative_path: str, pieces) -> str:
    """Write text given in pieces (a streamed CSV) into private storage as UTF-8, atomically like
    write_private_file, holding one piece in memory at a time."""
    return _write_atomically(relative_path, lambda handle: handle.writelines(pieces), binary=False)


def write_private_stream(relative_path: str, chunks) -> str:
    """Write bytes given in chunks (an upload's) into private storage, likewise."""
    return _write_atomically(relative_path, lambda handle: handle.writelines(chunks), binary=True)


def _write_atomically(relative_path: str, write, *, binary: bool) -> str:
    root = Path(settings.PRIVATE_FILES_ROOT)
    target = (root / relative_path).resolve()
    if root.resolve() not in target.parents:
        raise ValueError("Private files stay inside the private folder.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".partial-", suffix=target.suffix)
    try:
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, **mode) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return relative_path


def delete_private_file(relative_path: str) -> None:
    """Remove a file from private storage (nothing if it is not there)."""
    if relative_path:
        private_path(relative_path).unlink(missing_ok=True)


def private_path(relative_path: str) -> Path:
    root = Path(settings.PRIVATE_FILES_ROOT).resolve()
    target = (root / relative_path).resolve()
    if root not in target.parents:
        raise ValueError("Outside the private folder.")
    return target
