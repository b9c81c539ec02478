"""Bar charts drawn with pygal, as static inline SVG (no JavaScript, no outside references)."""

from __future__ import annotations

import base64
import html
from typing import Any

import pygal
from pygal.graph.public import PublicApi
from pygal.style import Style

from app.graphics.diagrams import FONT_FAMILY, UNIT_EM, text_units
from app.graphics.models import BarChartSpec

CHART_WIDTH = 800
CHART_HEIGHT = 420
# Enough rows for a horizontal chart to keep each bar label readable.
HORIZONTAL_ROW_HEIGHT = 48

LABEL_FONT_SIZE = 13
CHART_MARGIN = 16
# pygal sizes the label margin as 0.6 em per character; a CJK character takes a full em.
PYGAL_EM_PER_CHAR = 0.6

CHART_STYLE = Style(
    font_family=FONT_FAMILY,
    background="transparent",
    plot_background="transparent",
    foreground="#212121",
    foreground_strong="#212121",
    foreground_subtle="#616161",
    guide_stroke_color="#bdbdbd",
    major_guide_stroke_color="#9e9e9e",
    opacity=".85",
    opacity_hover=".95",
    colors=("#1e88e5", "#43a047", "#f9a825", "#8e24aa", "#e53935", "#00897b", "#546e7a"),
    title_font_size=18,
    label_font_size=LABEL_FONT_SIZE,
    major_label_font_size=LABEL_FONT_SIZE,
    legend_font_size=14,
    value_font_size=13,
    no_data_font_size=24,
)


def _style(spec: BarChartSpec) -> Style:
    """The chart style, with the series' own colours when the spec gives them (severities, levels)."""
    if not spec.colors:
        return CHART_STYLE
    style = Style(**{**CHART_STYLE.to_dict(), "colors": tuple(spec.colors)})
    return style


def _chart_class(spec: BarChartSpec) -> type[PublicApi[Any, Any, Any]]:
    if spec.horizontal:
        return pygal.HorizontalStackedBar if spec.stacked else pygal.HorizontalBar
    return pygal.StackedBar if spec.stacked else pygal.Bar


def _drop_script_and_comments(root: Any) -> Any:
    """pygal always writes its config as a <script> and credits itself (with URLs) in comments; a static
    inline chart needs neither. Works on both lxml and xml.etree trees, whichever pygal uses."""
    for parent in list(root.iter()):
        for child in list(parent):
            is_comment = not isinstance(child.tag, str)
            if is_comment or child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _left_margin(spec: BarChartSpec) -> int:
    """Horizontal charts put the categories on the left; widen the margin by what pygal underestimates."""
    if not spec.horizontal or not spec.categories:
        return CHART_MARGIN
    needed = max(text_units(category) for category in spec.categories) * UNIT_EM
    estimated = max(len(category) for category in spec.categories) * PYGAL_EM_PER_CHAR
    return CHART_MARGIN + max(0, round((needed - estimated) * LABEL_FONT_SIZE))


def bar_chart_svg(spec: BarChartSpec) -> str:
    """The bar chart as an inline SVG; a None value leaves its bar out (e.g. an actual not reported yet)."""
    suffix = spec.value_suffix
    height = CHART_HEIGHT
    if spec.horizontal:
        bars_per_row = 1 if spec.stacked else max(1, len(spec.series))
        height = max(CHART_HEIGHT, 160 + len(spec.categories) * HORIZONTAL_ROW_HEIGHT * min(bars_per_row, 2))
    chart = _chart_class(spec)(
        title=spec.title,
        width=CHART_WIDTH,
        height=height,
        style=_style(spec),
        js=[],
        disable_xml_declaration=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, min(len(spec.series), 4)),
        # pygal guesses text widths for Latin letters and would cut CJK labels short: never truncate.
        truncate_label=-1,
        truncate_legend=-1,
        print_values=True,
        print_zeroes=False,
        value_formatter=lambda value: f"{value:g}{suffix}",
        no_data_text=spec.no_data_text,
        include_x_axis=True,
        margin=CHART_MARGIN,
        margin_left=_left_margin(spec),
    )
    # pygal draws a horizontal chart's first category at the bottom; reversing reads top to bottom.
    order = slice(None, None, -1) if spec.horizontal else slice(None)
    chart.x_labels = spec.categories[order]
    for series in spec.series:
        chart.add(series.label, series.values[order])
    chart.add_xml_filter(_drop_script_and_comments)
    return chart.render(is_unicode=True)


def chart_image(spec: BarChartSpec) -> str:
    """The chart as an <img> holding the SVG as a data: URI: a page with a strict Content-Security-Policy (no
    inline styles) still shows pygal's styled chart, and an image never runs script."""
    svg = bar_chart_svg(spec)
    if not svg.lstrip().startswith("<?xml"):
        svg = '<?xml version="1.0" encoding="utf-8"?>' + svg
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{html.escape(spec.title)}">'
