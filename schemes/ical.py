"""A person's milestones and tasks as an iCalendar (RFC 5545) feed, written by hand."""

from datetime import UTC, date, datetime, timedelta

from schemes.selectors import milestones_for_calendar


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF and a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def calendar_for(*, user, today: date) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fieldgate//Milestones//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Fieldgate milestones and tasks",
    ]
    for m in milestones_for_calendar(user=user):
        where = m.scheme.name if m.scheme else m.clt.name
        status = "done" if m.is_done else ("OVERDUE" if m.is_overdue(today) else "open")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{m.public_id}@fieldgate",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{m.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{(m.due_on + timedelta(days=1)):%Y%m%d}",
            _fold(f"SUMMARY:{_escape(f'{m.get_kind_display()}: {m.title} ({where})')}"),
            _fold(f"DESCRIPTION:{_escape(f'{m.umbrella.name} · {status}' + (chr(10) + m.notes if m.notes else ''))}"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
