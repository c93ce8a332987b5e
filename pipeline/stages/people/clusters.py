"""Clusters of one document's PER and ORG mentions: a name with its surname, first name and genitive forms;
an acronym with its expansion; and the titles, organisation nouns and gender each cluster gets."""

from __future__ import annotations

import re

from pipeline.lexicon.names import first_name_gender
from pipeline.lexicon.nouns import org_noun_base, title_base
from pipeline.stages.people.document_state import DocumentState
from pipeline.stages.people.mentions import Cluster, Mention, acronym

APPOSITION = re.compile(r",[ \t\u00a0]+([^\W\d_][\w-]*)(?![\w-])")


def _apposition(text: str, end: int, person_starts: set[int]) -> re.Match | None:
    """The first word of an apposition after a mention (`Ulf Kristersson, statsminister, …`), unless it opens
    the next person's mention or stands right before it: in `statsminister Ulf Kristersson, utrikesminister
    Tobias Billström` the title is Billström's (on the 7,307 regeringen texts 51 of 3,660 persons had
    collected several ministries this way); `Eva Ström, ordförande Svenska kyrkan` keeps hers."""
    found = APPOSITION.match(text, end, end + 60)
    if found is None or found.start(1) in person_starts:
        return None
    following = found.end()
    while following < len(text) and text[following] in " \t\u00a0":
        following += 1
    return None if following in person_starts else found


