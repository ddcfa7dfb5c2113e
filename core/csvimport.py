"""Reading an uploaded CSV for an all-or-nothing import: every problem becomes a message.

The file is read a line at a time, never whole: `read_csv` checks the header before it reads a
row, and the rows are streamed to the importer, which gathers its problems in a `Problems` (at
most CSV_IMPORT_MAX_LISTED of them are kept and shown, with a count of the rest). A file of more
than CSV_IMPORT_MAX_ROWS rows is refused as soon as the row after the last allowed is read. Every
message lands on the form's `file` field.
"""

import csv
import io
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError

NOT_UTF8 = "The file is not UTF-8 text: save it as “CSV UTF-8” and try again."


class Problems:
    """The problems an import found: all are counted, the first `limit` kept to show."""

    def __init__(self, limit: int | None = None):
        self.limit = limit or settings.CSV_IMPORT_MAX_LISTED
        self.shown: list[str] = []
        self.count = 0

    def append(self, message: str) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self.shown.append(message)

    def extend(self, messages) -> None:
        for message in messages:
            self.append(message)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def messages(self) -> list[str]:
        """What the page lists: the first problems and, past the limit, how many more there are."""
        hidden = self.count - len(self.shown)
        if hidden <= 0:
            return list(self.shown)
        return [
            *self.shown,
            f"… and {hidden:,} more problem{'s' if hidden != 1 else ''} not listed here: "
            "mend these and upload the file again to see the rest.",
        ]

    def refuse(self) -> None:
        """Raise the form's error with the messages when there is any problem."""
        if self.count:
            raise ValidationError({"file": self.messages()})


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


class CSVRows:
    """An uploaded CSV, its header read and checked; iterate for (line number, {column: text}).

    `source` is a binary file (an upload, or a stored file) or a str. `progress(fraction)` is
    called every CSV_IMPORT_PROGRESS_EVERY rows with how far through the file the reading is.
    """

    def __init__(
        self,
        source,
        *,
        columns: list[str],
        required: list[str],
        progress: Callable[[float, int], None] | None = None,
    ):
        self.columns, self.progress = columns, progress
        self.problems = Problems()
        self.rows_read = 0
        if isinstance(source, str):
            self._raw, self.size = None, len(source)
            self._text = io.StringIO(source, newline="")
        else:
            raw = getattr(source, "file", source)  # a Django upload wraps the real file
            self.size = raw.seek(0, io.SEEK_END)
            raw.seek(0)
            self._raw = raw
            self._text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text)
        self.line_no = 0
        first = self._next_line()
        if first is None:
            self._close()
            raise _file_error("The file is empty.")
        self.header = [cell.strip().lower() for cell in first]
        try:
            self._check_header(required)
        except ValidationError:
            self._close()
            raise

    def _check_header(self, required: list[str]) -> None:
        missing = [c for c in required if c not in self.header]
        if missing:
            raise _file_error(
                f"The first line must name the columns; missing: {', '.join(missing)}. "
                f"Expected: {', '.join(self.columns)}."
            )
        unknown = [h for h in self.header if h not in self.columns]
        if unknown:
            shown = ", ".join(h[:40] for h in unknown[:10]) + (" …" if len(unknown) > 10 else "")
            raise _file_error(f"Unknown column(s): {shown}. Expected: {', '.join(self.columns)}.")

    def _next_line(self) -> list[str] | None:
        try:
            cells = next(self._reader, None)
        except UnicodeDecodeError as error:
            raise _file_error(NOT_UTF8) from error
        except csv.Error as error:
            raise _file_error(f"Line {self._reader.line_num}: the file cannot be read as CSV ({error}).") from error
        if cells is not None and any("\x00" in cell for cell in cells):
            raise _file_error("The file contains NUL characters: is it a CSV text file?")
        self.line_no = self._reader.line_num
        return cells

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        limit, every = settings.CSV_IMPORT_MAX_ROWS, settings.CSV_IMPORT_PROGRESS_EVERY
        try:
            while (cells := self._next_line()) is not None:
                if not any(cell.strip() for cell in cells):
                    continue
                self.rows_read += 1
                if self.rows_read > limit:
                    raise _file_error(
                        f"The file has more than {limit:,} rows; split it into files of at most {limit:,} rows."
                    )
                if self.progress is not None and self.rows_read % every == 0:
                    self.progress(self.fraction_read(), self.rows_read)
                if len(cells) > len(self.header):
                    self.problems.append(
                        f"Line {self.line_no}: {len(cells)} cells but only {len(self.header)} columns."
                    )
                    continue
                yield (
                    self.line_no,
                    {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(self.header)},
                )
        finally:
            self._close()

    def fraction_read(self) -> float:
        if self._raw is None or not self.size:
            return 0.0
        try:
            return min(1.0, self._raw.tell() / self.size)
        except (OSError, ValueError):
            return 0.0

    def __del__(self):
        self._close()

    def _close(self) -> None:
        """Let go of the file without closing it (the upload's owner closes it)."""
        if isinstance(self._text, io.TextIOWrapper):
            try:
                self._text.detach()
            except ValueError:
                pass  # detached already


def read_csv(source, *, columns: list[str], required: list[str], progress=None) -> CSVRows:
    """The file's rows, its header already checked (a ValidationError on `file` if it is wrong)."""
    return CSVRows(source, columns=columns, required=required, progress=progress)
