"""The tables that pass between stages: their columns, dtypes and a validator.

Every stage reads and writes pandas DataFrames described here, and every character offset
(`start`, `end`, `speaker_start`, ...) refers to `documents.text` of the same `doc_id`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

STRING = "string"
INT = "Int64"
FLOAT = "float64"
BOOL = "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    description: str


@dataclass(frozen=True)
class TableSchema:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]


class SchemaError(ValueError):
    """A table does not have the columns or dtypes its schema asks for."""


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


DOCUMENTS = TableSchema(
    "documents",
    "One row per input article.",
    _cols(
        ("doc_id", STRING, "file name without extension (.txt) or the `id`/`doc_id` column"),
        ("title", STRING, "title column of the input, if any"),
        ("date", STRING, "YYYY-MM or YYYY-MM-DD, from a `date` column or a leading `date …` line"),
        ("url", STRING, "url column of the input, if any"),
        ("source", STRING, "source column of the input, if any"),
        ("path", STRING, "the input file the document came from"),
        ("text", STRING, "the article text; every offset in every table refers to it"),
        ("body_start", INT, "characters of the raw input dropped before `text` (a date prefix)"),
    ),
)

PARAGRAPHS = TableSchema(
    "paragraphs",
    "Blocks of text separated by blank lines.",
    _cols(
        ("doc_id", STRING, "document"),
        ("paragraph_id", INT, "0-based index within the document"),
        ("start", INT, "character offset of the first character"),
        ("end", INT, "character offset after the last character"),
        ("text", STRING, "documents.text[start:end]"),
        ("kind", STRING, "headline | caption (photo caption with `Foto:`) | body"),
    ),
)

SENTENCES = TableSchema(
    "sentences",
    "Sentences from the Swedish model; a sentence never crosses a paragraph boundary.",
    _cols(
        ("doc_id", STRING, "document"),
        ("sentence_id", INT, "0-based index within the document"),
        ("paragraph_id", INT, "paragraph that holds the sentence"),
        ("start", INT, "character offset"),
        ("end", INT, "character offset (exclusive)"),
        ("text", STRING, "documents.text[start:end]"),
    ),
)

TOKENS = TableSchema(
    "tokens",
    "Tokens with their linguistic analysis and the model's named-entity tags.",
    _cols(
        ("doc_id", STRING, "document"),
        ("token_id", INT, "0-based index within the document"),
        ("sentence_id", INT, "sentence that holds the token"),
        ("paragraph_id", INT, "paragraph that holds the token"),
        ("start", INT, "character offset"),
        ("end", INT, "character offset (exclusive)"),
        ("text", STRING, "token text"),
        ("lemma", STRING, "base form"),
        ("pos", STRING, "universal part of speech"),
        ("tag", STRING, "fine-grained tag (may be empty)"),
        ("morph", STRING, "UD morphological features, `Feat=Val|…`"),
        ("head", INT, "token_id of the syntactic head (itself for the root)"),
        ("dep", STRING, "universal dependency relation"),
        ("ent_iob", STRING, "B, I or O from the NER model"),
        ("ent_type", STRING, "PER, LOC, ORG, MISC or empty"),
    ),
)

ENTITIES = TableSchema(
    "entities",
    "One row per named-entity mention.",
    _cols(
        ("doc_id", STRING, "document"),
        ("mention_id", INT, "0-based index within the document"),
        ("start", INT, "character offset"),
        ("end", INT, "character offset (exclusive)"),
        ("text", STRING, "documents.text[start:end]"),
        ("label", STRING, "PER, LOC, ORG or MISC"),
        ("sentence_id", INT, "sentence that holds the mention"),
        ("token_start", INT, "token_id of the first token"),
        ("token_end", INT, "token_id after the last token"),
        ("origin", STRING, "model, lexicon (news agency list) or document (consistency rule)"),
    ),
)

LINKED_ENTITIES = TableSchema(
    "linked_entities",
    "The entity mentions as `people` linked them: entities' rows and columns, labels corrected where the "
    "evidence of the article says otherwise (a PER after a title, a place tagged PER), rows added for names "
    "the model missed (origin `credit`, `title`, `speaker`, `signature`, `surname`), and the ids. Exported as "
    "entities.csv.",
    ENTITIES.columns
    + _cols(
        ("person_id", STRING, "person the mention refers to (PER only)"),
        ("entity_id", STRING, "organisation or place the mention refers to"),
    ),
)

QUOTES = TableSchema(
    "quotes",
    "One row per quote (a multi-paragraph direct quote is one row per paragraph).",
    _cols(
        ("doc_id", STRING, "document"),
        ("quote_id", STRING, "`{doc_id}:q{n}`"),
        ("kind", STRING, "direct | indirect | mixed"),
        ("quote", STRING, "documents.text[start:end]"),
        ("start", INT, "character offset"),
        ("end", INT, "character offset (exclusive)"),
        ("speaker", STRING, "fullest name the article uses for the speaker"),
        ("speaker_mention", STRING, "words naming the speaker at the attribution (`han`, `Putin`)"),
        ("speaker_start", INT, "offset of speaker_mention (missing when there is none)"),
        ("speaker_end", INT, "offset after speaker_mention"),
        ("cue", STRING, "reporting verb as written, or `enligt`"),
        ("cue_lemma", STRING, "base form of the cue"),
        ("cue_stance", STRING, "how the cue frames the quote: neutral (säger, uppger, enligt) | endorsing "
                               "(konstaterar, påpekar) | distancing (hävdar, påstår, menar) | emotive (varnar, "
                               "kritiserar, medger)"),
        ("cue_stance_origin", STRING, "lexicon (cue_stance.txt) | vectors (the nearest listed verbs in the model's "
                                      "word vectors) | default (neutral: none near enough)"),
        ("source", STRING, "outlet the quote was reported through (`Reuters`)"),
        ("paragraph_id", INT, "paragraph that holds the quote"),
        ("confidence", FLOAT, "0..1, how sure the extractor is"),
    ),
)

LINKED_QUOTES = TableSchema(
    "linked_quotes",
    "The quotes as `people` linked them: quotes' rows and columns, `speaker` the name of the person (or "
    "organisation) in the article, and `person_id`. Exported as quotes.csv.",
    QUOTES.columns
    + _cols(("person_id", STRING, "person (or organisation: its entity_id) the speaker is")),
)

PEOPLE = TableSchema(
    "people",
    "One row per person, organisation and place across the whole run (the registry; persons first, most "
    "mentioned first).",
    _cols(
        ("person_id", STRING, "stable id, `p` (person), `o` (organisation) or `l` (place) + hash of the canonical "
                              "name; the person_id/entity_id of linked_entities and linked_quotes"),
        ("name", STRING, "fullest name used"),
        ("kind", STRING, "person | organisation | place"),
        ("variants", STRING, "other forms used, `|`-separated"),
        ("titles", STRING, "titles and roles (president, generalmajor, fotograf; for an organisation its "
                           "descriptions: tankesmedja), `|`-separated"),
        ("role", STRING, "the title used most often of the person"),
        ("gender", STRING, "female | male | unknown (from first names, else the pronouns used; empty for an "
                           "organisation or place)"),
        ("n_docs", INT, "documents that mention the person"),
        ("doc_ids", STRING, "those documents, `|`-separated, in run order"),
        ("n_mentions", INT, "mentions: names, resolved pronouns and role nouns, and quotes naming the speaker no "
                            "other way (never fewer than n_quotes)"),
        ("n_quotes", INT, "quotes attributed to the person"),
        ("first_date", STRING, "earliest document date"),
        ("last_date", STRING, "latest document date"),
    ),
)

COPIES = TableSchema(
    "copies",
    "One row per document: the story it belongs to, documents that are near-duplicates of one another (wire "
    "copy reprinted by several outlets, a press release and its republication). Exported as columns of "
    "documents.csv.",
    _cols(
        ("doc_id", STRING, "document"),
        ("story_id", STRING, "the story's earliest document (by date, then run order); the document itself when "
                             "it has no copies: count quotes once per story with it"),
        ("copy_of", STRING, "story_id when the document is a copy of an earlier one, else missing"),
        ("copies", INT, "documents in the story, this one included (1: no copies)"),
        ("similarity", FLOAT, "Jaccard similarity of the word 5-grams with the story's first document (MinHash "
                              "estimate; missing for the first)"),
    ),
)

SPREAD = TableSchema(
    "spread",
    "One row per statement that travels: near-duplicate quotes (the same words, lightly edited, shortened or cut "
    "at another point) in two or more documents.",
    _cols(
        ("spread_id", STRING, "`s` + hash of the first quote's id; quote_spread.spread_id"),
        ("quote", STRING, "canonical text: the quote as the earliest document has it (the longest there)"),
        ("speaker", STRING, "the speaker named most often for it"),
        ("person_id", STRING, "that speaker's person_id"),
        ("first_date", STRING, "earliest document date"),
        ("first_doc_id", STRING, "earliest document (by date, then run order)"),
        ("last_date", STRING, "latest document date"),
        ("n_quotes", INT, "quotes in the cluster"),
        ("n_docs", INT, "documents quoting it"),
        ("n_stories", INT, "stories (copies.story_id) quoting it: wire copy counted once"),
        ("n_sources", INT, "distinct documents.source among those documents"),
        ("sources", STRING, "those sources, `|`-separated, most frequent first"),
        ("doc_ids", STRING, "the documents, `|`-separated, by date"),
    ),
)

QUOTE_SPREAD = TableSchema(
    "quote_spread",
    "One row per quote in a spread cluster. Exported as quotes.csv's `spread_id`.",
    _cols(
        ("doc_id", STRING, "document"),
        ("quote_id", STRING, "quote (quotes.quote_id)"),
        ("spread_id", STRING, "cluster (spread.spread_id)"),
        ("overlap", FLOAT, "shared word 3-grams / those of the shorter, with the canonical quote (1.0: one holds "
                           "the other)"),
    ),
)

ALL = {
    s.name: s
    for s in (DOCUMENTS, PARAGRAPHS, SENTENCES, TOKENS, ENTITIES, QUOTES, PEOPLE, LINKED_ENTITIES, LINKED_QUOTES,
              COPIES, SPREAD, QUOTE_SPREAD)
}


class DocumentOrder(NamedTuple):
    """A table's rows grouped by document, in order of `within` inside each (`document_order`)."""

    frame: pd.DataFrame                  # the rows so ordered (the table itself when it already was)
    codes: np.ndarray                    # each row's document, as an index into `doc_ids`
    doc_ids: list[str]
    rows: dict[str, tuple[int, int]]     # doc_id -> its rows [a, b) of `frame`


