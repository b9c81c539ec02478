"""The critique's words (app/kpi/messages.yaml): every key in both page languages with the same placeholders,
and a plan critiqued in English reads in English."""

from __future__ import annotations

import re
import string

from app.kpi.context import build_plan
from app.kpi.messages import _messages
from app.kpi.rules import KPI_RULES, PLAN_RULES
from app.kpi.schemas import CritiqueRequest

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, entry in _messages().items():
        assert set(entry) == {"zh-TW", "en"}, key
        zh, en = entry["zh-TW"], entry["en"]
        if isinstance(zh, dict):
            assert set(zh) == set(en) == {"message", "suggestion"}, key
            for part in ("message", "suggestion"):
                assert _fields(zh[part]) == _fields(en[part]), (key, part)
        else:
            assert _fields(zh) == _fields(en), key


def test_english_findings_read_in_english() -> None:
    kpis = [
        "老街居民滿意度提升",
        "辦理工作坊12場",
        "全鎮觀光人數成長10%",
        "返鄉青年人數累計30人",
        "工作項目完成率100%",
    ]
    request = CritiqueRequest(title="t", description="由鎮公所推動。", kpis=kpis, lang="en")
    plan = build_plan(request)
    fired = 0
    for kpi in plan.kpis:
        for rule in KPI_RULES:
            verdict = rule.check(kpi)
            if verdict is not None:
                fired += 1
                # only what is quoted from the plan (in “…”) may be Chinese
                for said in (verdict.message("en"), verdict.suggestion("en")):
                    assert not CJK.search(re.sub(r"“[^”]*”", "", said)), said
    for rule in PLAN_RULES:
        verdict = rule.check(plan)
        if verdict is not None:
            fired += 1
            assert not CJK.search(verdict.message("en") + verdict.suggestion("en"))
    assert fired >= 8
