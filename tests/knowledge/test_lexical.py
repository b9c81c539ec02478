from app.knowledge.lexical import BM25Index, tokenize


def test_cjk_text_becomes_bigrams_and_latin_words() -> None:
    assert tokenize("地方創生 KPI") == ["地方", "方創", "創生", "kpi"]


def test_traditional_stays_traditional_and_shinjitai_folds_to_it() -> None:
    assert "觀光" in tokenize("觀光振興")
    assert "觀光" in tokenize("観光振興")  # Japanese form matches zh-TW text
    assert "縣の" in tokenize("県の")


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
    import numpy as np

    mask = np.array([True, True, False])
    assert all(i != 2 for i, _ in index.top(tokenize("移居人數"), 3, mask))
    assert index.top(tokenize("完全無關"), 3) == []
