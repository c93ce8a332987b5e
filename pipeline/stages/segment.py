"""Paragraphs, sentences and analysed tokens for each document.

Paragraphs come from blank lines; the Swedish model runs on each paragraph separately so a sentence
never crosses a paragraph boundary. Besides tokenisation, tags, lemmas and the parse, the model's
named-entity tags are kept on the tokens (`ent_iob`, `ent_type`) so that the `entities` stage need not
run the model again.

Cost is linear in a document's length: a paragraph longer than `PIECE_CHARS` is cut at sentence-like
boundaries before the model (`pipeline.text.piece_spans`), and the tables come out in parts of about
`PART_TOKENS` tokens, so one huge article neither stalls the model nor fills the memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.run import schema
from pipeline.run.registry import stage
from pipeline.text import Paragraph, piece_spans, split_paragraphs

if TYPE_CHECKING:                       # spaCy (and with it thinc and torch) loads only where a model runs
    from spacy.language import Language
    from spacy.tokens import Doc

# The spaCy pipeline's own components do per-sentence work over the whole text they are given
# (`Doc.text` is rebuilt on every call), so their cost grows with the square of a piece's length;
# no real paragraph comes near this, a whole article on one line does.
PIECE_CHARS = 10_000
PART_TOKENS = 50_000


@dataclass(frozen=True)
class _Job:
    """One piece of one paragraph, as the model sees it."""

    doc_id: str
    text: str            # the whole documents.text
    paragraph_id: int
    paragraph: Paragraph
    start: int           # the piece's offsets into `text`
    end: int
    first: bool          # the paragraph's first piece (its row is written once)


def _token_rows(
    doc_id: str, doc: Doc, text: str, offset: int, paragraph_id: int, first_token: int, first_sentence: int
) -> tuple[list[dict], list[dict]]:
    """Rows for the tokens and sentences of one analysed piece (whitespace tokens dropped).

    `text` is the document's text and `offset` where the piece starts in it (sentence texts are sliced
    from it: `Doc.text` costs a pass over the whole piece each time).
    """
    kept = [t for t in doc if not t.is_space]
    ids = {t.i: first_token + n for n, t in enumerate(kept)}
    sentence_of: dict[int, int] = {}
    sentences = []
    for n, sent in enumerate(s for s in doc.sents if any(not t.is_space for t in s)):
        words = [t for t in sent if not t.is_space]
        start, end = offset + words[0].idx, offset + words[-1].idx + len(words[-1].text)
        sentences.append(
            {
                "doc_id": doc_id,
                "sentence_id": first_sentence + n,
                "paragraph_id": paragraph_id,
                "start": start,
                "end": end,
                "text": text[start:end],
            }
        )
        for t in words:
            sentence_of[t.i] = first_sentence + n
    tokens = [
        {
            "doc_id": doc_id,
            "token_id": ids[t.i],
            "sentence_id": sentence_of[t.i],
            "paragraph_id": paragraph_id,
            "start": offset + t.idx,
            "end": offset + t.idx + len(t.text),
            "text": t.text,
            "lemma": t.lemma_ or t.text,
            "pos": t.pos_,
            "tag": t.tag_,
            "morph": str(t.morph),
            "head": ids.get(t.head.i, ids[t.i]),
            "dep": t.dep_,
            "ent_iob": t.ent_iob_ or "O",
            "ent_type": t.ent_type_,
        }
        for t in kept
    ]
    return tokens, sentences


def _jobs(documents: pd.DataFrame, limit: int) -> Iterator[_Job]:
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=False):
        for index, paragraph in enumerate(split_paragraphs(text)):
            for n, (start, end) in enumerate(piece_spans(text, paragraph.start, paragraph.end, limit)):
                yield _Job(doc_id, text, index, paragraph, start, end, n == 0)


def segment(
    documents: pd.DataFrame, nlp: Language, batch_size: int = 64, stream: bool = False
) -> dict[str, pd.DataFrame] | Iterator[dict[str, pd.DataFrame]]:
    """Analyse `documents` with `nlp`: returns the `paragraphs`, `sentences` and `tokens` tables.

    With `stream=True`, an iterator of parts of those tables (about `PART_TOKENS` tokens each, in
    document order) instead, which the runner appends one by one.
    """
    schema.validate(documents, schema.DOCUMENTS, "segment input")
    parts = _segment_parts(documents, nlp, batch_size)
    if stream:
        return parts
    collected = list(parts)
    return {name: _concat([part[name] for part in collected], schema.ALL[name]) for name in TABLES}


TABLES = ("paragraphs", "sentences", "tokens")


def _segment_parts(documents: pd.DataFrame, nlp: Language, batch_size: int) -> Iterator[dict[str, pd.DataFrame]]:
    jobs = list(_jobs(documents, min(PIECE_CHARS, nlp.max_length)))
    texts = (job.text[job.start : job.end] for job in jobs)
    paragraphs: list[dict] = []
    sentences: list[dict] = []
    tokens: list[dict] = []
    counters: dict[str, tuple[int, int]] = {}
    for job, doc in zip(jobs, nlp.pipe(texts, batch_size=batch_size), strict=True):
        if job.first:
            paragraphs.append(
                {
                    "doc_id": job.doc_id,
                    "paragraph_id": job.paragraph_id,
                    "start": job.paragraph.start,
                    "end": job.paragraph.end,
                    "text": job.text[job.paragraph.start : job.paragraph.end],
                    "kind": job.paragraph.kind,
                }
            )
        first_token, first_sentence = counters.get(job.doc_id, (0, 0))
        token_rows, sentence_rows = _token_rows(
            job.doc_id, doc, job.text, job.start, job.paragraph_id, first_token, first_sentence
        )
        tokens.extend(token_rows)
        sentences.extend(sentence_rows)
        counters[job.doc_id] = (first_token + len(token_rows), first_sentence + len(sentence_rows))
        if len(tokens) >= PART_TOKENS:
            yield _part(paragraphs, sentences, tokens)
            paragraphs, sentences, tokens = [], [], []
    if tokens or paragraphs or sentences:
        yield _part(paragraphs, sentences, tokens)


def _part(paragraphs: list[dict], sentences: list[dict], tokens: list[dict]) -> dict[str, pd.DataFrame]:
    return {
        "paragraphs": _table(paragraphs, schema.PARAGRAPHS),
        "sentences": _table(sentences, schema.SENTENCES),
        "tokens": _table(tokens, schema.TOKENS),
    }


def _table(rows: list[dict], table: schema.TableSchema) -> pd.DataFrame:
    if not rows:
        return schema.empty(table)
    return schema.conform(pd.DataFrame(rows), table)


def _concat(frames: list[pd.DataFrame], table: schema.TableSchema) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return schema.empty(table)
    if len(frames) == 1:
        return frames[0]
    return schema.conform(pd.concat(frames, ignore_index=True), table)


@stage("segment", reads=("documents",), writes=("paragraphs", "sentences", "tokens"), uses_model=True,
       lexicons=("female_names", "first_names", "male_names", "places", "titles"))
def segment_stage(documents: pd.DataFrame, nlp: Language) -> Iterator[dict[str, pd.DataFrame]]:
    """Paragraphs, sentences and tokens of `documents`, analysed by `nlp`, in parts (see `segment`)."""
    return segment(documents, nlp, stream=True)
