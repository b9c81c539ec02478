"""Guarding a real model's stream: a deadline for the whole answer, no prompt markup ever shown, and
degenerate output (loops, echoed markup) stopped so the caller can fall back to the composed answer.

Small local models loop, echo the prompt's tags (<passage>, <|im_start|>) and keep going; the guard stops
them at the first sign. Text after a "<" is held back until it is clearly not markup, so a tag never reaches
the reader even when it arrives split over several tokens.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator

MARKUP = re.compile(
    r"</?\s*(?:passages?|question|history|system|user|assistant|s)\b|<\|[^|>]{0,24}\|?>?|<start_of_turn|<end_of_turn"
    r"|\[/?INST\]|<<SYS>>",
    re.IGNORECASE,
)
_HOLD = 24  # characters after a "<" kept back until they are clearly not a tag
_REPEAT_WINDOW = 24  # a run of this many characters …
_REPEAT_TIMES = 3  # … seen this many times is a loop


class DeadlineExceeded(TimeoutError):
    """The whole answer took longer than the configured LLM timeout."""


class DegenerateOutput(ValueError):
    """The model echoed prompt markup or started repeating itself."""


def repeats(text: str, window: int = _REPEAT_WINDOW, times: int = _REPEAT_TIMES) -> bool:
    """Whether the text's last `window` characters already occurred `times` times: the model is looping."""
    if len(text) < window * times:
        return False
    tail = text[-window:]
    return text.count(tail) >= times


def guarded(
    pieces: Iterable[str], deadline_s: float, clock: Callable[[], float] = time.monotonic
) -> Iterator[str]:
    """The pieces as they may be shown. Raises DeadlineExceeded or DegenerateOutput mid-stream; whatever was
    yielded before stays free of markup."""
    started = clock()
    text = ""  # everything received
    shown = 0  # how much of it has been yielded
    for piece in pieces:
        if clock() - started > deadline_s:
            raise DeadlineExceeded(f"no complete answer within {deadline_s:g} s")
        text += piece
        if MARKUP.search(text):
            raise DegenerateOutput("the model echoed prompt markup")
        if repeats(text):
            raise DegenerateOutput("the model is repeating itself")
        safe = len(text)
        last_open = text.rfind("<", shown)
        if last_open != -1 and len(text) - last_open < _HOLD:
            safe = last_open  # maybe the start of a tag: wait for more
        if safe > shown:
            yield text[shown:safe]
            shown = safe
    if clock() - started > deadline_s:
        raise DeadlineExceeded(f"no complete answer within {deadline_s:g} s")
    if shown < len(text):
        yield text[shown:]
