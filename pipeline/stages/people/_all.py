"""People: every mention linked to a person (or organisation, place), within and across articles.

Within a document the named mentions of one person form a cluster: full name, surname alone, first name
alone, title + name, genitive (`Putins`), spelling variants that differ only in diacritics (`Jørgen`/
`Jörgen`). Pronouns (`han`, `hon`, ...) and role nouns used alone (`presidenten`, `riksåklagaren`) are
resolved to the most recent compatible person (gender; a person with that title); organisation nouns
(`tankesmedjan`, `facket`) to the most recent organisation described so; acronyms join their expansion
(`ISW` ↔ `Institute for the Study of War`). Photo credits (`Foto: Name/AFP`) are people with the title
`fotograf`, never antecedents.

Across documents the same full name is one person; a cluster known only by one word joins a full name
when exactly one full name in the run ends with that word. Ids are `p`/`o`/`l` + a short hash of the
folded canonical name, so re-runs give the same ids.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from pipeline.lexicon import load
from pipeline.lexicon.names import (
    fold,
    folded_outlets,
    folded_places,
    is_first_name,
    is_listed_place,
    name_gender,
    person_pronouns,
)
from pipeline.lexicon.nouns import gendered_nouns, noun_base, org_noun_base, org_nouns, place_nouns, title_base
from pipeline.lexicon.verbs import direct_forms
from pipeline.run import schema
from pipeline.text import split_paragraphs

WORD = re.compile(r"[^\W\d_][\w-]*(?::s)?", re.UNICODE)
CREDIT = re.compile(r"\b(?:Foto|Bild|Photo)\s*:\s*([^\n]+)", re.IGNORECASE)
CREDIT_SPLIT = re.compile(r"\s*(?:/|,|;|\bvia\b|\boch\b|\band\b|\||\))\s*")
QUOTED = re.compile(r"[”\"»«“][^”\"»«“\n]*[”\"»«“]")
SENTENCE_BREAK = re.compile(r"(?<=[.!?…”\"])\s+(?=[–—\-]?\s*[A-ZÅÄÖ0-9”\"])|\n\s*")
DASH_ATTRIBUTION = re.compile(r",\s+\w+\s+$")
TITLED_NAME = re.compile(
    r"(?<![\w-])([a-zåäöéü][\w-]+)[ \t\u00a0]+((?:[A-ZÅÄÖÉØÆ][\w'’-]+)(?:[ \t\u00a0]+"
    r"(?:(?:de|la|del|di|da|dos|van|von|der|af|bin|al|le|du)[ \t\u00a0]+)*[A-ZÅÄÖÉØÆ][\w'’-]+){1,3})")
DESCRIBED_ORG = re.compile(r"(?<![\w-])([a-zåäö][\w-]+)[ \t\u00a0]+([A-ZÅÄÖ]{2,8}(?![\w-])|"
                           r"[A-ZÅÄÖ][\w-]+(?:[ \t\u00a0]+[A-ZÅÄÖ][\w-]+){0,3})")


@functools.lru_cache(maxsize=1)
def reporting_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A reporting verb right after a name (``Löfven, säger``) and one right before it (``sade Löfven``,
    ``enligt Löfven``), from the quote stage's verb lexicons (pipeline/lexicon/*_verbs.txt)."""
    verbs = "(?:" + "|".join(sorted(map(re.escape, direct_forms()), key=len, reverse=True)) + ")"
    return (re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*" + verbs + r"\b"),
            re.compile(r"\b(?:" + verbs + r"|enligt)[ \t\u00a0]+$"))


NOT_A_VERB = {"och", "eller", "samt", "som", "i", "på", "av", "för", "med", "till", "från", "om", "mot", "hos", "vid",
              "under", "efter", "inför", "genom", "utan", "åt", "över", "bakom", "mellan", "bland", "kring", "enligt",
              "men", "utom", "via", "per", "the", "of", "and", "de", "la", "del", "y", "et", "och/eller"}
MAX_WORDS_NEEDING_EVIDENCE = 1   # names this long or shorter need a sign of a person (unless a known first name)
CLAUSE_WORDS = {"att", "som", "är", "var", "har", "hade", "ska", "skulle", "kan", "kunde", "vill", "sade", "säger",
                "sa", "menar", "enligt", "men", "eller"}
DETERMINERS = {"den", "det", "de", "en", "ett", "the", "a", "an", "denna", "detta", "dessa"}
ACRONYM_SKIP = {"for", "the", "of", "and", "in", "on", "to", "för", "och", "i", "av", "på",
                "de", "la", "del", "der", "des"}
CREDIT_NOISE = {"photo", "foto", "bild", "pool", "images", "image", "press", "news", "agency", "scanpix", "getty",
                "shutterstock", "kremlin", "pressbild", "privat", "arkiv", "arkivbild", "handout", "epa", "ntb"}


# ----------------------------------------------------------------------------------------- lexicons


def _common_noun_end(words: list[str]) -> str:
    """LOC/ORG when a name ends in the definite form of a compound place or organisation noun
    (`Espresso House Konserthuset`, `Skolans Idrottsförbundet`), else ""."""
    last = words[-1] if words else ""
    if not last.endswith(("et", "en")) or len(last) < 8:
        return ""
    stem = last.lower()[:-2]
    for lexicon, label in ((place_nouns(), "LOC"), (org_nouns(), "ORG")):
        # a compound (konserthus), not the bare noun (Bergen)
        if any(stem[cut:] in lexicon for cut in range(3, len(stem) - 2)):
            return label
    return ""


