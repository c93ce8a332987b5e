"""Names: folding for comparison, first names and their gender, pronouns, places and news outlets."""

from __future__ import annotations

import functools
import unicodedata

from pipeline.lexicon import load

FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "Ł": "l",
                      "’": "'", "`": "'"})


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case without diacritics (`Jørgen`, `Jörgen` → `jorgen`), single spaces."""
    text = unicodedata.normalize("NFKD", text.translate(FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


# ------------------------------------------------------------------------------------- first names

@functools.lru_cache(maxsize=1)
def _gendered_first_names() -> dict[str, str]:
    """Lower-cased spelling or folded form -> gender. The common names of first_names.txt decide first; then a
    spelling in only one of the long lists (`ola` is male, `óla` female), then a folded form that only one
    list has. Folding alone lost the gender of every name whose accented twin is in the other list (`Ola` /
    `Óla`, `Olof` / `Ólöf`, `Benny` / `Benný`: 19 pairs), and first_names.txt was not read here (`Bo`, `Ali`,
    `Mohammed`: 15 of its 214 names had no gender)."""
    names = {n.lower(): g for n, g in common_first_names().items()}
    for n, g in common_first_names().items():
        names.setdefault(fold(n), g)
    lists = {gender: load(f"{gender}_names") for gender in ("female", "male")}
    for key in (str.lower, fold):
        female, male = ({key(n) for n in lists[g]} for g in ("female", "male"))
        for n in female - male:
            names.setdefault(n, "female")
        for n in male - female:
            names.setdefault(n, "male")
    return names


def name_gender(first_word: str) -> str:
    """female or male for a first name of first_names.txt, or in only one of the long name lists, else
    unknown (see `_gendered_first_names`)."""
    names = _gendered_first_names()
    return names.get(first_word.lower()) or names.get(fold(first_word), "unknown")


@functools.lru_cache(maxsize=1)
def _any_first_names() -> frozenset[str]:
    return frozenset(fold(n) for n in load("female_names") + load("male_names") + tuple(common_first_names()))


def is_first_name(word: str) -> bool:
    """In either first-name list (`Bo`, `Kim` included)."""
    return fold(word) in _any_first_names()


@functools.lru_cache(maxsize=1)
def common_first_names() -> dict[str, str]:
    """Common first names (first_names.txt) -> gender: enough on its own to take a one-word name for a person."""
    return dict(entry.split()[:2] for entry in load("first_names"))


@functools.lru_cache(maxsize=1)
def all_first_names() -> dict[str, str]:
    """first_names.txt plus the long female_names.txt / male_names.txt lists (for full names and gender)."""
    names: dict[str, str] = {}
    for gender in ("female", "male"):
        names.update(dict.fromkeys(load(f"{gender}_names"), gender))
    names.update(common_first_names())
    return names


# ---------------------------------------------------------------------------------------- pronouns

@functools.lru_cache(maxsize=1)
def person_pronouns() -> dict[str, str]:
    """Pronouns that refer to a person (`han`, `hon`, `hans` …) -> what they tell (person_pronouns.txt)."""
    return dict(entry.split(None, 1) for entry in load("person_pronouns"))


@functools.lru_cache(maxsize=1)
def pronoun_gender() -> dict[str, str]:
    """Subject pronouns and their gender (pronouns.txt)."""
    return dict(entry.lower().split()[:2] for entry in load("pronouns"))


# ---------------------------------------------------------------------------------- places, outlets

@functools.lru_cache(maxsize=1)
def folded_places() -> frozenset[str]:
    return frozenset(fold(p) for p in load("places"))


def is_listed_place(words: list[str] | tuple[str, ...]) -> bool:
    """Whether the words name a place of ``places.txt``, also in the genitive (`Minsks`)."""
    name = fold(" ".join(words))
    return name in folded_places() or (name.endswith("s") and name[:-1] in folded_places())


@functools.cache
def outlets() -> frozenset[str]:
    """News outlets and agencies as written (outlets.txt)."""
    return frozenset(load("outlets"))


@functools.cache
def folded_outlets() -> frozenset[str]:
    return frozenset(fold(o) for o in load("outlets"))


@functools.cache
def _outlet_words() -> frozenset[str]:
    return frozenset(load("outlet_words"))


def is_outlet(name: str | None) -> bool:
    """A news outlet: listed in outlets.txt, or a name ending in a media word (`Borås Tidning`) or in a
    listed outlet (`Sveriges Radio:s Ekot`)."""
    if not name:
        return False
    words = name.split()
    return name in outlets() or words[0] in outlets() or (len(words) > 1 and (words[-1] in _outlet_words()
                                                                              or words[-1] in outlets()))


# ------------------------------------------------------------------ names that are no person's

@functools.cache
def party_abbreviations() -> frozenset[str]:
    """Party abbreviations as written (party_abbreviations.txt): `S`, `M`, `KD`."""
    return frozenset(load("party_abbreviations"))


@functools.cache
def org_name_words() -> frozenset[str]:
    """Words of organisation and programme names in other languages (org_name_words.txt), folded."""
    return frozenset(fold(w) for w in load("org_name_words"))


def first_name_gender(word: str) -> str:
    """Like `name_gender`, and for a hyphenated first name the gender its parts agree on (`Carl-Oskar`,
    `Ann-Catrine`: the first part decides when the others are unknown)."""
    gender = name_gender(word)
    if gender != "unknown" or "-" not in word:
        return gender
    genders = [name_gender(part) for part in word.split("-") if part]
    known = {g for g in genders if g != "unknown"}
    return known.pop() if len(known) == 1 and genders[0] != "unknown" else "unknown"


def is_first_name_like(word: str) -> bool:
    """In a first-name list, or a hyphenated name whose first part is (`Carl-Oskar`, `Ann-Catrine`)."""
    return is_first_name(word) or ("-" in word and is_first_name(word.split("-")[0]) and word[:1].isupper())


@functools.cache
def _folded_more_places() -> frozenset[str]:
    return frozenset(fold(p) for p in load("more_places"))


def is_known_place(words: list[str] | tuple[str, ...]) -> bool:
    """A place of places.txt or more_places.txt, also in the genitive (`Benins`)."""
    if is_listed_place(words):
        return True
    name = fold(" ".join(words))
    return name in _folded_more_places() or (name.endswith("s") and name[:-1] in _folded_more_places())