def document_order(frame: pd.DataFrame, within: str) -> DocumentOrder:
    """The rows of `frame` by document (in order of first appearance) and by `within` inside each, with each
    document's row range: no copy when the table is in that order already (as the stages write it)."""
    codes, names = pd.factorize(frame["doc_id"])
    order = np.lexsort((frame[within].to_numpy(dtype="int64"), codes))
    if len(order) and not np.array_equal(order, np.arange(len(order))):
        frame, codes = frame.iloc[order], codes[order]
    bounds = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True]) if len(codes) else [0]
    doc_ids = [str(name) for name in names]
    rows = {doc_ids[codes[a]]: (int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)}
    return DocumentOrder(frame, codes, doc_ids, rows)


def only(schema: TableSchema, names: tuple[str, ...] | None) -> TableSchema:
    """The schema with only the columns `names` (all of them for None), in the schema's order."""
    if names is None:
        return schema
    return TableSchema(schema.name, schema.description, tuple(c for c in schema.columns if c.name in names))


def empty(schema: TableSchema) -> pd.DataFrame:
    """An empty table with the schema's columns and dtypes."""
    return _empty_template(schema).copy()


@functools.cache
def _empty_template(schema: TableSchema) -> pd.DataFrame:
    # Building a DataFrame column by column costs milliseconds; stages ask for empty tables per document.
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in schema.columns})