def _named_after(words: list[str]) -> bool:
    """A place or thing named after someone: a genitive first name inside the name (`Prins Eugens
    Waldemarsudde`, `Eriks gata`), not a first name that ends in -s (`Hans Blix`)."""
    return any(w.endswith("s") and name_gender(w) == "unknown" and name_gender(w[:-1]) != "unknown"
               for w in words[:-1])


@functools.lru_cache(maxsize=1)
def _not_genitive_next() -> frozenset[str]:
    return frozenset(load("name_stopwords"))


def _hash_id(prefix: str, key: str) -> str:
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _compatible(a: str, b: str) -> bool:
    """Two title (or organisation-noun) bases that name the same role: equal, or one a compound of the other."""
    return a == b or a.endswith(b) or b.endswith(a)


# ------------------------------------------------------------------------------------ name analysis

@dataclass
class NameParts:
    words: list[str]            # the name proper, as written (genitive `s` not yet removed)
    titles: list[str]           # title bases found inside the mention (President Putin)
    org_nouns: list[str] = field(default_factory=list)   # organisation nouns inside it (Stiftelsen X)


def split_mention(text: str) -> NameParts:
    """Separate leading determiners, adjectives and titles from the name in a mention."""
    text = text.split("/")[0]
    words = [w.strip(".,;:!?()[]”“\"'»«") for w in text.split()]
    words = [w[:-2] if w.endswith(":s") else w for w in words if w]
    titles: list[str] = []
    org_nouns: list[str] = []
    while words:
        first = words[0]
        base = title_base(first) or org_noun_base(first)
        if base and len(words) > 1:
            (titles if title_base(first) else org_nouns).append(base)
            words.pop(0)
        elif first.lower() in DETERMINERS or (first[:1].islower() and len(words) > 1):
            words.pop(0)
        else:
            break
    for n, word in enumerate(words):
        if n and word in CLAUSE_WORDS:           # a span that ran into the sentence (`La Tercera att en …`)
            words = words[:n]
            break
    if len(words) == 1 and (title_base(words[0]) or org_noun_base(words[0]) or words[0].lower() in person_pronouns()):
        words = []
    return NameParts(words, titles, org_nouns)


def acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in ACRONYM_SKIP and w[0].isupper()).upper()


# --------------------------------------------------------------------------------- per-document work

@dataclass
class Mention:
    index: int                  # row position in the entities input (-1: a mention this stage added)
    start: int
    end: int
    label: str
    text: str
    parts: NameParts
    key: tuple[str, ...] = ()   # folded name words, genitive removed
    name: str = ""              # the name as written, genitive removed
    caption: bool = False
    credit: bool = False
    noise: bool = False         # a word of a photo agency credit (Kremlin Pool Photo)
    origin: str = ""            # for mentions this stage added: credit | title | speaker
    cluster: int = -1
    joined: list[int] = field(default_factory=list)   # further entity rows this mention covers


@dataclass
class Cluster:
    label: str
    key: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    org_nouns: set[str] = field(default_factory=set)
    gender: str = "unknown"
    pronoun_votes: Counter = field(default_factory=Counter)
    anaphors: list[tuple[int, int, str]] = field(default_factory=list)
    photographer: bool = False
    acronym: bool = False
    rejected: str = ""          # the label a PER cluster got instead, when it looks like no person

    @property
    def name(self) -> str:
        """Person: first spelling of the fullest name. Organisation: the acronym when it has one (`ISW` for
        `Institute for the Study of War`), else the most frequent name, then the longest."""
        if self.label == "PER" or self.acronym:
            full = [m.name for m in self.mentions if m.key == self.key]
            return full[0] if full else self.mentions[0].name
        counts = Counter(m.name for m in self.mentions if not m.credit)
        if not counts:
            counts = Counter(m.name for m in self.mentions)
        return max(counts, key=lambda n: (counts[n], len(n), -self._first(n)))

    def _first(self, name: str) -> int:
        return min(m.start for m in self.mentions if m.name == name)


@dataclass
class Anaphor:
    start: int
    end: int
    text: str
    kind: str                   # pronoun | title | org
    value: str                  # gender, title base or organisation-noun base
    cluster: int = -1


