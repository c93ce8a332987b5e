"""The document view the rules work on: tokens (`Tok`), the document with its tags and names (`Doc`),
the records the rules produce (`Quote`, `Attribution`), sentence splitting and the paragraph rows."""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from pipeline.stages.quotes.constants import DASHES, OPEN_MARKS

# a soft hyphen (U+00AD, frequent in regeringen.se texts: `justitie\xadminister`) stays inside its word;
# markdown emphasis (`**I detta läge påstår **X att …` in debate articles) is no word: debate-dev tune
# quote F1 0.923 -> 0.937, attribution F1 0.872 -> 0.886 (`test_markdown_bold_lead`)
WORD_RE = re.compile(r"\w+(?:[-:'’\u00ad]\w+)*|[^\w\s*]")
# the characters `sentence_spans` acts on: quotation marks and sentence ends
SENTENCE_MARKS = re.compile(r'[”"»«.!?]')
# `bl.a.`, `t.ex.`, `ca.`, an initial (`John F. Kennedy`): a full stop that ends no sentence
ABBREVIATION = re.compile(r"(?:(?<![\w.])(?:[a-zåäö]{1,4}\.){2,}|(?<![\w.])(?:ca|kl|jfr|resp|dvs|nr|tel|bl)\.|"
                          r"(?<![\w.])[A-ZÅÄÖ]\.)$")


NO_TAGS = ("", "")  # (pos, morph) of a word the model did not tag


class Tok(NamedTuple):
    """One word of the text (a tuple: the rules make a million of them for 20,000 short documents, and a
    frozen dataclass took three times as long to build)."""

    text: str
    start: int
    end: int
    pos: str = ""
    morph: str = ""

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class Quote:
    kind: str
    start: int
    end: int
    paragraph_id: int
    cue: str = ""
    cue_lemma: str = ""
    mention: str = ""
    m_start: int | None = None
    m_end: int | None = None
    name: str | None = None  # name found in the speaker phrase itself
    source: str = ""
    continues: bool = False  # no attribution of its own: the previous speaker goes on
    dash: bool = False  # opened by a talstreck
    lone: bool = False  # a talstreck paragraph that can be no list item (`paragraphs.drop_list_items`)
    trailing: bool = False  # the clause before a closing `…, säger X.`
    confidence: float = 0.8
    speaker: str = ""
    title: bool = False  # a quoted title: said by the article's main speaker


@dataclass
class Attribution:
    """Cue, speaker phrase and outlet of one attribution (`säger han till TT`)."""

    cue: str = ""
    cue_lemma: str = ""
    mention: str = ""
    m_start: int | None = None
    m_end: int | None = None
    name: str | None = None
    source: str = ""


@dataclass
class Doc:
    """One document's text, tags and the names it uses."""

    doc_id: str
    text: str
    tags: dict[int, tuple[str, str]]
    origin: int = 0  # where its first paragraph starts (a window of a very long document: `windows.py`)
    cap_words: set[str] = field(default_factory=set)  # words written capitalised inside a sentence
    lower_words: set[str] = field(default_factory=set)  # words written in lower case
    names: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, name, title
    persons: set[str] = field(default_factory=set)  # names known to be people
    titles: dict[str, set[str]] = field(default_factory=dict)  # name -> titles written before it
    model_per: list[tuple[int, int]] = field(default_factory=list)
    questions: dict[int, tuple[int, int]] = field(default_factory=dict)  # body paragraphs that end in `?`
    deps: dict[int, str] = field(default_factory=dict)  # token start -> dependency relation, where parsed
    lemmas: dict[int, str] = field(default_factory=dict)  # token start -> lemma, where parsed
    longest: tuple[int, dict] | None = None  # names.fullest's index, for this many names

    token_cache: dict[tuple[int, int], tuple[Tok, ...]] = field(default_factory=dict, repr=False)

    def tokens(self, start: int, end: int) -> list[Tok]:
        """The words of text[start:end] (the rules ask for the same spans many times: kept per span)."""
        cached = self.token_cache.get((start, end))
        if cached is None:
            tag_of, new_tok = self.tags.get, tuple.__new__  # Tok's own __new__ is a Python call per word
            cached = self.token_cache[(start, end)] = tuple([
                new_tok(Tok, (m.group(), offset := m.start(), m.end()) + tag_of(offset, NO_TAGS))
                for m in WORD_RE.finditer(self.text, start, end)])
        return list(cached)

    def span(self, toks: list[Tok]) -> str:
        return self.text[toks[0].start: toks[-1].end] if toks else ""


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end]: split after . ! ? (not inside quotation marks)."""
    spans, s, inside = [], start, False
    i = start
    while (mark := SENTENCE_MARKS.search(text, i, end)) is not None:   # from mark to mark, not char by char
        i = mark.start()
        ch = text[i]
        if ch in "”\"":
            inside = not inside if (i + 1 >= end or not text[i + 1].isalnum() or not inside) else inside
        elif ch == "»":
            inside = True
        elif ch == "«":
            inside = False
        elif ch in ".!?" and not inside and not (ch == "." and ABBREVIATION.search(text, max(start, i - 12), i + 1)):
            j = i + 1
            while j < end and text[j] in "”»\"":
                j += 1
            k = j
            while k < end and text[k].isspace():
                k += 1
            if k >= end or (k > j and (text[k].isupper() or text[k] in DASHES + OPEN_MARKS + "*" or text[k].isdigit())):
                spans.append((s, j))
                s, i = k, k
                continue
        i += 1
    if s < end and text[s:end].strip():
        spans.append((s, end))
    return [(a, b) for a, b in spans if b > a]


ParagraphRow = namedtuple("ParagraphRow", "paragraph_id start end kind")


def paragraph_rows(paragraphs: pd.DataFrame, with_doc: bool = False) -> list:
    """The paragraphs as plain tuples (`ParagraphRow`, or `(doc_id, *ParagraphRow)` with `with_doc`):
    per-row pandas access costs more than the rules themselves."""
    names = (("doc_id",) if with_doc else ()) + ParagraphRow._fields
    columns = (paragraphs[name].tolist() for name in names)
    rows = zip(*columns, strict=True)
    return list(rows) if with_doc else [ParagraphRow(*row) for row in rows]
