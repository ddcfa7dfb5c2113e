"""Charts drawn on the server as SVG, for pages and PDFs alike. No script is referenced.

A bar chart gives each item a band of its own: its label on one line, its bar under it, the value
just past the bar's end (bars are scaled to leave it room). Nothing is placed by guesswork
beside anything else, so no label can run into another or into a value, however small a bar or
long a name; the table beside every chart gives the same figures as text.
"""

import base64
from decimal import Decimal
from xml.sax.saxutils import escape

WIDTH = 760
TITLE_HEIGHT = 34
BAND = 52  # label line 18, bar 22, gap 12
LABEL_SIZE = 13
#: DejaVu Sans at 13px: under 8px a character on average, 8.9px for the widest capitals; 9 is safe.
CHAR_WIDTH = 9.0
MAX_LABEL_CHARS = int(WIDTH / CHAR_WIDTH) - 1
INK, MUTED, BAR = "#1b1f23", "#555d66", "#1f5f4a"


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _fit(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart_svg(*, title: str, values: dict[str, Decimal], money: bool = True, show_title: bool = True) -> str:
    """A horizontal bar chart of `values` (label: value), first item at the top. Where a heading
    beside it says the same, `show_title=False` leaves the title to screen readers alone."""

    def show(v) -> str:
        return f"£{Decimal(v):,.2f}" if money else f"{Decimal(v):,.0f}"

    items = list(values.items())
    top = max((float(v) for _, v in items), default=0.0)
    # One scale for every bar, leaving room past the longest for the widest value's text.
    room = WIDTH - max((_text_width(show(v)) for _, v in items), default=0.0) - 12
    head = TITLE_HEIGHT if show_title else 6
    height = head + BAND * len(items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family="DejaVu Sans, sans-serif">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">' + escape("; ".join(f"{label}: {show(v)}" for label, v in items)) + "</desc>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    if show_title:
        parts.append(f'<text x="0" y="20" font-size="16" font-weight="bold" fill="{INK}">{escape(title)}</text>')
    for i, (label, value) in enumerate(items):
        y = head + i * BAND
        amount = show(value)
        bar = 0.0 if top <= 0 else max(float(value), 0.0) / top * room
        bar = max(bar, 2.0) if float(value) > 0 else 0.0
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="{LABEL_SIZE}" fill="{INK}">{escape(_fit(str(label)))}</text>'
        )
        parts.append(f'<rect x="0" y="{y + 19}" width="{bar:.2f}" height="22" fill="{BAR}"/>')
        parts.append(
            f'<text x="{bar + 6:.2f}" y="{y + 35}" font-size="{LABEL_SIZE}" fill="{MUTED}">{escape(amount)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_data_uri(svg: str) -> str:
    """Charts go into pages as data: images (allowed by our CSP), with a table beside them."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
