"""Signs in the words of a name and the text around a mention that it names a thing, not a person (used by
`non_persons`). Each was written on the errors of the tuning half of the dev files (figures in the
docstrings: false people of news-sentences-dev's and regeringen-dev's tuning half, before → after)."""

from __future__ import annotations

import functools
import re

from pipeline.lexicon import words
from pipeline.lexicon.names import is_first_name
from pipeline.lexicon.nouns import is_common_word

INDEFINITE_BEFORE = re.compile(r"(?<![\w-])(?:en|ett|En|Ett)[ \t\u00a0]+$")
QUOTE_MARK = re.compile(r"[\"”“»«]")
NATIONALITY_ADJECTIVE = re.compile(r"[A-ZÅÄÖ][a-zåäö]{2,}(?:sk|skt|ska|ske)")
MAX_TITLE_WORDS = 6
PARTICLES = ("in", "ut", "upp", "ner", "av", "om", "under", "över", "fram", "till", "på", "bort", "hem")


# the inflected forms a common noun ends in when it closes a compound (definite, plural)
NOUN_FORMS = ("en", "et", "na", "ar", "er", "or", "an")


def common_noun_compound(word: str) -> bool:
    """Is a one-word name a compound ending in the definite or plural form of a common noun (`Energifrågan`,
    `Montrealprotokollet`, `Renmarkskommittén`, `Natomedlemmar`), not a surname (`Engström`, `Westerlund`)?
    From the no-gold registry check on the regeringen corpus (309 one-word persons, most of them things)."""
    low = word.lower()
    if not word[:1].isupper() or not word[1:].islower() or is_first_name(word):
        return False
    if low.endswith(_surname_endings()):
        return False
    return any(_inflected_common_noun(low[cut:]) for cut in range(3, len(low) - 4))


@functools.cache
def _surname_endings() -> tuple[str, ...]:
    return tuple(words("surname_endings"))


def _inflected_common_noun(tail: str) -> bool:
    """`frågan`, `medlemmar` (a common word in that form) or `protokollet`, `kommittén` (its base one)."""
    if not tail.endswith(NOUN_FORMS + ("én",)):
        return False
    if is_common_word(tail) and tail.endswith(NOUN_FORMS):
        return True
    return any(tail.endswith(end) and len(tail) - len(end) >= 5 and is_common_word(tail[:-len(end)])
               for end in ("et", "en", "n"))


def fragment_of_compounds(name_words: list[str]) -> bool:
    """Does the name end in a hyphen (`Post-` of `Post- och telestyrelsen`): the first part of two coordinated
    compounds, no name? 1 → 0 on news-sentences-dev."""
    return bool(name_words) and name_words[-1].endswith("-")


def thing_opener(name_words: list[str]) -> bool:
    """Does a name of two words or more open with a word for a law, building or event that is also a first name
    (thing_openers.txt: `Lex Maria`)? 1 → 0 on news-sentences-dev."""
    return len(name_words) > 1 and name_words[0].lower() in words("thing_openers")


def nationality_adjective_first(name_words: list[str]) -> bool:
    """Does a name of two words or more open with a nationality adjective (`Svenskt Näringsliv`, `Norska
    Dagbladet`): an organisation's name? (The caller asks only where no known first name opens it.) 1 → 0 on
    news-sentences-dev."""
    return len(name_words) > 1 and bool(NATIONALITY_ADJECTIVE.fullmatch(name_words[0]))


def noun_suffix(word: str) -> bool:
    """Does a word end in a common-noun suffix (noun_suffixes.txt: `Arrangör`, `Nyhet`) after three letters?
    (For a capitalised word opening a sentence before a verb, which alone is no sign of a person.) 1 → 0 on
    regeringen-dev."""
    low = word.lower()
    return any(low.endswith(end) and len(low) - len(end) >= 3 for end in words("noun_suffixes"))


def indefinite_article_before(text: str, start: int) -> bool:
    """Does `en`/`ett` stand right before the mention (`en Carmen i strumplästen`, `ett Stockholm Open`): a
    role or an instance, not a reference to a person? 2 → 0 on news-sentences-dev."""
    return bool(INDEFINITE_BEFORE.search(text, max(0, start - 5), start))


def inside_short_title(text: str, start: int, end: int, from_: int = 0) -> bool:
    """Does the mention stand inside quotation marks of a few words that hold more than the name (`" Mamma Mia "`):
    a title of a work? (A nickname fills its quotation marks: `” Zäta”`.) The marks are paired in order from
    `from_` (the paragraph's start). 1 → 0 on news-sentences-dev."""
    marks = [m.start() for m in QUOTE_MARK.finditer(text, from_, min(len(text), end + 80))]
    for opening, closing in zip(marks[::2], marks[1::2], strict=False):
        if opening < start and end <= closing:
            inner = text[opening + 1:closing].split()
            return len(inner) <= MAX_TITLE_WORDS and len(inner) > len(text[start:end].split())
        if opening > start:
            break
    return False


def used_as_a_word(text: str, start: int, end: int) -> bool:
    """Does a verb of spelling (word_verbs.txt: `skrivs`, `stavas`) stand right before or after the mention, with
    no particle after the name (`skrivs Lucia med stor bokstav`, not `Lisa skrivs ut`): the name as a word, no
    one's? 1 → 0 false people on news-sentences-dev's tuning half."""
    verbs = words("word_verbs")
    before = re.search(r"(?<![\w-])(\w+)[ \t\u00a0]+$", text[max(0, start - 20):start])
    after = re.match(r"[ \t\u00a0]+(\w+)(?:[ \t\u00a0]+(\w+))?", text[end:end + 40])
    following = [after.group(1), after.group(2)] if after else [None, None]
    if before and before.group(1).lower() in verbs:
        return following[0] not in PARTICLES
    return bool(following[0] and following[0].lower() in verbs and following[1] not in PARTICLES)
