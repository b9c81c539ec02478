"""UI strings of the web pages: one dict per language. Traditional Chinese is the default.

The language comes from `?lang=` (which also sets the `lang` cookie), else the cookie, else zh-TW.
Corpus text, findings and answers are not translated; only the interface is.
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request

from app.knowledge.documents import CATEGORIES, FACTORS

Lang = Literal["zh-TW", "en"]
LANGS: tuple[Lang, ...] = ("zh-TW", "en")
DEFAULT_LANG: Lang = "zh-TW"
COOKIE = "lang"

ZH: dict[str, str] = {
    "product": "sosei 創生",
    "tagline": "地方創生知識庫與助理",
    "skip": "跳到主要內容",
    "nav_label": "主選單",
    "nav_chat": "問答",
    "nav_cases": "案例",
    "nav_review": "KPI 審查",
    "nav_guidelines": "指南",
    "switch_label": "語言",
    "switch_to": "English",
    "footer_about": "sosei 依日本內閣府《地方創生事業實施指南》、日本與臺灣的案例及臺灣地方創生政策文件回答；每個答案都附出處。",
    "footer_offline": "離線運作 · 不追蹤 · 回饋只存在本機",
    # chat
    "chat_title": "問答",
    "chat_intro": "問地方創生計畫的 KPI、PDCA、驅動要素或案例，答案附上可點開的出處。",
    "chat_label": "你的問題",
    "chat_placeholder": "例如：移居計畫的KPI該怎麼訂？",
    "chat_send": "送出",
    "chat_new": "新對話",
    "chat_starters": "可以從這些問題開始",
    "chat_you": "你",
    "chat_sosei": "sosei",
    "chat_thinking": "正在查找資料…",
    "chat_sources": "出處",
    "chat_copy": "複製答案",
    "chat_copied": "已複製",
    "chat_helpful": "有幫助",
    "chat_not_helpful": "沒有幫助",
    "chat_thanks": "謝謝你的回饋！",
    "chat_feedback_failed": "回饋沒有送出，請稍後再試。",
    "chat_error": "連線中斷，沒有取得答案。請再試一次。",
    "chat_refused": "知識庫沒有足夠資料",
    "chat_mode_extractive": "摘錄自資料",
    "chat_mode_llm": "由語言模型依資料撰寫",
    "chat_hint": "Enter 送出，Shift+Enter 換行",
    "chat_open_citation": "開啟出處",
    "panel_title": "出處段落",
    "panel_close": "關閉",
    "panel_open_doc": "開啟完整文件",
    "panel_section": "段落：",
    "chat_empty": "還沒有對話。",
    "starter_1": "移居計畫的KPI該怎麼訂？",
    "starter_2": "為什麼不能用居民滿意度當KPI？",
    "starter_3": "有哪些結合農業與福祉的案例？",
    "starter_4": "日本的地方創生交付金怎麼分配經費？",
    "starter_5": "PDCA 的外部檢證由誰來做？",
    "starter_6": "臺灣的地方創生2.0有哪些重點？",
    # cases
    "cases_title": "案例",
    "cases_intro": "日本與臺灣的地方創生案例，附上 KPI、驅動要素與出處。",
    "filter_category": "類別",
    "filter_factor": "驅動要素",
    "filter_country": "國家",
    "filter_q": "關鍵字",
    "filter_q_placeholder": "地名、計畫名稱…",
    "filter_any": "全部",
    "filter_apply": "篩選",
    "filter_reset": "清除條件",
    "filters": "篩選條件",
    "cases_count": "共 {n} 個案例",
    "cases_none": "沒有符合條件的案例。試著放寬篩選條件。",
    "kpi_count": "{n} 項 KPI",
    "kpi_count_1": "1 項 KPI",
    "kpi_unpublished": "未公開KPI",
    "kpi_partial": "（部分公開）",
    "country_JP": "日本",
    "country_TW": "臺灣",
    "similar_title": "找相似案例",
    "similar_intro": "貼上計畫說明，找出可以參考的同類案例與它們的 KPI。",
    "similar_label": "計畫說明",
    "similar_placeholder": "例如：鎮公所與商圈協會合作，活化老街空店舖，媒合返鄉青年進駐開店…",
    "similar_submit": "找相似案例",
    "similar_results": "相似案例",
    "similar_none": "沒有找到相似案例。",
    "similar_empty": "請先輸入計畫說明。",
    # case page
    "case_place": "地點",
    "case_category": "類別",
    "case_factors": "驅動要素",
    "case_actors": "推動者",
    "case_project": "計畫",
    "case_funding": "經費來源",
    "case_context": "背景",
    "case_sectors": "參與部門",
    "case_facts": "數據",
    "fact_what": "項目",
    "fact_value": "數值",
    "fact_year": "年",
    "fact_source": "來源",
    "case_kpis": "KPI",
    "kpi_name": "指標",
    "kpi_baseline": "基準",
    "kpi_target": "目標",
    "kpi_year": "年度",
    "kpi_note": "備註",
    "kpi_none": "這個案例沒有公開 KPI。",
    "case_body": "案例內容",
    "case_sources": "出處",
    "case_similar": "相似案例",
    "back_to_cases": "回到案例列表",
    # review
    "review_title": "KPI 審查",
    "review_intro": "貼上計畫草案的 KPI，依日本內閣府指南的 KPI 規則逐項檢查，附上依據與改寫建議。",
    "review_example": "載入範例計畫",
    "field_title": "計畫名稱",
    "field_category": "類別",
    "field_category_none": "（未指定）",
    "field_description": "計畫說明",
    "field_description_help": "用來檢查六大驅動要素，例如推動主體、官民合作、人才培育。",
    "field_budget": "預算（元）",
    "field_kpis": "KPI（一行一項）",
    "field_kpis_help": "例如：老街空店舖數由40間減少至28間（2027年）",
    "field_file": "或上傳計畫檔（YAML / JSON）",
    "field_file_help": "上傳檔案時以檔案內容為準。",
    "review_submit": "開始審查",
    "review_download": "下載 Markdown",
    "review_print": "列印",
    "review_error": "無法審查：",
    "review_result": "審查結果",
    "review_from_file": "已讀入檔案：{name}",
    "err_no_kpis": "kpis：請至少填寫一項 KPI（一行一項）",
    "err_budget": "budget：預算必須是數字，例如 5000000",
    "err_file": "檔案無法讀取：{msg}",
    # guidelines
    "guidelines_title": "指南",
    "guidelines_intro": "日本內閣府《地方創生事業實施指南》的 KPI 規則、六大驅動要素、PDCA，以及背景與臺灣的計畫文件。",
    "guidelines_toc": "目錄",
    "topic_kpi_rule": "KPI 規則",
    "topic_kpi_examples": "KPI 例表",
    "topic_factor": "六大驅動要素",
    "topic_pdca": "PDCA",
    "topic_background": "背景",
    "topic_programme": "臺灣計畫文件",
    "table_category": "類別",
    "table_plan": "計畫",
    "table_overall": "綜合成果 overall",
    "table_outcome": "計畫成果 outcome",
    "table_output": "計畫產出 output",
    "table_blank": "（原表空白）",
    "rules_evidence": "審查規則依據：",
    "open_document": "單獨開啟",
    "back_to_top": "回到目錄",
    # documents
    "doc_kind_guideline": "指南",
    "doc_kind_article": "文章",
    "doc_kind_case": "案例",
    "doc_kind_upload": "上傳文件",
    "doc_author": "作者：",
    "doc_sources": "出處",
    "doc_country": "國家",
    # 404
    "nf_title": "找不到這個頁面",
    "nf_body": "網址可能打錯了，或這份文件已不在知識庫裡。",
    "nf_home": "回到問答",
    "nf_cases": "瀏覽案例",
    "nf_guidelines": "閱讀指南",
}

EN: dict[str, str] = {
    "product": "sosei 創生",
    "tagline": "Regional revitalisation knowledge base",
    "skip": "Skip to main content",
    "nav_label": "Main",
    "nav_chat": "Ask",
    "nav_cases": "Cases",
    "nav_review": "KPI review",
    "nav_guidelines": "Guidelines",
    "switch_label": "Language",
    "switch_to": "中文",
    "footer_about": "sosei answers from the Cabinet Office guideline for regional revitalisation grants, Japanese "
    "and Taiwanese cases and Taiwan's programme documents; every answer cites its sources.",
    "footer_offline": "Runs offline · no tracking · feedback stays on this machine",
    "chat_title": "Ask",
    "chat_intro": "Ask about KPIs, PDCA, driving factors or cases of 地方創生 projects; answers cite sources you "
    "can open. The knowledge base is written in Chinese.",
    "chat_label": "Your question",
    "chat_placeholder": "e.g. How should a relocation project set KPIs?",
    "chat_send": "Send",
    "chat_new": "New chat",
    "chat_starters": "Try one of these",
    "chat_you": "You",
    "chat_sosei": "sosei",
    "chat_thinking": "Looking it up…",
    "chat_sources": "Sources",
    "chat_copy": "Copy answer",
    "chat_copied": "Copied",
    "chat_helpful": "Helpful",
    "chat_not_helpful": "Not helpful",
    "chat_thanks": "Thank you for the feedback!",
    "chat_feedback_failed": "The feedback was not sent; please try again later.",
    "chat_error": "The connection dropped before an answer came. Please try again.",
    "chat_refused": "Not enough in the knowledge base",
    "chat_mode_extractive": "Extracted from the sources",
    "chat_mode_llm": "Written by a language model from the sources",
    "chat_hint": "Enter to send, Shift+Enter for a new line",
    "chat_open_citation": "Open source",
    "panel_title": "Cited passage",
    "panel_close": "Close",
    "panel_open_doc": "Open the full document",
    "panel_section": "Section: ",
    "chat_empty": "No conversation yet.",
    "starter_1": "移居計畫的KPI該怎麼訂？",
    "starter_2": "為什麼不能用居民滿意度當KPI？",
    "starter_3": "有哪些結合農業與福祉的案例？",
    "starter_4": "日本的地方創生交付金怎麼分配經費？",
    "starter_5": "How should a relocation project set KPIs?",
    "starter_6": "What is PDCA in the grant programme?",
    "cases_title": "Cases",
    "cases_intro": "Regional revitalisation cases from Japan and Taiwan, with their KPIs, driving factors and sources.",
    "filter_category": "Category",
    "filter_factor": "Driving factor",
    "filter_country": "Country",
    "filter_q": "Keyword",
    "filter_q_placeholder": "place, project name…",
    "filter_any": "All",
    "filter_apply": "Filter",
    "filter_reset": "Clear filters",
    "filters": "Filters",
    "cases_count": "{n} cases",
    "cases_none": "No case matches. Try fewer filters.",
    "kpi_count": "{n} KPIs",
    "kpi_count_1": "1 KPI",
    "kpi_unpublished": "KPIs not published",
    "kpi_partial": "(partly published)",
    "country_JP": "Japan",
    "country_TW": "Taiwan",
    "similar_title": "Find similar cases",
    "similar_intro": "Paste a plan description to find comparable cases and their KPIs.",
    "similar_label": "Plan description",
    "similar_placeholder": "e.g. The township office and the merchants' association revive empty shops on the old street…",
    "similar_submit": "Find similar cases",
    "similar_results": "Similar cases",
    "similar_none": "No similar case found.",
    "similar_empty": "Please enter a plan description first.",
    "case_place": "Place",
    "case_category": "Category",
    "case_factors": "Driving factors",
    "case_actors": "Actors",
    "case_project": "Project",
    "case_funding": "Funding",
    "case_context": "Context",
    "case_sectors": "Sectors",
    "case_facts": "Facts and figures",
    "fact_what": "What",
    "fact_value": "Value",
    "fact_year": "Year",
    "fact_source": "Source",
    "case_kpis": "KPIs",
    "kpi_name": "Indicator",
    "kpi_baseline": "Baseline",
    "kpi_target": "Target",
    "kpi_year": "Year",
    "kpi_note": "Note",
    "kpi_none": "This case has not published KPIs.",
    "case_body": "About the case",
    "case_sources": "Sources",
    "case_similar": "Similar cases",
    "back_to_cases": "Back to the cases",
    "review_title": "KPI review",
    "review_intro": "Paste a draft plan's KPIs to check each against the Cabinet Office guideline's KPI rules, "
    "with the evidence and suggested rewrites.",
    "review_example": "Load the sample plan",
    "field_title": "Plan title",
    "field_category": "Category",
    "field_category_none": "(not specified)",
    "field_description": "Description",
    "field_description_help": "Used to check the six driving factors, e.g. the lead body, public–private "
    "collaboration, talent.",
    "field_budget": "Budget (NTD)",
    "field_kpis": "KPIs (one per line)",
    "field_kpis_help": "e.g. 老街空店舖數由40間減少至28間（2027年）",
    "field_file": "Or upload a plan file (YAML / JSON)",
    "field_file_help": "An uploaded file takes precedence over the fields.",
    "review_submit": "Review",
    "review_download": "Download Markdown",
    "review_print": "Print",
    "review_error": "Cannot review: ",
    "review_result": "Review",
    "review_from_file": "Read from file: {name}",
    "err_no_kpis": "kpis: enter at least one KPI (one per line)",
    "err_budget": "budget: the budget must be a number, e.g. 5000000",
    "err_file": "The file cannot be read: {msg}",
    "guidelines_title": "Guidelines",
    "guidelines_intro": "The KPI rules of the Cabinet Office guideline, the six driving factors, PDCA, background "
    "and Taiwan's programme documents (text in Chinese).",
    "guidelines_toc": "Contents",
    "topic_kpi_rule": "KPI rules",
    "topic_kpi_examples": "KPI example table",
    "topic_factor": "The six driving factors",
    "topic_pdca": "PDCA",
    "topic_background": "Background",
    "topic_programme": "Taiwan programme documents",
    "table_category": "Category",
    "table_plan": "Plan",
    "table_overall": "Overall outcome",
    "table_outcome": "Project outcome",
    "table_output": "Project output",
    "table_blank": "(blank in the original)",
    "rules_evidence": "Evidence for review rules: ",
    "open_document": "Open on its own",
    "back_to_top": "Back to contents",
    "doc_kind_guideline": "Guideline",
    "doc_kind_article": "Article",
    "doc_kind_case": "Case",
    "doc_kind_upload": "Uploaded document",
    "doc_author": "Author: ",
    "doc_sources": "Sources",
    "doc_country": "Country",
    "nf_title": "Page not found",
    "nf_body": "The address may be mistyped, or the document is no longer in the knowledge base.",
    "nf_home": "Back to Ask",
    "nf_cases": "Browse cases",
    "nf_guidelines": "Read the guidelines",
}

STRINGS: dict[Lang, dict[str, str]] = {"zh-TW": ZH, "en": EN}

CATEGORY_LABELS: dict[Lang, dict[str, str]] = {
    "zh-TW": {c: c for c in CATEGORIES},
    "en": {
        "地方創業": "Local entrepreneurship",
        "農林水產": "Agriculture, forestry & fisheries",
        "觀光振興": "Tourism",
        "地方人口移動": "Migration to the regions",
        "街區營造": "Town centres",
        "工作方法改革": "Work-style reform",
    },
}
FACTOR_LABELS: dict[Lang, dict[str, str]] = {
    "zh-TW": dict(FACTORS),
    "en": {
        "self_reliance": "Self-reliance",
        "public_private": "Public–private collaboration",
        "cross_region": "Cross-regional cooperation",
        "cross_policy": "Cross-policy cooperation",
        "lead_body": "Clear lead body",
        "talent": "Securing and developing talent",
    },
}
LEVEL_LABELS: dict[Lang, dict[str, str]] = {
    "zh-TW": {"overall": "綜合成果 overall", "outcome": "計畫成果 outcome", "output": "計畫產出 output"},
    "en": {"overall": "Overall outcome", "outcome": "Project outcome", "output": "Project output"},
}

# Labels of the shared critique partial (_critique.html); its built-in defaults are the zh-TW ones.
CRITIQUE_UI: dict[Lang, dict[str, str]] = {
    "zh-TW": {
        "no_category": "未指定類別", "error": "錯誤", "warning": "警告", "info": "提示", "level": "層級",
        "passed": "通過", "failed": "未通過", "suggestion": "建議：", "evidence": "依據：",
        "explanation": "補充說明：", "no_issue": "✓ 沒有發現問題。", "inferred": "推定：", "plan": "計畫層級",
        "cases": "可參考的案例", "no_cases": "沒有找到同類案例。", "baseline": "基準", "target": "目標",
        "deadline": "期限",
    },
    "en": {
        "no_category": "No category", "error": "errors", "warning": "warnings", "info": "notes", "level": "Level",
        "passed": "passed", "failed": "failed", "suggestion": "Suggestion: ", "evidence": "Evidence: ",
        "explanation": "Explanation: ", "no_issue": "✓ No problem found.", "inferred": "inferred: ",
        "plan": "Plan level", "cases": "Comparable cases", "no_cases": "No comparable case found.",
        "baseline": "baseline", "target": "target", "deadline": "deadline",
    },
}
SEVERITY_LABELS: dict[Lang, dict[str, str]] = {
    "zh-TW": {"error": "🔴 錯誤", "warning": "🟠 警告", "info": "🔵 提示"},
    "en": {"error": "🔴 Error", "warning": "🟠 Warning", "info": "🔵 Note"},
}


def rule_titles(lang: Lang, zh_titles: dict[str, str]) -> dict[str, str]:
    """Short names of the critique rules (table headers, finding titles); zh-TW ones come from the report."""
    if lang == "zh-TW":
        return zh_titles
    en = {
        "subjective": "Objective", "not_quantified": "Quantified", "indirect": "Direct",
        "output_as_outcome": "Outcome ≠ output", "no_baseline": "Baseline", "unambitious": "Ambitious",
        "no_deadline": "Deadline", "means_as_goal": "Means ≠ goal", "vague_wording": "Clear wording",
        "no_outcome": "Has an outcome KPI", "no_output": "Has an output KPI", "too_many_kpis": "KPIs ≤ 4",
        "cost_effectiveness": "Cost-effectiveness",
        **{f"factor:{key}": f"Factor: {label}" for key, label in FACTOR_LABELS["en"].items()},
    }
    return {**zh_titles, **en}


# What chat.js needs; everything else is rendered on the server.
JS_KEYS = (
    "chat_you", "chat_sosei", "chat_thinking", "chat_sources", "chat_copy", "chat_copied", "chat_helpful",
    "chat_not_helpful", "chat_thanks", "chat_feedback_failed", "chat_error", "chat_refused",
    "chat_mode_extractive", "chat_mode_llm", "chat_open_citation", "panel_section",
)


def query_lang(request: Request) -> Lang | None:
    """The language asked for in the query string, if it is one we have."""
    value = request.query_params.get("lang")
    return value if value in LANGS else None  # type: ignore[return-value]


def get_lang(request: Request) -> Lang:
    cookie = request.cookies.get(COOKIE)
    return query_lang(request) or (cookie if cookie in LANGS else DEFAULT_LANG)  # type: ignore[return-value]


def js_strings(lang: Lang) -> dict[str, str]:
    return {key: STRINGS[lang][key] for key in JS_KEYS}
