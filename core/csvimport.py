"""Reading an uploaded CSV for an all-or-nothing import: every problem becomes a message."""

import csv
import io

from django.core.exceptions import ValidationError


def read_csv(text: str, *, columns: list[str], required: list[str]) -> tuple[list[tuple[int, dict]], list[str]]:
    """The rows as (line number, {column: text}) and the problems found while reading them.

    Raises a ValidationError on the form's `file` field when the file cannot be read at all or its
    header is wrong; per-row problems come back for the caller to report with its own.
    """
    if "\x00" in text:
        raise ValidationError({"file": "The file contains NUL characters: is it a CSV text file?"})
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ValidationError({"file": f"The file cannot be read as CSV ({error})."}) from error
    if not lines:
        raise ValidationError({"file": "The file is empty."})
    header = [cell.strip().lower() for cell in lines[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            {
                "file": f"The first line must name the columns; missing: {', '.join(missing)}. "
                f"Expected: {', '.join(columns)}."
            }
        )
    unknown = [h for h in header if h not in columns]
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        raise ValidationError({"file": f"Unknown column(s): {shown}. Expected: {', '.join(columns)}."})
    rows, problems = [], []
    for line_no, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(f"Line {line_no}: {len(cells)} cells but only {len(header)} columns.")
            continue
        rows.append((line_no, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}))
    return rows, problems
