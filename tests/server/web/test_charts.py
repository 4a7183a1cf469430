"""The dashboard's bar charts: one bar per row, lengths on the chart's scale, labels escaped and cut
to fit by their width on screen (a Chinese character is as wide as two letters); and the months its
lists offer."""

from __future__ import annotations

import datetime as dt
import re

from server.web.charts import Bar, bar_chart
from server.web.figures import recent_months


def test_bars_are_drawn_to_scale_with_their_words() -> None:
    chart = str(bar_chart([Bar("2026-10", 50, "50% (2)"), Bar("2026-11", 100, "100% (3)"), Bar("2026-12", 0, "0% (1)")], 100, "每月满意度"))
    assert chart.startswith('<svg class="chart"') and 'aria-label="每月满意度"' in chart
    assert chart.count('<g class="bar">') == 3
    lengths = [float(found) for found in re.findall(r'width="([0-9.]+)" height="22" rx="4" fill="#0b5cad"', chart)]
    assert lengths == [125.0, 250.0, 0.0]  # of the 250 units between the labels and the values
    assert ">100% (3)</text>" in chart


def test_labels_are_escaped_and_cut_by_their_width() -> None:
    chart = str(
        bar_chart(
            [Bar("<b>公证</b>", 1, "1"), Bar("3号窗口（人民调解室）附属接待处", 1, "1"), Bar("Legal aid application", 1, "1")], 1, "t"
        )
    )
    assert "<b>" not in chart and "&lt;b&gt;公证&lt;/b&gt;" in chart
    assert ">3号窗口（人民调解室…</text>" in chart  # eleven wide characters fit
    assert "<title>3号窗口（人民调解室）附属接待处: 1</title>" in chart  # the tooltip has it whole
    assert ">Legal aid application</text>" in chart  # 21 narrow characters fit


def test_warning_bars_and_an_empty_scale() -> None:
    chart = str(bar_chart([Bar("不满意", 0, "0", warn=True)], 0, "t"))
    assert 'fill="#b3261e"' in chart and 'width="0.0"' in chart


def test_the_lists_offer_the_last_twelve_months() -> None:
    months = recent_months(dt.date(2026, 3, 5))
    assert months[:4] == ["2026-03", "2026-02", "2026-01", "2025-12"] and months[-1] == "2025-04" and len(months) == 12
