"""The `quotes` table: all rules put together, document by document."""

from __future__ import annotations

import pandas as pd

from pipeline.run import schema
from pipeline.stages.quotes.document import paragraph_rows
from pipeline.stages.quotes.names import prepare
from pipeline.stages.quotes.paragraphs import first_person, paragraph_quotes
from pipeline.stages.quotes.speakers import resolve, timeline
from pipeline.stages.quotes.syntax import split_coordinated, syntax_quotes, words_by_document


def document_quotes(doc_id: str, text: str, paragraphs: pd.DataFrame, tokens: pd.DataFrame,
                    entities: pd.DataFrame, words: list | None = None) -> list[dict]:
    """Rows of the quotes table for one document."""
    paragraphs = paragraph_rows(paragraphs.sort_values("paragraph_id"))
    if words is None:
        words = words_by_document(tokens).get(doc_id, [])
    doc = prepare(doc_id, text, tokens, entities, paragraphs, words)
    quotes = [q for q in paragraph_quotes(doc, paragraphs) if q.end > q.start]
    split_coordinated(doc, quotes)
    quotes = sorted(quotes + syntax_quotes(doc, paragraphs, words, quotes), key=lambda q: q.start)
    resolve(doc, quotes, timeline(doc, paragraphs, quotes))
    # speech that no one in the article can be found to have said is most likely no speech (a list, a
    # slogan), unless it is a talstreck paragraph in the first person: speech whose speaker is unknown
    quotes = [q for q in quotes
              if q.speaker or not q.continues or (q.dash and first_person(doc, q.start, q.end, attributing=True))]
    rows = []
    for n, q in enumerate(quotes):
        rows.append({
            "doc_id": doc_id, "quote_id": f"{doc_id}:q{n}", "kind": q.kind, "quote": text[q.start:q.end],
            "start": q.start, "end": q.end, "speaker": q.speaker or None, "speaker_mention": q.mention or None,
            "speaker_start": q.m_start, "speaker_end": q.m_end, "cue": q.cue or None,
            "cue_lemma": q.cue_lemma or None, "source": q.source or None, "paragraph_id": q.paragraph_id,
            "confidence": q.confidence,
        })
    return rows


def extract_quotes(documents: pd.DataFrame, paragraphs: pd.DataFrame, sentences: pd.DataFrame,
                   tokens: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """The `quotes` table: every quote of every document with its speaker, cue and source.

    Works document by document. `sentences` is accepted for the stage interface but not used: the rules
    split sentences themselves so that a sentence never breaks inside quotation marks, whatever the model.
    Tags (`pos`, `morph`) and PER entities are used where the model gave them.
    """
    schema.validate(documents, schema.DOCUMENTS, "quotes input")
    by_doc = {name: dict(tuple(frame.groupby("doc_id", sort=False))) for name, frame in
              (("paragraphs", paragraphs), ("tokens", tokens), ("entities", entities))}
    words = words_by_document(tokens)
    rows: list[dict] = []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        doc_paragraphs = by_doc["paragraphs"].get(doc_id)
        if doc_paragraphs is None or doc_paragraphs.empty:
            continue
        doc_tokens = by_doc["tokens"].get(doc_id, schema.empty(schema.TOKENS))
        doc_entities = by_doc["entities"].get(doc_id, schema.empty(schema.ENTITIES))
        rows.extend(document_quotes(doc_id, text, doc_paragraphs, doc_tokens, doc_entities,
                                    words.get(doc_id, [])))
    if not rows:
        return schema.empty(schema.QUOTES)
    return schema.conform(pd.DataFrame(rows), schema.QUOTES)
