"""Linking across documents: the run's label votes and surnames, person and organisation ids for clusters
(stable hashes of the folded canonical name) and the `people` table."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

import pandas as pd

from pipeline.lexicon.names import fold, person_pronouns
from pipeline.run import schema
from pipeline.stages.people.document import DocumentPeople
from pipeline.stages.people.mentions import split_mention


def _hash_id(prefix: str, key: str) -> str:
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _label_votes(entities: pd.DataFrame) -> tuple[dict[tuple[str, ...], Counter], set[str]]:
    """How often the run labels each name (genitive `-s` counted under the plain name too) with each label,
    and the last words of the run's full person names."""
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    surnames: set[str] = set()
    for text, label in zip(entities["text"], entities["label"], strict=True):
        if not isinstance(text, str) or not isinstance(label, str):
            continue
        key = tuple(fold(w) for w in split_mention(text).words)
        if not key:
            continue
        votes[key][label] += 1
        if key[-1].endswith("s") and len(key[-1]) > 3:
            votes[key[:-1] + (key[-1][:-1],)][label] += 1
        if label == "PER" and len(key) > 1:
            surnames.add(key[-1])
    return votes, surnames


def _global_people(docs: dict[str, DocumentPeople]) -> dict[tuple[str, int], str]:
    """person_id for every PER cluster: same full name → same person; one-word names join a unique full name."""
    full: dict[tuple[str, ...], list] = defaultdict(list)
    single: list[tuple[str, int, tuple[str, ...]]] = []
    for doc_id, doc in docs.items():
        for i, c in enumerate(doc.clusters):
            if c.label != "PER" or not c.mentions:
                continue
            if len(c.key) > 1:
                full[c.key].append((doc_id, i))
            else:
                single.append((doc_id, i, c.key))
    by_last: dict[str, set] = defaultdict(set)
    for key in full:
        by_last[key[-1]].add(key)
    out = {}
    for key, members in full.items():
        for member in members:
            out[member] = _hash_id("p", " ".join(key))
    for doc_id, i, key in single:
        owners = by_last.get(key[0], set())
        target = next(iter(owners)) if len(owners) == 1 else key
        out[(doc_id, i)] = _hash_id("p", " ".join(target))
    return out


def _entity_ids(docs: dict[str, DocumentPeople]) -> dict[tuple[str, int], str]:
    out = {}
    for doc_id, doc in docs.items():
        for i, c in enumerate(doc.clusters):
            if c.label == "ORG" and c.mentions:
                out[(doc_id, i)] = _hash_id("o", " ".join(c.key))
    return out


def _people_table(docs, people_of, dates, quote_counts) -> pd.DataFrame:
    groups: dict[str, list] = defaultdict(list)
    for (doc_id, i), pid in people_of.items():
        groups[pid].append((doc_id, docs[doc_id].clusters[i]))
    rows = []
    for pid, members in groups.items():
        names = Counter()
        for _, c in members:
            if len(c.key) == max(len(c2.key) for _, c2 in members):
                names[c.name] += 1
        name = max(names, key=lambda n: (names[n], -len(n)))
        variants = []
        for _, c in members:
            for form in [m.text.strip() for m in c.mentions] + [t for _, _, t in c.anaphors
                                                                if t.lower() not in person_pronouns()]:
                if form != name and form not in variants:
                    variants.append(form)
        titles = sorted({t for _, c in members for t in c.titles})
        genders = Counter(c.gender for _, c in members if c.gender != "unknown")
        gender = genders.most_common(1)[0][0] if genders else "unknown"
        doc_dates = sorted(d for d in (dates.get(doc_id) for doc_id, _ in members) if isinstance(d, str) and d)
        rows.append({
            "person_id": pid, "name": name, "variants": "|".join(variants), "titles": "|".join(titles),
            "gender": gender, "n_docs": len({doc_id for doc_id, _ in members}),
            "n_mentions": sum(len(c.mentions) + len(c.anaphors) for _, c in members),
            "n_quotes": quote_counts.get(pid, 0),
            "first_date": doc_dates[0] if doc_dates else None, "last_date": doc_dates[-1] if doc_dates else None,
        })
    if not rows:
        return schema.empty(schema.PEOPLE)
    table = pd.DataFrame(rows).sort_values(["n_mentions", "name"], ascending=[False, True], kind="stable")
    return schema.conform(table, schema.PEOPLE)
