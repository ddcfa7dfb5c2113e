"""Issue 17: the statement PDF's cost lines are a table (date, person or role, what, hours, rate,
amount) that never cuts text off, with the period's and the scheme's totals; it carries the HA's
full address and purchase order; its chart's labels never run into one another.

Worked figures (Project manager £50.00 an hour; statement for 1 Apr to 30 Sep 2026):
  1 Jun 2026   12.00 h × £50.00                            = £600.00  (from build())
  20 Mar 2026   3.00 h × £50.00, before the period          = £150.00
  2 Jul 2026    2.50 h × £50.00, a 240-character activity   = £125.00
  5 Jul 2026    expense, £45.60 before VAT                  =  £45.60
  This period £600.00 + £125.00 + £45.60 = £770.60; before it £150.00; to date £920.60.
"""

import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from core.charts import BAND, CHAR_WIDTH, WIDTH, bar_chart_svg
from partnerships.recoupment import services as statements
from schemes.models import CostEntry
from tests.partnerships.test_statements import build, pdf_text

D = Decimal
LONG = "Site-access-negotiation-with-the-highways-authority-" * 5  # 260 characters with no space


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_cost_lines_are_a_table_that_never_clips_with_the_periods_totals():
    access, ha, _team, scheme = build()
    ha.address = "Finance team\nAster Group\nSarsen Court, Horton Avenue\nDevizes\nWiltshire SN10 2AZ"
    ha.purchase_order_reference = "PO-77031"
    ha.save()
    entry = CostEntry.objects.get(scheme=scheme)

    def more(**kw):
        CostEntry.objects.create(umbrella=scheme.umbrella, clt=scheme.clt, scheme=scheme, **kw)

    more(kind="time", on=date(2026, 3, 20), person=entry.person, staff_role=entry.staff_role, hours=D("3"),
         activity="Early site visit")  # fmt: skip
    more(kind="time", on=date(2026, 7, 2), person=entry.person, staff_role=entry.staff_role, hours=D("2.5"),
         activity=LONG[:240])  # fmt: skip
    more(kind="expense", on=date(2026, 7, 5), description="Hall hire, Ashby village hall", amount=D("45.60"))
    statement, _ = statements.statement_request(
        access=access, housing_association=ha, period_start=date(2026, 4, 1), period_end=date(2026, 9, 30)
    )
    statement.refresh_from_db()
    text = pdf_text(statement)
    flat = " ".join(text.split())
    assert "Date Person or role What Hours Rate Amount" in flat
    name = entry.person.display_name
    assert f"{name}, Project manager" in flat
    assert "12.00 £50.00 £600.00" in flat and "2.50 £50.00 £125.00" in flat
    assert "Hall hire, Ashby village hall" in flat and "£45.60" in flat
    assert squash(LONG[:240]) in squash(text)  # every character of it, wrapped, none cut off
    assert "This period, 1 Apr 2026 to 30 Sep 2026 £770.60" in flat
    assert "Before the period £150.00" in flat
    assert "Costs to date £920.60" in flat
    for line in ("Finance team", "Sarsen Court, Horton Avenue", "Wiltshire SN10 2AZ"):
        assert line in text
    assert "Purchase order PO-77031" in flat


def _boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Each text's box (left, top, right, bottom), from its position, size and length."""
    root = ElementTree.fromstring(svg)
    boxes = []
    for node in root.iter("{http://www.w3.org/2000/svg}text"):
        x, y, size = float(node.get("x")), float(node.get("y")), float(node.get("font-size"))
        content = node.text or ""
        boxes.append((x, y - size, x + len(content) * CHAR_WIDTH * size / 13, y + 0.25 * size, content))
    return boxes


def test_the_charts_labels_and_values_never_overlap_and_stay_inside():
    values = {
        "Enquiry and housing needs survey": D("1250.00"),
        "Site identified and assessed": D("32000.50"),
        "Design and community consultation": D("0.40"),
        "Freehold acquired and lease granted": D("15.25"),
        "Start on site": D("123456.78"),
        "W" * 200: D("0"),
    }
    svg = bar_chart_svg(title="Costs by stage", values=values)
    boxes = _boxes(svg)
    assert len(boxes) == 1 + 2 * len(values)  # the title, and a label and a value for each
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= WIDTH, f"“{a[4][:30]}” runs past the edge"
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"“{a[4][:30]}” overlaps “{b[4][:30]}”"
    assert f'height="{34 + BAND * len(values) + 8}"' in svg
    assert "Start on site: £123,456.78" in svg  # the description a screen reader gives


def test_the_charts_bars_share_one_scale():
    """A larger value has a longer bar, whatever the length of the figures' text: £999.00 is
    drawn shorter than £1,000.00, and £123,456.78 longest, in proportion."""
    values = {"A": D("999.00"), "B": D("1000.00"), "C": D("99999.00"), "D": D("100000.00"), "E": D("123456.78")}
    root = ElementTree.fromstring(bar_chart_svg(title="Costs", values=values))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")][1:]  # (past the page)
    assert widths == sorted(widths) and len(set(widths)) == len(widths)
    for (_, value), width in zip(values.items(), widths, strict=True):
        assert abs(width / widths[-1] - float(value) / 123456.78) < 0.01
