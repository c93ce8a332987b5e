"""Quote spread: one statement quoted in several documents (the same words, lightly edited, shortened or cut
at another point) is one cluster, followed across sources and dates.

Each quote of at least `neardup.QUOTE_MIN_WORDS` words is a set of word 3-grams and a MinHash signature.
An LSH index at Jaccard `LSH_JACCARD` finds the candidates of each quote (a quote cut to a third of another
still shares a third of its shingles), and `neardup.shares_enough` decides on the exact sets, kept as 64-bit
hashes (`neardup.same_statement`: the measurement that chose it is there).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from pipeline import neardup
from pipeline.run import schema
from pipeline.run.registry import stage

LSH_JACCARD = 0.2


@stage("spread", reads=("documents", "linked_quotes", "copies"), writes=("spread", "quote_spread"), scope="corpus")
def spread_stage(documents: Iterable[pd.DataFrame], linked_quotes: pd.DataFrame,
                 copies: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The `spread` clusters of near-duplicate quotes across documents, and each member's `quote_spread` row."""
    facts: dict[str, tuple[str, str, int]] = {}
    for batch in documents:
        for doc_id, date, source in zip(batch["doc_id"].tolist(), batch["date"].tolist(), batch["source"].tolist(),
                                        strict=True):
            facts[doc_id] = (date if isinstance(date, str) and date else "", source if isinstance(source, str)
                             else "", len(facts))
    story_of = dict(zip(copies["doc_id"].tolist(), copies["story_id"].tolist(), strict=True))
    return spread_tables(linked_quotes, facts, story_of)


def quote_pairs(quotes: pd.DataFrame) -> tuple[list[tuple[int, int]], dict]:
    """Rows (i, j) of `quotes` that say the same thing in two documents, and each row's shingles."""
    index = neardup.BandIndex(LSH_JACCARD)
    sets: dict[int, np.ndarray] = {}
    pairs = []
    doc_ids = quotes["doc_id"].tolist()
    first_of: dict[bytes, int] = {}     # the same words again join the first quote, outside the index
    for i, text in enumerate(quotes["quote"].tolist()):
        shingled = neardup.quote_shingles(text)
        if shingled is None:
            continue
        sets[i] = hashes = neardup.shingle_hashes(shingled)
        key = hashlib.sha1(hashes.tobytes()).digest()
        if key in first_of:
            pairs.append((first_of[key], i))
            continue
        first_of[key] = i
        values = neardup.compact(neardup.signature(shingled))
        pairs.extend((j, i) for j in index.query(values) if doc_ids[j] != doc_ids[i] and neardup.shares_enough(
            neardup.common_hashes(hashes, sets[j]), len(hashes), len(sets[j])))
        index.insert(i, values)
    return pairs, sets


def spread_id(quote_id: str) -> str:
    return "s" + hashlib.sha1(quote_id.encode()).hexdigest()[:10]


def spread_tables(quotes: pd.DataFrame, facts: dict[str, tuple[str, str, int]],
                  story_of: dict[str, str]) -> dict[str, pd.DataFrame]:
    """`spread` and `quote_spread` from the quotes and each document's (date, source, run position)."""
    quotes = quotes.reset_index(drop=True)
    pairs, sets = quote_pairs(quotes)
    linked = neardup.UnionFind()
    for i, j in pairs:
        linked.union(i, j)
    doc_ids = quotes["doc_id"].tolist()
    clusters, members_rows = [], []
    for members in linked.groups().values():
        docs = {doc_ids[m] for m in members}
        if len(docs) < 2:
            continue
        clusters.append(_cluster(quotes, members, facts, story_of, sets, members_rows))
    if not clusters:
        return {"spread": schema.empty(schema.SPREAD), "quote_spread": schema.empty(schema.QUOTE_SPREAD)}
    spread = pd.DataFrame(clusters).sort_values(["n_docs", "first_date"], ascending=[False, True], kind="stable")
    members = pd.DataFrame(members_rows).sort_values(["doc_id", "quote_id"], kind="stable")
    return {"spread": schema.conform(spread, schema.SPREAD),
            "quote_spread": schema.conform(members, schema.QUOTE_SPREAD)}


def _cluster(quotes: pd.DataFrame, members: list[int], facts: dict[str, tuple[str, str, int]],
             story_of: dict[str, str], sets: dict[int, np.ndarray], member_rows: list[dict]) -> dict:
    def when(m: int) -> tuple:
        date, _, position = facts.get(quotes.at[m, "doc_id"], ("", "", 0))
        return (neardup.date_order(date), position, -len(quotes.at[m, "quote"] or ""))

    members = sorted(members, key=when)
    first = members[0]
    cluster = spread_id(quotes.at[first, "quote_id"])
    docs = list(dict.fromkeys(quotes.at[m, "doc_id"] for m in members))
    speakers = Counter((quotes.at[m, "speaker"], quotes.at[m, "person_id"]) for m in members
                       if isinstance(quotes.at[m, "speaker"], str))
    (speaker, person), _ = speakers.most_common(1)[0] if speakers else ((None, None), 0)
    sources = Counter(facts[d][1] for d in docs if d in facts and facts[d][1])
    dates = [facts[d][0] for d in docs if d in facts and facts[d][0]]
    for m in members:
        overlap = neardup.overlap(neardup.common_hashes(sets[m], sets[first]), len(sets[m]), len(sets[first]))
        member_rows.append({"doc_id": quotes.at[m, "doc_id"], "quote_id": quotes.at[m, "quote_id"],
                            "spread_id": cluster, "overlap": round(overlap, 3)})
    return {"spread_id": cluster, "quote": quotes.at[first, "quote"], "speaker": speaker,
            "person_id": person if isinstance(person, str) else None, "first_date": min(dates) if dates else None,
            "first_doc_id": quotes.at[first, "doc_id"], "last_date": max(dates) if dates else None,
            "n_quotes": len(members), "n_docs": len(docs), "n_stories": len({story_of.get(d, d) for d in docs}),
            "n_sources": len(sources), "sources": "|".join(s for s, _ in sources.most_common()) or None,
            "doc_ids": "|".join(docs)}
