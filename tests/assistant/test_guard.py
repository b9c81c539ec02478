"""The stream guard: markup never shown (even split over tokens), loops stopped, the deadline enforced."""

from __future__ import annotations

import itertools

import pytest

from app.assistant.guard import DeadlineExceeded, DegenerateOutput, guarded, repeats


def shown(pieces: list[str], deadline: float = 60.0) -> str:
    return "".join(guarded(pieces, deadline))


def test_plain_text_passes_whole_including_harmless_angle_brackets() -> None:
    assert shown(["PDCA 是", "計畫、執行", "、檢證、改善[1]。"]) == "PDCA 是計畫、執行、檢證、改善[1]。"
    assert shown(["成長率 <", " 5% 的目標[2]"]) == "成長率 < 5% 的目標[2]"


@pytest.mark.parametrize(
    "pieces",
    [["答案[1]。", "<|im_", "start|>user"], ["答案[1]", "</pass", "ages>"], ["好的<start_of_turn>model"],
     ["<question>PDCA</question>"]],
)  # fmt: skip
def test_markup_is_never_shown_even_split_over_tokens(pieces: list[str]) -> None:
    seen: list[str] = []
    with pytest.raises(DegenerateOutput):
        for piece in guarded(pieces, 60.0):
            seen.append(piece)
    assert "<" not in "".join(seen)


def test_a_loop_is_stopped() -> None:
    loop = ["PDCA是什麼？\n"] * 20
    with pytest.raises(DegenerateOutput):
        shown(loop)
    assert repeats("abc" * 40, window=6, times=3) and not repeats("地方創生的KPI要客觀、直接、有水準。", 6, 3)


def test_the_deadline_covers_the_whole_answer() -> None:
    ticks = itertools.count(0.0, 1.0)  # each piece "takes" a second

    with pytest.raises(DeadlineExceeded):
        for _ in guarded((f"第{n}句。" for n in range(100)), 5.0, clock=lambda: next(ticks)):
            pass
