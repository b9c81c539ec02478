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
    "印象, 信賴度, 歸屬感, 榮譽感, 喜愛度, 期待度, 參與感, 支持度, 好評率, 好評, 評分, 評價分數, 星等, 推薦度, "
    "淨推薦值, nps, 口碑, 想再來, 願意再來, 願意推薦, 會推薦, 住み続けたい, 住みたい, 行きたい, 満足, 評価, "
    "と答えた, と回答, 來たい, feel that, who feel, 意識, 愛着, 意欲, satisfaction, awareness, "
    "perception, happiness, wellbeing, well-being, sentiment, "
    "would come back, would return, would recommend, say they, net promoter, (\\brating), (\\breviews), "
    "who support, support the, supportive, sense of pride, pride in, attachment to, "
    "満足度"
)
# Perception words inside an objective count: 「表達移居意願之諮詢者中，實際遷入設籍…之人數」 counts people who
# moved, the intention only picks whom to count.
OBJECTIVE_COUNT = re.compile(
    r"(實際|實績|已|確實)[^，,；;]{0,16}(人數|戶數|件數|家數|金額|人次)|中[，,]?\s*實際|問卷回收"
    # 「表達移居意願並完成戶籍遷入登記者」: the intention picks whom to count, the registration is counted
    r"|意願[^，,；;]{0,4}(並|且|而|後)[^，,；;]{0,4}(完成|實際|遷入|設籍|登記)"
)


# Verbs of intent with no measure (提升/促進…); a KPI made only of these is not quantified.
VAGUE_VERBS = terms("提升, 促進, 加強, 強化, 活絡, 帶動, 打造, 擴大, 推動, 深化, 改善, 增進")


# "All of X" scope: a total over the whole area whatever is measured (全區稻米產值, island-wide visitors).
WHOLE_AREA = re.compile(
    r"全(市|鎮|鄉|縣|區|島|村|國|臺|台|町|域)|[a-z]+-wide\b|\b(whole|entire) (city|county|town|island|prefecture|region)"
    # A named township's or city's own total: 「鹿野鄉設籍人口」, 「郡上市観光入込客数」, "visitors to Fengbin Township"
    r"|(?:^|[^\u4e00-\u9fff])[\u4e00-\u9fff]{1,3}(?:鄉|鎮|市|區|縣|町|村|地區|島)\s*(?:の|之|的)?\s*(?:\d+\s*[–~-]\s*\d+\s*歲|\d+\s*歲以[上下]|每年|年間|年度|全年)?\s*"
    r"(?:設籍人口|總人口|人口|就業人口|旅遊人數|農業總產值|農業產值|總產值|觀光遊憩據點人次|遊憩據點人次|入境旅客數|旅客數|遊客人次|遊客數|觀光人次|觀光客數"
    r"|観光入込客数|入込客数|転入者数|転出者数|人口社會增|觀光入込客數|入込客數|轉入者數|轉出者數"
    # the area's tax-register and labour-survey totals: 「嘉義市營利事業銷售額」, 「壽豐鄉65歲以上勞動參與率」
    r"|營利事業銷售額|營利事業家數|勞動參與率|勞動力參與率|就業率|失業率)"
    r"|(?:^|[^\u4e00-\u9fff\u3040-\u30ff])(?:市|町|村)の(?:人口|転入者数|観光入込客数|轉入者數|觀光入込客數)"
    r"|^(?:本|全)?(?:鄉|鎮|市|縣|町|村)(?:內)?(?:設籍)?人口"  # 「鄉人口由3,500人增至3,650人」
    r"|\b(?:town|city|village|county|township|prefecture|island)(?:'s)? population\b"
    r"|\b(?:visitors|tourists|population|residents|overnight stays|arrivals) (?:to|of|in) [a-z]+ "
    r"(?:township|town|city|county|village|prefecture)\b"
    # "Hsinchu County annual visitors", "Onomichi City's population"
    r"|\b[a-z]+ (?:county|city|township|town|prefecture)(?:'s)? (?:annual |yearly |total |registered )?"
    r"(?:visitors|tourists|population|residents|arrivals|overnight stays)\b"
    r"|\bthe (?:county|city|town|township|prefecture|village|island)'s (?:[a-z-]+ ){0,3}?"
    r"(?:population|visitors|tourists|residents|arrivals|landings|employment|births|households)\b"
    # 「町全体の耕作放棄地面積」, 「市全体の空き家率」, 「轄區內合法民宿家數」: the scope alone makes it an area total
    r"|(?:市|町|村|縣|鄉|鎮)全(?:體|体)の?|轄區內|轄區"
)
# A KPI labelled as the plan's overall goal (【總目標】, 全体目標, "Overall goal"): level overall by the plan's word.
OVERALL_LABEL = re.compile(
    r"總目標|总目标|總體目標|整體目標|全体目標|全體目標|総合目標|總合目標|overall goal|overall target", re.I
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
    # 「結合衛生局長照巷弄站服務」, 「與教育政策連結」, 「教育政策と連動」: another department's policy joined in
    r"|結合[^，。；,.;]{0,8}(局|處|署|部|課|委員會)|政策(連結|結合|連動)|政策と連動|と連動"
    # 「男女共同参画推進課と連携」, 「子育て支援・男女共同参画部門と連携」, "tied to the village forestry policy"
    r"|(課|部門|部局|教育委員會)と連携|施策と(連携|連動)|(與|和)[^，。；]{0,8}(局|處|署)(合作|協力|合辦|共同)"
    r"|\b(?:tied|linked|connected) (?:in )?(?:to|with) [^.;]{0,40}\bpolic(?:y|ies)\b"
)

