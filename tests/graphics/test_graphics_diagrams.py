"""Logic-chain and PDCA diagrams: structure, escaping and text wrapping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pydantic import ValidationError

from app.graphics.diagrams import FONT_FAMILY, logic_chain_svg, pdca_svg, text_units, wrap
from app.graphics.models import ChainColumn, ChainItem, LogicChainSpec, PdcaSpec, PdcaStage

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    assert not svg.lstrip().startswith("<?xml"), "inline SVG must carry no XML declaration"
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def _by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def _texts(element: ET.Element) -> str:
    """All text drawn under an element, lines joined without separators (tspans split wrapped lines)."""
    return "".join(
        "".join(node.itertext()) for node in element.iter() if node.tag in (f"{SVG}text", f"{SVG}tspan")
    )


def _chain(outcome_missing: bool = False) -> LogicChainSpec:
    outcome = (
        ChainColumn(key="outcome", heading="計畫成果", missing="缺計畫成果指標")
        if outcome_missing
        else ChainColumn(
            key="outcome",
            heading="計畫成果",
            items=[ChainItem(text="活動入場者數"), ChainItem(text="活動觀光消費額")],
        )
    )
    return LogicChainSpec(
        title="觀光振興 邏輯鏈",
        columns=[
            ChainColumn(
                key="input", heading="投入", items=[ChainItem(text="交付金"), ChainItem(text="鎮公所人力")]
            ),
            ChainColumn(key="activity", heading="活動", items=[ChainItem(text="辦理老街導覽、行銷活動")]),
            ChainColumn(key="output", heading="產出", items=[ChainItem(text="行銷活動數 12 場")]),
            outcome,
            ChainColumn(
                key="overall", heading="綜合成果", items=[ChainItem(text="觀光來客數", flag="全區總量")]
            ),
        ],
    )


def _pdca(centre: str = "每年度檢討") -> PdcaSpec:
    return PdcaSpec(
        title="PDCA",
        centre=centre,
        stages=[
            PdcaStage(key="P", heading="計畫 Plan", text="訂定 KPI"),
            PdcaStage(key="D", heading="執行 Do", text="執行事業"),
            PdcaStage(key="C", heading="檢核 Check", text="檢核達成度"),
            PdcaStage(key="A", heading="改善 Act", text="修正計畫"),
        ],
    )


# --- wrap ----------------------------------------------------------------------------------------------


def test_text_units_count_cjk_double():
    assert text_units("KPI") == 3
    assert text_units("觀光") == 4
    assert text_units("12 場") == 5


def test_wrap_breaks_cjk_between_any_characters():
    assert wrap("一二三四五六七", 6) == ["一二三", "四五六", "七"]


def test_wrap_breaks_latin_only_at_spaces():
    assert wrap("tourism visitor count", 10) == ["tourism", "visitor", "count"]
    assert wrap("tourism visitor count", 15) == ["tourism visitor", "count"]


def test_wrap_cuts_a_word_longer_than_the_line():
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_wrap_mixes_cjk_and_latin_by_width():
    lines = wrap("行銷活動數 12 場", 10)
    assert lines == ["行銷活動數", "12 場"]
    assert all(text_units(line) <= 10 for line in lines)


def test_wrap_keeps_punctuation_off_the_start_of_a_line():
    # 「、」 would open the second line; the character before it moves down with it instead.
    assert wrap("一二三、四五", 6) == ["一二", "三、四", "五"]
    assert wrap("一二三、", 6) == ["一二", "三、"]


def test_wrap_keeps_explicit_line_breaks_and_drops_blank_text():
    assert wrap("第一行\n第二行", 20) == ["第一行", "第二行"]
    assert wrap("", 10) == []
    assert wrap("   ", 10) == []


# --- logic chain ---------------------------------------------------------------------------------------


def test_logic_chain_has_one_group_per_column_in_order_and_all_items():
    root = _parse(logic_chain_svg(_chain()))
    columns = _by_class(root, "chain-col")
    assert [col.get("class") for col in columns] == [
        "chain-col chain-input",
        "chain-col chain-activity",
        "chain-col chain-output",
        "chain-col chain-outcome",
        "chain-col chain-overall",
    ]
    assert [len(_by_class(col, "chain-item")) for col in columns] == [2, 1, 1, 2, 1]
    assert "鎮公所人力" in _texts(columns[0])
    assert "活動觀光消費額" in _texts(columns[3])
    assert "綜合成果" in _texts(columns[4])
    assert len(_by_class(root, "arrow")) == 4


def test_logic_chain_title_font_and_scaling():
    root = _parse(logic_chain_svg(_chain()))
    assert root.findtext(f"{SVG}title") == "觀光振興 邏輯鏈"
    assert root.get("font-family") == FONT_FAMILY
    assert root.get("width") == "100%"
    assert [float(n) for n in root.get("viewBox", "").split()[:3]] == [0, 0, 1000]


def test_logic_chain_draws_the_missing_note_in_a_dashed_box():
    root = _parse(logic_chain_svg(_chain(outcome_missing=True)))
    outcome = _by_class(root, "chain-outcome")[0]
    assert _by_class(outcome, "chain-item") == []
    missing = _by_class(outcome, "chain-missing")
    assert len(missing) == 1
    assert "缺計畫成果指標" in _texts(missing[0])
    assert missing[0].find(f"{SVG}rect").get("stroke-dasharray")
    # Columns without a gap have no note.
    assert _by_class(_by_class(root, "chain-input")[0], "chain-missing") == []


def test_logic_chain_shows_the_flag_under_the_flagged_item():
    root = _parse(logic_chain_svg(_chain()))
    flags = _by_class(root, "chain-flag")
    assert len(flags) == 1
    assert "全區總量" in _texts(flags[0])
    flagged_item = _by_class(_by_class(root, "chain-overall")[0], "chain-item")[0]
    assert flags[0] in list(flagged_item.iter())


def test_logic_chain_grows_with_content():
    def height(spec: LogicChainSpec) -> float:
        return float(_parse(logic_chain_svg(spec)).get("viewBox", "").split()[3])

    short = _chain()
    many_items = [ChainItem(text=f"活動 {n}") for n in range(8)]
    long = short.model_copy(
        update={
            "columns": [*short.columns[:1], ChainColumn(key="activity", heading="活動", items=many_items)]
        }
    )
    assert height(long) > height(short)


def test_logic_chain_wraps_long_items_into_several_lines():
    long_text = "辦理老街導覽、行銷活動與伴手禮開發，並且培訓在地導覽人員"
    spec = LogicChainSpec(
        title="t",
        columns=[ChainColumn(key="activity", heading="活動", items=[ChainItem(text=long_text)])] * 5,
    )
    item = _by_class(_parse(logic_chain_svg(spec)), "chain-item")[0]
    lines = [tspan.text for tspan in item.iter(f"{SVG}tspan")]
    assert len(lines) > 1
    assert "".join(line or "" for line in lines) == long_text


# --- PDCA ----------------------------------------------------------------------------------------------


def test_pdca_has_the_four_stages_with_their_texts_and_the_centre():
    root = _parse(pdca_svg(_pdca()))
    stages = _by_class(root, "pdca-stage")
    assert sorted(stage.get("class") for stage in stages) == [
        "pdca-stage pdca-A",
        "pdca-stage pdca-C",
        "pdca-stage pdca-D",
        "pdca-stage pdca-P",
    ]
    check = _by_class(root, "pdca-C")[0]
    assert "檢核 Check" in _texts(check)
    assert "檢核達成度" in _texts(check)
    assert _texts(_by_class(check, "pdca-letter")[0]) == "C"
    assert "每年度檢討" in _texts(_by_class(root, "pdca-centre")[0])
    assert len(_by_class(root, "arrow")) == 4
    assert root.findtext(f"{SVG}title") == "PDCA"


def test_pdca_places_the_stages_clockwise_from_the_top_left():
    root = _parse(pdca_svg(_pdca()))

    def corner(key: str) -> tuple[float, float]:
        rect = _by_class(root, f"pdca-{key}")[0].find(f"{SVG}rect")
        return float(rect.get("x", "nan")), float(rect.get("y", "nan"))

    (px, py), (dx, dy), (cx, cy), (ax, ay) = (corner(key) for key in "PDCA")
    assert px == ax < dx == cx
    assert py == dy < cy == ay


def test_pdca_order_of_the_stage_list_does_not_matter():
    spec = _pdca()
    shuffled = spec.model_copy(update={"stages": list(reversed(spec.stages))})
    assert pdca_svg(shuffled) == pdca_svg(spec)


def test_pdca_spec_rejects_anything_but_the_four_stages():
    stages = _pdca().stages
    with pytest.raises(ValidationError):
        PdcaSpec(title="t", stages=stages[:3])
    with pytest.raises(ValidationError):
        PdcaSpec(title="t", stages=[*stages[:3], stages[0]])


# --- escaping ------------------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & <b>R&D</b>'


def test_user_text_is_escaped_in_the_logic_chain():
    spec = LogicChainSpec(
        title=HOSTILE,
        columns=[
            ChainColumn(key="input", heading=HOSTILE, items=[ChainItem(text=HOSTILE, flag=HOSTILE)]),
            ChainColumn(key="outcome", heading="成果", missing=HOSTILE),
        ],
    )
    root = _parse(logic_chain_svg(spec))
    assert not any(el.tag.endswith("script") or el.tag.endswith("}b") for el in root.iter())
    assert root.findtext(f"{SVG}title") == HOSTILE
    assert "R&D" in _texts(_by_class(root, "chain-item")[0])


def test_user_text_is_escaped_in_the_pdca_cycle():
    spec = PdcaSpec(
        title=HOSTILE,
        centre=HOSTILE,
        stages=[PdcaStage(key=key, heading=HOSTILE, text=HOSTILE) for key in ("P", "D", "C", "A")],
    )
    root = _parse(pdca_svg(spec))
    assert not any(el.tag.endswith("script") for el in root.iter())
    assert "R&D" in _texts(_by_class(root, "pdca-P")[0])