class DocumentPeople:
    """Clusters of the PER and ORG mentions of one document and resolved pronouns and role nouns."""

    def __init__(self, text: str, entities: pd.DataFrame, add_credits: bool = True,
                 votes: dict[tuple[str, ...], Counter] | None = None, surnames: set[str] | None = None,
                 speakers: list[tuple[int, int]] | None = None):
        self.text = text
        self.speakers = speakers or []           # spans of full person names the quote extractor found
        self.votes = votes or {}                 # labels the run's mentions of a name got
        self.surnames = surnames or set()        # last words of the run's full person names
        self.paragraphs = split_paragraphs(text)
        self._para_starts = [p.start for p in self.paragraphs]
        self.mentions: list[Mention] = []
        self.others: list[Mention] = []          # LOC and MISC
        self.added: list[Mention] = []           # photo-credit people the model missed
        self._alias: dict[tuple[str, ...], tuple[str, ...]] = {}   # acronym expansion → acronym key
        self.unnamed: list[tuple[int, int, int]] = []   # entity rows with no name in them (row, start, end)
        rows = entities.sort_values("start") if len(entities) else entities
        for index, row in zip(rows.index, rows.itertuples(index=False), strict=True):
            mention = self._mention(int(index), int(row.start), int(row.end), str(row.label))
            if mention is None:
                self.unnamed.append((int(index), int(row.start), int(row.end)))   # `Presidenten` tagged PER
                continue
            (self.mentions if mention.label in ("PER", "ORG") else self.others).append(mention)
        self._join_split_names()
        self._relabel_titled()
        if add_credits:
            self._titled_names()
        self._credits(add_credits)
        self._genitives()
        self.clusters: list[Cluster] = []
        self._cluster("PER")
        self._cluster("ORG")
        self._collect_descriptors()
        self._reject()
        self.anaphors: list[Anaphor] = []
        self._resolve()

    # -- mentions
    def _paragraph(self, offset: int):
        i = bisect.bisect_right(self._para_starts, offset) - 1
        return self.paragraphs[max(i, 0)] if self.paragraphs else None

    def _mention(self, index: int, start: int, end: int, label: str) -> Mention | None:
        text = self.text[start:end]
        parts = split_mention(text)
        if not parts.words or not any(w[:1].isupper() for w in parts.words):
            return None
        paragraph = self._paragraph(start)
        return Mention(index, start, end, label, text, parts, caption=bool(paragraph and paragraph.kind == "caption"))

    def _join_split_names(self) -> None:
        """One name the model split in two (`Jörgen` + `Bach`), or whose first name it left out (`Jørgen`
        untagged before `Bach`), is one mention."""
        out: list[Mention] = []
        for m in self.mentions:
            prev = out[-1] if out else None
            if prev and prev.label == m.label == "PER" and re.fullmatch(r"[ \t\u00a0]+", self.text[prev.end:m.start]) \
                    and len(prev.parts.words) + len(m.parts.words) <= 4:
                joined = self._mention(prev.index, prev.start, m.end, "PER")
                if joined:
                    joined.joined = prev.joined + ([m.index] if m.index >= 0 else []) + m.joined
                    out[-1] = joined
                    continue
            out.append(m)
        taken = [(o.start, o.end) for o in out + self.others]
        for n, m in enumerate(out):
            if m.label != "PER":
                continue
            before = re.search(r"(?<![\w-])([A-ZÅÄÖØÆ][\w-]+)[ \t\u00a0]+$", self.text[max(0, m.start - 40):m.start])
            if before and name_gender(before.group(1)) != "unknown" and len(m.parts.words) < 4:
                start = m.start - len(before.group(0))
                if any(s < m.start and e > start for s, e in taken):
                    continue
                longer = self._mention(m.index, start, m.end, "PER")
                if longer:
                    longer.joined = m.joined
                    out[n] = longer
        self.mentions = out

    def _person_title_next_to(self, start: int, end: int) -> bool:
        before = re.search(r"([^\W\d_][\w-]*)[ \t\u00a0]+$", self.text[max(0, start - 60):start])
        after = re.match(r",[ \t\u00a0]+([^\W\d_][\w-]*)", self.text[end:end + 60])
        return any(w and w[:1].islower() and title_base(w) for w in
                   (before and before.group(1), after and after.group(1)))

    def _relabel_titled(self) -> None:
        """An ORG/LOC/MISC mention right after a person title or before an appositive title is a person
        (`diktatorn Park Chung-hee`, `Park Geun-hye, president och ...`)."""
        for m in list(self.mentions) + list(self.others):
            if m.label == "PER" or len(m.parts.words) > 4 or is_listed_place(m.parts.words):
                continue
            if self._person_title_next_to(m.start, m.end):
                m.label = "PER"
                if m in self.others:
                    self.others.remove(m)
                    self.mentions.append(m)
        self.mentions.sort(key=lambda m: m.start)

    def _titled_names(self) -> None:
        """Add names the model missed right after a person title (`talesperson Felipe de la Cruz`: PER, full
        names only) or an organisation noun (`tankesmedjan ISW`: ORG), and their other occurrences."""
        taken = [(m.start, m.end) for m in self.mentions + self.others]
        found: list[tuple[str, str, str]] = []
        for start, end in self.speakers:
            if self._add(start, end, "PER", taken, "speaker"):
                found.append((self.text[start:end], "PER", "speaker"))
        for pattern, label in ((TITLED_NAME, "PER"), (DESCRIBED_ORG, "ORG")):
            for match in pattern.finditer(self.text):
                noun = match.group(1)
                if not (title_base(noun) if label == "PER" else org_noun_base(noun)):
                    continue
                if self._add(match.start(2), match.end(2), label, taken):
                    found.append((match.group(2), label, "title"))
        for name, label, origin in found:
            words = split_mention(name).words
            forms = {" ".join(words)} | ({words[-1]} if label == "PER" and len(words[-1]) > 2 else set())
            for form in forms:
                for match in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?:s|:s)?(?![\w-])", self.text):
                    self._add(match.start(), match.end(), label, taken, origin)
        self.mentions.sort(key=lambda m: m.start)

    def _add(self, start: int, end: int, label: str, taken: list[tuple[int, int]], origin: str = "title") -> bool:
        if any(s < end and start < e for s, e in taken):
            return False
        mention = self._mention(-1, start, end, label)
        if mention is None or is_listed_place(mention.parts.words) or \
                fold(" ".join(mention.parts.words)) in folded_outlets():
            return False
        mention.origin = origin
        self.mentions.append(mention)
        self.added.append(mention)
        taken.append((start, end))
        return True

    def _credits(self, add: bool) -> None:
        """Mark people named in photo credits as photographers; add those the model did not tag."""
        outlets = folded_outlets()
        for match in CREDIT.finditer(self.text):
            pos = match.start(1)
            for chunk in CREDIT_SPLIT.split(match.group(1)):
                start = self.text.find(chunk, pos) if chunk else -1
                if start < 0:
                    continue
                end, pos = start + len(chunk), start + len(chunk)
                covering = [m for m in self.mentions if m.start < end and start < m.end]
                noise = any(fold(w) in CREDIT_NOISE for w in chunk.split())
                if any(m.label == "PER" for m in covering):
                    for m in covering:
                        if m.label == "PER":
                            m.noise, m.credit = noise, not noise
                    continue
                words = chunk.split()
                if covering or not add or not 2 <= len(words) <= 4 or fold(chunk) in outlets:
                    continue
                if not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
                    continue
                if any(fold(w) in CREDIT_NOISE for w in words) or name_gender(words[0]) == "unknown":
                    continue
                mention = self._mention(-1, start, end, "PER")
                if mention:
                    mention.credit, mention.origin = True, "credit"
                    self.mentions.append(mention)
                    self.added.append(mention)
        self.mentions.sort(key=lambda m: m.start)

    def _genitives(self) -> None:
        """Remove a genitive `-s` where the name occurs without it, or a noun follows (`Karams presskonferens`)."""
        plain = {fold(w) for m in self.mentions + self.others for w in m.parts.words if not fold(w).endswith("s")}
        for m in self.mentions + self.others:
            words = list(m.parts.words)
            last = words[-1]
            if len(last) > 3 and last.endswith("s") and not last.endswith("ss") and last[-2].isalpha():
                base = last[:-1]
                genitive = fold(base) in plain or fold(" ".join(words[:-1] + [base])) in folded_places()
                if not genitive and not (len(words) == 1 and name_gender(last) != "unknown") and \
                        fold(" ".join(words)) not in folded_places():
                    after = re.match(r"\s+([^\W\d_][\w-]*)", self.text[m.end:m.end + 40])
                    genitive = bool(after and after.group(1)[:1].islower()
                                    and after.group(1) not in _not_genitive_next())
                if genitive:
                    words[-1] = base
            m.name = " ".join(words)
            m.key = tuple(fold(w) for w in words)

    # -- clustering
    def _cluster(self, label: str) -> None:
        mentions = [m for m in self.mentions if m.label == label]
        if not mentions:
            return
        keys = sorted({m.key for m in mentions}, key=len, reverse=True)
        heads: list[tuple[str, ...]] = []
        for key in keys:
            if not any(self._part_of(key, head, label) for head in heads):
                heads.append(key)
        if label == "ORG":
            heads = self._merge_acronyms(heads, mentions)
        base = len(self.clusters)
        cluster_of_head = {}
        for n, head in enumerate(heads):
            self.clusters.append(Cluster(label, head, acronym=head in self._alias.values()))
            cluster_of_head[head] = base + n
        last_seen: dict[int, int] = {}
        for m in mentions:
            head = self._alias.get(m.key, m.key)
            if head in cluster_of_head:
                chosen = cluster_of_head[head]
            else:
                candidates = [cluster_of_head[h] for h in heads if self._part_of(m.key, h, label)]
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

    def _merge_acronyms(self, heads: list[tuple[str, ...]], mentions: list[Mention]) -> list[tuple[str, ...]]:
        """`ISW` and `Institute for the Study of War` are one organisation (kept under the acronym's key)."""
        written = {m.key: m.parts.words for m in mentions}
        kept = list(heads)
        for short in heads:
            words = written[short]
            if len(words) != 1 or not (2 <= len(words[0]) <= 8 and words[0].isupper()):
                continue
            for long in heads:
                if long != short and long in kept and len(long) > 1 and acronym(written[long]) == words[0]:
                    kept.remove(long)
                    self._alias[long] = short
        return kept

    def _collect_descriptors(self) -> None:
        """Titles and organisation nouns: inside the mention, the word before it, or an apposition after it."""
        for m in self.mentions:
            if m.cluster < 0:
                continue
            cluster = self.clusters[m.cluster]
            cluster.photographer |= m.credit
            if m.credit:
                cluster.titles.add("fotograf")
            cluster.titles.update(m.parts.titles if m.label == "PER" else [])
            before = re.search(r"([^\W\d_][\w-]*)\s+$", self.text[max(0, m.start - 60):m.start])
            after = re.match(r",\s+([^\W\d_][\w-]*)", self.text[m.end:m.end + 60])
            words = [w for w in [before and before.group(1), after and after.group(1)] if w]
            words += [w for w in m.text.split()[:-1]]
            for word in words:
                if m.label == "PER" and (base := title_base(word)):
                    cluster.titles.add(base)
                if m.label == "ORG" and (base := org_noun_base(word)):
                    cluster.org_nouns.add(base)
        for cluster in self.clusters:
            if cluster.label == "PER":
                firsts = [m.parts.words[0] for m in cluster.mentions if len(m.key) > 1] or \
                         [m.parts.words[0] for m in cluster.mentions]
                genders = {name_gender(w) for w in firsts} - {"unknown"}
                cluster.gender = genders.pop() if len(genders) == 1 else "unknown"

    def _reject(self) -> None:
        """PER clusters that look like no person get another label (and no person_id).

        A place or outlet name, a name in a photo-agency credit, or a one-word name with no sign of a person
        (no title, no known first name, no reporting verb next to it, no full name ending in it in the run),
        or a name the run's other mentions mostly label otherwise or that follows a place/organisation noun.
        """
        for cluster in self.clusters:
            if cluster.label != "PER":
                continue
            words = cluster.mentions[0].parts.words if len(cluster.mentions[0].key) == len(cluster.key) else \
                [w for m in cluster.mentions if m.key == cluster.key for w in m.parts.words]
            votes = self.votes.get(cluster.key, Counter())
            other = Counter({k: v for k, v in votes.items() if k != "PER"})
            noun_before = [self._noun_before(m) for m in cluster.mentions]
            thing = next((n for n in noun_before if n), "") or \
                ("ORG" if any(m.parts.org_nouns for m in cluster.mentions) else "")
            first_known = any(is_first_name(m.parts.words[0]) for m in cluster.mentions
                              if len(m.parts.words) > 1 or len(cluster.key) == 1)
            evidence = bool(cluster.titles - {"fotograf"}) or first_known or cluster.photographer or \
                any(self._reporting_verb_next_to(m) or (self._person_context(m) and not self._sentence_initial(m.start))
                    for m in cluster.mentions)
            if len(cluster.key) == 1:
                evidence |= cluster.key[0] in self.surnames
            if thing and not cluster.titles and not first_known:  # `järnvägsbolaget Korail`
                evidence = False
            label = ""
            if is_listed_place(list(cluster.key)) and not cluster.titles:
                label = "LOC"
            elif fold(" ".join(words)) in folded_outlets() and not cluster.titles:
                label = "ORG"
            elif all(m.noise for m in cluster.mentions):
                label = "ORG"
            elif any(_named_after(m.parts.words) for m in cluster.mentions):
                label = other.most_common(1)[0][0] if other else "LOC"
            elif not cluster.titles and len(cluster.key) > 1 and (kind := _common_noun_end(words)):
                label = kind
            elif not evidence and (len(cluster.key) <= MAX_WORDS_NEEDING_EVIDENCE or thing or
                                   sum(other.values()) > votes.get("PER", 0)):
                label = other.most_common(1)[0][0] if other else (thing or "MISC")
            if label:
                cluster.rejected = label
                for m in cluster.mentions:
                    m.label, m.cluster = label, -1
                    self.others.append(m)
                cluster.mentions = []
        self.mentions = [m for m in self.mentions if m.cluster >= 0]

    def _noun_before(self, m: Mention) -> str:
        """LOC or ORG when a place or organisation noun stands right before the mention."""
        before = re.search(r"([^\W\d_][\w-]*)[ \t\u00a0]+$", self.text[max(0, m.start - 60):m.start])
        word = before.group(1) if before else ""
        if not word[:1].islower():
            return ""
        if noun_base(word, place_nouns()):
            return "LOC"
        return "ORG" if org_noun_base(word) else ""

    def _person_context(self, m: Mention) -> bool:
        """A name used as a subject (`Hirvonen har`, `Merkel väntas`: a lower-case word that is no preposition
        or conjunction follows a name that is no genitive), or after a nationality or kinship word
        (`serbiske Danijel`, `mamma Knota`)."""
        genitive = m.parts.words and m.name.split()[-1:] != m.parts.words[-1:]
        after = re.match(r"[ \t\u00a0]+([^\W\d_][\w-]*)", self.text[m.end:m.end + 40])
        if not genitive and after and after.group(1)[:1].islower() and after.group(1) not in NOT_A_VERB:
            return True
        before = re.search(r"([^\W\d_][\w-]*)[ \t\u00a0]+$", self.text[max(0, m.start - 40):m.start])
        word = before.group(1).lower() if before else ""
        return word.endswith(("iska", "iske", "ska", "ske")) and len(word) > 5 or word in gendered_nouns()

    def _reporting_verb_next_to(self, m: Mention) -> bool:
        after, before = reporting_patterns()
        return bool(after.match(self.text[m.end:m.end + 30]) or before.search(self.text[max(0, m.start - 30):m.start]))

    # -- pronouns and role nouns
    def _skipped_spans(self) -> list[tuple[int, int]]:
        """Where pronouns are not resolved: captions, text inside quotation marks, speech after a dash."""
        spans = [(p.start, p.end) for p in self.paragraphs if p.kind == "caption"]
        spans += [(q.start(), q.end()) for q in QUOTED.finditer(self.text)]
        for p in self.paragraphs:
            body = self.text[p.start:p.end]
            if body[:1] in "–—-":
                spans.append((p.start, p.end))   # attribution pronouns (`, säger han`) are let back in below
        return spans

    def _anaphors(self) -> list[Anaphor]:
        pronouns = person_pronouns()
        taken = bytearray(len(self.text) + 1)
        for m in self.mentions + self.others:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        skipped = bytearray(len(self.text) + 1)
        for s, e in self._skipped_spans():
            skipped[s:e] = b"\x01" * (e - s)
        name_starts = {m.start for m in self.mentions}
        found = []
        for match in WORD.finditer(self.text):
            start, end, word = match.start(), match.end(), match.group(0)
            if any(taken[start:end]):
                continue
            lower = word.lower()
            inside = bool(skipped[start])
            if lower in pronouns:
                if word[0].isupper() and not self._sentence_initial(start):
                    continue                          # `Hans` the name
                if inside and not DASH_ATTRIBUTION.search(self.text[max(0, start - 30):start]):
                    continue
                found.append(Anaphor(start, end, word, "pronoun", pronouns[lower]))
                continue
            if inside and not DASH_ATTRIBUTION.search(self.text[max(0, start - 30):start]):
                continue
            if word[0].isupper() and not self._sentence_initial(start):
                continue
            follows = self.text[end:end + 2]
            if re.match(r"\s[A-ZÅÄÖ]", follows) and end + 1 in name_starts:
                continue                              # a title before a name, not a reference back
            if base := title_base(word, definite_only=True):
                found.append(Anaphor(start, end, word, "title", base))
            elif base := org_noun_base(word, definite_only=True):
                found.append(Anaphor(start, end, word, "org", base))
        return found

    def _sentence_initial(self, start: int) -> bool:
        before = self.text[max(0, start - 3):start].rstrip(" \t\u00a0")
        return not before or before[-1] in ".!?:\n–—-”\"»"

    def _resolve(self) -> None:
        events: list[tuple[int, int, object]] = []
        for m in self.mentions:
            if m.cluster >= 0 and not m.caption and not m.credit:
                events.append((m.start, 0, m))
        for a in self._anaphors():
            events.append((a.start, 1, a))
        sentence_starts = [0] + [m.end() for m in SENTENCE_BREAK.finditer(self.text)]
        history: list[tuple[int, int]] = []        # (cluster id, sentence number), most recent last
        for start, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            sentence = bisect.bisect_right(sentence_starts, start) - 1
            if kind == 0:
                history.append((item.cluster, sentence))
                continue
            if item.kind == "pronoun" and self._blocked(item):
                continue
            fitting = [(c, s) for c, s in history if self._fits(self.clusters[c], item)]
            if not fitting:
                continue
            chosen, where = fitting[-1]
            if item.kind == "pronoun" and where < sentence:
                # the subject of the nearest sentence before the pronoun's: its first fitting mention
                chosen = next(c for c, s in fitting if s == where)
            item.cluster = chosen
            cluster = self.clusters[chosen]
            cluster.anaphors.append((item.start, item.end, item.text))
            if item.kind == "pronoun":
                cluster.pronoun_votes[item.value] += 1
                if cluster.gender == "unknown":
                    cluster.gender = item.value
            history.append((chosen, sentence))
            self.anaphors.append(item)

    def _blocked(self, pronoun: Anaphor) -> bool:
        """A common noun of the pronoun's gender earlier in its sentence (`en kvinna ... hon`) is its referent."""
        sentence = re.split(r"[.!?\n]", self.text[max(0, pronoun.start - 200):pronoun.start])[-1]
        nouns = gendered_nouns()
        return any(nouns.get(w.lower()) == pronoun.value for w in re.findall(r"[^\W\d_]+", sentence))

    @staticmethod
    def _fits(cluster: Cluster, anaphor: Anaphor) -> bool:
        if cluster.photographer:
            return False
        if anaphor.kind == "pronoun":
            return cluster.label == "PER" and cluster.gender in ("unknown", anaphor.value)
        if anaphor.kind == "title":
            return cluster.label == "PER" and any(_compatible(anaphor.value, t) for t in cluster.titles)
        return cluster.label == "ORG" and any(_compatible(anaphor.value, t) for t in cluster.org_nouns)

    # -- lookups
    def cluster_at(self, start: int, end: int, named_only: bool = False) -> int:
        """The single cluster named (or, unless `named_only`, referred to) within [start, end), else -1."""
        found = {m.cluster for m in self.mentions if m.cluster >= 0 and m.start < end and start < m.end}
        if not named_only:
            found |= {a.cluster for a in self.anaphors if a.start < end and start < a.end}
        return found.pop() if len(found) == 1 else -1

    def without_text(self) -> DocumentPeople:
        """Drop the document text and paragraphs once the document is analysed (linking needs neither)."""
        self.text, self.paragraphs, self._para_starts = "", [], []
        return self

    def not_a_person(self, name: str) -> bool:
        """Is `name` one this document uses for a place, organisation or thing (or a rejected person)?"""
        key = tuple(fold(w) for w in split_mention(name).words)
        return bool(key) and (any(m.key == key for m in self.others) or is_listed_place(list(key)))

    def cluster_named(self, mention: str) -> int:
        """The cluster a name, surname, genitive, title + name or acronym refers to, else -1."""
        parts = split_mention(mention)
        if not parts.words:
            return -1
        key = tuple(fold(w) for w in parts.words)
        keys = [key]
        if key[-1].endswith("s") and len(key[-1]) > 3:
            keys.append(key[:-1] + (key[-1][:-1],))
        for label in ("PER", "ORG"):
            for k in keys:
                matches = [i for i, c in enumerate(self.clusters) if c.label == label and c.mentions and
                           (any(m.key == k for m in c.mentions) or self._part_of(k, c.key, label))]
                if matches:
                    return max(matches, key=lambda i: len(self.clusters[i].mentions))
        written = " ".join(parts.words)
        if written.isupper() or len(parts.words) > 1:
            for i, c in enumerate(self.clusters):
                if c.label == "ORG" and any(acronym(m.parts.words) == written or
                                            acronym(parts.words) == " ".join(m.parts.words) for m in c.mentions):
                    return i
        return -1