def conform(frame: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """Order the columns as the schema lists them and cast them to its dtypes.

    Missing columns are an error; extra columns are kept after the schema's own.
    """
    missing = [name for name in schema.names if name not in frame.columns]
    if missing:
        raise SchemaError(f"table {schema.name!r} lacks columns {missing}")
    extra = [name for name in frame.columns if name not in schema.names]
    out = frame[schema.names + extra].copy()
    for column in schema.columns:
        try:
            out[column.name] = out[column.name].astype(column.dtype)
        except (TypeError, ValueError) as err:
            raise SchemaError(f"table {schema.name!r}: column {column.name!r} cannot be {column.dtype}: {err}") from err
    return out.reset_index(drop=True)


def validate(frame: pd.DataFrame, schema: TableSchema, where: str = "") -> None:
    """Raise SchemaError unless `frame` has every column of `schema` with its dtype."""
    place = f" in {where}" if where else ""
    missing = [name for name in schema.names if name not in frame.columns]
    if missing:
        raise SchemaError(f"table {schema.name!r}{place} lacks columns {missing}")
    wrong = [
        f"{c.name} is {frame[c.name].dtype}, expected {c.dtype}"
        for c in schema.columns
        if str(frame[c.name].dtype) != c.dtype
    ]
    if wrong:
        raise SchemaError(f"table {schema.name!r}{place} has wrong dtypes: {'; '.join(wrong)}")


def markdown(schema: TableSchema) -> str:
    """The schema as a Markdown table, for the README."""
    rows = [f"| `{c.name}` | {c.dtype} | {c.description} |" for c in schema.columns]
    return "\n".join(
        [f"**{schema.name}** — {schema.description}", "", "| column | dtype | meaning |", "|---|---|---|", *rows]
    )
