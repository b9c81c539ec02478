"""Word lists the KPI rules match against, built from the guideline's KPI example table, the seed cases and
the research notes (shared/research/domain-findings.md §5–§6).

All matching happens on `normalise()`d text (NFKC, lower case, Japanese shinjitai folded to Traditional),
so each list is written once in Traditional Chinese, plus Japanese kana forms and English.
"""

from __future__ import annotations

import re

from app.knowledge.lexical import normalise


def terms(text: str) -> tuple[str, ...]:
    """A comma-separated word list (compact to read and edit), normalised like the text it is matched to."""
    # ";" inside a regular expression stands for "," (which separates the terms)
    return tuple(normalise(t.strip()).replace(";", ",") for t in text.split(",") if t.strip())


# Perceptions rather than objective counts (視点1: 客観的な成果).
SUBJECTIVE = terms(
    "滿意度, 滿足度, 滿足程度, 幸福感, 幸福度, 認同度, 認同感, 認知度, 知名度, 好感度, 意願, 意向, 感受, "
    "印象, 信賴度, 歸屬感, 榮譽感, 喜愛度, 期待度, 參與感, satisfaction, awareness, perception, "
    "happiness, wellbeing, well-being, sentiment, 満足度"
)


# Verbs of intent with no measure (提升/促進…); a KPI made only of these is not quantified.
VAGUE_VERBS = terms("提升, 促進, 加強, 強化, 活絡, 帶動, 打造, 擴大, 推動, 深化, 改善, 增進")


# "All of X" scope: a total over the whole area whatever is measured (全區稻米產值, island-wide visitors).
WHOLE_AREA = re.compile(
    r"全(市|鎮|鄉|縣|區|島|村|國|臺|台|町|域)|[a-z]+-wide\b|\b(whole|entire) (city|county|town|island|prefecture|region)"
)
# Activity units: a count in these is something the project does (場, 梯次, 支 …).
ACTIVITY_UNITS = terms(
    "場, 場次, 梯次, 次, 回, 支, 份, 部, 則, 篇, 堂, 班, 期, 團, sessions, events, workshops, times"
)
NEGATIONS = re.compile(r"(沒有|無|未有|並無|\bno|\bnot|\bwithout|\bzero)\s*\S{0,2}$")
# A firm hired to deliver (外包給廣告公司) is a contractor, not a partner in 官民協働.
CONTRACTED = re.compile(r"(外包|委外|發包|招標|承攬|outsourc\w*|contract\w*)\S{0,6}$")
# "結合農業與觀光", "links recovery with tourism": the plan says it joins policy fields.
POLICY_LINK = re.compile(
    r"結合[^，。；,.;]{1,15}(與|和|及|、)|\b(links?|linking|combin\w*)\b[^.;]{1,60}\b(with|and)\b"
    r"|結び(つけ|付け)|組み合わせ"
)

# Whole-area scope (視点2: 直接性): the project cannot be shown to move these totals.
AREA_SCOPE = terms(
    "全市, 全鎮, 全鄉, 全縣, 全區, 全島, 全村, 全國, 全臺, 全台, 全域, 全町, 轄內, 縣內, 市內, 鄉內, "
    "鎮內, (?<!社)區內, 町內, 村內, 本縣, 本市, 本鄉, 本鎮, 全體, 整體, 地區整體, 市町村全體, 縣全體, 市全體, "
    "町全體, 村全體, 縣全体, 市全体, 町全体, 村全体, citywide, city-wide, county-wide, countywide, "
    "prefecture-wide, region-wide, whole city, whole county, whole town, whole prefecture, entire city, "
    "entire county, entire town, total population, in the city, in the county, in the prefecture, 縣市, 鄉鎮市, 各縣"
)


AREA_MEASURES = terms(
    "人口, 觀光人數, 觀光人次, 觀光客, 遊客, 旅客, 來客數, 入込客, 入込, 住宿人數, 住宿人次, 宿泊者, "
    "就業率, 失業率, 就業人數, 出生數, 出生率, 移居者數, 移居人數, 移住者, 定居, population, visitors, "
    "tourists, employment, unemployment, overnight, births, residents, tourist arrivals, arrivals"
)


# Aggregates that are whole-area even without a scope word (the example table's 綜合outcome column).
BARE_OVERALL = terms("定居人口, 人口數, 總人口, 居住人口, 就業率, 出生率, 高齡化率, 人口社會增")


# Words that tie a number to the project's own beneficiaries, events or facilities.
PROJECT_QUALIFIERS = terms(
    "本計畫, 本計劃, 本案, 本活動, 本設施, 本事業, 本中心, 本站, 本基地, 受輔導, 輔導後, 經諮詢, 諮詢後, "
    "實習後, 參與計畫, 參與本, 經由本, 透過本, 進駐, 媒合, 本專案, 專案, 受補助, 補助區域, 補助地區, "
    "支援對象, 合作店家, 合作農戶, 契作, 本品牌, 本商圈, 相談後, 支援後, this project, the project, "
    "programme, program, participating, supported, assisted, after consultation, 學員, 結訓, 受訓, "
    "參與者, trainees, graduates"
)


