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


# A sentence-like boundary: final punctuation (and closing quotes or brackets), whitespace, then what
# can open a sentence. The cut goes after the punctuation; the next piece starts after the whitespace.
SENTENCE_BOUNDARY = re.compile(r"[.!?…][\"'”»)\]]*(\s+)(?=[\"'”»«(\[–—-]?\s*[\w\"'”»«(\[])")


def _cut(text: str, start: int, limit: int) -> tuple[int, int]:
    """Where the piece starting at `start` ends (at most `limit` characters on) and the next one begins."""
    window = text[start : start + limit]
    half = limit // 2
    last = None
    for match in SENTENCE_BOUNDARY.finditer(window, half):
        last = match
    if last is not None:
        return start + last.start(1), start + last.end(1)
    for separator in ("\n", " ", "\t", "\u00a0"):
        at = window.rfind(separator, half)
        if at > 0:
            stop = at
            while stop > 0 and window[stop - 1].isspace():
                stop -= 1
            resume = at + 1
            while resume < len(window) and window[resume].isspace():
                resume += 1
            if stop > 0:
                return start + stop, start + resume
    return start + limit, start + limit


def piece_spans(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The span [start, end) of `text` cut into pieces of at most `limit` characters.

    A paragraph far longer than any real one (a whole article on one line, or a runaway block) is cut
    at sentence-like boundaries (else at a line break or space, else hard) so that the language model,
    whose cost and memory grow faster than the length of what it is given, only sees bounded pieces.
    Linear in the length of the span; the pieces keep their offsets into `text`.
    """
    if end - start <= limit:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        stop, resume = _cut(text, start, limit)
        pieces.append((start, stop))
        start = resume
    if end > start:
        pieces.append((start, end))
    return pieces
