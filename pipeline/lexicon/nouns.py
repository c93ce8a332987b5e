"""Common nouns that name a role, an organisation or a place, recognised in every inflection and compound."""

from __future__ import annotations

import functools

from pipeline.lexicon import load, words
from pipeline.lexicon.names import name_gender

NOMINAL_ENDINGS = ("", "n", "en", "et", "t", "na", "er", "erna", "ar", "arna", "or", "orna", "r", "rna", "e",
                   "an", "nen", "s", "ns", "ens", "ets", "ers", "ernas", "arnas", "ornas")


@functools.lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return frozenset(load("titles"))


@functools.lru_cache(maxsize=1)
def org_nouns() -> frozenset[str]:
    return frozenset(load("org_nouns"))


@functools.lru_cache(maxsize=1)
def place_nouns() -> frozenset[str]:
    return frozenset(load("place_nouns"))


@functools.lru_cache(maxsize=1)
def thing_nouns() -> frozenset[str]:
    return frozenset(load("thing_nouns"))


@functools.lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    return frozenset(load("person_nouns"))


@functools.lru_cache(maxsize=1)
def gendered_nouns() -> dict[str, str]:
    """Nouns that tell a person's gender (`kvinnan`, `mannen`) -> female/male."""
    return dict(entry.split(None, 1) for entry in load("gendered_nouns"))


# ------------------------------------------------------------------- inflected forms of a noun list

@functools.cache
def _stem_bases(name: str) -> frozenset[str]:
    """Stems of a noun lexicon, also without a final -e/-a (`ledare` -> `ledar` for `ledarna`)."""
    stems = words(name)
    return frozenset(stems | {s[:-1] for s in stems if s.endswith(("e", "a")) and len(s) > 4})


@functools.lru_cache(maxsize=1 << 16)
def matches_noun(word: str, name: str) -> bool:
    """Is `word` an inflected form (or compound) of a noun in lexicon `name`?"""
    first, hyphen, last = word.rpartition("-")
    if hyphen and first and last.islower() and len(last) >= 4:
        word = last             # `AFP-journalist`, `FN-chefen`: the noun after the hyphen
    low = word.lower()
    if not word[1:].islower():  # acronyms and names like SvD, KRWU
        return False
    bases = _stem_bases(name)
    for ending in NOMINAL_ENDINGS:
        if ending and not low.endswith(ending):
            continue
        core = low[: len(low) - len(ending)] if ending else low
        # a two-letter stem (`vd`) must be the whole word, a longer one may end a compound (`järnvägsfacket`)
        if core in bases or any(core[i:] in bases for i in range(1, len(core) - 2)):
            return True
    return False


def is_role_word(word: str) -> bool:
    """A title, role or group noun (`presidenten`, `myndigheterna`, `järnvägsfacket`) in any inflection."""
    return matches_noun(word, "role_nouns")


# ------------------------------------------------------------------------ base forms of titles etc.

def noun_base(word: str, lexicon: frozenset[str], definite_only: bool = False, compound: bool = True) -> str | None:
    """The base form of `word` if it is (a compound ending in) an entry of `lexicon`, else None.

    Indefinite, definite (`presidenten`, `ministern`, `facket`, `upphovsmannen`) and plural
    (`ministrar`, `presidenter`) forms are recognised; `definite_only` accepts the definite singular only.
    """
    w = word.lower()
    candidates: list[str] = []              # (the word itself first when indefinite forms count)
    if w.endswith("nen"):
        candidates.append(w[:-2])           # upphovsmannen → upphovsman(n)
        candidates.append(w[:-3])
    if w.endswith(("en", "et")):
        candidates.append(w[:-2])
    if w.endswith(("n", "t")):
        candidates.append(w[:-1])
    if w.endswith("ret"):
        candidates.append(w[:-3] + "er")    # flyktinglägret → flyktingläger
    if not definite_only:
        candidates.insert(0, w)
        if w.endswith("rar"):
            candidates.append(w[:-3] + "er")   # ministrar → minister
        if w.endswith(("ar", "er")):
            candidates.append(w[:-2])
        if w.endswith(("arna", "erna")):
            candidates.append(w[:-4])
    for n, cand in enumerate(candidates):
        if cand.endswith("nn") and cand[:-1] in lexicon:
            cand = cand[:-1]
        if cand in lexicon:
            return cand
        if not compound and (n == 0 and not definite_only or not w.endswith(("en", "et", "n"))):
            continue
        for cut in range(2, len(cand) - 3):
            if cand[cut:] in lexicon and len(cand[cut:]) >= 4:
                return cand
    return None


@functools.lru_cache(maxsize=200_000)
def title_base(word: str, definite_only: bool = False) -> str | None:
    """`generalmajoren` → `generalmajor`, `försvarsministrar` → `försvarsminister`; None if no title.

    A capitalised word counts as a compound in its definite form (`Utrikesministern`), or when it is no
    known first name (`Klimatminister`, not `Morgan`).
    """
    compound = word[:1].islower() or name_gender(word) == "unknown"
    return noun_base(word, titles(), definite_only, compound=compound)


