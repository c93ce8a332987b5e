"""Named-entity mentions from the model's token tags, a list of news outlets and in-document consistency."""

from __future__ import annotations

import functools
import re
from collections import namedtuple

import pandas as pd

from pipeline.lexicon import load
from pipeline.lexicon.names import is_outlet
from pipeline.run import schema
from pipeline.run.registry import stage

LABELS = ("PER", "LOC", "ORG", "MISC")


@functools.lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    names = sorted(load("outlets"), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


_TokenRow = namedtuple("_TokenRow", "token_id sentence_id start end text ent_iob ent_type")


def _token_rows(tokens: pd.DataFrame) -> list[_TokenRow]:
    """The columns this module needs as plain tuples: far faster to loop over than `itertuples`."""
    return [_TokenRow(*row) for row in zip(*(tokens[name].tolist() for name in _TokenRow._fields), strict=True)]


def looks_like_organisation(name: str) -> bool:
    """A newspaper (`Nordviks Tidning`) or an acronym (`KRWU`): no person, whatever the model says."""
    return is_outlet(name) or (len(name) >= 2 and name.isalpha() and name.isupper())


def model_mentions(rows: list[_TokenRow]) -> list[dict]:
    """Spans of consecutive tokens that the model tagged B/I with one label."""
    mentions: list[dict] = []
    current: dict | None = None
    for row in rows:
        continues = (
            current is not None
            and row.ent_iob == "I"
            and row.ent_type == current["label"]
            and row.sentence_id == current["sentence_id"]
        )
        if continues:
            current["end"], current["token_end"] = row.end, row.token_id + 1
            continue
        if current:
            mentions.append(current)
        current = None
        if row.ent_iob in ("B", "I") and row.ent_type in LABELS:
            current = {
                "start": row.start,
                "end": row.end,
                "label": row.ent_type,
                "sentence_id": row.sentence_id,
                "token_start": row.token_id,
                "token_end": row.token_id + 1,
                "origin": "model",
            }
    if current:
        mentions.append(current)
    return mentions


@functools.cache
def _name_particles() -> frozenset[str]:
    return frozenset(load("name_particles"))


def extend_over_name_particles(mentions: list[dict], rows: list[_TokenRow]) -> None:
    """`Felipe de la Cruz`: a PER mention followed by name particles and a capitalised word takes them in."""
    particles = _name_particles()
    by_id = {row.token_id: n for n, row in enumerate(rows)}
    for mention in mentions:
        if mention["label"] != "PER":
            continue
        k = by_id[mention["token_end"] - 1] + 1
        # no sentence check: the parser sometimes splits inside such names
        while k < len(rows) and rows[k].text in particles:
            k += 1
        if (
            k > by_id[mention["token_end"] - 1] + 1
            and k < len(rows)
            and rows[k].text[:1].isupper()
            and rows[k].ent_type in ("", "PER")
        ):
            mention["end"], mention["token_end"] = rows[k].end, rows[k].token_id + 1


def _token_span(tokens: pd.DataFrame, start: int, end: int) -> tuple[int, int, int] | None:
    """(token_start, token_end, sentence_id) of the tokens covering [start, end), if aligned."""
    inside = tokens[(tokens["start"] >= start) & (tokens["end"] <= end)]
    if inside.empty or inside["start"].iloc[0] != start or inside["end"].iloc[-1] != end:
        return None
    return int(inside["token_id"].iloc[0]), int(inside["token_id"].iloc[-1]) + 1, int(inside["sentence_id"].iloc[0])


def outlet_mentions(text: str, tokens: pd.DataFrame) -> list[dict]:
    """Mentions of known news outlets (ORG), where they align with token boundaries."""
    mentions = []
    for match in _outlet_pattern().finditer(text):
        span = _token_span(tokens, match.start(), match.end())
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


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def merge_mentions(preferred: list[dict], others: list[dict]) -> list[dict]:
    """`preferred` mentions plus those of `others` that overlap none of them."""
    kept = list(preferred)
    for mention in others:
        if not any(_overlaps(mention, k) for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m["start"])


def consistency_mentions(text: str, rows: list[_TokenRow], mentions: list[dict]) -> list[dict]:
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
    added = []
    for row in rows:
        if row.text in names and row.text[:1].isupper():
            added.append(
                {
                    "start": row.start,
                    "end": row.end,
                    "label": names[row.text],
                    "sentence_id": row.sentence_id,
                    "token_start": row.token_id,
                    "token_end": row.token_id + 1,
                    "origin": "document",
                }
            )
    return added


def document_entities(doc_id: str, text: str, tokens: pd.DataFrame) -> list[dict]:
    """All mentions of one document, model first, then outlets and consistency additions."""
    rows = _token_rows(tokens)
    from_model = model_mentions(rows)
    extend_over_name_particles(from_model, rows)
    listed = outlet_mentions(text, tokens)
    # An outlet name overrides the model's label for the same span (AFP is no person).
    model_kept = [
        m
        for m in from_model
        if not any(
            _overlaps(m, o) and m["label"] != "PER" or (m["start"], m["end"]) == (o["start"], o["end"]) for o in listed
        )
    ]
    for mention in model_kept:
        if mention["label"] == "PER" and looks_like_organisation(text[mention["start"] : mention["end"]]):
            mention["label"] = "ORG"
    mentions = merge_mentions(listed, model_kept)
    mentions = merge_mentions(mentions, consistency_mentions(text, rows, mentions))
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
    schema.validate(tokens, schema.TOKENS, "entities input")
    by_doc = dict(tuple(tokens.groupby("doc_id", sort=False)))
    rows: list[dict] = []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=False):
        doc_tokens = by_doc.get(doc_id)
        if doc_tokens is not None:
            rows.extend(document_entities(doc_id, text, doc_tokens.sort_values("token_id")))
    if not rows:
        return schema.empty(schema.ENTITIES)
    return schema.conform(pd.DataFrame(rows), schema.ENTITIES)


@stage("entities", reads=("documents", "tokens"), writes=("entities",),
       lexicons=("name_particles", "outlet_words", "outlets"))
def entities_stage(documents: pd.DataFrame, tokens: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Named-entity mentions of `documents` from the model's tags on their `tokens`."""
    return {"entities": extract_entities(documents, tokens)}
