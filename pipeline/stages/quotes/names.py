"""Names: which words make up a name, the runs of name words in a phrase, the names and people
of a document (`prepare` builds the `Doc` from the tables) and their fullest form and gender."""

from __future__ import annotations

import functools

import pandas as pd

from pipeline.lexicon import words as _words
from pipeline.lexicon.names import all_first_names, common_first_names, is_outlet, outlets, pronoun_gender
from pipeline.lexicon.nouns import is_role_word, matches_noun
from pipeline.lexicon.verbs import speech_forms
from pipeline.stages.quotes.constants import (
    CONJUNCTIONS,
    DASHES,
    DETERMINERS,
    EXPLETIVES,
    NOT_SPEAKERS,
    NUMBER_WORDS,
    OPEN_MARKS,
    PARTICLES,
    PREPOSITIONS,
    RELATIVES,
)
from pipeline.stages.quotes.document import Doc, ParagraphRow, Tok, sentence_spans

# a capitalised word after one of these marks (a talstreck, a colon, a quotation mark) may open speech:
# it tells nothing of how the document writes the word
SPEECH_OPENERS = DASHES + ":" + OPEN_MARKS


@functools.cache
def _no_initial_name() -> frozenset[str]:
    """Function words that are no name when they open a sentence."""
    return frozenset(NUMBER_WORDS | DETERMINERS | CONJUNCTIONS | _words("group_words") | EXPLETIVES)


@functools.cache
def _joins_no_name() -> frozenset[str]:
    """Words that never join the name after them at the start of a sentence (`_joins_name`)."""
    closed = NUMBER_WORDS | DETERMINERS | CONJUNCTIONS | EXPLETIVES | PREPOSITIONS | NOT_SPEAKERS | RELATIVES
    return frozenset(closed | _words("speech_stopwords") | _words("group_words") | {"enligt"})


def is_name_word(doc: Doc, tok: Tok, initial: bool) -> bool:
    """A capitalised word that is part of a name; a sentence's first word only if known as one."""
    text = tok.text
    first = text[:1]
    if not first.isupper() or not first.isalpha():  # (the cheap test first: most words are lower case)
        return False
    low = text.lower()
    if low in pronoun_gender():
        return False
    last = text.rsplit("-", 1)[-1]
    if "-" in text and last.islower() and len(last) >= 5:  # FN-organet, San Juan-floden
        return False
    if initial:
        # Swedish capitalises names only, so inside a sentence the capital is enough; at its start
        # the word must be known as a name (tagged PROPN, written capitalised elsewhere, a first name)
        if tok.pos and tok.pos not in ("PROPN", "X", "NOUN", "ADJ"):
            return False
        if low in _no_initial_name():
            return False
        return tok.text in doc.cap_words or tok.pos == "PROPN" or tok.text in common_first_names() or \
            tok.text in outlets()
    return True


def _is_verbish(doc: Doc, tok: Tok) -> bool:
    return tok.low in speech_forms() or tok.low in _words("finite_verbs") or tok.pos in ("VERB", "AUX")


def name_runs(doc: Doc, toks: list[Tok], first_initial: bool = False) -> list[tuple[int, int, str, str]]:
    """(start, end, name, title) for each run of name words; a genitive -s is dropped."""
    runs = []
    i = 0
    while i < len(toks):
        initial = first_initial and i == 0
        if not initial and not toks[i].text[:1].isupper():  # (no name word inside a sentence is lower case)
            i += 1
            continue
        starts_name = is_name_word(doc, toks[i], initial) or initial and _joins_name(doc, toks)
        if not starts_name or is_role_word(toks[i].text) and toks[i].text not in doc.cap_words:
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            if is_name_word(doc, toks[j], False):
                j += 1
            elif _initial_stop(doc, toks, j):
                j += 2                              # `Stefan W. Hell`, `H.R. McMaster`: as the people stage names them
            else:
                k = j
                while k < len(toks) and toks[k].text.islower() and toks[k].low in PARTICLES:
                    k += 1
                if k == j or k >= len(toks) or not is_name_word(doc, toks[k], False):
                    break
                j = k + 1
        while j - i > 1 and is_role_word(toks[i].text) and toks[i].text not in common_first_names():
            i += 1  # `President Putin`: the title is no part of the name
        if j < len(toks) and adjective_name(toks[j - 1], toks[j]):
            j += 1  # `Svenska kyrkan`, `Syriska människorättsobservatoriet`
        run = toks[i:j]
        name = doc.span(run)
        nxt = toks[j] if j < len(toks) else None
        if name.endswith(":s"):  # SMHI:s prognos
            name = name[:-2]
        elif name.endswith("s") and len(run[-1].text) > 3 and nxt is not None and nxt.is_word and \
                nxt.text.islower() and not _is_verbish(doc, nxt) and nxt.low not in _words("speech_stopwords"):
            name = name[:-1]
        title = toks[i - 1].text if i > 0 and toks[i - 1].is_word else ""
        runs.append((run[0].start, run[0].start + len(name), name, title))
        i = j
    return runs