# Whole-area scope (視点2: 直接性): the project cannot be shown to move these totals.
AREA_SCOPE = terms(
    "全市, 全鎮, 全鄉, 全縣, 全區, 全島, 全村, 全國, 全臺, 全台, 全域, 全町, 圈域, 轄內, 縣內, 市內, 鄉內, "
    "鎮內, (?<!社)區內, 町內, 村內, 本縣, 本市, 本鄉, 本鎮, 全體, 整體, 地區整體, 市町村全體, 縣全體, 市全體, "
    "町全體, 村全體, 縣全体, 市全体, 町全体, 村全体, citywide, city-wide, county-wide, countywide, "
    "prefecture-wide, region-wide, whole city, whole county, whole town, whole prefecture, entire city, "
    "entire county, entire town, total population, in the city, in the county, in the prefecture, 縣市, 鄉鎮市, 各縣"
)


AREA_MEASURES = terms(
    "人口, 觀光人數, 觀光人次, 觀光客, 遊客, 旅客, 來客數, 入込客, 入込, 住宿人數, 住宿人次, 宿泊者, "
    "就業率, 失業率, 就業人數, 出生數, 出生率, 移居者數, 移居人數, 移住者, 定居, 遊憩據點人次, 據點人次, population, visitors, "
    "tourists, employment, unemployment, overnight, births, residents, tourist arrivals, arrivals"
)


# Aggregates that are whole-area even without a scope word (the example table's 綜合outcome column).
BARE_OVERALL = terms(
    "定居人口, ((?<!關係)(?<!交流)人口數), 總人口, 居住人口, 就業率, 出生率, 高齡化率, 人口社會增, (^入込客數)"
)


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
    "trainings held, open-day, open days, courses, 配布, 發行, 作成數, 部數, 掲載, 媒合場次, 品項數, 商品數, 上架, 導入家數, "
    "開設數, 開設, 開通, 核定件數, 核定, 合約戶數, 契約戶數, 合作戶數, "
    "合作業者家數, 合作旅宿業者家數, 合作店家數, 路線數, renovation, "
    "renovate, complete, train, set up, launch, 受理件數, 申請件數, 梯次, 參訪團, 團數, 結訓人數, "
    "志工人次, 志工參加, 志工人數, 補助[^;。]{0;8}案件數, 服務人次, "
    "觸及人次, 觸及, 招募, 核發件數, 補助件數, 採択數, 採択件數, "
    "派遣件數, 策定件數, 協力團體數, ワークショップ, 參加者, 製作, 影片, volunteers, "
    "volunteer, sessions held, (\\bhold\\b), 修了生, 修了, "
    "結業人數, 參與人次, 參加人次, 預約人次, 媒合件數, 媒合件数, 輔導人次, 諮詢輔導, 曝光次數, 培訓, 啟用, "
    "執行率, 完成率, 實施率, 実施率, 撥付率, attending, hours recorded, disbursement, "
    "獎勵補助人數, 補助在地, 媒合[^;。人]{0;16}(家|組|件), 合作[^;。]{0;8}(家數|家|戶數), 合約[^;。]{0;6}戶數, 開發, "
    "導入[^;。]{0;10}戶數, 協力團体數, 連携自治体數, 造成數, 整備, 構築, 申込, 相談, マッチング, 修復, 改修, 見習, 培育, "
    "涵蓋, 契作面積, 栽培面積, 轉作, 取景, 參賽, 講習, 商談件數, 商談件数, 商談會, 商談会, "
    "(講習|研習|課程|講座|説明会|研修)[^;。]{0;8}(參與|參加|参加)[^;。]{0;6}(人次|人數|名|人数), "
    "developed, upgraded, installed, joining, impressions, "
    "養成者数, 養成者數, 養成人數, 育成者数, 受講者数, 受講者數, リノベーション, 補助[^;。]{0;8}[0-9]+\\s*案, "
    "recruited, demo days, pitch events, applications, "
    "會員數, 電子報, メルマガ, 觀看次數, 觀看, 點閱, 瀏覽次數, 追蹤數, フォロワー, views, subscribers, followers"
)