@functools.lru_cache(maxsize=200_000)
def person_noun_base(word: str) -> str | None:
    """`läsaren` → `läsare`, `fotbollsspelarna` → `fotbollsspelare`: a noun for a person that is no title
    (person_nouns.txt); None otherwise."""
    return noun_base(word, person_nouns(), compound=word[:1].islower())


@functools.lru_cache(maxsize=200_000)
def org_noun_base(word: str, definite_only: bool = False) -> str | None:
    """`järnvägsfacket` → `järnvägsfack`, `tankesmedjan` → `tankesmedja`; None if no organisation noun."""
    return noun_base(word, org_nouns(), definite_only, compound=word[:1].islower())


# ------------------------------------------------------------ words that make a name no person's

@functools.cache
def _name_head_forms() -> tuple[dict[str, tuple[str, bool]], int]:
    """Inflected forms of name_heads.txt -> (label, definite), and the longest form's length."""
    forms: dict[str, tuple[str, bool]] = {}
    for entry in load("name_heads"):
        head, label = entry.split()[:2]
        definite = [head + e for e in ("en", "et", "n", "t", "na", "erna", "arna", "orna")]
        definite.append(head + head[-1] + "et")              # programmet
        definite.append(head + head[-1] + "en")
        if head.endswith("um"):
            definite.append(head[:-2] + "et")                 # museet, gymnasiet
        for form in definite:
            forms.setdefault(form, (label, True))
        if len(head) >= 6:
            forms.setdefault(head, (label, False))            # Amfibieregemente, Kvinnokommission
    return forms, max(len(f) for f in forms)


@functools.lru_cache(maxsize=100_000)
def name_head(word: str) -> str | None:
    """ORG, LOC or MISC when a capitalised word is a compound whose head names a thing (name_heads.txt):
    `Skolverket`, `Tillväxtverkets`, `Pekingplattformen`, `Achmea-domen`, `Amfibieregemente` (a prefix of three
    letters or more, or a hyphen, before the head; a definite form of a head of five letters or more alone:
    `Händelsen`). None otherwise, and for words that are not capitalised lower-case words (`SVT`)."""
    if not word[:1].isupper() or not word[1:].replace("-", "").islower():
        return None
    low = word.lower()
    if low.endswith("s") and not low.endswith("ss"):
        candidates = (low, low[:-1])
    else:
        candidates = (low,)
    forms, longest = _name_head_forms()
    for w in candidates:
        for cut in range(max(0, len(w) - longest), len(w)):
            found = forms.get(w[cut:])
            if not found:
                continue
            label, definite = found
            prefix = w[:cut]
            if len(prefix) >= 3 or (prefix.endswith("-") and len(prefix) >= 3):
                return label
            if not prefix and definite and len(w) >= 7:
                return label
    return None


@functools.cache
def _group_endings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The endings of group_endings.txt and its exceptions (`!stierna`)."""
    entries = load("group_endings")
    return (tuple(e for e in entries if not e.startswith("!")), tuple(e[1:] for e in entries if e.startswith("!")))


@functools.cache
def _nationality_plurals() -> frozenset[str]:
    plurals = words("nationality_plurals")
    return frozenset(plurals | {p + "na" for p in plurals})


def is_group_noun(word: str) -> bool:
    """A common word that is never one person's name: a plural noun for people (`Afghanerna`, `Svenskar`,
    `Hökarängenbor`) or a participle (`Afrikafödda`, `Stockholmsbaserat`): a nationality plural
    (nationality_plurals.txt) or a word with an ending of group_endings.txt after four letters or more."""
    low = word.lower()
    if low in _nationality_plurals():
        return True
    endings, exceptions = _group_endings()
    return any(low.endswith(e) and len(low) >= len(e) + 4 for e in endings) and not low.endswith(exceptions)


@functools.cache
def _common_words() -> frozenset[str]:
    return frozenset(load("common_words"))


def is_common_word(word: str) -> bool:
    """A word Swedish text writes in lower case (common_words.txt): `extra`, `plats`, not `berg` or `lind`."""
    return word.lower() in _common_words()


@functools.cache
def _english_words() -> frozenset[str]:
    return frozenset(load("english_words"))


def is_english_word(word: str) -> bool:
    """A common English word that English writes in lower case (english_words.txt): `team`, `roadmap`, not
    `smith`."""
    return word.lower() in _english_words()


def is_head_noun(word: str) -> bool:
    """A capitalised word that is itself a head of name_heads.txt, in its definite form or, unless the list marks
    it a surname too, its bare form (`Universitet`, `Högskola`, `Slott`, `Banken`; not `Bank` or `Park`): as the
    last word of a longer name it names the thing (`Umeå Universitet`)."""
    forms, _ = _name_head_forms()
    low = word.lower()
    return word[:1].isupper() and word[1:].islower() and (low in forms and forms[low][1] or low in _bare_name_heads())


@functools.cache
def _bare_name_heads() -> frozenset[str]:
    return frozenset(entry.split()[0] for entry in load("name_heads") if "surname" not in entry.split()[2:])
