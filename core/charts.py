"""Charts drawn on the server as SVG (pygal), for pages and PDFs alike. No script is referenced."""

import base64
from decimal import Decimal

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1f23",
    foreground_strong="#1b1f23",
    foreground_subtle="#555d66",
    colors=("#1f5f4a", "#8a5300", "#0b4fa3", "#a4161a", "#555d66"),
    font_family="DejaVu Sans, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    title_font_size=16,
    legend_font_size=13,
)


def bar_chart_svg(*, title: str, values: dict[str, Decimal], money: bool = True) -> str:
    chart = pygal.HorizontalBar(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        width=760,
        height=max(220, 60 + 44 * len(values)),
        print_values=True,
        value_formatter=(lambda v: f"£{v:,.2f}") if money else (lambda v: f"{v:,.0f}"),
        show_x_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        title=title,
    )
    # Pygal draws horizontal bars bottom-up: reverse, so the first item reads at the top.
    items = list(values.items())[::-1]
    chart.x_labels = [label for label, _ in items]
    chart.add(title, [float(v) for _, v in items])
    return chart.render(is_unicode=True)


def chart_data_uri(svg: str) -> str:
    """Charts go into pages as data: images (allowed by our CSP), with a table beside them."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
