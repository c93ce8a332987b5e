"""One document's people: `DocumentPeople` runs the analysis steps (mention repairs, clustering, rejecting
non-persons, pronoun and role-noun resolution) and answers which cluster a span or a name refers to."""

from __future__ import annotations

import bisect
import re

import pandas as pd

from pipeline.lexicon import words
from pipeline.lexicon.languages import looks_swedish
from pipeline.lexicon.names import fold, is_known_place
from pipeline.lexicon.nouns import matches_noun
from pipeline.stages.people.anaphora import Anaphora
from pipeline.stages.people.clusters import Clustering, name_parts
from pipeline.stages.people.context_names import ContextNames
from pipeline.stages.people.mention_fixes import MentionFixes
from pipeline.stages.people.mentions import Anaphor, Cluster, Mention, acronym, genitive_base, split_mention
from pipeline.stages.people.non_persons import NonPersons
from pipeline.stages.people.run_names import RunNames
from pipeline.text import split_paragraphs

# A conjunct (not `och hans fru`: hers and his) or an owned noun after a name in a speaker's phrase
PHRASE_CONJUNCT = re.compile(r"\s*(?:,\s*)?(?:och|samt|eller)\b(?!\s+(?:hans|hennes|dess|deras)\b)")
PHRASE_OWNER = re.compile(r"(?::?s|[’']s)\s+([a-zåäö]\w*)")