class Clustering(DocumentState):
    """Mixin of `DocumentPeople`: mentions into clusters, and what describes each cluster."""

    def _cluster(self, label: str) -> None:
        mentions = [m for m in self.mentions if m.label == label]
        if not mentions:
            return
        keys = sorted(dict.fromkeys(m.key for m in mentions), key=len, reverse=True)   # ties: first use first
        heads: list[tuple[str, ...]] = []
        fuller = _Fuller()             # the heads so far by the shorter names that are part of them
        for key in keys:               # (`_part_of` for PER; an ORG name is part only of itself)
            if label == "ORG" or not fuller.of(key):
                heads.append(key)
                fuller.add(key, len(heads) - 1)
        if label == "ORG":
            heads = self._merge_acronyms(heads, mentions)
        base = len(self.clusters)
        cluster_of_head = {}
        for n, head in enumerate(heads):
            self.clusters.append(Cluster(label, head, acronym=head in self._alias.values()))
            cluster_of_head[head] = base + n
        last_seen: dict[int, int] = {}
        fuller = _Fuller()
        for n, head in enumerate(heads):
            fuller.add(head, n)
        for m in mentions:
            head = self._alias.get(m.key, m.key)
            if head in cluster_of_head:
                chosen = cluster_of_head[head]
            else:               # not a head: a PER name part of fuller ones (`_part_of`), in the heads' order
                candidates = [cluster_of_head[heads[n]] for n in fuller.of(m.key)] if label == "PER" else []
                if not candidates:
                    continue
                before = [c for c in candidates if c in last_seen]
                chosen = max(before, key=lambda c: last_seen[c]) if before else candidates[0]
            m.cluster = chosen
            last_seen[chosen] = m.start
            self.clusters[chosen].mentions.append(m)

    @staticmethod
    def _part_of(key: tuple[str, ...], head: tuple[str, ...], label: str) -> bool:
        """Does name `key` refer to the same entity as the fuller name `head`?"""
        if key == head:
            return True
        if label != "PER" or len(key) >= len(head):
            return False
        n = len(key)
        if head[-n:] == key or (n > 1 and head[:n] == key):   # surname (last words); first and middle name
            return True
        return n == 1 and head[0] == key[0]        # first name alone (`Fidel`, `Wol`)

    def _merge_spelling_variants(self) -> None:
        """Full names of one document that differ only by a slip in a first name (`Ann-Cathrine Wikström`,
        `Ann-Catrine Wikström`: same surname, other words at most two edits apart) are one person; the
        cluster with more mentions keeps its key. 1 double person on the tuning half."""
        people = [c for c in self.clusters if c.label == "PER" and len(c.key) > 1 and c.mentions]
        for n, a in enumerate(people):
            for b in people[n + 1:]:
                if not a.mentions or not b.mentions or a.key[-1] != b.key[-1] or len(a.key) != len(b.key):
                    continue
                pairs = zip(a.key, b.key, strict=True)
                if all(x == y or (min(len(x), len(y)) >= 4 and _edits(x, y) <= 2) for x, y in pairs):
                    keep, gone = (a, b) if (len(a.mentions), -a.mentions[0].start) >= \
                        (len(b.mentions), -b.mentions[0].start) else (b, a)
                    target = self.clusters.index(keep)
                    for m in gone.mentions:
                        m.cluster = target
                    keep.mentions = sorted(keep.mentions + gone.mentions, key=lambda m: m.start)
                    gone.mentions = []

    def _merge_acronyms(self, heads: list[tuple[str, ...]], mentions: list[Mention]) -> list[tuple[str, ...]]:
        """`ISW` and `Institute for the Study of War` are one organisation (kept under the acronym's key)."""
        written = {m.key: m.parts.words for m in mentions}
        by_acronym: dict[str, list[tuple[str, ...]]] = {}       # the expansions of each acronym, in order
        for long in heads:
            if len(long) > 1:
                by_acronym.setdefault(acronym(written[long]), []).append(long)
        gone: set[tuple[str, ...]] = set()
        for short in heads:
            words = written[short]
            if len(words) != 1 or not (2 <= len(words[0]) <= 8 and words[0].isupper()):
                continue
            for long in by_acronym.get(words[0], []):
                if long != short and long not in gone:
                    gone.add(long)
                    self._alias[long] = short
        return [head for head in heads if head not in gone]

    def _collect_descriptors(self) -> None:
        """Titles and organisation nouns: inside the mention, the word before it, or an apposition after it."""
        person_starts = {m.start for m in self.mentions if m.label == "PER"}
        for m in self.mentions:
            if m.cluster < 0:
                continue
            cluster = self.clusters[m.cluster]
            cluster.photographer |= m.credit
            if m.credit:
                cluster.titles.add("fotograf")
                cluster.title_counts["fotograf"] += 1
            found: set[str] = set(m.parts.titles if m.label == "PER" else [])
            found_org: set[str] = set()
            before = self._word_before(m.start, 60)
            after = _apposition(self.text, m.end, person_starts)
            words = [w for w in [before and before.group(1), after and after.group(1)] if w]
            words += [w for w in m.text.split()[:-1]]
            for word in words:
                if m.label == "PER" and (base := title_base(word)):
                    found.add(base)
                if m.label == "ORG" and (base := org_noun_base(word)):
                    found_org.add(base)
            cluster.titles.update(found)
            cluster.org_nouns.update(found_org)
            cluster.title_counts.update(found | found_org)   # once a mention, however many words name it
        for cluster in self.clusters:
            if cluster.label == "PER":
                firsts = [m.parts.words[0] for m in cluster.mentions if len(m.key) > 1] or \
                         [m.parts.words[0] for m in cluster.mentions]
                genders = {first_name_gender(w) for w in firsts} - {"unknown"}
                cluster.gender = genders.pop() if len(genders) == 1 else "unknown"


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two short words."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


class _Fuller:
    """Heads (person names) by each shorter name `Clustering._part_of` makes part of them: their last
    words, their first words (two or more) and their first word alone; so a name finds the fuller
    names it is part of in one lookup, not a pass over all heads (quadratic in a long document)."""

    def __init__(self) -> None:
        self.by_part: dict[tuple[str, ...], list[int]] = {}

    def add(self, head: tuple[str, ...], position: int) -> None:
        for part in name_parts(head):
            self.by_part.setdefault(part, []).append(position)

    def of(self, key: tuple[str, ...]) -> list[int]:
        """The positions of the heads longer than `key` that it is part of, in the order they were added."""
        return self.by_part.get(key, [])


def name_parts(head: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The shorter names that `Clustering._part_of` makes part of the person name `head`."""
    parts = {head[-n:] for n in range(1, len(head))} | {head[:n] for n in range(2, len(head))}
    if len(head) > 1:
        parts.add(head[:1])
    return parts