# Activity volumes (計畫output): things the project does, not what they change.
ACTIVITY = terms(
    "場次, 場數, 辦理, 舉辦, 開辦, 召開, 說明會, 研習, 講座, 工作坊, 課程, 訓練班, 研討會, 座談, "
    "諮詢件數, 諮詢人數, 諮詢服務, 諮詢次數, 相談件數, 相談件数, 參加人數, 參與人數, 參加者數, 出席, "
    "報名, 印製, 發放, 宣傳, 文宣, 手冊, 檢討會, 會議, 次數, 活動數, 活動數量, 開發數, 開發件數, "
    "商品開發, 完成, 建置, 設置, 設立, 成立, 組織數, 處數, 導入數, 拜訪, 訪視, 媒體露出, 曝光, 貼文, "
    "粉絲, 按讚, 瀏覽, 開催, 回數, 参加者数, セミナー, workshops, workshop, seminars, events held, "
    "sessions, brochures, meetings, consultations, enquiries, inquiries, attendees, participants, "
    "trainings held, courses, 配布, 發行, 作成數, 部數, 掲載, 媒合場次, 品項數, 商品數, 上架, 導入家數, "
    "開設數, 開設, 開通, 核定件數, 核定, 合作業者家數, 合作旅宿業者家數, 合作店家數, 路線數, renovation, "
    "renovate, complete, train, set up, launch, 受理件數, 申請件數, 梯次, 參訪團, 團數, 結訓人數, "
    "志工人次, 志工參加, 志工人數, 製作, 影片, volunteers, volunteer, sessions held, hold, 修了生, 修了, "
    "結業人數, "
    "會員數, 電子報, メルマガ, 觀看次數, 觀看, 點閱, 瀏覽次數, 追蹤數, フォロワー, views, subscribers, followers"
)


# Results (計畫outcome): effects on the beneficiaries. Checked before ACTIVITY where both match
# (專案行銷活動入場者數 is an outcome although it contains 活動).
OUTCOME = terms(
    "銷售額, 營業額, 營收, 收入, 消費額, 所得, 產值, 交易額, 訂單, 出貨, 出口量, 輸出量, 產量, 收穫量, "
    "僱用, 雇用, 就業者, 新就業, 創業數, 創業者, 開業, 新創, 移居人數, 移居者, 定居人數, 設籍, 返鄉, "
    "留鄉, 就職者, 空店, 空屋活用, 空屋, 空き, 入場, 來店, 來館, 利用者, 使用者, 住宿人數, 住宿人次, "
    "宿泊者, 回流, 減少率, 放棄地, 採用件數, 成交, 簽約, 售出, 販售量, 販賣額, 売上, 販売額, 雇用者, "
    "移住者, 就農, sales, revenue, income, jobs, hires, employed, settled, moved in, relocated, "
    "admissions, spend, spending, orders, exports, vacant"
)


# Measures whose good direction is down.
LOWER_IS_BETTER = terms(
    "空店, 空屋, 空き, 閒置, 放棄地, 廢耕, 休耕, 荒廢, 野燒放棄, 失業, 離職, 流失, 外流, 虧損, 成本, "
    "赤字, 事故, 等待, 碳排, 排放, 垃圾, 廢棄, 死亡, vacan, unemploy, cost, waste, emission, abandon, "
    "loss, leav"
)


# Money, or results related to money (費用対効果).
MONEY = terms(
    "銷售額, 營業額, 營收, 收入, 消費額, 所得, 產值, 交易額, 金額, 萬元, 億元, 元, 日圓, 円, 投資額, "
    "募資, 自償, 報酬, 稅收, 売上, 販売額, sales, revenue, income, spend, yen, nt$, twd, dollar"
)


COST_PER_RESULT = terms(
    "每人成本, 單位成本, 每件成本, 成本效益, 投資報酬, 每一元, 每萬元, 費用對效果, 費用対効果, cost per, "
    "per dollar, return on"
)


# Hedges that make a KPI hard to verify.
HEDGES = terms(
    "力求, 盡量, 儘量, 約, 左右, 上下, 視情況, 研議, 逐步, 持續推動, 以上為佳, 爭取, around, "
    "approximately, roughly, about, at least try, hopefully, aim to"
)


# Means presented as the goal (完成設施 X 處): a facility is an input to results, not a result.
MEANS_AS_GOAL = re.compile(
    r"(完成|建置|設置|興建|新建|整修|建立|成立|設立)[^，。；]{0,12}(處|座|棟|間|個|所|站|案)"
)