class DocumentPeople(MentionFixes, ContextNames, Clustering, NonPersons, Anaphora):
    """Clusters of the PER and ORG mentions of one document and resolved pronouns and role nouns."""

    def __init__(self, text: str, entities: pd.DataFrame | list[tuple[int, int, int, str]], add_credits: bool = True,
                 run: RunNames | None = None, speakers: list[tuple[int, int]] | None = None,
                 speaker_extents: list[tuple[int, int]] | None = None):
        """`entities`: the document's entity rows (start, end, label), or (row, start, end, label) tuples in order
        of start; `run`: what the run knows of names (default: these entities only); `speaker_extents`: spans
        of the quote extractor's speaker names of two to four capitalised words (`_extend_names`)."""
        self.text = text
        self.foreign = not looks_swedish(text)   # a page in English: only names with a sign of a person count
        self.speakers = speakers or []           # spans of full person names the quote extractor found
        self.speaker_extents = speaker_extents or []
        if run is None:                          # what the run knows of names: here only this document's
            spans = [(s, e, lab) for _, s, e, lab in entities] if not isinstance(entities, pd.DataFrame) else \
                list(zip(entities["start"], entities["end"], entities["label"], strict=True))
            run = RunNames.from_entities(pd.DataFrame({"text": [text[int(s):int(e)] for s, e, _ in spans],
                                                       "label": [lab for _, _, lab in spans]}))
        self.run = run
        self.votes = self.run.votes              # labels the run's mentions of a name got
        self.surnames = self.run.surnames        # last words of the run's full person names
        self.paragraphs = split_paragraphs(text)
        self._para_starts = [p.start for p in self.paragraphs]
        self.mentions: list[Mention] = []
        self.others: list[Mention] = []          # LOC and MISC
        self.added: list[Mention] = []           # photo-credit people the model missed
        self._alias: dict[tuple[str, ...], tuple[str, ...]] = {}   # acronym expansion → acronym key
        self.unnamed: list[tuple[int, int, int]] = []   # entity rows with no name in them (row, start, end)
        if isinstance(entities, pd.DataFrame):
            frame = entities.sort_values("start", kind="stable") if len(entities) else entities
            rows = list(zip(frame.index, frame["start"], frame["end"], frame["label"], strict=True))
        else:
            rows = entities
        for index, start, end, label in rows:
            mention = self._mention(int(index), int(start), int(end), str(label))
            if mention is None:
                self.unnamed.append((int(index), int(start), int(end)))   # `Presidenten` tagged PER
                continue
            (self.mentions if mention.label in ("PER", "ORG") else self.others).append(mention)
        self._join_split_names()
        self._join_particles()
        self._extend_names()
        self._cut_run_on_names()
        self._signatures()
        self._handles()
        self._nicknames()
        self._relabel_titled()
        self._relabel_by_majority()
        if add_credits:
            self._titled_names()
            self._known_surnames()
        self._credits(add_credits)
        self._genitives()
        self.clusters: list[Cluster] = []
        self._cluster("PER")
        self._merge_spelling_variants()
        self._cluster("ORG")
        self._collect_descriptors()
        self._reject()
        self.anaphors: list[Anaphor] = []
        self._resolve()
        self._span_index: tuple[_SpanIndex, _SpanIndex] | None = None
        self._name_index: dict[tuple[str, tuple[str, ...]], set[int]] | None = None
        self._acronyms: tuple[dict[str, set[int]], dict[str, set[int]]] | None = None

    # -- lookups
    def cluster_at(self, start: int, end: int, named_only: bool = False) -> int:
        """The single cluster named (or, unless `named_only`, referred to) within [start, end), else -1.
        (Asked once the document is analysed: its mentions and anaphors are indexed by start on the first
        call, so a long document costs a search per call, not a pass over all its mentions.)"""
        if self._span_index is None:
            self._span_index = (_SpanIndex([m for m in self.mentions if m.cluster >= 0]), _SpanIndex(self.anaphors))
        named, referring = self._span_index
        found = {m.cluster for m in named.overlapping(start, end)}
        if not named_only:
            found |= {a.cluster for a in referring.overlapping(start, end)}
        return found.pop() if len(found) == 1 else -1

    def cluster_heading(self, start: int, end: int, named_only: bool = False) -> int:
        """`cluster_at`, where that cluster's mention heads the phrase [start, end): not where a preposition
        or conjunction stands before it (`medier i Norrland`, `en talesperson för polisen`), a conjunct after
        it (`EU-kommissionen och ett antal medlemsstater`) or it owns a noun (`Trafikverkets presstjänst`):
        the phrase then names someone else. Tune: 5 quote speakers no longer a place or an organisation
        inside the speaker's phrase."""
        cluster = self.cluster_at(start, end, named_only)
        if cluster < 0:
            return cluster
        named, referring = self._span_index
        inside = [m for m in named.overlapping(start, end) if m.cluster == cluster] or \
            [m for m in referring.overlapping(start, end) if m.cluster == cluster]     # (names first: not `hans`)
        first = min(inside, key=lambda m: m.start)
        before = self.text[start:first.start].lower().split()
        joiners = words("phrase_joiners")
        joined = any(w in joiners and not (w == "och" and n and before[n - 1].endswith("-"))
                     for n, w in enumerate(before))          # `EU- och handelsminister Ann Linde` is hers
        last = max(inside, key=lambda m: m.end)
        after = self.text[last.end:end]
        owned = PHRASE_OWNER.match(after) or PHRASE_OWNER.match(self.text[last.end - 1:end])
        if owned:   # `enligt Reuters sammanställning`: the owner of a report speaks; `Harris i …` owns nothing
            noun = owned.group(1)
            owned = noun not in joiners and noun not in words("adverbs") and not (
                matches_noun(noun, "owner_nouns") or matches_noun(noun, "reporting_nouns"))
        if joined or PHRASE_CONJUNCT.match(after) or owned:
            return -1
        return cluster

    def without_text(self) -> DocumentPeople:
        """Drop the document text and paragraphs once the document is analysed (linking needs neither),
        and the span and name indexes (rebuilt when asked)."""
        self.text, self.paragraphs, self._para_starts, self._span_index, self._name_index = "", [], [], None, None
        self._acronyms = None
        return self

    def _index_names(self) -> dict[tuple[str, tuple[str, ...]], set[int]]:
        """(label, name) -> the clusters with a mention of that name or whose name it is part of
        (`_part_of`): what `cluster_named` looks up, built once the document is analysed."""
        index: dict[tuple[str, tuple[str, ...]], set[int]] = {}
        for i, c in enumerate(self.clusters):
            if not c.mentions:
                continue
            names = {m.key for m in c.mentions} | {c.key} | (name_parts(c.key) if c.label == "PER" else set())
            for name in names:
                index.setdefault((c.label, name), set()).add(i)
        return index

    def not_a_person(self, name: str) -> bool:
        """Is `name` one this document uses for a place, organisation or thing (or a rejected person)?"""
        key = tuple(fold(w) for w in split_mention(name).words)
        return bool(key) and (any(m.key == key for m in self.others) or is_known_place(list(key)))

    def cluster_named(self, mention: str) -> int:
        """The cluster a name, surname, genitive, title + name or acronym refers to, else -1."""
        parts = split_mention(mention)
        if not parts.words:
            return -1
        key = tuple(fold(w) for w in parts.words)
        # its base, or a name this stage kept in the genitive (`Murillo Karams`)
        keys = [key, genitive_base(key) or key[:-1] + (key[-1] + "s",)]
        if self._name_index is None:
            self._name_index = self._index_names()
        for label in ("PER", "ORG"):
            for k in keys:
                matches = sorted(self._name_index.get((label, k), ()))
                if matches:
                    return max(matches, key=lambda i: len(self.clusters[i].mentions))
        written = " ".join(parts.words)
        if written.isupper() or len(parts.words) > 1:
            if self._acronyms is None:
                self._acronyms = self._index_acronyms()
            by_acronym, by_words = self._acronyms
            found = by_acronym.get(written, set()) | by_words.get(acronym(parts.words), set())
            if found:
                return min(found)       # the first organisation, as a pass over the clusters found it
        return -1

    def _index_acronyms(self) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
        """For `cluster_named`: an ORG cluster by the acronym of each of its mentions, and by each mention's
        words (an acronym that names it). A pass over every mention per quote made a 20 MB article's people
        stage take longer than its segmenting."""
        by_acronym: dict[str, set[int]] = {}
        by_words: dict[str, set[int]] = {}
        for i, c in enumerate(self.clusters):
            if c.label != "ORG":
                continue
            for m in c.mentions:
                by_acronym.setdefault(acronym(m.parts.words), set()).add(i)
                by_words.setdefault(" ".join(m.parts.words), set()).add(i)
        return by_acronym, by_words


class _SpanIndex:
    """Mentions or anaphors (anything with `start` and `end`) sorted by start, for overlap queries."""

    def __init__(self, items: list) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]
        self.longest = max((item.end - item.start for item in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list:
        """The items with item.start < end and start < item.end (one further back than `longest` cannot)."""
        low = bisect.bisect_left(self.starts, start - self.longest)
        high = bisect.bisect_left(self.starts, end)
        return [item for item in self.items[low:high] if start < item.end]