# Results (計畫outcome): effects on the beneficiaries. Checked before ACTIVITY where both match
# (專案行銷活動入場者數 is an outcome although it contains 活動).
OUTCOME = terms(
    "銷售額, 營業額, 營收, 收入, 消費額, 所得, 產值, 交易額, 訂單, 出貨, 出口量, 輸出量, 產量, 收穫量, "
    "僱用, 雇用, 就業者, 新就業, 創業數, 創業者, 開業, 新創, 新設立, 移居人數, 移居者, 定居人數, 設籍, 返鄉, "
    "留鄉, 就職者, 空店, 空屋活用, 空屋, 空き, 入場, 來店, 來館, 利用者, 使用者, 住宿人數, 住宿人次, "
    "宿泊者, 回流, 減少率, 放棄地, 採用件數, 成交, 簽約, 售出, 販售量, 販賣額, 売上, 販売額, 雇用者, "
    "移住者, 移住した, 転入した, 転入届を提出, 転入者, 轉入者, 遷入, 就農, 執業, 自償率, 營業登記, 註冊營業, "
    "付費會員數, 付費會員, "
    "付費[^;。]{0;8}(人次|人數), 月租會員, 營運中, 設立登記, 設立公司, "
    " "
    "付費參加人次, 付費參加人數, 付費人次, 付費人數, 購票人次, 售票人次, "
    "room-nights, booked, stays, paying, fees, start-ups, startups, new businesses, businesses opened, "
    "sales, revenue, income, jobs, hires, employed, settled, moved in, relocated, "
    "admissions, spend, spending, orders, exports, vacant"
)


# Measures whose good direction is down.
LOWER_IS_BETTER = terms(
    "空店, 空屋, 空き, 空置, 閒置, 放棄地, 廢耕, 休耕, 荒廢, 野燒放棄, 失業, 離職, 流失, 外流, 虧損, 成本, "
    "赤字, (每[位人戶名]|平均)[^;。]{0;12}經費, 事故, 等待, 碳排, 排放, 垃圾, 廢棄, "
    "死亡, vacan, unemploy, cost, waste, emission, abandon, "
    "loss, leav"
)


# A share of costs covered (自償率, "running costs covered by own revenue") rises, although it names a cost.
COSTS_COVERED = re.compile(r"自償|covered by|coverage|self-financ|cover(?:s|ing) [^.;]{0,20}costs?", re.I)


# Money, or results related to money (費用対効果).
MONEY = terms(
    # 元 as a currency, not inside 地元, 単元, 多元, 次元 or 紀元
    "銷售額, 營業額, 營收, 收入, 消費額, 所得, 產值, 交易額, 金額, 萬元, 億元, (?<![地単單多次紀復一根])元, 日圓, 円, 投資額, "
    "募資, 自償, 報酬, 稅收, 売上, 販売額, sales, revenue, income, spend, yen, nt$, twd, dollar"
)


COST_PER_RESULT = terms(
    "operating costs, running costs, cost coverage, 營運成本, 運営費, 每人成本, "
    "單位成本, 每件成本, 成本效益, 投資報酬, 每一元, 每萬元, 費用對效果, 費用対効果, cost per, "
    "per dollar, return on"
)


# A bracketed aside (「（113年約80萬元）」, "(2023: 420)"): a past value, a span or a note beside the target.
BRACKETED = re.compile(r"[（(][^（()）]*[）)]")


# Hedges that make a KPI hard to verify.
# Hedges that make a target unverifiable; 約 only before an amount (not 合約, 契約, 約聘, 預約), 左右 only after
# one (not 左右兩側). Matched against normalised (half-width, lower-case) text.
HEDGES = re.compile(
    r"力求|盡量|儘量|(?<![合契預簽制條節公])約(?![聘定束談])(?=\s*[\d一二三四五六七八九十百千萬万两兩])|大約"
    r"|(?<=[\d%\u4e00-\u9fff])\s*左右(?!兩側|两侧|兩邊|两边|側|边|邊)(?<!上下左右)|視情況|研議|逐步|持續推動|以上為佳|爭取"
    r"|預計(?!於|在)|預估|可望|期盼|期望|力拚|目指す|見込み|程度(?=[,.)]|$)"
    r"|\b(?:around|approximately|roughly|about|hopefully|aim to|strive|at least try)\b"
)


# Another township named as a partner: 「並與觀音區公所共同推廣」, 「與延平鄉茶農共同建立產銷班」, 「串聯水里鄉
# 車埕共同推出套票」, 「另與嘉義縣中埔鄉咖啡農共組產銷聯盟」. `place` is the town's stem (觀音, 延平 …): the plan's own
# town (「南庄鄉公所與南庄鄉農會共同推動」) is no partner, so the rule compares it with the plan's title.
JOINT_PLACE = re.compile(
    r"(?:與|和|及|串聯|串連)(?:[\u4e00-\u9fff]{2}[縣市])?(?P<place>[\u4e00-\u9fff]{1,4}?)"
    r"(?<!社)(?<!街)(?<!園)(?<!地)(?<!產)(?<!山)(?<!校)(?<!商)(?<!港)(?<!漁)(?<!農)(?<!營)(?<!轄)(?<!市)"
    r"(?:鄉|鎮|區|町|村|[市縣](?=公所|政府|役所))(?!民|長|內|内)[^，。；,;]{0,12}"
    r"(?:共同|合作|聯合|攜手|共組|一起|串聯|合辦|推出|出貨|提供|連携)"
)


