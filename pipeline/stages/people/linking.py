"""Linking across documents: person ids for PER clusters and entity ids for organisations and places (stable
hashes of the folded canonical name)."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from pipeline.lexicon.names import is_first_name_like
from pipeline.stages.people.document import DocumentPeople


def _hash_id(prefix: str, key: str) -> str:
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _global_people(docs: dict[str, DocumentPeople]) -> dict[tuple[str, int], str]:
    """person_id for every PER cluster: one person per full name across the run. A partial name joins a full
    name only where exactly one full name of the run fits it: a surname alone (`Batra`) or a surname of two
    words (`Kinberg Batra`, whose first word is no first name) the one full name that ends in it."""
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
    target: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in full:                              # `Kinberg Batra` → `Anna Kinberg Batra`
        if is_first_name_like(key[0]):
            continue
        longer = [k for k in by_last[key[-1]] if len(k) > len(key) and k[-len(key):] == key]
        if len(longer) == 1:
            target[key] = longer[0]
    for key in target:
        by_last[key[-1]].discard(key)
    out = {}
    for key, members in full.items():
        for member in members:
            out[member] = _hash_id("p", " ".join(target.get(key, key)))
    for doc_id, i, key in single:
        owners = by_last.get(key[0], set())
        head = next(iter(owners)) if len(owners) == 1 else key
        out[(doc_id, i)] = _hash_id("p", " ".join(target.get(head, head)))
    return out


def _entity_ids(docs: dict[str, DocumentPeople]) -> dict[tuple[str, int], str]:
    """entity_id of every ORG cluster: `o` + hash of its key (the same key in two documents, one id)."""
    out = {}
    for doc_id, doc in docs.items():
        for i, c in enumerate(doc.clusters):
            if c.label == "ORG" and c.mentions:
                out[(doc_id, i)] = _hash_id("o", " ".join(c.key))
    return out
