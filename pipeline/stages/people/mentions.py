"""The data of a document's analysis: a mention's name split from its titles (`NameParts`, `split_mention`),
acronyms, and the `Mention`, `Cluster` and `Anaphor` records."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.lexicon import load
from pipeline.lexicon.names import fold, is_first_name_like, is_known_place, person_pronouns
from pipeline.lexicon.nouns import org_noun_base, title_base

CLAUSE_WORDS = {"att", "som", "är", "var", "har", "hade", "ska", "skulle", "kan", "kunde", "vill", "sade", "säger",
                "sa", "menar", "enligt", "men", "eller"}
DETERMINERS = {"den", "det", "de", "en", "ett", "the", "a", "an", "denna", "detta", "dessa"}
ACRONYM_SKIP = {"for", "the", "of", "and", "in", "on", "to", "för", "och", "i", "av", "på",
                "de", "la", "del", "der", "des"}


@functools.cache
def particles() -> frozenset[str]:
    """Lower-case words inside personal names (name_particles.txt: `von`, `der`, `de`, `la`)."""
    return frozenset(load("name_particles"))


@functools.cache
def function_words() -> frozenset[str]:
    """Prepositions, conjunctions and common verbs (name_stopwords.txt): never the first word of a name."""
    return frozenset(load("name_stopwords"))


@functools.cache
def honorifics() -> frozenset[str]:
    """Forms of address before a name (honorifics.txt: `Mr`, `H.E.`, `Dr`), lower case, no final period."""
    return frozenset(load("honorifics"))


@dataclass
class NameParts:
    words: list[str]            # the name proper, as written (genitive `s` not yet removed)
    titles: list[str]           # title bases found inside the mention (President Putin)
    org_nouns: list[str] = field(default_factory=list)   # organisation nouns inside it (Stiftelsen X)


def split_mention(text: str) -> NameParts:
    """Separate leading determiners, adjectives and titles from the name in a mention (a fresh `NameParts`:
    callers may change it)."""
    words, titles, org_nouns = _split_mention(text)
    return NameParts(list(words), list(titles), list(org_nouns))


@functools.lru_cache(maxsize=1 << 16)
def _split_mention(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """`split_mention`, once per distinct text: a run names the same people again and again (on 1,000
    regeringen texts 23,656 calls took 1.2 of the people stage's 9 s, profiled)."""
    text = text.split("/")[0].replace("\u00ad", "")   # soft hyphens (regeringen.se: `Säkerhets\xadpolisen`)
    words = [_strip_punctuation(w) for w in text.split()]
    if words and words[-1].endswith("."):
        words[-1] = words[-1].rstrip(".")        # `Malcolm X.` at a sentence end: the stop is the sentence's
    words = [w[:-2] if w.endswith(":s") else w for w in words if w]
    titles: list[str] = []
    org_nouns: list[str] = []
    while words:
        first = words[0]
        if first.lower().rstrip(".") in honorifics() or \
                (len(words) > 1 and first.lower() in function_words() and words[1] not in particles()):
            words.pop(0)                          # `H.E. Mr David Cairns`, `Från Kommunal` at a sentence start
            continue
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
    if len(words) >= 3 and is_first_name_like(words[1]) and not is_first_name_like(words[0]) and \
            words[0][1:].islower() and not title_base(words[0]):
        words = words[1:]                         # `Nationalekonomen Andreas Bergh`: a noun the lexicons lack
    lower = [n for n, w in enumerate(words[:-1]) if n and w[:1].islower() and w not in particles()]
    if lower and is_first_name_like(words[lower[-1] + 1]):
        words = words[lower[-1] + 1:]             # `Gävle kommun Martina Kyngäs`: the name after a common noun
    if len(words) >= 3 and is_known_place(words[-1:]) and not is_known_place(words):
        words = words[:-1]                        # a span that ran into the next word: `Kristoffer Triumf Sveriges`
    if len(words) == 1 and (title_base(words[0]) or org_noun_base(words[0]) or words[0].lower() in person_pronouns()):
        words = []
    return tuple(words), tuple(titles), tuple(org_nouns)


INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def _strip_punctuation(word: str) -> str:
    """A word without the punctuation around it, except the full stops of initials (`J.`, `H.R.`): the
    registry wrote `Lloyd J Austin`, a name the texts never spell (25 of 3,660 persons in the regeringen
    corpus run)."""
    core = word.strip(".,;:!?()[]”“\"'»«")
    after = word[word.find(core) + len(core):] if core else ""
    return core + "." if after.startswith(".") and INITIALS.fullmatch(core + ".") else core


def genitive_base(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """`key` without the `s` a genitive would end it in (`putins` -> `putin`), or None where its last word
    cannot be a genitive (no final `s`, or three letters or fewer)."""
    if key and key[-1].endswith("s") and len(key[-1]) > 3:
        return key[:-1] + (key[-1][:-1],)
    return None


def acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in ACRONYM_SKIP and w[0].isupper()).upper()


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

    @property
    def key_written(self) -> tuple[str, ...]:
        """The folded name words as written (a genitive `s` kept)."""
        return tuple(fold(w) for w in self.parts.words)


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
    evidence: str = ""          # what decided that a PER cluster is (or is not) a person
    title_counts: Counter = field(default_factory=Counter)   # how often each title is used of the cluster

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
