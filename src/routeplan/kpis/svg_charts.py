"""Bar charts as plain SVG written here: no charting library, nothing to run in the browser.

The KPI report's charts are drawn when the page is parsed, so a phone shows them with the text
(plotly.js took seconds to start on a slow phone). Every value is also in the tables below each
chart and in each bar's ``<title>`` (shown on hover); every text is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from routeplan.i18n import format_number

WIDTH = 400
"""The drawing's width in SVG units; it scales to the page's width (a phone's ~370 px)."""
HEIGHT = 230
FONT = 12
LEFT, RIGHT, TOP = 46, 8, 12
SERIES_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#999999",
    "#882255",
)
"""Colours of a chart's series in order (Okabe–Ito, then two more), repeated when needed."""


@dataclass(frozen=True)
class Series:
    """One series of bars: its legend name, a value per category, its colour."""

    name: str
    values: Sequence[float]
    colour: str = ""


@dataclass(frozen=True)
class BarChart:
    """A grouped bar chart: per category one bar per series.

    ``categories`` may hold a newline for two-line labels; ``y_max`` fixes the axis' top;
    ``mean`` draws a dashed line at ``(value, label)``; ``note`` is shown above the drawing.
    """

    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    x_title: str
    y_title: str
    y_max: float | None = None
    mean: tuple[float, str] | None = None
    note: str = ""
    unit: str = ""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if top <= 0 or not math.isfinite(top):
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _values(series: Series) -> list[float]:
    return [
        float(v) if v is not None and math.isfinite(float(v)) else math.nan for v in series.values
    ]


def _axis_top(chart: BarChart) -> tuple[float, float]:
    """The y axis' top and tick step."""
    highest = max(
        [v for s in chart.series for v in _values(s) if not math.isnan(v)]
        + [chart.mean[0] if chart.mean else 0.0, 0.0]
    )
    top = chart.y_max if chart.y_max is not None else highest
    step = nice_step(top or 1.0)
    return max(step, math.ceil(top / step - 1e-9) * step), step


def _decimals(step: float) -> int:
    return 0 if float(step).is_integer() else (1 if float(step * 10).is_integer() else 2)


def _y_axis(top: float, step: float, plot: tuple[float, float]) -> list[str]:
    bottom, height = plot
    parts = []
    decimals = _decimals(step)
    for i in range(round(top / step) + 1):
        value = i * step
        y = bottom - height * value / top
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_esc(format_number(value, decimals))}</text>"
        )
    return parts


def _x_labels(categories: Sequence[str], bottom: float, group: float) -> list[str]:
    rotate = len(categories) > 8
    parts = []
    for i, label in enumerate(categories):
        x = LEFT + group * (i + 0.5)
        lines = str(label).split("\n")
        if rotate:
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{bottom + 12:.1f}" text-anchor="end" '
                f'transform="rotate(-50 {x:.1f} {bottom + 12:.1f})">{_esc(" ".join(lines))}'
                "</text>"
            )
            continue
        spans = "".join(
            f'<tspan x="{x:.1f}" dy="{FONT + 2 if n else FONT + 4}">{_esc(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text class="tick" y="{bottom:.1f}" text-anchor="middle">{spans}</text>')
    return parts


def _bars(chart: BarChart, top: float, plot: tuple[float, float], group: float) -> list[str]:
    bottom, height = plot
    count = max(1, len(chart.series))
    width = group * 0.8 / count
    parts = []
    for s_index, series in enumerate(chart.series):
        colour = series.colour or SERIES_COLOURS[s_index % len(SERIES_COLOURS)]
        for c_index, value in enumerate(_values(series)):
            if math.isnan(value):
                continue
            bar = height * max(0.0, min(value, top)) / top
            x = LEFT + group * (c_index + 0.1) + width * s_index
            label = f"{series.name} · {chart.categories[c_index]}: ".replace("\n", " ")
            shown = format_number(value, 0 if value.is_integer() else 1) + (
                f" {chart.unit}" if chart.unit else ""
            )
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{bottom - bar:.1f}" width="{width:.1f}" '
                f'height="{bar:.1f}" fill="{colour}"><title>{_esc(label + shown)}</title></rect>'
            )
    return parts


def _mean_line(chart: BarChart, top: float, plot: tuple[float, float]) -> list[str]:
    if chart.mean is None or top <= 0:
        return []
    bottom, height = plot
    value, label = chart.mean
    y = bottom - height * value / top
    return [
        f'<line class="mean-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        f'<text class="mean-label" x="{WIDTH - RIGHT - 2}" y="{y - 4:.1f}" text-anchor="end">'
        f"{_esc(label)} {_esc(format_number(value, 1))}</text>"
    ]


def chart_svg(chart: BarChart) -> str:
    """The drawing alone: axes, grid, bars (each with a ``<title>``) and the mean line."""
    rotate = len(chart.categories) > 8
    lines = max((str(c).count("\n") + 1 for c in chart.categories), default=1)
    below = 62 if rotate else 10 + (FONT + 3) * lines
    bottom = HEIGHT - below
    plot = (bottom, bottom - TOP)
    group = (WIDTH - LEFT - RIGHT) / max(1, len(chart.categories))
    top, step = _axis_top(chart)
    parts = [
        *_y_axis(top, step, plot),
        *_bars(chart, top, plot, group),
        *_mean_line(chart, top, plot),
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}"/>',
        *_x_labels(chart.categories, bottom, group),
        f'<text class="axis-title" transform="rotate(-90)" x="{-(TOP + bottom) / 2:.1f}" '
        f'y="12" text-anchor="middle">{_esc(chart.y_title)}</text>',
    ]
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_esc(chart.title)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def chart_html(chart_id: str, chart: BarChart) -> str:
    """A chart as a ``<figure id="chart-<id>">``: title, note, drawing, x axis title, legend."""
    legend = "".join(
        f'<li><span class="swatch" style="background:'
        f'{s.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)]}"></span>'
        f'<span class="legendtext">{_esc(s.name)}</span></li>'
        for i, s in enumerate(chart.series)
    )
    note = f'<p class="note chart-note">{_esc(chart.note)}</p>' if chart.note else ""
    return (
        f'<figure class="chart" id="chart-{_esc(chart_id)}"><figcaption>{_esc(chart.title)}'
        f"</figcaption>{note}{chart_svg(chart)}"
        f'<p class="x-title">{_esc(chart.x_title)}</p><ul class="legend">{legend}</ul></figure>'
    )


CHART_CSS = (
    "figure.chart{margin:1rem 0;max-width:720px}"
    "figure.chart figcaption{font-weight:600;font-size:1.05rem;margin-bottom:.3rem}"
    "figure.chart svg{width:100%;height:auto;display:block}"
    "figure.chart .tick,figure.chart .axis-title,figure.chart .mean-label"
    f"{{font-size:{FONT}px;fill:#333}}"
    "figure.chart .grid{stroke:#e4e4e4}figure.chart .axis{stroke:#555}"
    "figure.chart .mean-line{stroke:#333;stroke-dasharray:5 4}"
    "figure.chart .x-title{text-align:center;margin:.1rem 0;font-size:.9rem;color:#333}"
    "figure.chart .legend{list-style:none;padding:0;margin:.2rem 0;display:flex;"
    "flex-wrap:wrap;gap:.2rem 1rem;font-size:.9rem}"
    "figure.chart .swatch{display:inline-block;width:.9em;height:.9em;margin-right:.35em;"
    "vertical-align:-.1em;border-radius:2px}"
)
"""CSS of :func:`chart_html`'s figures."""
