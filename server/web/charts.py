"""Bar charts as inline SVG, drawn on the server: no script and nothing fetched by the browser.

A chart is a list of :class:`Bar` (a label, a value from 0 to the chart's top, and the words shown
at the bar's end), drawn as horizontal bars so that long service names stay readable. The SVG
scales to its container's width; its text takes the page's font.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from unicodedata import east_asian_width

from markupsafe import Markup

WIDTH = 560  # about the width a chart gets on the dashboard, so its text keeps its size
LABEL_WIDTH = 200
VALUE_WIDTH = 110
ROW = 36
BAR = 22
FONT_SIZE = 16
LABEL_COLUMNS = 22  # a longer label (a Chinese character takes two columns) is cut with an ellipsis; the bar's tooltip has it whole


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # e.g. "92% (25)"
    warn: bool = False  # drawn in the warning colour (a low share, a bad level)


def bar_chart(bars: list[Bar], top: float, title: str) -> Markup:
    """The bars on a scale from 0 to ``top``; ``title`` names the chart for screen readers."""
    height = ROW * len(bars) + 8
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = 0.0 if top <= 0 else max(0.0, min(1.0, bar.value / top)) * room
        label = _cut(bar.label, LABEL_COLUMNS)
        colour = "#b3261e" if bar.warn else "#0b5cad"
        parts.append(
            f'<g class="bar"><title>{escape(bar.label)}: {escape(bar.shown)}</title>'
            f'<text x="{LABEL_WIDTH - 10}" y="{y + ROW / 2}" text-anchor="end" dominant-baseline="middle" font-size="{FONT_SIZE}" '
            f'fill="#1d2733">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + (ROW - BAR) / 2}" width="{room}" height="{BAR}" rx="4" fill="#e6ebf0"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + (ROW - BAR) / 2}" width="{length:.1f}" height="{BAR}" rx="4" fill="{colour}"/>'
            f'<text x="{WIDTH - VALUE_WIDTH + 10}" y="{y + ROW / 2}" dominant-baseline="middle" font-size="{FONT_SIZE}" '
            f'fill="#1d2733">{escape(bar.shown)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _cut(label: str, columns: int) -> str:
    """``label`` within ``columns`` (wide characters count two), cut with an ellipsis."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if east_asian_width(char) in ("W", "F") else 1
        if used > columns:
            return label[: max(0, index - 1)] + "…"
    return label
