"""CSV files we write (list exports, nomination lists): cells that are never a spreadsheet formula,
sent a few hundred rows a piece."""

import csv

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


def csv_pieces(header: list[str], rows):
    """The CSV text of a header and rows, a few hundred rows a piece (cells made safe for
    spreadsheets)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([csv_safe(cell) for cell in row]))
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
