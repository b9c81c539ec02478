"""CJK-aware chunking: headings → paragraphs → sentences (。！？!?), never cutting inside a sentence.

A chunk is a run of whole sentences from one section, at most `max_chars` long. Only a single sentence
longer than the limit is split, and then at a clause boundary (，；、：) where one exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from app.i18n.glossary import glossary
from app.knowledge.documents import Document

_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
# A sentence ends at 。！？!? (plus closing quotes/brackets), or at ". " in Latin text.
_SENTENCE_END = re.compile(r"(?<=[。！？!?])[」』）)\"'”’]*|(?<=\.)\s+(?=[A-Z0-9\u4e00-\u9fff])")
_CLAUSE_END = re.compile(r"(?<=[，；、：,;:])")


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    index: int
    text: str
    heading: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def indexed_text(self) -> str:
        return passage_text(self.metadata.get("title", ""), self.heading, self.text)


def passage_text(title: str, heading: str, text: str) -> str:
    """What is embedded and matched lexically: title and section give a bare passage its context."""
    head = title
    if heading and heading != title:
        head = f"{title}｜{heading}" if title else heading
    return f"{head}\n{text}" if head else text


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences; table rows and list items stay whole lines."""
    return [sentence for sentence, _ in _sentences_with_breaks(paragraph)]


def _sentences_with_breaks(paragraph: str) -> list[tuple[str, bool]]:
    """(sentence, starts a new line) pairs, so a chunk can keep list items and table rows on their lines."""
    sentences: list[tuple[str, bool]] = []
    for line in paragraph.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("|"):
            if re.fullmatch(r"\|[\s:|-]+\|?", line):  # table separator row carries no text
                continue
            sentences.append((line, True))
            continue
        start = 0
        first = True
        for match in _SENTENCE_END.finditer(line):
            end = match.end()
            piece = line[start:end].strip()
            if piece:
                sentences.append((piece, first))
                first = False
            start = end
        rest = line[start:].strip()
        if rest:
            sentences.append((rest, first))
    return sentences


def _split_long_sentence(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    parts = [p for p in _CLAUSE_END.split(sentence) if p]
    pieces: list[str] = []
    current = ""
    for part in parts:
        while len(part) > max_chars:  # no clause boundary close enough: cut at the limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(part[:max_chars])
            part = part[max_chars:]
        if len(current) + len(part) > max_chars and current:
            pieces.append(current)
            current = ""
        current += part
    if current:
        pieces.append(current)
    return pieces


def _sections(body: str) -> list[tuple[str, list[str]]]:
    """(heading path, paragraphs) per section; a heading path joins nested headings with ' › '."""
    sections: list[tuple[str, list[str]]] = []
    stack: list[tuple[int, str]] = []
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush_paragraph() -> None:
        if buffer:
            paragraphs.append("\n".join(buffer))
            buffer.clear()

    def flush_section() -> None:
        flush_paragraph()
        if paragraphs:
            sections.append((" › ".join(title for _, title in stack), list(paragraphs)))
            paragraphs.clear()

    for line in body.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            flush_section()
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading.group(2).strip()))
        elif not line.strip():
            flush_paragraph()
        else:
            buffer.append(line)
    flush_section()
    return sections


def chunk_document(doc: Document, max_chars: int = 360) -> list[Chunk]:
    metadata = doc.metadata()
    chunks: list[Chunk] = []

    def emit(heading: str, pieces: list[tuple[str, bool]]) -> None:
        text = ""
        for piece, new_line in pieces:
            if text and new_line:
                text += "\n"
            elif text and piece[:1].isascii() and text[-1:].isascii():
                text += " "  # Latin sentences keep their space; CJK sentences join without one
            text += piece
        index = len(chunks)
        chunks.append(Chunk(f"{doc.id}#{index}", doc.id, index, text, heading, metadata))

    for heading, paragraphs in _sections(doc.body):
        current: list[tuple[str, bool]] = []
        size = 0
        for paragraph in paragraphs:
            new_paragraph = True
            for sentence, new_line in _sentences_with_breaks(paragraph):
                for i, piece in enumerate(_split_long_sentence(sentence, max_chars)):
                    if current and size + len(piece) > max_chars:
                        emit(heading, current)
                        current, size = [], 0
                    current.append((piece, (new_line or new_paragraph) and i == 0))
                    new_paragraph = False
                    size += len(piece)
            # a paragraph boundary is a natural break once the chunk is reasonably full
            if current and size >= max_chars // 2:
                emit(heading, current)
                current, size = [], 0
        if current:
            emit(heading, current)
    if doc.aliases and chunks:
        # Other names a document is known by (the founding article's spelling) are found in its first passage.
        names = glossary().frame("zh-TW", "also_known_as", names="、".join(doc.aliases))
        chunks[0] = replace(chunks[0], text=f"{chunks[0].text}\n{names}")
    return chunks