# Policy fields: 政策間連携 needs at least two of them in one plan.
POLICY_FIELDS: dict[str, tuple[str, ...]] = {
    "welfare": terms(
        "福祉, 社福, 長照, 照護, 身障, 障礙, 高齡, 長者, 共餐, 送餐, welfare, elderly, disabled, 障害, 高齢者"
    ),
    "education": terms("教育, 學校, 學生, 大學, 高中, education, school, university, students"),
    "tourism": terms("觀光, 旅遊, 遊程, 導覽, 遊客, tourism, tourist, tours, 観光"),
    "agriculture": terms(
        "農業, 農產, 農漁, 漁業, 漁產, 林業, 畜牧, 農作, agriculture, farming, fishery, 農林"
    ),
    "transport": terms("交通, 運輸, 接駁, 共乘, 公車, 客運, transport, bus service"),
    "health": terms("醫療, 健康, 醫院, health, medical, clinic"),
    "culture": terms("文化, 藝術, 藝文, 工藝, 祭典, 傳統, 展演, culture, cultural, craft, arts"),
    "industry": terms(
        "商業, 企業, 產業界, 與產業, 製造, 工業, 商店街, 商圈, 老街, 空店, 店家, industry, "
        "manufacturing, commerce"
    ),
    "employment": terms("就業, 雇用, 僱用, 職訓, 實習, 創業, employment, jobs"),
    "housing": terms("住宅, 空屋, 居住, 移居, housing, relocation, 移住"),
    "environment": terms("環境, 生態, 能源, 減碳, 草原, 濕地, environment, ecology, energy, 草原再生"),
    "digital": terms("數位, 資通訊, 網路, ict, digital, internet"),
    "childcare": terms("育兒, 托育, 親子, childcare, 子育て"),
}

# Signs of each driving factor in a plan's description (先駆性要素).
FACTOR_SIGNALS: dict[str, tuple[str, ...]] = {
    "self_reliance": terms(
        "營收, 收入, 自籌, 自償, 民間投資, 自負盈虧, 獲利, 盈餘, 營利, 收費, 付費, 售票, 銷售, 販售, "
        "商業模式, 募資, 不依賴補助, 自主財源, 會員費, 租金收入, 回饋金, 自立, revenue, self-funded, "
        "own funds, profit, business model, fees, sales, 收益, 売上, 事業収入"
    ),
    "public_private": terms(
        "公司, 企業, 民間, 銀行, 信用合作社, 農會, 漁會, 投資, 商號, 合作社, 協會, 基金會, ngo, npo, "
        "社會企業, 法人, 商會, 工會, 信金, 信用金庫, 金融機關, company, companies, firm, private, bank, "
        "investor, business, association, foundation, 株式会社, 民間企業, 事業者"
    ),
    "cross_region": terms(
        "鄰近, 鄰鄉, 跨鄉, 跨縣, 跨區, 跨域, 聯合, 共同提案, 兩鄉, 兩鎮, 三鄉, 流域, 廊道, 生活圈, "
        "區域聯盟, neighbouring, neighboring, partner town, partner municipality, joint, cross-border, "
        "広域, 連携自治体, 近隣, 隣接, 隣町, 近隣町村, "
        "(與|和|及)[\u4e00-\u9fff]{2;5}(鄉|鎮|市|縣)(公所|政府)?(共同|合作|聯合|攜手|一起|共組)"
    ),
    "lead_body": terms(
        "協議會, 公社, 合作社, 協會, 基金會, 推進會議, 推動會議, 推動委員會, 中心, 工作站, 聯盟, 商社, "
        "dmo, council, association, foundation, lead organisation, lead organization, 推進協議会, "
        "まちづくり会社, 主導, 負責推動, 推動主體, 營運主體, led by, leads, 主導する, が主導, 委託, "
        "委由, 經營主體, 服務社, cooperative, runs the, operated by"
    ),
    "talent": terms(
        "培育, 培訓, 人才, 育成, 研習, 訓練, 留鄉, 傳承, 師徒, 學徒, 雇用在地, 在地雇用, 僱用在地, 招募, "
        "實習, 創業者, 青年團隊, 培力, training, talent, apprentice, mentor, recruit, young people, "
        "人材, 人材育成, 担い手, trains, train, guides, 育成する, 雇用, 養成, 培養, 育成班"
    ),
}


def contains_any(
    text: str, terms: tuple[str, ...], *, negatable: bool = False, unless_after: re.Pattern[str] | None = None
) -> str | None:
    """The first term found in normalised text, or None; terms may be regular expressions.
    With `negatable`, an occurrence right after a negation (無營收, no revenue) does not count; nor does one
    whose preceding text matches `unless_after`."""

    def counts(start: int) -> bool:
        before = text[:start]
        return not (negatable and NEGATIONS.search(before)) and not (
            unless_after and unless_after.search(before)
        )

    for term in terms:
        if any(ch in term for ch in ".{[(|"):
            found = re.search(term, text)
            if found and counts(found.start()):
                return term
            continue
        start = text.find(term)
        while start >= 0:
            if counts(start):
                return term
            start = text.find(term, start + 1)
    return None


def rightmost(text: str, words: tuple[str, ...]) -> tuple[int, str] | None:
    """(end position, term) of the occurrence that ends last. Chinese and Japanese noun phrases are
    head-final, so the last measure word names what is counted: 空店媒合說明會場次 counts sessions."""
    best: tuple[int, str] | None = None
    for term in words:
        at = text.rfind(term)
        if at >= 0 and (best is None or at + len(term) > best[0]):
            best = (at + len(term), term)
    return best


def norm(text: str) -> str:
    return normalise(text)
