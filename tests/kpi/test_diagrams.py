"""The reviewed plan drawn: its KPIs at their level with gaps marked, and its findings by rule and severity."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest

from app.kpi.diagrams import drawings, findings_chart, plan_chain
from app.kpi.schemas import CritiqueRequest, CritiqueResponse


@pytest.fixture(scope="module")
def outputs_only(real_services) -> CritiqueResponse:
    return real_services.critique.critique(
        CritiqueRequest(title="老街導覽", kpis=["辦理老街導覽活動20場", "全鎮觀光人數成長10%"])
    )


def test_a_plan_without_outcome_shows_the_gap_and_outputs_feeding_nothing(
    outputs_only: CritiqueResponse,
) -> None:
    chain = plan_chain(outputs_only, "zh-TW")
    columns = {c.key: c for c in chain.columns}
    assert [c.key for c in chain.columns] == ["activity", "output", "outcome", "overall"]
    assert columns["outcome"].missing == "缺計畫成果指標" and not columns["outcome"].items
    assert columns["output"].items and columns["output"].items[0].flag == "未連到任何成果"
    overall = columns["overall"].items[0]
    assert overall.text.startswith("2. 全鎮觀光人數") and overall.flag == "直接性"


def test_findings_are_counted_by_rule_and_severity(outputs_only: CritiqueResponse) -> None:
    chart = findings_chart(outputs_only, "en")
    assert chart is not None
    total = sum(v or 0 for series in chart.series for v in series.values)
    found = sum(len(k.findings) for k in outputs_only.kpis) + len(outputs_only.plan_findings)
    assert total == found
    assert [s.label for s in chart.series] == ["🔴 Error", "🟠 Warning", "🔵 Note"]


def test_the_drawings_are_valid_svg(outputs_only: CritiqueResponse) -> None:
    """The chain is inline SVG; the chart an <img> of SVG (pygal styles it inline, which the page's CSP forbids)."""
    drawn = drawings(outputs_only, "zh-TW")
    ET.fromstring(str(drawn["chain"]))
    assert "缺計畫成果指標" in drawn["chain"]
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', drawn["findings"])
    assert uri is not None
    chart = base64.b64decode(uri.group(1)).decode("utf-8")
    ET.fromstring(chart)
    assert "<script" not in chart and "直接性" in chart