# A closing clause about the past (「，113年以前每年成長約15%」, "; past growth about 8% a year"): a reference for
# the ambition check, not part of the target, and a hedge in it leaves the target exact.
PAST_CLAUSE = re.compile(
    r"[，,；;。]\s*(?P<past>(?:過去|以往|歷年|历年|近\s*\d+\s*年|近[一二三四五六七八九十]年|(?:民國)?\d{2,4}\s*年度?(?:以前|之前)"
    r"|\bpast\b|\bover the (?:last|past)\b|\bprevious(?:ly)?\b)[^，,；;。]*)$",
    re.I,
)


# Means presented as the goal (完成設施 X 處, 完成規劃書1份, 建置平台1式): an input to results, not a result.
MEANS_AS_GOAL = re.compile(
    r"(完成|建置|設置|興建|新建|整修|修繕|改建|改修|建立|成立|設立|編製|編印|製作|開設)[^，。；]{0,16}"
    r"(處|座|棟|間|個(?!月)|所|站|案|份|式|套|本|冊|處所|箇所|か所|カ所)"
    r"|(規劃書|計畫書|手冊|平台|平臺|網站|協會|組織|設施|據點|資料庫|app|系統)[^，。；]{0,16}(建置|完成|成立|設立|製作)"
    r"|完成[^，。；]{0,24}(規劃書|計畫書|企劃書|手冊)|完成「[^」]{2,30}(計畫|規劃|計画|方案|藍圖)」"
    r"|\b(?:app|platform|website|portal|system|database)\b[^,.;]{0,24}\b(?:launched|built|completed|set up|created|in place)\b"
    r"|開發[^，。；]{0,10}(系統|平台|平臺|app|網站)|改建[^，。；]{0,12}空間"
    r"|(老屋|空屋|古厝|建物|校舍|教室|石滬|空間|場館|設施)[^，。；]{0,6}(修復|修繕|整修|改裝|改建|建置)"
    r"|(規劃書|計畫書|企劃書|企画書|手冊)[^，。；\d]{0,8}[1-9]\d*\s*(份|本|冊|部)|(施設|店舗|空き家|倉庫)[^，。；]{0,6}(の)?改修|サイト構築|(?:拠点|拠點)[^，。；]{0,10}整備"
    r"|(整備|(?<!新)設立(?!登記|公司|法人)|策定|作成|構築)(?!率)|施設整備|計画策定|計畫策定|取得使用執照|(整修|修繕|興建)並?(啟用|完工)"
    r"|\b(?:construction|renovation)\b[^,.;]{0,20}\b(?:completed|finished)\b|\brenovated and opened\b"
    r"|\b(?:facility|facilities|centre|center|hub|park|plant|platform|website|portal|app|system|kitchen|office)\b"
    r"[^,.;]{0,20}\b(?:established|built|completed|opened|set up|launched|in place|renovated)\b"
    r"|の(?:改修|整備|改築|建設)(?!率)|(?:改修|整備)工事|リノベーション"
    # 「共同廚房設置」, 「共享辦公空間建置」: the name ends in the verb of building; 「加工廠1座（115年完工）」
    r"|(?:設置|建置|興建|新建|開設)$|(?<![\d.])[1-9]\d*\s*座(?!位)|完工|竣工|落成"
    r"|\b(?:set up|establish|build|complete|launch|create)\b[^,.;]{0,40}\b(?:association|platform|plan|"
    r"facility|centre|center|website|app|manual|organi[sz]ation)\b"
)
# One-off deliverables (a plan, a platform, an association): a means with its own finding (means_as_goal), not
# an activity volume. Facilities counted in 處/棟/間 stay activity volumes, as the contract lists 完成 X 處.
DELIVERABLE = re.compile(
    r"\d\s*(?:份|式|套|本|冊)|[一1]\s*(?:個|處|座|棟)|規劃書|計畫書|整體規劃|平台|平臺|網站|協會|手冊|資料庫|app\b|策定|作成"
    r"|\b(?:association|platform|website|manual|plan)\b|\b1 (?:site|facility|hub|base)\b"
    r"|取得使用執照|完成(?:整修|修繕|興建)(?!\s*\d)|系統[^,。]{0,16}建置|(?:ポータル)?サイト|システム"
    r"|(?:拠点|拠點|據點|基地)[^,。]{0,10}(?:整備|改修|改建)|改建[^,。]{0,12}空間",
    re.I,
)
# The plan's own activities done as planned (實際辦理場次／計畫場次×100%, 執行率, 実施率): says nothing of effect.
ACHIEVEMENT_RATE = re.compile(
    r"(實際|实际)[^/／÷]{0,20}[/／÷][^/／÷]{0,20}(計畫|计划|預定|预定|規劃|目標)"
    r"|(執行|达成|達成|完成|辦理|實施|実施|進度|撥付|核銷|支用)率"
    r"|[^/／÷]{0,12}數\s*[/／÷]\s*(計畫|預定|目標)[^/／÷]{0,12}數"  # 核定案件數/計畫案件數
    r"|\bshare of (?:the )?planned\b|\bof (?:the )?planned [a-z -]{1,30} (?:actually )?(?:held|delivered|completed)"
    r"|工作項目完成|計畫執行|事業計画に対する|事業計畫に對する|実施率|實施率|execution rate|completion rate"
    r"|disbursement rate|achievement rate of (?:the )?planned"
    r"|implementation rate|delivered as planned",
    re.I,
)
# Counts of a group whose membership needs a rule (who is a 返鄉青年, what counts as 移居).
DEFINED_GROUPS = re.compile(
    r"返鄉青年|青年返鄉|返鄉人數|留鄉青年|移居人口|移居者|移居人數|移居戶|移住者|移住者数|関係人口|關係人口|新住民"
    r"|創業家數|創業數|創業件数|創業者数|創業件數|創業者數|移住者數|新創事業數|創業人數|returning youth|returnees|new residents|"
    r"relocat\w* (?:people|residents|households|entrepreneurs|families)|migrants|start-ups? (?:created|launched)"
    r"|businesses created|new (?:local )?ventures|newcomers|returning young people"
    r"|新進青農|新規就農者|移入人口|新設立[^，,；;]{0,6}(?:公司|品牌|店家|事業|商號)|青年創業|新創店家"
    r"|移入[^，,；;]{0,8}人數|new businesses",
    re.I,
)
# A counting rule stated: 設籍滿6個月, 完成營業登記, 住民票を移し, registered, for at least 12 months.
COUNTING_RULE = re.compile(
    r"設籍|戶籍|登記|立案|實際|經[^，,]{0,6}後|滿\s*\d+\s*(?:個月|年)|以上之|住民票|転入届|轉入屆|住民基本台帳|開業届|開業屆|登録|登錄|届出|屆出|認定|継続|繼続|持續營業|仍|"
    r"registered|register|still trading|for at least|after \d+ months|defined as",
    re.I,
)
# Where a figure comes from: the plan names a source for its KPIs.
DATA_SOURCES = terms(
    "統計, 帳簿, 帳冊, 帳本, 帳務, 調查, 問卷, 戶政, 戶籍資料, 營業登記, 登記資料, 售票系統, 票務系統, 售票紀錄, "
    "住宿申報, 系統紀錄, 紀錄,  出貨, 收據, 單據, 發票, \\bpos\\b, 會計, 簽到, 報名系統, 名冊, 資料來源, 資料取自, "
    "公示資料, 依據, 核計, 以.{0;12}計算, "
    "住民基本台帳, 台帳, 統計, 調査, アンケート, 実績報告, 売上データ, 集計, 記録, statistics, records, "
    "ledger, the register, registry, survey, sales data, ticketing, booking data, counted from, measured by, "
    "tracked through, come from, comes from, taken from, invoices, receipts, "
    "logs, 為準, 投保, 紀錄認定, 申報, 銷售資料, 営業報告, 計測, 届出, 開業届, 登記の件数, 計上, 契約書, で確認, 把握"
)
# How results are checked and made public: external review, council reports, publication.
VERIFICATION = terms(
    "外部, 審查委員, 審查會, (?<!民族)(?<!教育)(?<!農業)委員會, "
    "審議會, 議會, 代表會, 公開, 公告, 檢證, 檢核會議, 評鑑, 效果檢證, 成果發表, "
    "外部有識者, 検証, 公表, 議会, 評価委員, external, reviewed by, review panel, council, publish, published, "
    "made public, verification, evaluated by, audit"
)

