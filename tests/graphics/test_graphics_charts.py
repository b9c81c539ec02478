"""Bar charts: structure, static output (no script, no outside references) and escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from pydantic import ValidationError

from app.graphics.charts import bar_chart_svg
from app.graphics.models import BarChartSpec, BarSeries

SVG = "{http://www.w3.org/2000/svg}"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
CATEGORIES = ["地方創業", "農林水產", "觀光振興", "地方人口移動", "街區營造", "工作方法改革"]


def _levels(**flags: bool) -> BarChartSpec:
    return BarChartSpec(
        title="各領域 KPI 層級",
        categories=CATEGORIES,
        series=[
            BarSeries(label="綜合成果", values=[3, 2, 4, 5, 2, 1]),
            BarSeries(label="計畫成果", values=[5, 6, 7, 3, 4, 2]),
            BarSeries(label="產出", values=[8, 4, 9, 2, 6, 3]),
        ],
        **flags,
    )


def _target_actual() -> BarChartSpec:
    return BarChartSpec(
        title="KPI 目標與實績",
        categories=["觀光來客數", "新創事業數", "移居人數"],
        series=[
            BarSeries(label="目標", values=[120, 15, 80]),
            BarSeries(label="實績", values=[98, 17, None]),
        ],
        value_suffix="人",
    )


def _parse(svg: str) -> ET.Element:
    assert not svg.lstrip().startswith("<?xml")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def _all_text(root: ET.Element) -> list[str]:
    return [(el.text or "").strip() for el in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    "flags",
    [{}, {"stacked": True}, {"horizontal": True}, {"stacked": True, "horizontal": True}],
    ids=["bar", "stacked", "horizontal", "horizontal-stacked"],
)
def test_every_category_and_series_label_is_drawn_as_text(flags: dict[str, bool]):
    texts = _all_text(_parse(bar_chart_svg(_levels(**flags))))
    for label in [*CATEGORIES, "綜合成果", "計畫成果", "產出", "各領域 KPI 層級"]:
        assert label in texts, label


def test_the_flags_choose_the_pygal_chart_kind():
    def classes(**flags: bool) -> str:
        return " ".join(el.get("class", "") for el in _parse(bar_chart_svg(_levels(**flags))).iter())

    assert "stackedbar-graph" not in classes()
    assert "stackedbar-graph" in classes(stacked=True)
    assert "horizontal" in classes(horizontal=True)
    assert "horizontal" not in classes()


def test_horizontal_chart_lists_the_first_category_on_top():
    root = _parse(bar_chart_svg(_levels(horizontal=True)))
    positions = {(el.text or "").strip(): float(el.get("y", "nan")) for el in root.iter(f"{SVG}text")}
    assert positions[CATEGORIES[0]] < positions[CATEGORIES[-1]]


def test_values_are_printed_with_the_suffix_and_missing_values_are_skipped():
    root = _parse(bar_chart_svg(_target_actual()))
    printed = [el.text for el in root.iter(f"{SVG}text") if "value" in el.get("class", "").split()]
    # Five values in all: the missing actual draws no bar and prints no value.
    assert sorted(printed) == sorted(["120人", "15人", "80人", "98人", "17人"])


def test_a_chart_without_values_shows_the_no_data_text():
    spec = BarChartSpec(
        title="空", categories=["a"], series=[BarSeries(label="實績", values=[None])], no_data_text="尚無資料"
    )
    assert "尚無資料" in _all_text(_parse(bar_chart_svg(spec)))


def test_the_chart_is_static_with_no_script_and_no_outside_reference():
    for spec in (_levels(), _levels(stacked=True, horizontal=True), _target_actual()):
        svg = bar_chart_svg(spec)
        root = _parse(svg)
        assert not any(el.tag.endswith("script") for el in root.iter())
        assert "<script" not in svg
        assert "<!--" not in svg
        assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= NAMESPACES


def test_the_chart_uses_the_cjk_fonts():
    assert "Noto Sans CJK TC" in bar_chart_svg(_levels())


def test_labels_are_escaped():
    hostile = '<script>alert("x")</script> & R&D'
    spec = BarChartSpec(title=hostile, categories=[hostile], series=[BarSeries(label=hostile, values=[1])])
    root = _parse(bar_chart_svg(spec))
    assert not any(el.tag.endswith("script") for el in root.iter())
    assert hostile in _all_text(root)


def test_every_series_needs_one_value_per_category():
    with pytest.raises(ValidationError):
        BarChartSpec(title="t", categories=["a", "b"], series=[BarSeries(label="s", values=[1])])


def test_a_chart_image_carries_the_chart_as_a_data_uri() -> None:
    import base64
    import re

    from app.graphics.charts import chart_image

    spec = BarChartSpec(title="<標題> & x", categories=["觀光"], series=[BarSeries(label="s", values=[3.0])])
    img = chart_image(spec)
    assert img.startswith('<img class="chart"') and 'alt="&lt;標題&gt; &amp; x"' in img
    data = re.search(r"base64,([^\"]+)", img)
    assert data is not None
    svg = base64.b64decode(data.group(1)).decode("utf-8")
    assert "觀光" in svg and "<script" not in svg
