import numpy as np
import pytest

from app.knowledge.lexical import BM25Index, normalise, tokenize


def test_cjk_text_becomes_bigrams_and_latin_words() -> None:
    assert tokenize("地方創生 KPI") == ["地方", "方創", "創生", "kpi"]


@pytest.mark.parametrize(
    ("japanese", "taiwanese"),
    [
        ("観光振興", "觀光振興"),
        ("県", "縣"),
        ("産業", "產業"),
        ("ふるさと納税", "ふるさと納稅"),
        ("空き店舗", "空き店鋪"),
        ("郷土", "鄉土"),
        ("国内の調査", "國內の調查"),
        ("伝統工芸", "傳統工藝"),
        ("自治体の検証", "自治體の檢證"),
        ("1万人", "1萬人"),
    ],
)
def test_japanese_forms_give_the_same_tokens_as_taiwan_forms(japanese: str, taiwanese: str) -> None:
    assert tokenize(japanese) == tokenize(taiwanese)
    # jieba may cut the two differently (its dictionary is Chinese); the bigrams beside its words still agree
    ja, tw = ([t for t in tokenize(text, "both") if not t.startswith("w:")] for text in (japanese, taiwanese))
    assert ja == tw


def test_a_japanese_query_finds_the_taiwanese_document() -> None:
    docs = [tokenize(t) for t in ("縣產業觀光振興計畫", "長良川觀光列車", "商店街空店鋪活化")]
    index = BM25Index(docs)
    assert index.top(tokenize("県の産業と観光振興"), 3)[0][0] == 0
    assert index.top(tokenize("空き店舗"), 3)[0][0] == 2


def test_normalise_folds_japanese_only_forms_to_taiwan_forms() -> None:
    assert normalise("観光振興と県の産業") == "觀光振興と縣の產業"
    # jp2t alone writes 郷 as 鄕 and leaves 内, 税 as they are; Taiwan writes 鄉, 內, 稅
    assert normalise("郷土の市内ふるさと納税") == "鄉土の市內ふるさと納稅"


def test_normalise_leaves_taiwan_text_as_written() -> None:
    """KPI rules match and quote normalise()d text, so zh-TW must come out as the user wrote it: plain jp2t
    would turn 為 鎮 研 真 並 into 爲 鎭 硏 眞 竝 (and 全鎮 would no longer match 全(市|鎮|…))."""
    text = "全鎮人口為主題、研究真的並不容易。台灣的里山與產業、稅收、店鋪"
    assert normalise(text) == text
    big5 = "".join(chr(cp) for cp in range(0x4E00, 0xA000)).encode("big5", "ignore").decode("big5")
    assert len(big5) > 13000
    assert normalise(big5) == big5


def test_latin_words_and_numbers_are_unchanged_apart_from_case() -> None:
    assert normalise("DMO and KPI 2027, v1.5") == "dmo and kpi 2027, v1.5"
    assert tokenize("DMO and KPI 2027, v1.5") == ["dmo", "kpi", "2027", "v1.5"]


def test_full_width_and_case_are_normalised() -> None:
    assert tokenize("ＫＰＩ２０２７") == ["kpi2027"]


def test_english_stopwords_are_dropped() -> None:
    assert tokenize("the tourism of the town") == ["tourism", "town"]


def test_jieba_and_both_modes() -> None:
    words = tokenize("移居諮詢人數", "jieba")
    assert "移居" in words
    both = tokenize("移居諮詢人數", "both")
    assert "移居" in both and "w:移居" in both


def test_bm25_ranks_the_matching_document_first_and_respects_the_mask() -> None:
    docs = [tokenize(t) for t in ("益子燒陶器海外銷售", "長良川觀光列車", "移居諮詢後實際移居人數")]
    index = BM25Index(docs)
    assert index.top(tokenize("移居人數"), 3)[0][0] == 2

    mask = np.array([True, True, False])
    assert all(i != 2 for i, _ in index.top(tokenize("移居人數"), 3, mask))
    assert index.top(tokenize("完全無關"), 3) == []