# Policy fields: 政策間連携 needs at least two of them in one plan.
POLICY_FIELDS: dict[str, tuple[str, ...]] = {
    "welfare": terms(
        "福祉, 社福, 長照, 照護, 身障, 障礙, 高齡, 長者, 共餐, 送餐, welfare, elderly, disabled, 障害, 高齢者"
    ),
    "education": terms("教育, 學校, 學生, 大學, 高中, education, school, university, students"),
    "tourism": terms("觀光, 旅遊, 遊程, 導覽, 遊客, tourism, tourist, tours, 観光"),
    "agriculture": terms(
        "農業, 農產, 農漁, 漁業, 漁產, 林業, 畜牧, 農作, 小農, 稻農, 茶農, agriculture, farming, fishery, 農林"
    ),
    "transport": terms("交通, 運輸, 接駁, 共乘, 公車, 客運, 航班, transport, bus service"),
    "urban": terms("都市發展, 都市計畫, 都發, 街區, urban planning"),
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

# Fields that usually come with a project's own theme rather than a second policy (a craft project is cultural,
# a start-up project is about jobs): they do not count towards 政策間連携 on their own.
THEME_FIELDS = frozenset({"culture", "employment", "industry", "digital"})
# The policy field a category's projects are in already: joining it is no second policy.
CATEGORY_FIELDS: dict[str, frozenset[str]] = {
    "觀光振興": frozenset({"tourism"}),
    "農林水產": frozenset({"agriculture"}),
    "地方人口移動": frozenset({"housing"}),
    "街區營造": frozenset({"urban"}),
}
# What 「結合…」 must join for it to be another policy: a department or a policy field, not farmers or towns.
POLICY_OBJECT = re.compile(
    r"局|處|署|部|課|委員會|政策|教育|長照|照護|長者|共餐|福祉|醫療|交通|觀光|農業|環境|住宅|育兒|學校|營養午餐"
)

# 政策間連携: another department's policy or programme joined in: 「並與縣府教育處合作」, 「結合客委會客庄產業輔導計畫」,
# 「串接勞動部微型創業鳳凰貸款政策資源」, 「市商工振興課の企業誘致担当と連携」, "linked to the County Labor Affairs
# Department's youth employment policy", "the city's commerce and childcare divisions will jointly run".
_AGENCY = (
    r"(?:[\u4e00-\u9fff]{1,10}(?:局|(?<!辦事)(?<!住)處(?!理)|署|委員會|委會|(?<![內全東西南北中])部(?![落分門份])"
    r"|課(?![程綱堂後])|部門)|教育部|勞動部|農業部|文化部|衛福部|客委會|原民會|國發會)"
)
AGENCY_JOIN = re.compile(
    rf"(?:結合|與|配合|串接|串連|連結|搭配|攜手|協同|整合)[^，。；,;]{{0,10}}{_AGENCY}"  # not 和, 及: 西和賀町
    rf"|{_AGENCY}(?:の[^。、，と]{{0,12}})?と(?:連携|連動|協力|共同)|と{_AGENCY}が?(?:連携|協力|共同|橫斷)|部門が橫斷"
    # 「漁業・農業と連携した旅行商品」 (text is normalised: 横断 reads 橫斷)
    r"|(?:農業|漁業|林業|福祉|教育|醫療|医療|子育て|介護)[・、]?[^。、]{0,4}と(?:連携|連動)"
    # 「運用勞動部多元就業開發方案」: another ministry's programme put to work
    rf"|(?:運用|透過|申請|導入|引進|配合)[^，。；]{{0,4}}{_AGENCY}[^，。；]{{0,14}}(?:方案|計畫|計劃|政策|資源|事業)"
    r"|\b(?:linked|tied|connected|aligned)\s+(?:in\s+)?(?:to|with)\b[^.;]{0,60}"
    r"\b(?:department|division|ministry|bureau|agency|office|polic(?:y|ies)|programme|program)\b"
    r"|\b(?:together|jointly|in partnership)?\s*with\b[^.;]{0,50}\b(?:department|division|ministry|bureau|agency|office)s?\b"
    r"|\b(?:department|division|ministry|bureau)s?\b[^.;]{0,30}\b(?:jointly|together|co-)",
    re.I,
)


# Signs of each driving factor in a plan's description (先駆性要素).
FACTOR_SIGNALS: dict[str, tuple[str, ...]] = {
    # 自立性: the project pays its way once the grant ends. Sales or fees measured as results are not enough; they
    # must be said to cover the costs (「住宿費收入支應營運成本」, "rents fund the company").
    "self_reliance": terms(
        "自負盈虧, 不依賴補助, 減少對補助之依賴, 自主財源, 自償, 自主營運, 自主運營, 永續經營, 自立營運, 自給自足, 自走, "
        "補助(結束|期滿|終止|退場)後, 補助期(滿|結束), 交付金(終了|が終わ), (?<!補助)(?<!補助款)支應, 挹注, "
        "回收(成本|投資|整修|修復), 回補, "
        "自籌[^，。]{0;6}(經費|費用|營運|成本), 收支平衡, 損益平衡, 繳交[^，。]{0;4}(租金|權利金|場地費|管理費|使用費), "
        "賄う, 賄い, 充て, 充当, 自立, self-funded, self-funding, self-financ, self-sustain, financially sustainable, "
        "after the grant, when the grant ends, without the grant, without subsidy, grant ends, break even, "
        "(營收|收入|收費|收益|収益|盈餘|租金|權利金|售票|票券|門票|手續費|服務費|手数料|売上|利用料|會費|使用費|場地費|授權金|"
        "回饋金|revenue|fees|income|rents?|sales|commission)[^。.]{0;40}"
        "(支應|用於|用以|回收|回投|負擔|維持|維運|營運費|營運成本|營運經費|人事|作為|投入|償還|繼續|継続|持續|"
        "cover|fund|pay(s)? for|sustain|run(s|ning)? costs), "
        "(cover(s|ing)?|fund(s|ing)?|pay(s)? for)[^.]{0;40}(fees|rents?|revenue|income|sales)"
    ),
    "public_private": terms(
        "公司, 企業, 民間, 銀行, 信用合作社, 農會, 漁會, 投資, 商號, 合作社, (?<!成立)(?<!設立)(?<!組成)協會, 基金會, ngo, npo, "
        # 「木材商業同業公會」, 「JA鳥取中央」, "Kyushu Rail Property Co.", "Yushan Coffee Roasters Ltd.", "employers"
        "公會, \\bja[\u3040-\u30ff\u4e00-\u9fff], 農協, 漁協, \\bco\\., \\b(ltd|inc)\\b, corporation, employers, "
        "社會企業, 法人, 商會, 工會, 商行, 信金, 信用金庫, 金融機關, company, companies, firm, private, bank, "
        "investor, business(?! regist), association, foundation, cooperative, "
        "株式会社, 民間企業, 事業者, 振興會, 振興会, 傘坊, 工坊, "
        "與「[^」]{2;20}」 (等|合作|共同), 一般社団法人, 社団法人, 有限公司"
    ),
    "cross_region": terms(
        "鄰近, 鄰鄉, 跨鄉, 跨縣, 跨區, 跨域, 聯合, 共同提案, 兩鄉, 兩鎮, 三鄉, 流域, 廊道, 生活圈, "
        "區域聯盟, neighbouring, neighboring, partner town, partner municipality, joint, cross-border, "
        "広域, 連携自治体, 近隣, 隣接, 隣町, 近隣町村, "
        # 「與杉林區、六龜區串聯」, 「串聯白沙鄉、望安鄉」, 「高山市・下呂市と」, 「西ノ島町・知夫村と共同」
        "(與|和|及|串聯|串連|並與|結合|整合|攜手)[^，。]{0;4}"
        "[\u4e00-\u9fff]{1;4}(?<!藝術)(?<!文創)(?<!眷)(鄉|鎮|市|區|町|村)[、・及和與], "
        "[\u4e00-\u9fff]{1;4}(市|町|村)[・、][\u4e00-\u9fff]{1;4}(市|町|村)と, (市|町|村)と共同, "
        # 「同步於三星鄉、南澳鄉推動」, 「服務範圍含通霄鎮」, 「串聯嘉義縣梅山鄉步道」, 「あわら市と観光周遊で連携」,
        # 「3市町が共同で」, "Iizuna Town and Takayama Village", "an eight-municipality network"
        "同步於, 服務範圍含, 範圍涵蓋, 串聯[^，。]{0;3}[\u4e00-\u9fff]{2;3}(縣|市)[\u4e00-\u9fff]{2;3}(鄉|鎮|區), "
        "[\u3040-\u30ff\u4e00-\u9fff]{2;4}(市|町|村)と(観光|共同|広域|周遊), [0-9二三四五六七八九]市町, "
        "[a-z]+ (town|village|city) and [a-z]+ (town|village|city), [a-z0-9]+-municipality, "
        "各縣市, "
        # 「四万十町・黒潮町の道の駅と連携」, "with the prefecture's 34 municipalities", "Fuli Township co-hosts"
        "[぀-ヿ一-鿿]{1;4}(町|村|市)[・、][぀-ヿ一-鿿]{1;4}(町|村|市)の, "
        "\\bmunicipalities\\b, [a-z]+ (township|town|village|city) co-(host|organi[sz]e|run)"
    ),
    # a named town joining in is found by JOINT_PLACE, which needs the plan's own place to tell them apart
    "lead_body": terms(
        "協議會, 公社, 合作社, 協會, 基金會, 推進會議, 推動會議, 推動委員會, (?<!活動)中心, 工作站, 聯盟, 商社, "
        "development company, town-development company, "
        "dmo, council, association, foundation, lead organisation, lead organization, 推進協議会, "
        "まちづくり会社, 主導, 負責推動, 推動主體, 營運主體, led by, leads, 主導する, が主導, (?<!另行)委託(?!先), "
        "委由, 經營主體, 服務社, cooperative, runs the\\b, operated by, 事務局, 主管, が主体, 主体となり, "
        "事業推進主体(?!は(今後|未定)), "
        "lead body, run by, will lead, leads the, lead the, "
        "(office|council|association|company|division|department) will (run|lead|manage), "
        # 「由美濃區公所主責」, 「推進課が所管」, 「…が事業推進主体となり」; not 「主責單位俟核定後再行指定」
        "由[^，。]{1;26}(主責|主辦|負責|擔任|共同推動), 主責(?!單位俟|單位待|單位未), 所管, "
        "事業推進主体(となり|とし|は(?!今後|未定))"
    ),
    "talent": terms(
        # people who will carry the project, not its customers (招募會員) or a school's curriculum (學校課程)
        "培育, 培訓, 人才, 育成, 研習, 訓練, 留鄉, 傳承, 師徒, 學徒, 雇用在地, 在地雇用, 僱用在地, "
        "招募(?!會員|遊客|消費者|民眾|顧客|參加), 見習, "
        "實習, 青年團隊, 培力, training, talent, apprentice, mentor, recruit, young people, "
        "人材, 人材育成, 担い手, (?<!學校)(?<!校園)(?<!部落學校)課程, 研修, 募集, 協力隊, "
        "trained, 起業塾, 創業塾, 創業セミナー, 起業セミナー, entrepreneur school, "
        "\\btrain(s)? (\\d|incoming|aspiring|local|young|the|staff|guides|founders|farmers|residents|people|them|new), "
        "guides, 育成する, 雇用, 養成, 培養, 育成班, 採用, 聘用, 進用"
    ),
}


# Who leads, read from the description (事業推進主體: one body answerable for the project). A lead named in so many
# words (「由X主責」, 「鄉公所負責計畫管理」, "acts as secretariat") shows one; two or more bodies running it together with
# none named as the lead (「由A與B共同辦理」, "A and B will run the project together", 「AとBが共同で実施」) show none.
EXPLICIT_LEAD = re.compile(
    r"主導|主責(?!單位俟|單位待|單位未)|主辦|事務局|秘書處|推動主體|營運主體|經營主體|總召|牽頭|主体となり|が主体"
    r"|負責(?:計畫)?(?:管理|統籌|協調)"
    r"|事業推進主体(?:となり|とし|とする|は(?!今後|未定))|所管|secretariat"
    r"|lead (?:body|organi[sz]ation|agency)|will lead|leads the"
    r"|led by|\bas (?:the )?lead\b|coordinat(?:es|ed by|ing body)"
    r"|事業主[体體](?:は|とし|となり)",
    re.I,
)
# The plan says outright that nobody leads: 「未另設主責單位」, 「雙方平行執行、未設主責窗口」, "no lead authority or
# secretariat is named", "as equal partners".
NO_LEAD = re.compile(
    r"未(?:另)?設[^，。；]{0,4}(?:主責|主導|窗口|秘書處|事務局)|無(?:主責|主導)單位|平行執行"
    r"|\b(?:no|without (?:a|any)) (?:lead|secretariat)\b|\bnone (?:is )?(?:named|stated) as (?:the )?lead\b"
    r"|\bas equal partners\b",
    re.I,
)
CO_LEAD = re.compile(
    r"[^，。；,.;]{2,40}(?:與|和|、|及)[^，。；,.;]{2,40}(?:共同|一起|攜手|聯合)(?:執行|辦理|推動|經營|營運|推行|實施|運作)"
    r"|[^，。；,.;]{2,40}(?:與|和)[^，。；,.;]{2,30}合作[，,]\s*(?:將|把|共同)"
    r"|[^、。]{1,40}と[^、。]{2,40}が共同で"
    r"|\b[a-z][\w\s'-]{2,60} and (?:the )?[a-z][\w\s'-]{2,60} (?:will )?(?:run|operate|implement|carry out|manage)\b"
    r"[^.]{0,40}\b(?:together|jointly)\b|\bjointly (?:run|operated|implemented) by\b|\brun jointly by\b",
    re.I,
)


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


def _spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where `term` occurs in `text`; a term may be a regular expression (see `contains_any`)."""
    if any(ch in term for ch in ".{[(|"):
        return [match.span() for match in re.finditer(term, text)]
    spans, at = [], text.find(term)
    while at >= 0:
        spans.append((at, at + len(term)))
        at = text.find(term, at + 1)
    return spans


def rightmost(text: str, words: tuple[str, ...]) -> tuple[int, str] | None:
    """(end position, term) of the occurrence that ends last. Chinese and Japanese noun phrases are
    head-final, so the last measure word names what is counted: 空店媒合說明會場次 counts sessions."""
    best: tuple[int, str] | None = None
    for term in words:
        spans = _spans(text, term)
        if spans:
            start, end = max(spans, key=lambda span: span[1])
            if best is None or end > best[0]:
                best = (end, text[start:end])  # the words matched, not the pattern
    return best


def leftmost(text: str, words: tuple[str, ...]) -> tuple[int, str] | None:
    """(start position, term) of the occurrence that starts first: English noun phrases are head-initial."""
    best: tuple[int, str] | None = None
    for term in words:
        spans = _spans(text, term)
        if spans and (best is None or spans[0][0] < best[0]):
            best = (spans[0][0], text[spans[0][0] : spans[0][1]])
    return best


def norm(text: str) -> str:
    return normalise(text)