def _initial_stop(doc: Doc, toks: list[Tok], j: int) -> bool:
    """Is toks[j] the full stop of an initial inside a name (`W` `.` `Hell`)?"""
    initial = toks[j - 1].text
    return toks[j].text == "." and len(initial) == 1 and initial.isupper() and toks[j].start == toks[j - 1].end \
        and j + 1 < len(toks) and is_name_word(doc, toks[j + 1], True)   # known as a name: `Anna B. Nu växer`


def adjective_name(previous: Tok, tok: Tok) -> bool:
    """A capitalised adjective and a definite noun: an organisation's name (`Svenska kyrkan`, `Europeiska
    kommissionen`, `Syriska människorättsobservatoriet`), not the adjective alone as a name (tune speaker
    accuracy 0.974 -> 0.976)."""
    return previous.is_cap and previous.pos == "ADJ" and tok.pos == "NOUN" and tok.text.islower() and \
        "Definite=Def" in tok.morph


def _joins_name(doc: Doc, toks: list[Tok]) -> bool:
    """Is a sentence's capitalised first word part of the name after it (`Rädda Barnen`, `Jimmie Åkesson`)?

    Only when the word is no function word and is never written in lower case in the document.
    """
    first = toks[0]
    if len(toks) < 2 or not first.is_cap or first.low in doc.lower_words or toks[1].text in all_first_names():
        return False  # `Butiksägaren Leif Karlsson`: a name that starts with a first name starts there
    if not is_name_word(doc, toks[1], False) and not (toks[1].low == "och" and len(toks) > 2 and
                                                       is_name_word(doc, toks[2], False)):
        return False
    return first.low not in _joins_no_name() and first.low not in pronoun_gender() and not is_role_word(first.text)


def prepare(doc_id: str, text: str, tokens: pd.DataFrame, per_spans: list[tuple[int, int]],
            paragraphs: list[ParagraphRow], words: list | None = None) -> Doc:
    """Tags by offset, capitalised words and the names of the document.

    `words` (`syntax.words_by_document`: the batch's parsed tokens, converted once) saves reading the
    tokens frame again; without them the tags come from `tokens`.
    """
    tags = {}
    if words and any(w.pos for w in words):
        tags = {w.start: (w.pos, w.morph) for w in words}
    elif not words and not tokens.empty and (tokens["pos"].fillna("") != "").any():
        tags = {int(s): (str(p or ""), str(m or ""))
                for s, p, m in zip(tokens["start"].tolist(), tokens["pos"].tolist(), tokens["morph"].tolist(),
                                   strict=True)}
    doc = Doc(doc_id, text, tags, origin=int(paragraphs[0].start) if paragraphs else 0)
    if words:
        doc.deps = {w.start: w.dep for w in words}
        doc.lemmas = {w.start: w.lemma for w in words}
    doc.model_per = list(per_spans)
    doc.questions = {int(p.paragraph_id): (int(p.start), int(p.end)) for p in paragraphs
                     if p.kind == "body" and text[int(p.start):int(p.end)].rstrip().endswith("?")}
    sentences = [s for p in paragraphs for s in sentence_spans(text, int(p.start), int(p.end))]
    sentence_tokens = [doc.tokens(s, e) for s, e in sentences]
    cap_words, lower_words = doc.cap_words, doc.lower_words
    for toks in sentence_tokens:
        previous = None  # the text of the word before, none for the first word of a sentence
        for tok in toks:
            text = tok.text
            if previous is not None and text[:1].isupper() and previous not in SPEECH_OPENERS:
                cap_words.add(text)
            elif text.islower():
                lower_words.add(text)
            previous = text
    for toks in sentence_tokens:
        for start, end, name, title in name_runs(doc, toks, first_initial=True):
            doc.names.append((start, end, name, title))
            if title:
                doc.titles.setdefault(name, set()).add(title.lower())
            if _looks_like_person(doc, start, end, name, title):
                doc.persons.add(name)
    _plain_genitives(doc)
    return doc


