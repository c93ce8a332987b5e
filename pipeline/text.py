"""Plain-text structure shared by the stages: paragraphs and their kinds.

Imports nothing else of the package (the layering test checks it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
CAPTION = re.compile(r"\bFoto\s*:", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:…”\"»]\s*$")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    kind: str


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs: blocks separated by blank lines.

    A text without any blank line but with line breaks is taken to have one paragraph per line,
    as many plain-text news exports do.
    """
    separator = BLANK_LINES if BLANK_LINES.search(text) else re.compile(r"\n+")
    spans, start = [], 0
    for match in separator.finditer(text):
        spans.append(_trimmed(text, start, match.start()))
        start = match.end()
    spans.append(_trimmed(text, start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def paragraph_kind(text: str, index: int, n_paragraphs: int) -> str:
    """`caption` for photo captions, `headline` for a short first line without final punctuation."""
    if CAPTION.search(text):
        return "caption"
    if index == 0 and n_paragraphs > 1 and "\n" not in text and len(text) <= 150 and not SENTENCE_END.search(text):
        return "headline"
    return "body"


def split_paragraphs(text: str) -> list[Paragraph]:
    spans = paragraph_spans(text)
    return [Paragraph(s, e, paragraph_kind(text[s:e], i, len(spans))) for i, (s, e) in enumerate(spans)]
