"""The `quotes` table: all rules put together, document by document."""

from __future__ import annotations

import pandas as pd

from pipeline.run import schema
from pipeline.stages.quotes.document import ParagraphRow, paragraph_rows
from pipeline.stages.quotes.names import prepare
from pipeline.stages.quotes.paragraphs import first_person, paragraph_quotes
from pipeline.stages.quotes.speakers import resolve, timeline
from pipeline.stages.quotes.stance import StanceFinder
from pipeline.stages.quotes.syntax import split_coordinated, syntax_quotes
from pipeline.stages.quotes.windows import BatchTokens, windows


def document_quotes(doc_id: str, text: str, paragraphs: list[ParagraphRow], tokens: pd.DataFrame,
                    per_spans: list[tuple[int, int]], words: list, stance: StanceFinder | None = None) -> list[dict]:
    """Rows of the quotes table for one document (`paragraphs` in order, the model's PER spans, the parsed
    words of `syntax.words_by_document`; `tokens` is read only when there is no parse)."""
    doc = prepare(doc_id, text, tokens, per_spans, paragraphs, words)
    quotes = [q for q in paragraph_quotes(doc, paragraphs) if q.end > q.start]
    split_coordinated(doc, quotes)
    quotes = sorted(quotes + syntax_quotes(doc, paragraphs, words, quotes), key=lambda q: q.start)
    resolve(doc, quotes, timeline(doc, paragraphs, quotes))
    # speech that no one in the article can be found to have said is most likely no speech (a list, a
    # slogan), unless it is a talstreck paragraph in the first person or one that is no list item: speech whose
    # speaker is unknown
    quotes = [q for q in quotes
              if q.speaker or not q.continues
              or (q.dash and (q.lone or first_person(doc, q.start, q.end, attributing=True)))]
    rows = []
    stance = stance or StanceFinder(None)
    for n, q in enumerate(quotes):
        cue_stance, stance_origin = stance(q.cue_lemma)
        rows.append({
            "doc_id": doc_id, "quote_id": f"{doc_id}:q{n}", "kind": q.kind, "quote": text[q.start:q.end],
            "start": q.start, "end": q.end, "speaker": q.speaker or None, "speaker_mention": q.mention or None,
            "speaker_start": q.m_start, "speaker_end": q.m_end, "cue": q.cue or None,
            "cue_lemma": q.cue_lemma or None, "cue_stance": cue_stance, "cue_stance_origin": stance_origin,
            "source": q.source or None, "paragraph_id": q.paragraph_id,
            "confidence": q.confidence,
        })
    return rows


def extract_quotes(documents: pd.DataFrame, paragraphs: pd.DataFrame, sentences: pd.DataFrame | None,
                   tokens: pd.DataFrame, entities: pd.DataFrame, stance: StanceFinder | None = None) -> pd.DataFrame:
    """The `quotes` table: every quote of every document with its speaker, cue and source.

    Works document by document. `sentences` (may be None) is not used: the rules
    split sentences themselves so that a sentence never breaks inside quotation marks, whatever the model.
    Tags (`pos`, `morph`) and PER entities are used where the model gave them; `stance` decides
    `cue_stance` (the lexicon alone when None).
    """
    stance = stance or StanceFinder(None)
    schema.validate(documents, schema.DOCUMENTS, "quotes input")
    # every table converted once for the batch: per-document pandas access cost more than the rules
    rows_of = {}
    for row in paragraph_rows(paragraphs.sort_values(["doc_id", "paragraph_id"], kind="stable"),
                              with_doc=True):
        rows_of.setdefault(row[0], []).append(ParagraphRow(*row[1:]))
    per = entities[entities["label"] == "PER"]
    per_of: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in zip(per["doc_id"].tolist(), per["start"].tolist(), per["end"].tolist(), strict=True):
        per_of.setdefault(doc_id, []).append((int(start), int(end)))
    batch = BatchTokens(tokens)
    rows: list[dict] = []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        if doc_id in rows_of:
            rows.extend(_windowed_quotes(doc_id, text, rows_of[doc_id], batch, per_of.get(doc_id, []), stance))
    if not rows:
        return schema.empty(schema.QUOTES)
    return schema.conform(pd.DataFrame(rows), schema.QUOTES)


def _windowed_quotes(doc_id: str, text: str, paragraphs: list[ParagraphRow], batch: BatchTokens,
                     per_spans: list[tuple[int, int]], stance: StanceFinder) -> list[dict]:
    """`document_quotes` window after window (`windows.windows`: one window for any news article), the
    quotes numbered through the document."""
    rows: list[dict] = []
    for window in windows(text, paragraphs):
        start, end = int(window[0].start), int(window[-1].end)
        frame, words = batch.window(doc_id, start, end)
        spans = [(s, e) for s, e in per_spans if start <= s < end]
        rows.extend(document_quotes(doc_id, text, window, frame, spans, words, stance))
    for n, row in enumerate(rows):
        row["quote_id"] = f"{doc_id}:q{n}"
    return rows
