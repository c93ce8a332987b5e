"""The `people` table: one row per person, organisation and place of the run (`kind`), persons first.

Counts add up: `n_mentions` counts the names, the resolved pronouns and role nouns, and a quote whose
speaker is named no other way (a continued dash quote) counts as one mention of its speaker, so
`n_mentions >= n_quotes` always. Gender: the first names used (`Anna`, `Carl-Oskar`) when they agree, else
the pronouns resolved to the person when one gender has at least two thirds of them, else `unknown`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from pipeline.lexicon.names import first_name_gender, person_pronouns
from pipeline.run import schema
from pipeline.stages.people.document import DocumentPeople
from pipeline.stages.people.linking import _hash_id
from pipeline.stages.people.mentions import Cluster, Mention

KIND_ORDER = {"person": 0, "organisation": 1, "place": 2}


@dataclass
class _Entry:
    """What the run says about one registry row while it is collected."""

    kind: str
    names: Counter = field(default_factory=Counter)       # candidate names (fullest forms for a person)
    forms: list[str] = field(default_factory=list)        # every form used, first use first
    titles: Counter = field(default_factory=Counter)
    docs: dict[str, None] = field(default_factory=dict)   # documents in run order (an ordered set)
    mentions: int = 0
    first_genders: Counter = field(default_factory=Counter)
    pronouns: Counter = field(default_factory=Counter)

    def add_forms(self, forms: list[str], doc_id: str) -> None:
        self.forms.extend(forms)
        self.docs[doc_id] = None


def _person_forms(c: Cluster) -> list[str]:
    return [m.text.strip() for m in c.mentions] + [t for _, _, t in c.anaphors if t.lower() not in person_pronouns()]


def people_table(docs: dict[str, DocumentPeople], people_of: dict[tuple[str, int], str],
                 entity_ids: dict[tuple[str, int], str], dates: dict[str, object], quote_counts: Counter,
                 quote_mentions: Counter) -> pd.DataFrame:
    """The registry. `people_of`/`entity_ids`: (doc_id, cluster) -> id; `quote_counts`: id -> quotes;
    `quote_mentions`: (doc_id, cluster) -> quotes of that cluster that no counted mention names."""
    entries: dict[str, _Entry] = {}
    for doc_id, doc in docs.items():
        for i, c in enumerate(doc.clusters):
            if not c.mentions:
                continue
            gid = people_of.get((doc_id, i)) if c.label == "PER" else entity_ids.get((doc_id, i))
            if gid is None:
                continue
            entry = entries.setdefault(gid, _Entry("person" if c.label == "PER" else "organisation"))
            if c.label == "PER":
                entry.names[(len(c.key), c.name)] += 1
                entry.add_forms(_person_forms(c), doc_id)
                entry.first_genders.update(g for m in c.mentions if len(m.key) > 1 or len(c.key) == 1
                                           if (g := first_name_gender(m.parts.words[0])) != "unknown")
                entry.pronouns.update(c.pronoun_votes)
            else:
                entry.names[(0, c.name)] += len(c.mentions)
                entry.add_forms([m.name for m in c.mentions] + [t for _, _, t in c.anaphors], doc_id)
            entry.titles.update(c.title_counts)
            entry.mentions += len(c.mentions) + len(c.anaphors) + quote_mentions.get((doc_id, i), 0)
        for m in doc.others:
            if m.label in ("ORG", "LOC") and m.key:
                _add_other(entries, m, doc_id)
    rows = [_row(gid, e, dates, quote_counts.get(gid, 0)) for gid, e in entries.items()]
    if not rows:
        return schema.empty(schema.PEOPLE)
    table = pd.DataFrame(rows)
    table["_kind"] = table["kind"].map(KIND_ORDER)
    table = table.sort_values(["_kind", "n_mentions", "name"], ascending=[True, False, True], kind="stable")
    return schema.conform(table.drop(columns="_kind"), schema.PEOPLE)


def _add_other(entries: dict[str, _Entry], m: Mention, doc_id: str) -> None:
    """An organisation or place mention outside the clusters (a place, a name that is no person)."""
    gid = _hash_id(m.label[0].lower(), " ".join(m.key))
    entry = entries.setdefault(gid, _Entry("organisation" if m.label == "ORG" else "place"))
    entry.names[(0, m.name)] += 1
    entry.add_forms([m.name], doc_id)
    entry.mentions += 1


def _gender(entry: _Entry) -> str | None:
    if entry.kind != "person":
        return None
    if len(entry.first_genders) == 1:
        return next(iter(entry.first_genders))
    if entry.first_genders:
        gender, n = entry.first_genders.most_common(1)[0]
        if n >= 3 * (sum(entry.first_genders.values()) - n):
            return gender
        return "unknown"
    total = sum(entry.pronouns.values())
    if total:
        gender, n = entry.pronouns.most_common(1)[0]
        if 3 * n >= 2 * total:
            return gender
    return "unknown"


def _row(gid: str, entry: _Entry, dates: dict[str, object], n_quotes: int) -> dict:
    longest = max(length for length, _ in entry.names)
    names = Counter({name: n for (length, name), n in entry.names.items() if length == longest})
    if entry.kind == "person":
        name = max(names, key=lambda n: (names[n], -len(n)))      # the most frequent fullest name, then shorter
    else:
        name = max(names, key=lambda n: (names[n], len(n)))       # the most frequent form, then longer
    variants = list(dict.fromkeys(f for f in entry.forms if f != name))
    titles = sorted(entry.titles)
    role = min(entry.titles, key=lambda t: (-entry.titles[t], t)) if entry.titles else None
    doc_dates = sorted(d for d in (dates.get(doc_id) for doc_id in entry.docs) if isinstance(d, str) and d)
    return {
        "person_id": gid, "name": name, "kind": entry.kind, "variants": "|".join(variants),
        "titles": "|".join(titles), "role": role, "gender": _gender(entry), "n_docs": len(entry.docs),
        "doc_ids": "|".join(entry.docs), "n_mentions": entry.mentions, "n_quotes": n_quotes,
        "first_date": doc_dates[0] if doc_dates else None, "last_date": doc_dates[-1] if doc_dates else None,
    }


def quote_mentions(docs: dict[str, DocumentPeople], attributed: list[tuple[str, int, int, int]]) -> Counter:
    """(doc_id, cluster) -> quotes that no counted mention of the cluster names. `attributed`: (doc_id, cluster,
    speaker_start, speaker_end) of each attributed quote (-1 offsets when it has no speaker mention); a counted
    mention or resolved pronoun that overlaps the speaker mention names one quote at most."""
    claimed: dict[tuple[str, int], set[int]] = defaultdict(set)
    extra: Counter = Counter()
    for doc_id, cluster, start, end in attributed:
        c = docs[doc_id].clusters[cluster]
        spans = [(m.start, m.end) for m in c.mentions] + [(s, e) for s, e, _ in c.anaphors]
        taken = claimed[(doc_id, cluster)]
        free = next((n for n, (s, e) in enumerate(spans) if n not in taken and s < end and start < e), None)
        if free is None:
            extra[(doc_id, cluster)] += 1
        else:
            taken.add(free)
    return extra
