"""Paragraphs, sentences and analysed tokens for each document.

Paragraphs come from blank lines; the Swedish model runs on each paragraph separately so a sentence
never crosses a paragraph boundary. Besides tokenisation, tags, lemmas and the parse, the model's
named-entity tags are kept on the tokens (`ent_iob`, `ent_type`) so that the `entities` stage need not
run the model again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.run import schema
from pipeline.run.registry import stage
from pipeline.text import Paragraph, split_paragraphs


def _token_rows(
    doc_id: str, doc: Doc, offset: int, paragraph_id: int, first_token: int, first_sentence: int
) -> tuple[list[dict], list[dict]]:
    """Rows for the tokens and sentences of one analysed paragraph (whitespace tokens dropped)."""
    kept = [t for t in doc if not t.is_space]
    ids = {t.i: first_token + n for n, t in enumerate(kept)}
    sentence_of: dict[int, int] = {}
    sentences = []
    for n, sent in enumerate(s for s in doc.sents if any(not t.is_space for t in s)):
        words = [t for t in sent if not t.is_space]
        sentences.append(
            {
                "doc_id": doc_id,
                "sentence_id": first_sentence + n,
                "paragraph_id": paragraph_id,
                "start": offset + words[0].idx,
                "end": offset + words[-1].idx + len(words[-1].text),
                "text": doc.text[words[0].idx : words[-1].idx + len(words[-1].text)],
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


def _paragraph_jobs(documents: pd.DataFrame) -> Iterator[tuple[str, str, int, int, Paragraph]]:
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=False):
        for index, paragraph in enumerate(split_paragraphs(text)):
            yield doc_id, text, index, paragraph.start, paragraph


def segment(documents: pd.DataFrame, nlp: Language, batch_size: int = 64) -> dict[str, pd.DataFrame]:
    """Analyse `documents` with `nlp`: returns the `paragraphs`, `sentences` and `tokens` tables."""
    schema.validate(documents, schema.DOCUMENTS, "segment input")
    jobs = list(_paragraph_jobs(documents))
    texts = (text[p.start : p.end] for _, text, _, _, p in jobs)
    paragraphs, sentences, tokens = [], [], []
    counters: dict[str, tuple[int, int]] = {}
    for (doc_id, text, index, offset, paragraph), doc in zip(
        jobs, nlp.pipe(texts, batch_size=batch_size), strict=False
    ):
        paragraphs.append(
            {
                "doc_id": doc_id,
                "paragraph_id": index,
                "start": paragraph.start,
                "end": paragraph.end,
                "text": text[paragraph.start : paragraph.end],
                "kind": paragraph.kind,
            }
        )
        first_token, first_sentence = counters.get(doc_id, (0, 0))
        token_rows, sentence_rows = _token_rows(doc_id, doc, offset, index, first_token, first_sentence)
        tokens.extend(token_rows)
        sentences.extend(sentence_rows)
        counters[doc_id] = (first_token + len(token_rows), first_sentence + len(sentence_rows))
    return {
        "paragraphs": _table(paragraphs, schema.PARAGRAPHS),
        "sentences": _table(sentences, schema.SENTENCES),
        "tokens": _table(tokens, schema.TOKENS),
    }


def _table(rows: list[dict], table: schema.TableSchema) -> pd.DataFrame:
    if not rows:
        return schema.empty(table)
    return schema.conform(pd.DataFrame(rows), table)


@stage("segment", reads=("documents",), writes=("paragraphs", "sentences", "tokens"), uses_model=True,
       lexicons=("female_names", "male_names", "places", "titles"))
def segment_stage(documents: pd.DataFrame, nlp: Language) -> dict[str, pd.DataFrame]:
    """Paragraphs, sentences and tokens of `documents`, analysed by `nlp`."""
    return segment(documents, nlp)
