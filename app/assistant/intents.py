"""What a question asks for, recognised without an LLM: its intent and the facets it names.

Intents (issue 9): `find_cases` (「有哪些觀光振興的案例」, 「台灣有類似的嗎」), `kpi_advice` (「青年返鄉創業 KPI 怎麼訂」),
`concept` (「什麼是政策間連携」, 「六大驅動要素是什麼」), `process` (PDCA, external verification, applying),
`programme` (Taiwan's programme and its years) and `other` (a case's facts, a KPI judged, anything else).
Facets — country, categories, contexts, driving factors, the kind of project — are found through the glossary's
aliases (app/i18n/glossary.yaml), so naming a topic in English or Japanese works as in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from app.assistant.conversation import country_of
from app.i18n.glossary import AnswerLang, answer_lang, glossary

Intent = Literal["find_cases", "kpi_advice", "concept", "process", "programme", "other"]
# A request that asks for work the knowledge base is not for, whatever words of the domain it quotes.
OffTask = Literal["translate", "write", "code", "override", "workplace"]

_CASE_WORDS = re.compile(
    r"案例|案子|例子|實例|事例|範例|先例|ケース|團隊|\bcases\b|\bexamples?\b|\bprojects\b|\btowns\b|\bvillages\b",
    re.I,
)
# Asking for several (a list), or for ones like the earlier: 「有哪些」, 「可以參考」, 「還有嗎」, "any", "which".
_LIST_WORDS = re.compile(
    r"哪些|有沒有|有無|有嗎|有什麼|可以參考|參考|推薦|列出|舉幾個|幾個|類似|相似|其他|還有|其中|呢"
    r"|ありますか|ありません|教えて|知りたい|ほかに|他に|似たよう|は[？?]|どんな"
    r"|\bany\b|\bwhich\b|\bshow me\b|\blist\b|\bwhat (?:are|were)\b|\bsimilar\b|\bmore\b|\bonly\b|\bother\b",
    re.I,
)
_KPI = re.compile(r"kpi|ＫＰＩ|指標|目標值|績效|成果指標|評価指標", re.I)
_HOW = re.compile(
    r"怎麼|如何|怎樣|要怎|該怎|設定|訂|設計|規劃|寫|建議|どう|どのように|設定すべき|決め|"
    r"\bhow\b|\bwhat kpis\b|\bwhich kpis\b|\bsuggest|\bset\b|\bdesign",
    re.I,
)
_DEFINE = re.compile(
    r"是什麼|是甚麼|什麼是|甚麼是|什麼意思|意思|定義|指什麼|是指|差在哪|差別|區別|不同|有哪幾|有哪些要素|包括哪些"
    r"|とは|って何|とは何|何ですか|意味|違い"
    r"|\bwhat (?:is|are|does|do)\b|\bmeaning\b|\bmean\b|\bdefine\b|\bdifference\b|\bexplain\b",
    re.I,
)
_ALL_FACTORS = re.compile(
    r"六大|六個|6個|六項|6項|六つ|6つ|驅動要素|驅動因素|先驅性要素|先驅要素|先駆性|six (?:driving )?factors|driving factors",
    re.I,
)
_LEVELS = re.compile(
    r"三個層次|三層|3層|三つの階層|層次|three levels|kpi levels|outcome.{0,12}output|output.{0,12}outcome"
    r"|成果.{0,6}產出|產出.{0,6}成果|アウトカム.{0,8}アウトプット",
    re.I,
)
# How something is done, step by step; 「由誰檢證」 asks who, not how, and is answered from the passages.
_PROCESS = re.compile(
    r"pdca|流程|步驟|程序|怎麼申請|如何申請|申請流程|手順|手続|申請方法|\bsteps?\b|\bprocess\b|\bhow to apply\b"
    r"|\bapply for\b|\bwalk me through\b",
    re.I,
)
Fact = Literal["when", "amount", "who", "origin", "how", "fix"]
# How it began: 「是怎麼開始的」, 「緣起」, "how did it start", 「きっかけ」: the sentence with its first year leads.
_ORIGIN = re.compile(
    r"怎麼開始|如何開始|怎麼起步|起源|緣起|由來|\bhow did (?:it|they|this|the [\w\s]{1,30}) (?:start|begin)\b"
    r"|きっかけ|始まり|どう始ま",
    re.I,
)
# How a case did it: 「神山町怎麼做起來的」, "what did they actually do", 「どうやって」: what the case did leads.
_HOW_DONE = re.compile(
    r"怎麼做|如何做|做了(?:什麼|甚麼|哪些|些什麼)|怎麼推動|如何推動|怎麼辦到|如何辦到|怎麼成功|怎麼辦起來|做法|作法"
    r"|\bwhat did (?:they|it|the town|the village)\b|\bhow did (?:they|it)\b(?! (?:start|begin))|\bwhat they did\b"
    r"|何をした|どうやって|どのように(?:して)?(?:取り組|進め)|取り組み内容",
    re.I,
)
# How to do better: 「那應該怎麼改比較好？」, "How should they have fixed it?", 「どう改善すれば」: the lesson leads.
_FIX = re.compile(
    r"怎麼改|如何改|要改成|改成什麼|改善|改進|改用|應該用什麼|怎樣比較好|怎麼做比較好"
    r"|\bhow (?:should|could|would|can) (?:we|they|it|you|one)(?: have)? (?:fix|fixed|improve|improved|change|changed|rewrite)"
    r"|\bwhat should (?:they|we|it) have\b|\bbetter kpis?\b|どう改善|改善する|どうすれば|どう直せば",
    re.I,
)
# Who does it: 「是誰在主導的」, 「誰負責」, "who runs it", 「誰が運営」.
_WHO = re.compile(r"誰|主導|主辦單位|負責單位|執行單位|\bwho\b|主体|担い手", re.I)
_WHEN = re.compile(r"什麼時候|何時|哪一年|幾年|哪年|いつ|何年|\bwhen\b|\bwhat year\b", re.I)
# A set of named things asked for whole: 「政策5原則是什麼」, "the three viewpoints".
_A_SET = re.compile(r"[二三四五六七八九兩2-9]\s*(?:個|項|大|原則|つ|種)|\b(?:three|four|five|six)\b", re.I)
_PROGRAMME = re.compile(
    r"國發會|国発会|地方創生\s*[23]\.0|[23]\.0|國家戰略|国家戦略|元年|青培站|青年培力|五支箭|tesas|優先推動|"
    r"national development council|\bndc\b|programme|program\b|national strategy|youth (?:empowerment )?stations?",
    re.I,
)
# One figure asked for (「補助上限多少」): answered from the passages, not as the programme's list of facts.
_AMOUNT = re.compile(r"多少|幾個|幾位|幾人|上限|金額|いくら|何人|何件|\bhow (?:much|many)\b", re.I)
# Concepts whose document says how something is done: 「PDCA怎麼做」, "How does external verification work?".
_PROCESS_CONCEPTS = ("pdca", "external_verification", "interim_targets", "result_report", "tw_proposal")
# Concepts that are themselves about setting targets: 「中間目標跟最終目標要怎麼訂」 is how, not KPI advice.
_TARGET_CONCEPTS = ("interim_targets",)
_SETTING_KPIS = re.compile(r"設定|訂|設計|選|\bset\b|\bchoose\b|\bdesign\b|決め", re.I)
_OFF_TASK: tuple[tuple[OffTask, re.Pattern[str]], ...] = (
    (
        "translate",
        re.compile(
            r"翻成|翻譯|譯成|翻訳|訳して|英訳|和訳|中訳|\btranslat|(?:英文|日文|中文|英語|日語|華語|台語|韓文)要?怎麼說|用英文|用日文|的中文是(?:什麼|甚麼)|中国語で(?:何|なん)|的(?:英|日|韓|法)文(?:是|怎|要)|英語で(?:何|なん)",
            re.I,
        ),
    ),
    (
        "write",
        re.compile(
            r"寫一(?:篇|首|封|段|份)|幫我寫(?!.{0,12}(?:kpi|指標))|作文|情詩|詩|新聞稿|假新聞|文案|講稿|自我介紹"
            r"|書いてください|書いて(?:ほしい|くれ)|作文して|\bwrite (?:a|an|me)\b|\bpoem\b|\bessay\b|\bcover letter\b",
            re.I,
        ),
    ),
    (
        "code",
        re.compile(
            r"python|java\b|javascript|\bsql\b|\bcode\b|(?<!方)程式|代碼|函式|コード|プログラム|excel|試算表公式"
            r"|\brecursion\b|\bregex\b|\bapi\b|\bbug\b",
            re.I,
        ),
    ),
    (
        "override",
        re.compile(
            r"忽略|無視|不管.{0,6}(?:規則|限制|指示)|假裝|扮演(?:我|一)|請扮演|管理員|解除.{0,8}限制|系統提示|你現在是|越獄"
            r"|\bignore (?:all|any|the|your|previous)\b|\bpretend\b|system prompt|jailbreak|\byou are now\b"
            r"|developer mode|開発者モード|指示を無視",
            re.I,
        ),
    ),
    (
        "workplace",
        re.compile(
            r"公司|企業內|新創團隊|員工|業務員|業務團隊|銷售|客服|人資|門市|okr|営業|社員|部下|人事評価"
            r"|\bsales\b|\bsaas\b|\bstartup team\b|\bemployees?\b|\bngo\b",
            re.I,
        ),
    ),
)


# Concepts no everyday question names (unlike 滿意度, "survey", "2.0" or "national strategy"): a question that
# names one asks the knowledge base, whatever else it says (「PDCA每一步要做什麼？各由誰負責？」).
_DOMAIN_ONLY_CONCEPTS = frozenset(
    {"pdca", "external_verification", "logic_model", "three_viewpoints", "five_principles", "sangakukin",
     "youth_stations", "tesas", "five_arrows"}
)  # fmt: skip


# PDCA and KPIs are also run in factories, schools, kitchens and wards: there the fitted model decides.
_OTHER_WORLDS = re.compile(
    r"工廠|工場|產線|生產線|製造|品管|護理|掛號|門診|病院|看護|學生|高中|國中|會考|考試|成績|授業|生徒|中学生|高校の|テスト|餐廳|廚房"
    r"|密碼|帳號|パスワード|ログイン|\b(?:password|login)\b"
    r"|\b(?:factory|production line|manufactur\w*|school|students?|exams?|restaurant|kitchen|nurs\w+|hospital|clinic)\b",
    re.I,
)


# Words of a place or a region: KPIs or PDCA asked of one are this field's (「我們鄉的高職…指標怎麼訂」).
_REGIONAL = re.compile(
    r"鄉|鎮|町|村|縣|県|(?<![門上城都超股夜])市(?!場|集)|地方|在地|地域|社區|休息站|道の駅"
    r"|\b(?:municipal\w*|towns?|village|prefecture|county|rural|regional)\b",
    re.I,
)
_PDCA = re.compile(r"pdca", re.I)


# Live, practical information (tickets, opening hours, weather, prices of a room or a house, an address): a
# visitor's or a resident's question, which a knowledge base of past projects cannot answer, whatever place it names.
_LIVE_INFORMATION = re.compile(
    r"門票|票價|買票|訂票|搶票|開賣|售票處|營業時間|開放時間|幾點|門診|掛號|報名(?:截止|日期|方式)|截止日|天氣|氣溫|幾度"
    r"|下雨|下雪|房價|租金行情|一斤|訂房|住一晚|一晚多少|電話|地址|怎麼去|怎麼搭|停車"
    r"|チケット|入場料|営業時間|天気|締切|一泊|電話番号|行き方"
    r"|\b(?:tickets?|opening hours|weather|phone number|address|how (?:do i|to) get|parking|per night|room rate)\b"
    # open on which days, timetables, today's population, this year's or next year's dates and deadlines
    r"|有開嗎|開門|公休|休館|(?:禮拜|星期|週)[一二三四五六日天]|時刻表|班次|(?:現在|目前|最新)的?人口|今の人口|現在の人口"
    r"|(?:今年|明年|下一?屆|下次)[^。？?]{0,12}(?:什麼時候|何時|幾月|哪天)|締め切り|定休日|時刻表|ダイヤ"
    r"|\b(?:current population|population now|timetable|bus schedule|open on (?:mon|tue|wed|thu|fri|sat|sun)\w*"
    r"|(?:this|next) year's (?:festival|event|call)|deadline this year)\b"
    # what a ticket, a desk or a school costs, when a call closes, what a staff member is paid
    r"|一張票|票多少錢|租金一個月|月租|租金要多少|學費|学費|(?:申請|報名|徵件)[^。？?]{0,8}截止|料金はいくら|利用料金"
    r"|ドロップイン|今年の[^。？?]{0,15}いつ|(?<!減)薪水[^。？?]{0,8}多少|月薪|薪資標準|月給|給料はいくら|給与はいくら"
    r"|\b(?:application deadline|deadline (?:for|to) apply|tuition|monthly salary|salary (?:scale|standard)|what salary)\b",
    re.I,
)
# The rules of another field: procurement, tax, wages, labour law, registering an association. The knowledge base
# holds the grant's KPI and PDCA rules, not these, whatever project they are asked for.
_OTHER_FIELDS_RULES = re.compile(
    r"採購法|限制性招標|公開招標|招標門檻|基本工資|最低工資|時薪|營業稅|所得稅|統一發票|開發票|勞保|勞健保|勞基法|人民團體法"
    r"|設立登記|立案登記|怎麼立案|如何立案|入札|最低賃金|時給|消費税|労働基準法|法人登記"
    r"|\b(?:procurement (?:law|rules?|threshold)|open tender|minimum wage|hourly wage|sales tax|income tax|vat\b"
    r"|labou?r law|register (?:a|an|my|our) (?:\w+ ){0,3}(?:association|company|ngo|cooperative))",
    re.I,
)


def asks_other_fields_rules(question: str) -> bool:
    """「採購金額多少以下可以限制性招標」, 「青培站人員薪水最低要給多少才符合基本工資」, "minimum wage for …"."""
    return _OTHER_FIELDS_RULES.search(question) is not None


def asks_live_information(question: str) -> bool:
    """「池上今年的藝術節門票要怎麼買？」, 「竹山現在幾度」, "What are the museum's opening hours?"."""
    return _LIVE_INFORMATION.search(question) is not None


def kpis_of_another_world(question: str, understood: Understanding) -> bool:
    """KPIs or PDCA asked of a company, a shop, a school or a ward (「我們公司業務部的KPI」, "a PDCA cycle for my
    restaurant's kitchen"), with nothing of a region or of this field's facets: not this knowledge base's."""
    if not (_KPI.search(question) or _PDCA.search(question)):
        return False
    if not (_OTHER_WORLDS.search(question) or off_task(question) == "workplace"):
        return False
    facets = understood.categories or understood.factors or understood.project_kind or understood.contexts
    return not facets and not _REGIONAL.search(question)


# How to apply for the 地方創生 programme, or when it began: 「地方創生計畫要怎麼申請？流程是什麼」,
# 「台灣什麼時候開始推地方創生的」, "How does a township apply for Taiwan's regional revitalization funding?".
# Everyday words (申請, 流程) that the fitted model reads as another government service's, asked here of this programme.
_THE_PROGRAMME = re.compile(
    r"地方創生(?:計畫|計劃|政策|交付金|補助)?[^，。？?]{0,8}(?:申請|提案)"
    r"|(?:什麼時候|何時|哪一年)開始(?:推動?|實施|啟動)?地方創生|地方創生(?:是|從)?(?:什麼時候|何時|哪一年)(?:開始|啟動|推動)"
    r"|地方創生の?(?:計画|交付金)?[^。？?]{0,12}(?:申請|流れ|いつから)"
    r"|\b(?:apply|application|applying)\b.{0,40}regional revitali[sz]ation"
    r"|regional revitali[sz]ation.{0,30}\b(?:apply|application|start|began|begin)|when did .{0,30}regional revitali[sz]ation",
    re.I,
)


def asks_the_domain(question: str, understood: Understanding) -> bool:
    """A request only this field makes: a named domain concept, how to apply for the programme or when it began,
    KPI advice for a kind of project
    (「我們鎮想做移居推廣，KPI要怎麼訂比較好？」), or cases of a category or a driving factor. A company's own
    KPIs, a request to write, translate or code (`off_task`), or PDCA in a factory or a school are not."""
    if off_task(question) is not None or _OTHER_WORLDS.search(question):
        return False
    if asks_live_information(question) or asks_other_fields_rules(question):
        return False
    if any(concept in _DOMAIN_ONLY_CONCEPTS for concept in understood.concepts) or _THE_PROGRAMME.search(
        question
    ):
        return True
    if understood.intent == "find_cases":  # 「台灣這邊有哪些農林水產類的案子」: cases of a kind of this field
        return bool(understood.categories or understood.factors)
    return understood.intent == "kpi_advice" and bool(
        understood.project_kind or understood.categories or understood.contexts
    )


def off_task(question: str) -> OffTask | None:
    """The kind of work a question asks for that the knowledge base is not for. Translating, writing, code
    and overriding the instructions are declined outright (「幫我寫青年返鄉的 KPI」 is not writing in this
    sense); `workplace` (a company's own KPIs) is only a signal for the support model to weigh."""
    return next((kind for kind, pattern in _OFF_TASK if pattern.search(question)), None)


_TAIWAN_POLICY = re.compile(
    r"台灣|臺灣|台湾|taiwan|國發會|国発会|青培站|青年培力|五支箭|tesas|行政院|國家戰略|國家|地方創生\s*[23]\.0",
    re.I,
)


@dataclass(frozen=True)
class Understanding:
    """A question's intent, the language to answer in, and the facets it names."""

    intent: Intent
    lang: AnswerLang
    country: str | None = None
    categories: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    project_kind: str | None = None
    all_factors: bool = False  # the six driving factors, all of them
    levels: bool = False  # the three KPI levels
    a_set: bool = False  # a set of named things asked for whole (「政策5原則」)
    asks: Fact | None = None  # one fact asked for: a year, a figure, who does it
    also_asks: tuple[Fact, ...] = ()  # more facts asked in the same question (「是哪幾年？預算多少？」)

    concepts: tuple[str, ...] = ()  # named concepts (glossary `concepts`: PDCA, logic model, 青培站 …)
    only_terms: bool = False  # names a domain term and nothing else (「PDCA怎麼做」, 「官民協働とは」)
    # The category comes from the cases the conversation was about (「那日本呢」), not from a broad alias.
    category_given: bool = False
    cautionary: bool = False  # cases that show what not to do (「反面教材有哪些」)

    @property
    def facts(self) -> tuple[Fact, ...]:
        return (self.asks, *self.also_asks) if self.asks else ()


def understand(question: str, topic: str | None = None) -> Understanding:
    """`question` is what the user typed; `topic` is the search query when a follow-up carried the earlier
    topic over (「台灣呢？」 after 「有哪些觀光振興的案例」): facets are read from both, the intent from both."""
    words = f"{topic} {question}" if topic and topic != question else question
    terms = glossary()
    kinds = terms.named("project_kinds", words)
    facets = Understanding(
        intent="other",
        lang=answer_lang(question),
        country=country_of(question) or country_of(words),
        categories=tuple(terms.named("categories", words)),
        contexts=tuple(terms.named("contexts", words)),
        factors=tuple(terms.named("factors", words)),
        # The question's own concepts first: 「那3.0呢？」 after a question on 2.0 is about 3.0.
        concepts=tuple(dict.fromkeys(terms.named("concepts", question) + terms.named("concepts", words))),
    )
    # One fact asked for (「何時開始」, 「補助上限」), also by a follow-up (「那3.0呢？」): from the passages.
    asked: tuple[tuple[Fact, re.Pattern[str], str], ...] = (
        ("when", _WHEN, words),
        ("amount", _AMOUNT, words),
        ("who", _WHO, question),
        ("origin", _ORIGIN, question),
        ("how", _HOW_DONE, question),
        ("fix", _FIX, question),
    )
    # The question's own facts first: 「那應該怎麼改比較好？」 after 「花了多少錢？」 asks how to fix it, not the sum again.
    own_facts = [fact for fact, pattern, _ in asked if pattern.search(question)]
    facts = (
        *own_facts,
        *(fact for fact, pattern, text in asked if fact not in own_facts and pattern.search(text)),
    )
    asks = facts[0] if facts else None
    one_fact = asks in ("when", "amount")  # who leads is asked of a case or a step, and may take a list
    facets = replace(facets, asks=asks, also_asks=facts[1:])
    named_terms = facets.concepts or facets.factors
    rest = terms.without_terms(question, ("concepts", "factors", "categories", "levels"))
    facets = replace(facets, only_terms=bool(named_terms) and not _QUESTION_WORDS.sub("", rest).strip())
    own_concepts = terms.named("concepts", question)
    names_process = any(c in _PROCESS_CONCEPTS for c in own_concepts)
    sets_targets = any(c in _TARGET_CONCEPTS for c in own_concepts) and not kinds
    if (
        names_process
        and (_HOW.search(question) or _PROCESS.search(question) or sets_targets)
        and (sets_targets or not (_SETTING_KPIS.search(question) and _KPI.search(question)))
    ):
        return replace(facets, intent="process")
    if _ALL_FACTORS.search(question) and not facets.factors and not _NAMED_CASES.search(question):
        return replace(facets, intent="concept", all_factors=True)  # "…used to select projects" is no list
    if _CAUTIONARY.search(question) and _LIST_WORDS.search(
        question
    ):  # 「KPI訂壞的反面教材有哪些」: cases, not advice
        return replace(facets, intent="find_cases", cautionary=True)
    kpi_examples = _KPI_EXAMPLES.search(question)  # 「創業支援計畫有沒有KPI範例」: the example table's row
    if _KPI.search(words) and (_HOW.search(question) or kpi_examples) and not _DEFINE.search(question):
        return replace(facets, intent="kpi_advice", project_kind=kinds[0] if kinds else None)
    if _LEVELS.search(question) and _KPI.search(question) and not _KPI_JUDGED.search(question):
        return replace(facets, intent="concept", levels=True)
    # A follow-up (「What about Taiwan?」) keeps the earlier question's request for a list.
    asks_for_list = _LIST_WORDS.search(question) or _CASE_WORDS.search(question if topic is None else words)
    if _CASE_WORDS.search(words) and asks_for_list and not _SINGULAR.search(question):
        return replace(facets, intent="find_cases")
    if _DEFINE.search(question) or _ALL_FACTORS.search(question):
        if _ALL_FACTORS.search(question) and not facets.factors:
            return replace(facets, intent="concept", all_factors=True)
        if _LEVELS.search(question) and not _KPI_JUDGED.search(question):
            return replace(facets, intent="concept", levels=True)
        if facets.factors:
            return replace(facets, intent="concept")
    if _PROGRAMME.search(question) and _TAIWAN_POLICY.search(words) and not one_fact:
        return replace(facets, intent="programme")
    if _PROCESS.search(question):
        return replace(facets, intent="process")
    if _DEFINE.search(question) and not one_fact:  # 「是什麼時候」 asks when, not what
        return replace(facets, intent="concept", a_set=bool(_A_SET.search(question)))
    return replace(facets, intent="other")


# Cases asked for in so many words: 「六大驅動要素的案例」 is a list of cases, not the six factors.
_NAMED_CASES = re.compile(r"案例|例子|實例|事例|ケース|\bcases\b|\bexamples\b", re.I)
_KPI_EXAMPLES = re.compile(
    r"(?:kpi|指標)\s*(?:的)?(?:範例|例子|範本|示例|例)|(?:example|sample)\s+kpis|kpi\s+examples|KPIの例", re.I
)

# Several things asked for (「有沒有像池上那樣的案例」), not one named thing (「池上的事例を詳しく」).
_SEVERAL = re.compile(
    r"哪些|有沒有|類似|相似|像|其他|還有|幾個|列出|ほかに|他に|似た|ような|どんな"
    r"|\b(?:similar|like|other|others|any|which|list)\b|\bmore (?:cases|examples|projects)\b",
    re.I,
)


def asks_for_several(question: str) -> bool:
    return bool(_SEVERAL.search(question))


# Cases like a named one (「有沒有像上勝町那樣的」, "anything like Kamikatsu"),
# not whether a place has one (「鹿野鄉有沒有計畫」).
_LIKE = re.compile(r"像|類似|相似|一樣|那樣|這樣|似た|ような|みたいな|\b(?:like|similar to|such as)\b", re.I)


def asks_for_cases_like(question: str) -> bool:
    return bool(_LIKE.search(question))


# What is left of 「PDCA怎麼做？」 once the term is taken out: words that only ask.
_QUESTION_WORDS = re.compile(
    r"什麼|甚麼|是|怎麼|如何|怎樣|做|的|嗎|呢|意思|指|要|該|請問|請|介紹|說明|一下|定義"
    r"|とは|何|ですか|です|について|教えて|ください|どう|する|って|の|は"
    r"|\b(?:what|is|are|the|a|an|how|does|do|work|works|explain|mean|means|of|about|tell|me|please)\b"
    r"|[\s？?！!。、，,.：:「」]",
    re.I,
)
# 「這個案例」, "the Aso grassland case", 「その事例」: one case, asked about; not a request for a list.
# Cases that show what not to do: 「反面教材」, 「KPI訂錯的例子」, "bad examples", 「悪い例」.
_CAUTIONARY = re.compile(
    r"反面教材|反面案例|反面的例子|負面案例|失敗(?:的)?案例|失敗(?:的)?例子|訂壞|訂錯|設得不好|設錯|不好的例子|錯誤示範"
    r"|悪い例|失敗例|失敗事例|反面教師|\bbad (?:examples?|cases?|kpis?)\b|\bfailed (?:cases|projects)\b|\bcautionary\b"
    r"|\bgot (?:it|this|that|them) wrong\b",
    re.I,
)
_SINGULAR = re.compile(
    r"這個案例|該案例|此案例|那個案例|(?:這|那|該)個?案子|その事例|この事例|\bthe [\w\s-]{1,40} case\b|\bthis case\b",
    re.I,
)
# 「參加人數算 outcome 還是 output」: a KPI judged, not the levels explained.
_KPI_JUDGED = re.compile(r"算|還是|可以嗎|可不可以|好不好|\bis (?:the|a|our)\b|\bcount as\b", re.I)