def _plain_genitives(doc: Doc) -> None:
    """`Dan Ericssons, statssekreterare …, budskap` and elsewhere `Ericsson`: a full name kept with its
    genitive `s` (no noun right after it) is the plain name when the document writes the surname without
    it, so that `Ericsson` and `han` find Dan Ericsson (regeringen-dev tune speaker accuracy 0.920 -> 0.966)."""
    lasts = {name.split()[-1] for _, _, name, _ in doc.names}
    for n, (start, end, name, title) in enumerate(doc.names):
        words = name.split()
        if len(words) > 1 and name.endswith("s") and words[-1][:-1] in lasts:
            doc.names[n] = (start, end - 1, name[:-1], title)
            if name in doc.persons:
                doc.persons.add(name[:-1])
            if name in doc.titles:
                doc.titles.setdefault(name[:-1], set()).update(doc.titles[name])


def _looks_like_person(doc: Doc, start: int, end: int, name: str, title: str) -> bool:
    """A name that the article uses for a person: a known first name, a title, or a tagged full name.

    A single word tagged PER by the model is not trusted on its own (place names get that tag too).
    """
    if is_outlet(name) or name.isupper():
        return False
    words = name.split()
    if words[0] in common_first_names() or (len(words) > 1 and words[0] in all_first_names()):
        return True
    if title and is_role_word(title) and not matches_noun(title, "org_nouns") and title.lower() not in \
            _words("media_nouns"):
        return True
    return len(name.split()) > 1 and any(s < end and start < e for s, e in doc.model_per)


def fullest(doc: Doc, name: str) -> str:
    """The longest name in the document that ends with the same word as `name`."""
    if " och " in name:
        return name
    if doc.longest is None or doc.longest[0] != len(doc.names):
        longest: dict[str, tuple[int, str]] = {}     # last word -> (words, first name with that many)
        for _, _, other, _ in doc.names:
            words = other.split()
            key = words[-1].lower()
            if key not in longest or len(words) > longest[key][0]:
                longest[key] = (len(words), other)
        doc.longest = (len(doc.names), longest)
    found = doc.longest[1].get(name.split()[-1].lower())
    return found[1] if found and found[0] > len(name.split()) else name


def person_gender(name: str) -> str:
    words = name.split()
    return all_first_names().get(words[0], "any") if len(words) > 1 else common_first_names().get(words[0], "any")


def without_place_qualifier(phrase: list[Tok], names: list[tuple[int, int, str, str]]
                             ) -> tuple[list[tuple[int, int, str, str]], list[Tok]]:
    """Names after `i` place the speaker: `Anna Ek i Malmö` is Anna Ek; `Länsstyrelsen i Dalarna`, `polisen i
    Handen` (a capitalised or role word heads it) are the phrase up to the place (tune: 2 speakers, `Skåne`)."""
    at = next((t.start for t in phrase[1:] if t.low == "i"), None)
    if at is None or not names:
        return names, phrase
    before = [n for n in names if n[0] < at]
    head_only = len(before) == 1 and before[0][0] == phrase[0].start and " " not in before[0][2]
    if before and not (head_only and is_role_word(phrase[0].text)):   # `Polisen i Malmö`: all of it
        return before, phrase
    if not (phrase[0].is_cap or any(t.pos == "NOUN" or is_role_word(t.text) for t in phrase if t.start < at)):
        return names, phrase                                    # (`medier i Norrland`: a noun before `i`)
    place = next((t.start for t in phrase if t.start > at), None)     # (None: the phrase ends at `i`)
    if names[-1][0] != place:
        return names, phrase        # `Ordföranden i Vänsterpartiet Nooshi Dadgostar`: a name after the place
    end = names[-1][1]
    return [], [t for t in phrase if t.start < end]
