"""CSV files we write (list exports, nomination lists): cells that are never a spreadsheet formula,
sent a few hundred rows a piece; and exports kept as files until the umbrella's data changes."""

import csv
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.pdf import private_path
from core.versions import CACHE_SECONDS, release, stored_umbrella_version

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


#: Rows sent per chunk of a streamed CSV: one write per row costs the server a write and a chunk
#: header each (10,000 of them for 10,000 schemes); a few hundred rows keep memory flat all the same.
CSV_ROWS_PER_CHUNK = 500


#: The UTF-8 byte order mark every CSV we write begins with: without it a spreadsheet opening the
#: file reads it in the machine's own code page and shows "Â£" for "£".
BOM = "\ufeff"


def csv_pieces(header: list[str], rows):
    """The CSV text of a header and rows, a few hundred rows a piece (cells made safe for
    spreadsheets), beginning with the UTF-8 byte order mark."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header)
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([csv_safe(cell) for cell in row]))
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


# --- exports kept as files --------------------------------------------------------------------

#: In the umbrella's private folder: <umbrella id>/kept-csv/<data version>/<digest>.csv
KEPT_FOLDER = "kept-csv"
#: Files kept per umbrella and version (one per scope and query asked); past this, exports stream.
KEPT_FILES_PER_VERSION = 200


@dataclass
class KeptCSV:
    """What kept_csv gives: an open file (kept earlier) or pieces that keep one as they stream."""

    file: BinaryIO | None = None
    pieces: Iterator[bytes] | None = None


def kept_csv(*, umbrella_id: int, parts: Iterable, pieces: Callable[[], Iterable[str]]) -> KeptCSV:
    """A CSV export kept in private storage until the umbrella's data changes, like a kept read
    (core.versions): keyed by the umbrella's data version, the release, and `parts`, which must
    name everything else the file depends on (the reader's data scope, the date, the query).

    Kept: the file, open. Not yet: `pieces()` streamed and written beside as they go, then put
    under its name when the last piece is out (a client that goes away, or a disk that fails,
    leaves no file and never breaks the stream). The umbrella's files of older versions are
    removed then, so what is kept is bounded: one version's files, at most KEPT_FILES_PER_VERSION.
    With Redis away there is no version to key by: the export streams and nothing is kept."""
    version = stored_umbrella_version(umbrella_id)
    if version is None:
        return KeptCSV(pieces=(piece.encode() for piece in pieces()))
    digest = hashlib.sha256(repr([release(), *parts]).encode()).hexdigest()[:32]
    umbrella_folder = private_path(f"{umbrella_id}/{KEPT_FOLDER}")
    folder = umbrella_folder / version
    path = folder / f"{digest}.csv"
    try:
        handle = open(path, "rb")
    except OSError:
        pass
    else:
        if time.time() - os.fstat(handle.fileno()).st_mtime < CACHE_SECONDS:
            return KeptCSV(file=handle)
        handle.close()
    return KeptCSV(pieces=_streamed_and_kept(pieces(), umbrella_folder, folder, path))


def _streamed_and_kept(pieces: Iterable[str], umbrella_folder: Path, folder: Path, path: Path) -> Iterator[bytes]:
    handle = _start_keeping(umbrella_folder, folder)
    finished = False
    try:
        for piece in pieces:
            data = piece.encode()
            if handle is not None:
                try:
                    handle.write(data)
                except OSError:
                    handle = _abandon(handle)
            yield data
        finished = True
    finally:
        if handle is not None:
            if finished:
                try:
                    handle.close()
                    os.replace(handle.name, path)
                except OSError:
                    _abandon(handle)
            else:
                _abandon(handle)


def _start_keeping(umbrella_folder: Path, folder: Path):
    """A temporary file in this version's folder, or None when nothing more is to be kept there."""
    try:
        if umbrella_folder.is_dir():
            for old in umbrella_folder.iterdir():
                if old.name != folder.name:
                    shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        if sum(1 for _ in folder.glob("*.csv")) >= KEPT_FILES_PER_VERSION:
            return None
        return tempfile.NamedTemporaryFile(dir=folder, prefix=".partial-", suffix=".csv", delete=False)
    except OSError:
        return None


def _abandon(handle) -> None:
    handle.close()
    Path(handle.name).unlink(missing_ok=True)
