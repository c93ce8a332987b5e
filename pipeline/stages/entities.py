"""Named-entity mentions from the model's token tags, a list of news outlets and in-document consistency.

Linear in a document's length: the token columns are arrays (no Python object per token), model
mentions are found for a whole batch at once, token spans by bisection and overlaps through a map of
the characters already covered, never by scanning every token or every mention again.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.lexicon import load
from pipeline.lexicon.names import is_outlet
from pipeline.run import schema
from pipeline.run.registry import stage

LABELS = ("PER", "LOC", "ORG", "MISC")
# the columns of `tokens` read: not the tags and the parse (they are most of a large table's memory)
TOKEN_COLUMNS = ("doc_id", "token_id", "sentence_id", "start", "end", "text", "ent_iob", "ent_type")


@functools.lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    names = sorted(load("outlets"), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


class _Tokens:
    """The token columns of a batch as arrays, sorted by document and token, with each document's rows.

    A document may have millions of tokens: no Python object is made per token, only per mention.
    """

    def __init__(self, tokens: pd.DataFrame) -> None:
        tokens, self.doc_code, self.doc_ids, self.rows = schema.document_order(tokens, "token_id")
        self.token_id = tokens["token_id"].to_numpy(dtype="int64")
        self.sentence_id = tokens["sentence_id"].to_numpy(dtype="int64")
        self.start = tokens["start"].to_numpy(dtype="int64")
        self.end = tokens["end"].to_numpy(dtype="int64")
        self.text = pa.chunked_array(pa.array(tokens["text"]))
        self.ent_type = pa.chunked_array(pa.array(tokens["ent_type"]))
        self.type_code, self.types = pd.factorize(tokens["ent_type"])
        iob = tokens["ent_iob"]
        self.inside = (iob.isin(["B", "I"]) & tokens["ent_type"].isin(LABELS)).to_numpy(dtype=bool, na_value=False)
        self.is_i = iob.eq("I").to_numpy(dtype=bool, na_value=False)

    def word(self, k: int) -> str:
        return self.text[k].as_py()


def looks_like_organisation(name: str) -> bool:
    """A newspaper (`Nordviks Tidning`) or an acronym (`KRWU`): no person, whatever the model says."""
    return is_outlet(name) or (len(name) >= 2 and name.isalpha() and name.isupper())


def model_mentions(tokens: _Tokens) -> dict[str, list[dict]]:
    """Spans of consecutive tokens that the model tagged B/I with one label, by document.

    A token continues the mention before it when it is tagged I with the same label, in the same
    sentence and document; every other token tagged B/I with a label opens one.
    """
    n = len(tokens.token_id)
    continues = np.zeros(n, dtype=bool)
    continues[1:] = (tokens.is_i[1:] & tokens.inside[:-1] & (tokens.type_code[1:] == tokens.type_code[:-1])
                     & (tokens.sentence_id[1:] == tokens.sentence_id[:-1])
                     & (tokens.doc_code[1:] == tokens.doc_code[:-1]))
    firsts = np.flatnonzero(tokens.inside & ~continues)
    breaks = np.flatnonzero(~continues)
    after = np.searchsorted(breaks, firsts, side="right")
    lasts = np.where(after < len(breaks), breaks[np.minimum(after, len(breaks) - 1)], n) - 1
    mentions: dict[str, list[dict]] = {}
    for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
        mentions.setdefault(tokens.doc_ids[tokens.doc_code[first]], []).append({
            "start": int(tokens.start[first]),
            "end": int(tokens.end[last]),
            "label": tokens.types[tokens.type_code[first]],
            "sentence_id": int(tokens.sentence_id[first]),
            "token_start": int(tokens.token_id[first]),
            "token_end": int(tokens.token_id[last]) + 1,
            "origin": "model",
            "_last": last,
        })
    return mentions


@functools.cache
def _name_particles() -> frozenset[str]:
    return frozenset(load("name_particles"))


def extend_over_name_particles(mentions: list[dict], tokens: _Tokens, rows: tuple[int, int]) -> None:
    """`Felipe de la Cruz`: a PER mention followed by name particles and a capitalised word takes them in."""
    particles = _name_particles()
    end_of_doc = rows[1]
    for mention in mentions:
        if mention["label"] != "PER":
            continue
        k = mention["_last"] + 1
        # no sentence check: the parser sometimes splits inside such names
        while k < end_of_doc and tokens.word(k) in particles:
            k += 1
        if (
            k > mention["_last"] + 1
            and k < end_of_doc
            and tokens.word(k)[:1].isupper()
            and tokens.ent_type[k].as_py() in ("", "PER")
        ):
            mention["end"], mention["token_end"] = int(tokens.end[k]), int(tokens.token_id[k]) + 1


def _token_span(tokens: _Tokens, rows: tuple[int, int], start: int, end: int) -> tuple[int, int, int] | None:
    """(token_start, token_end, sentence_id) of the tokens covering [start, end), if aligned.

    The document's tokens are in order, so their starts and ends are sorted: the tokens inside the span
    are those from the first start >= `start` to the last end <= `end`.
    """
    a, b = rows
    first = a + int(np.searchsorted(tokens.start[a:b], start, side="left"))
    last = a + int(np.searchsorted(tokens.end[a:b], end, side="right")) - 1
    if last < first or tokens.start[first] != start or tokens.end[last] != end:
        return None
    return int(tokens.token_id[first]), int(tokens.token_id[last]) + 1, int(tokens.sentence_id[first])


def outlet_mentions(text: str, tokens: _Tokens, rows: tuple[int, int]) -> list[dict]:
    """Mentions of known news outlets (ORG), where they align with token boundaries."""
    mentions = []
    for match in _outlet_pattern().finditer(text):
        span = _token_span(tokens, rows, match.start(), match.end())
        if span:
            mentions.append(
                {
                    "start": match.start(),
                    "end": match.end(),
                    "label": "ORG",
                    "sentence_id": span[2],
                    "token_start": span[0],
                    "token_end": span[1],
                    "origin": "lexicon",
                }
            )
    return mentions


class _Covered:
    """The characters that a set of mentions covers, so that whether a mention overlaps any of them costs
    its own length, not a pass over all of them. (Mentions are never empty: they span tokens.)"""

    def __init__(self, mentions: list[dict] = ()) -> None:
        self.chars = bytearray()
        for mention in mentions:
            self.add(mention)

    def add(self, mention: dict) -> None:
        start, end = mention["start"], mention["end"]
        if end > len(self.chars):
            self.chars.extend(bytes(end - len(self.chars)))
        self.chars[start:end] = b"\x01" * (end - start)

    def overlaps(self, mention: dict) -> bool:
        start, end = mention["start"], min(mention["end"], len(self.chars))
        return start < end and self.chars.find(1, start, end) != -1


def merge_mentions(preferred: list[dict], others: list[dict]) -> list[dict]:
    """`preferred` mentions plus those of `others` that overlap none of them (nor an earlier one kept)."""
    kept = list(preferred)
    covered = _Covered(kept)
    for mention in others:
        if not covered.overlaps(mention):
            kept.append(mention)
            covered.add(mention)
    return sorted(kept, key=lambda m: m["start"])


def consistency_mentions(text: str, tokens: _Tokens, rows: tuple[int, int], mentions: list[dict]) -> list[dict]:
    """Repeat a person's name elsewhere in the document: a surname tagged PER once is PER throughout.

    Capitalised single tokens equal to a word of a PER mention (or its genitive) become PER mentions.
    """
    names = {}
    for m in mentions:
        if m["label"] == "PER":
            for word in text[m["start"] : m["end"]].split():
                word = word.rstrip(".,:;")
                if word[:1].isupper() and len(word) > 2:
                    names[word] = "PER"
                    names[word + "s"] = "PER"
    if not names:
        return []
    a, b = rows
    found = pc.is_in(tokens.text.slice(a, b - a), value_set=pa.array(list(names), type=tokens.text.type))
    added = []
    for k in (a + np.flatnonzero(found.to_numpy(zero_copy_only=False))).tolist():
        word = tokens.word(k)
        if word[:1].isupper():
            added.append(
                {
                    "start": int(tokens.start[k]),
                    "end": int(tokens.end[k]),
                    "label": names[word],
                    "sentence_id": int(tokens.sentence_id[k]),
                    "token_start": int(tokens.token_id[k]),
                    "token_end": int(tokens.token_id[k]) + 1,
                    "origin": "document",
                }
            )
    return added


def document_entities(doc_id: str, text: str, tokens: _Tokens, from_model: list[dict]) -> list[dict]:
    """All mentions of one document, model first, then outlets and consistency additions."""
    rows = tokens.rows[doc_id]
    extend_over_name_particles(from_model, tokens, rows)
    for mention in from_model:
        del mention["_last"]
    listed = outlet_mentions(text, tokens, rows)
    # An outlet name overrides the model's label for the same span (AFP is no person).
    listed_spans, listed_chars = {(o["start"], o["end"]) for o in listed}, _Covered(listed)
    model_kept = [
        m
        for m in from_model
        if (m["start"], m["end"]) not in listed_spans and not (m["label"] != "PER" and listed_chars.overlaps(m))
    ]
    for mention in model_kept:
        if mention["label"] == "PER" and looks_like_organisation(text[mention["start"] : mention["end"]]):
            mention["label"] = "ORG"
    mentions = merge_mentions(listed, model_kept)
    mentions = merge_mentions(mentions, consistency_mentions(text, tokens, rows, mentions))
    for number, mention in enumerate(mentions):
        mention.update(
            doc_id=doc_id,
            mention_id=number,
            text=text[mention["start"] : mention["end"]],
        )
    return mentions


def extract_entities(documents: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """The `entities` table for `documents`, from their `tokens`."""
    schema.validate(documents, schema.DOCUMENTS, "entities input")
    schema.validate(tokens, schema.only(schema.TOKENS, TOKEN_COLUMNS), "entities input")
    if tokens.empty:
        return schema.empty(schema.ENTITIES)
    arrays = _Tokens(tokens)
    from_model = model_mentions(arrays)
    rows: list[dict] = []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=False):
        if doc_id in arrays.rows:
            rows.extend(document_entities(doc_id, text, arrays, from_model.get(doc_id, [])))
    if not rows:
        return schema.empty(schema.ENTITIES)
    return schema.conform(pd.DataFrame(rows), schema.ENTITIES)


@stage("entities", reads=("documents", "tokens"), writes=("entities",),
       columns={"tokens": TOKEN_COLUMNS},
       lexicons=("name_particles", "outlet_words", "outlets"))
def entities_stage(documents: pd.DataFrame, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Named-entity mentions of `documents` from the model's tags on their `tokens`."""
    return {"entities": extract_entities(documents, tokens)}
