from hypothesis import given, settings
from hypothesis import strategies as st

from app.knowledge.chunking import chunk_document, split_sentences
from app.knowledge.documents import Document


def make_doc(body: str, title: str = "測試文件") -> Document:
    return Document(id="t", kind="upload", title=title, body=body)


def test_splits_at_cjk_sentence_ends_and_keeps_table_rows() -> None:
    text = "第一句。第二句！第三句？「引號句。」最後沒有句號\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert split_sentences(text) == [
        "第一句。",
        "第二句！",
        "第三句？",
        "「引號句。」",
        "最後沒有句號",
        "| a | b |",
        "| 1 | 2 |",
    ]


def test_chunks_carry_title_heading_and_metadata() -> None:
    doc = Document(
        id="case-a",
        kind="case",
        title="案例A",
        country="JP",
        place="某町",
        category="農林水產",
        factors=["talent", "cross_region"],
        sources=[{"title": "s"}],
        body="## 概要\n這是概要。\n\n## KPI 與層級\n| KPI | 層級 |\n|---|---|\n| 銷售額 | 計畫成果 |",
    )
    chunks = chunk_document(doc)
    assert [c.heading for c in chunks] == ["概要", "KPI 與層級"]
    assert chunks[0].chunk_id == "case-a#0"
    assert chunks[1].metadata["factors"] == "talent,cross_region"
    assert chunks[1].metadata["category"] == "農林水產"
    assert chunks[1].indexed_text.startswith("案例A｜KPI 與層級\n")
    assert "| 銷售額 | 計畫成果 |" in chunks[1].text


def test_nested_headings_form_a_path() -> None:
    chunks = chunk_document(make_doc("# 甲\n## 乙\n內容。"))
    assert chunks[0].heading == "甲 › 乙"


sentence = (
    st.text(
        alphabet=st.sampled_from(list("地方創生計畫指標成果產出移居觀光銷售額人次年度abc 123")),
        min_size=1,
        max_size=60,
    )
    .map(lambda s: s.strip() + "。")
    .filter(lambda s: len(s) > 1)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(sentence, min_size=1, max_size=8), min_size=1, max_size=6), st.integers(80, 400))
def test_chunks_never_cut_sentences_stay_in_bounds_and_lose_nothing(paragraphs, max_chars) -> None:
    body = "\n\n".join("".join(p) for p in paragraphs)
    chunks = chunk_document(make_doc(body), max_chars=max_chars)
    sentences = [s for p in paragraphs for s in p]
    joined = "".join(c.text.replace("\n", "") for c in chunks)
    assert joined.replace(" ", "") == "".join(sentences).replace(" ", "")  # nothing lost, order kept
    for chunk in chunks:
        assert len(chunk.text.replace("\n", "")) <= max_chars or all(
            len(s) > max_chars for s in split_sentences(chunk.text)
        )
        # every chunk ends at a sentence end (no sentence is cut unless it alone exceeds the limit)
        assert chunk.text.endswith("。") or len(chunk.text) >= max_chars - 60


def test_overlong_sentence_is_split_at_clauses_within_the_limit() -> None:
    long_sentence = "，".join(["地方創生計畫需要客觀指標"] * 40) + "。"
    chunks = chunk_document(make_doc(long_sentence), max_chars=100)
    assert len(chunks) > 1
    assert all(len(c.text) <= 100 for c in chunks)
    assert "".join(c.text for c in chunks) == long_sentence