# ------------------------------------------------------------------------------------ public helpers

_CACHE: dict[tuple, DocumentPeople] = {}


def _document_people(doc_entities: pd.DataFrame, text: str) -> DocumentPeople:
    key = (text, tuple(zip(doc_entities["start"].tolist(), doc_entities["end"].tolist(),
                           doc_entities["label"].tolist(), strict=True)) if len(doc_entities) else ())
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = DocumentPeople(text, doc_entities)
    return _CACHE[key]


def canonical_name(doc_entities: pd.DataFrame, text: str, mention: str, start: int | None = None) -> str:
    """The fullest PER/ORG name in the document that `mention` refers to.

    `doc_entities`: the entities rows of one document (any columns, needs start, end, label); `text`: that
    document's text. A name, a surname or first name alone, a genitive (`Putins`), title + name
    (`President Putin`, `den ukrainske generalmajoren Andrij Kovaltjuk`), an organisation with its
    description (`tankesmedjan ISW`), an acronym or its expansion give the cluster's name: for a person
    the fullest form (first spelling), for an organisation its most frequent form (`ISW`). With `start`
    (the mention's offset in `text`), a pronoun or role noun there (`han`, `presidenten`, `tankesmedjan`)
    is resolved as `link_people` does. If nothing matches, the mention without leading titles,
    determiners and genitive `s` is returned (a pronoun or an unnamed group is returned unchanged).
    """
    doc = _document_people(doc_entities, text)
    cluster = -1
    if start is not None:
        cluster = doc.cluster_at(start, start + len(mention))
    if cluster < 0:
        cluster = doc.cluster_named(mention)
    if cluster >= 0:
        return doc.clusters[cluster].name
    if mention.strip().lower() in person_pronouns() or title_base(mention.strip(), True) or \
            org_noun_base(mention.strip(), True):
        return mention
    parts = split_mention(mention)
    if not parts.words or not parts.words[0][:1].isupper():
        return mention
    words = list(parts.words)
    if len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss") and len(words) > 1:
        words[-1] = words[-1][:-1]
    return " ".join(words)


# ---------------------------------------------------------------------------------------- the stage

def link_people(documents: pd.DataFrame | Iterable[pd.DataFrame], entities: pd.DataFrame,
                quotes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Fill `person_id`/`entity_id` on entities and quotes and build the `people` table.

    `documents` is the documents table or an iterable of batches of it (as `rundir.iter_documents`
    gives): each document is analysed while its batch is in memory, and only its mentions, clusters
    and resolved quotes are kept for linking across the run.

    Returns {"people", "entities", "quotes"}, conformed to their schemas. Besides the ids:
    - entities gain rows the model missed: origin `credit` (a person name in a photo credit), `title` (a full
      name after a person title, `talesperson Felipe de la Cruz`, or a name after an organisation noun,
      `tankesmedjan ISW`, with their other occurrences) and `speaker` (a full name with a known first name
      that the quote extractor gave as a speaker); mention_id continues after the document's last one;
    - a label may change: ORG/LOC/MISC after a person title becomes PER; a PER that looks like no person
      (a place, an agency in a photo credit, a one-word name with no sign of a person) becomes LOC/ORG/MISC;
    - quotes get `person_id` (an organisation speaker: its entity_id) and `speaker` becomes the
      cluster's name in the document; speakers that are groups or name several keep theirs with no id.
    """
    entities = entities.reset_index(drop=True) if entities is not None and len(entities.columns) \
        else schema.empty(schema.ENTITIES)
    quotes = quotes.reset_index(drop=True) if quotes is not None and len(quotes.columns) \
        else schema.empty(schema.QUOTES)
    for column in ("person_id", "entity_id"):
        entities[column] = pd.Series([None] * len(entities), index=entities.index, dtype="object")
    quotes["person_id"] = pd.Series([None] * len(quotes), index=quotes.index, dtype="object")
    quotes["speaker"] = quotes["speaker"].astype("object")
    document_batches = [documents] if isinstance(documents, pd.DataFrame) else documents

    by_doc = dict(tuple(entities.groupby("doc_id", sort=False))) if len(entities) else {}
    votes, surnames = _label_votes(entities)
    quotes_by_doc = dict(tuple(quotes.groupby("doc_id", sort=False))) if len(quotes) else {}
    docs: dict[str, DocumentPeople] = {}
    dates: dict[str, object] = {}
    quote_clusters: dict[int, int] = {}           # quote row -> cluster in its document
    for documents in document_batches:            # only one batch of texts in memory at a time
        if "date" in documents:
            dates.update(zip(documents["doc_id"], documents["date"], strict=True))
        for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
            if not isinstance(text, str):
                continue
            doc_quotes = quotes_by_doc.get(doc_id, quotes.iloc[0:0])
            doc = DocumentPeople(text, by_doc.get(doc_id, entities.iloc[0:0]), votes=votes, surnames=surnames,
                                 speakers=_speaker_names(doc_quotes, text))
            for idx, q in doc_quotes.iterrows() if len(doc_quotes) else ():   # iterrows is slow on empty frames
                quote_clusters[idx] = _quote_cluster(doc, q)
            docs[doc_id] = doc.without_text()

    people_of = _global_people(docs)
    entity_ids = _entity_ids(docs)

    new_rows = []
    person_col, entity_col = [None] * len(entities), [None] * len(entities)
    label_col = entities["label"].tolist()
    for doc_id, doc in docs.items():
        for i, cluster in enumerate(doc.clusters):
            gid = people_of.get((doc_id, i)) if cluster.label == "PER" else entity_ids.get((doc_id, i))
            for m in cluster.mentions:
                for index in [m.index, *m.joined]:
                    if index >= 0:
                        (person_col if cluster.label == "PER" else entity_col)[index] = gid
        for m in doc.mentions + doc.others:
            for index in [m.index, *m.joined]:
                if index >= 0:
                    label_col[index] = m.label                     # a person title or a place name may relabel
        for m in doc.others:
            if m.index >= 0 and m.label in ("LOC", "ORG"):
                entity_col[m.index] = _hash_id(m.label[0].lower(), " ".join(m.key))
        for index, start, end in doc.unnamed:                     # a role noun the model tagged: resolved
            cluster = doc.cluster_at(start, end)
            if cluster >= 0:
                c = doc.clusters[cluster]
                label_col[index] = c.label
                if c.label == "PER":
                    person_col[index] = people_of.get((doc_id, cluster))
                else:
                    entity_col[index] = entity_ids.get((doc_id, cluster))
        next_id = int(by_doc[doc_id]["mention_id"].max()) + 1 if doc_id in by_doc and len(by_doc[doc_id]) else 0
        for m in doc.added:
            if m.cluster < 0:
                continue
            new_rows.append({"doc_id": doc_id, "mention_id": next_id, "start": m.start, "end": m.end,
                             "text": m.text, "label": "PER", "sentence_id": pd.NA, "token_start": pd.NA,
                             "token_end": pd.NA, "origin": m.origin, "person_id": people_of.get((doc_id, m.cluster)),
                             "entity_id": None})
            if m.label != "PER":
                new_rows[-1]["label"] = m.label
                new_rows[-1]["person_id"], new_rows[-1]["entity_id"] = None, entity_ids.get((doc_id, m.cluster))
            next_id += 1
    entities["person_id"], entities["entity_id"], entities["label"] = person_col, entity_col, label_col
    if new_rows:
        entities = pd.concat([entities, pd.DataFrame(new_rows)], ignore_index=True)
        order = {doc_id: n for n, doc_id in enumerate(dict.fromkeys(entities["doc_id"].tolist()))}
        entities = entities.assign(_order=entities["doc_id"].map(order)) \
            .sort_values(["_order", "start"], kind="stable").drop(columns="_order")

    quote_counts: Counter = Counter()
    for idx, cluster in quote_clusters.items():
        q = quotes.loc[idx]
        doc = docs[q["doc_id"]]
        if cluster < 0 or doc.clusters[cluster].photographer:
            continue
        c = doc.clusters[cluster]
        gid = people_of.get((q["doc_id"], cluster)) if c.label == "PER" else entity_ids.get((q["doc_id"], cluster))
        quotes.at[idx, "person_id"] = gid
        quotes.at[idx, "speaker"] = c.name
        quote_counts[gid] += 1

    people = _people_table(docs, people_of, dates, quote_counts)
    return {
        "people": people,
        "entities": schema.conform(entities, schema.ENTITIES),
        "quotes": schema.conform(quotes, schema.QUOTES),
    }


def _speaker_names(doc_quotes: pd.DataFrame, text: str) -> list[tuple[int, int]]:
    """Spans of speaker names that are surely full person names (a known first name and a capitalised
    surname: `Lisa Johansson`): at the quote's speaker mention, else where the text first uses the name."""
    spans = []
    for speaker, start, end in zip(doc_quotes["speaker"], doc_quotes["speaker_start"], doc_quotes["speaker_end"],
                                   strict=True):
        if not isinstance(speaker, str):
            continue
        start, end = (0, 0) if pd.isna(start) or pd.isna(end) else (start, end)
        words = speaker.split()
        if not 2 <= len(words) <= 4 or name_gender(words[0]) == "unknown" or is_listed_place(words):
            continue
        if not all(w[:1].isupper() and not w.isupper() for w in (words[0], words[-1])):
            continue
        at = text.find(speaker, int(start), int(end))
        if at < 0:
            match = re.search(r"(?<![\w-])" + re.escape(speaker) + r"(?![\w-])", text)
            at = match.start() if match else -1
        if at >= 0:
            spans.append((at, at + len(speaker)))
    return spans


def _quote_cluster(doc: DocumentPeople, q: pd.Series) -> int:
    """The cluster a quote's speaker is: a name at the speaker mention; else the extractor's `speaker` name;
    else, when the extractor left the speaker unresolved (empty, or the pronoun/role noun itself), this
    stage's resolution of the pronoun or role noun at the speaker mention. -1 for none (groups included)."""
    mention, speaker = q.get("speaker_mention"), q.get("speaker")
    if _several(mention) or _several(speaker):
        return -1                                   # `ILO och ITF`: a group, no one person
    span = None
    if pd.notna(q.get("speaker_start")) and pd.notna(q.get("speaker_end")):
        span = int(q["speaker_start"]), int(q["speaker_end"])
        cluster = doc.cluster_at(*span, named_only=True)
        if cluster >= 0:
            return cluster
    named = isinstance(speaker, str) and speaker.strip() != ""
    if named:
        cluster = doc.cluster_named(speaker)
        wanted = _reference_label(mention)
        if cluster >= 0 and (wanted is None or doc.clusters[cluster].label == wanted):
            return cluster
        if wanted == "PER" and (cluster >= 0 or doc.not_a_person(speaker)):
            named = False                           # a pronoun names no organisation: `han` is no `Belarus`
    unresolved = not named or (isinstance(mention, str) and fold(speaker) == fold(mention)) or \
        fold(speaker) in person_pronouns() or not speaker.strip()[:1].isupper()
    if span and unresolved:
        return doc.cluster_at(*span)
    return -1


def _reference_label(mention: object) -> str | None:
    """PER for a pronoun or a person title used alone, ORG for an organisation noun, else None."""
    if not isinstance(mention, str) or len(mention.split()) != 1:
        return None
    word = mention.strip()
    if word.lower() in person_pronouns() or title_base(word.lower(), definite_only=True):
        return "PER"
    return "ORG" if org_noun_base(word.lower(), definite_only=True) else None


def _several(mention: object) -> bool:
    """Does a speaker mention join two names (`ILO och ITF`, `Putin och Lukasjenko`)?"""
    return isinstance(mention, str) and bool(re.search(r"[A-ZÅÄÖ][\w-]*\s+(?:och|and|samt|&)\s+(?:\w+\s+)?[A-ZÅÄÖ]",
                                                       mention))


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
