"""Quotes and their speakers: direct, indirect and mixed speech in Swedish news.

The rules rest on surface patterns that every Swedish news text uses, so that they work with
the blank fallback model as well as with a trained one (tags are used where present):

* a paragraph opened by a talstreck (`– `) is direct speech; the attribution follows a comma
  (`…, säger hon.`); a paragraph without one continues the previous speaker;
* words in quotation marks are direct speech when an attribution is attached to them;
* a reporting verb from a whitelist with an `att` clause, or `enligt X`, is indirect speech;
* `…, säger X.` after a plain clause makes that clause an indirect quote, and so does
  `Det uppger polisen.` for the sentence before it;
* pronouns and role nouns (`han`, `Presidenten`, `tankesmedjan`) are resolved to the
  most recent fitting name; outlets (`skriver Reuters`, `enligt nyhetsbyrån AFP`) become the
  `source`, unless they are the only one the quote is attributed to.

Word lists live in `pipeline/lexicon/*.txt`.
"""

from __future__ import annotations

import re
from collections import namedtuple
from dataclasses import dataclass, field

import pandas as pd

from pipeline.lexicon import load, word_sequences
from pipeline.lexicon import words as _words
from pipeline.lexicon.names import all_first_names, common_first_names, is_outlet, outlets, pronoun_gender
from pipeline.lexicon.nouns import is_role_word, matches_noun
from pipeline.lexicon.verbs import direct_forms, speech_forms
from pipeline.run import schema

DASHES = "–—―-"
OPEN_MARKS = "”“»\""
CLOSE_MARKS = "”«»\""
QUOTE_MARKS = set("”“»«\"")
WORD_RE = re.compile(r"\w+(?:[-:'’]\w+)*|[^\w\s]")
PARTICLES = frozenset(load("name_particles"))
CONJUNCTIONS = {"men", "och", "så", "samtidigt", "dessutom", "däremot"}
EXPLETIVES = {"det", "detta", "som", "vilket", "vilka", "man", "här", "där", "den", "dessa"}
RELATIVES = {"som", "vars", "vilka", "vilken", "vilket", "där"}
PREPOSITIONS = {"på", "för", "om", "med", "av", "till", "över", "i", "vid", "under", "från", "mot", "efter", "inför"}
SUBJECT_PRONOUNS = {"det", "han", "hon", "de", "den", "man", "vi", "jag", "hen", "ni", "du"}
# `bl.a.`, `t.ex.`, `ca.`, an initial (`John F. Kennedy`): a full stop that ends no sentence
ABBREVIATION = re.compile(r"(?:(?<![\w.])(?:[a-zåäö]{1,4}\.){2,}|(?<![\w.])(?:ca|kl|jfr|resp|dvs|nr|tel|bl)\.|"
                          r"(?<![\w.])[A-ZÅÄÖ]\.)$")
COLON_DASH = re.compile(r":[ \t\u00a0]+[–—―-][ \t\u00a0]")
EDITORIAL_MARKERS = re.compile(r"\s(?:Fotnot|Foto|Källa|Rättelse)\s*:")
AGENTLESS = {"uppgift", "uppgifter", "egen", "eget", "egna", "obekräftade"}
FIRST_PERSON = {"jag", "vi", "mig", "oss", "min", "mitt", "mina", "vår", "vårt", "våra"}
# in running text `jag`/`vi` is the writer of an opinion piece, not a quoted speaker
NOT_SPEAKERS = FIRST_PERSON | {"du", "ni", "man", "att", "om", "när", "eftersom"}
NUMBER_WORDS = {"en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv", "tjugo",
                "hundra", "tusen", "båda", "bägge", "både"}
DETERMINERS = {"den", "det", "de", "en", "ett", "denna", "detta", "dessa", "sin", "sitt", "sina"}


# --------------------------------------------------------------------------- lexicons


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int
    pos: str = ""
    morph: str = ""

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class Quote:
    kind: str
    start: int
    end: int
    paragraph_id: int
    cue: str = ""
    cue_lemma: str = ""
    mention: str = ""
    m_start: int | None = None
    m_end: int | None = None
    name: str | None = None  # name found in the speaker phrase itself
    source: str = ""
    continues: bool = False  # no attribution of its own: the previous speaker goes on
    dash: bool = False  # opened by a talstreck
    confidence: float = 0.8
    speaker: str = ""


@dataclass
class Attribution:
    """Cue, speaker phrase and outlet of one attribution (`säger han till TT`)."""

    cue: str = ""
    cue_lemma: str = ""
    mention: str = ""
    m_start: int | None = None
    m_end: int | None = None
    name: str | None = None
    source: str = ""


@dataclass
class Doc:
    """One document's text, tags and the names it uses."""

    doc_id: str
    text: str
    tags: dict[int, tuple[str, str]]
    cap_words: set[str] = field(default_factory=set)  # words written capitalised inside a sentence
    lower_words: set[str] = field(default_factory=set)  # words written in lower case
    names: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, name, title
    persons: set[str] = field(default_factory=set)  # names known to be people
    titles: dict[str, set[str]] = field(default_factory=dict)  # name -> titles written before it
    model_per: list[tuple[int, int]] = field(default_factory=list)

    def tokens(self, start: int, end: int) -> list[Tok]:
        out = []
        for m in WORD_RE.finditer(self.text, start, end):
            pos, morph = self.tags.get(m.start(), ("", ""))
            out.append(Tok(m.group(), m.start(), m.end(), pos, morph))
        return out

    def span(self, toks: list[Tok]) -> str:
        return self.text[toks[0].start: toks[-1].end] if toks else ""


# --------------------------------------------------------------------------- names


def is_name_word(doc: Doc, tok: Tok, initial: bool) -> bool:
    """A capitalised word that is part of a name; a sentence's first word only if known as one."""
    if not tok.is_cap or not tok.text[:1].isalpha() or tok.low in pronoun_gender():
        return False
    last = tok.text.rsplit("-", 1)[-1]
    if "-" in tok.text and last.islower() and len(last) >= 5:  # FN-organet, San Juan-floden
        return False
    if initial:
        # Swedish capitalises names only, so inside a sentence the capital is enough; at its start
        # the word must be known as a name (tagged PROPN, written capitalised elsewhere, a first name)
        if tok.pos and tok.pos not in ("PROPN", "X", "NOUN", "ADJ"):
            return False
        if tok.low in NUMBER_WORDS | DETERMINERS | CONJUNCTIONS | _words("group_words") | EXPLETIVES:
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
        starts_name = is_name_word(doc, toks[i], first_initial and i == 0) or (
            first_initial and i == 0 and _joins_name(doc, toks))
        if not starts_name or is_role_word(toks[i].text) and toks[i].text not in doc.cap_words:
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            if is_name_word(doc, toks[j], False):
                j += 1
            else:
                k = j
                while k < len(toks) and toks[k].text.islower() and toks[k].low in PARTICLES:
                    k += 1
                if k == j or k >= len(toks) or not is_name_word(doc, toks[k], False):
                    break
                j = k + 1
        while j - i > 1 and is_role_word(toks[i].text) and toks[i].text not in common_first_names():
            i += 1  # `President Putin`: the title is no part of the name
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
    closed = NUMBER_WORDS | DETERMINERS | CONJUNCTIONS | EXPLETIVES | PREPOSITIONS | NOT_SPEAKERS | RELATIVES
    return first.low not in closed | _words("speech_stopwords") | _words("group_words") | {"enligt"} and \
        first.low not in pronoun_gender() and not is_role_word(first.text)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end]: split after . ! ? (not inside quotation marks)."""
    spans, s, inside = [], start, False
    i = start
    while i < end:
        ch = text[i]
        if ch in "”\"":
            inside = not inside if (i + 1 >= end or not text[i + 1].isalnum() or not inside) else inside
        elif ch == "»":
            inside = True
        elif ch == "«":
            inside = False
        elif ch in ".!?" and not inside and not (ch == "." and ABBREVIATION.search(text, max(start, i - 12), i + 1)):
            j = i + 1
            while j < end and text[j] in "”»\"":
                j += 1
            k = j
            while k < end and text[k].isspace():
                k += 1
            if k >= end or (k > j and (text[k].isupper() or text[k] in DASHES + OPEN_MARKS or text[k].isdigit())):
                spans.append((s, j))
                s, i = k, k
                continue
        i += 1
    if s < end and text[s:end].strip():
        spans.append((s, end))
    return [(a, b) for a, b in spans if b > a]


ParagraphRow = namedtuple("ParagraphRow", "paragraph_id start end kind")


def paragraph_rows(paragraphs: pd.DataFrame) -> list[ParagraphRow]:
    """The paragraphs as plain tuples: per-row pandas access costs more than the rules themselves."""
    columns = (paragraphs[name].tolist() for name in ParagraphRow._fields)
    return [ParagraphRow(*row) for row in zip(*columns, strict=True)]


def prepare(doc_id: str, text: str, tokens: pd.DataFrame, entities: pd.DataFrame,
            paragraphs: list[ParagraphRow]) -> Doc:
    """Tags by offset, capitalised words and the names of the document."""
    tags = {}
    if not tokens.empty and (tokens["pos"].fillna("") != "").any():
        tags = {int(s): (str(p or ""), str(m or ""))
                for s, p, m in zip(tokens["start"].tolist(), tokens["pos"].tolist(), tokens["morph"].tolist(),
                                   strict=True)}
    doc = Doc(doc_id, text, tags)
    if not entities.empty:
        per = entities[entities["label"] == "PER"]
        doc.model_per = [(int(s), int(e)) for s, e in zip(per["start"], per["end"], strict=True)]
    sentences = [s for p in paragraphs for s in sentence_spans(text, int(p.start), int(p.end))]
    for s, e in sentences:
        toks = doc.tokens(s, e)
        for k, t in enumerate(toks):
            if k > 0 and t.is_cap and toks[k - 1].text not in DASHES + ":" + OPEN_MARKS:
                doc.cap_words.add(t.text)
            elif t.text.islower():
                doc.lower_words.add(t.text)
    for s, e in sentences:
        for start, end, name, title in name_runs(doc, doc.tokens(s, e), first_initial=True):
            doc.names.append((start, end, name, title))
            if title:
                doc.titles.setdefault(name, set()).add(title.lower())
            if _looks_like_person(doc, start, end, name, title):
                doc.persons.add(name)
    return doc


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
    last = name.split()[-1].lower()
    best = name
    for _, _, other, _ in doc.names:
        if other.split()[-1].lower() == last and len(other.split()) > len(best.split()):
            best = other
    return best


def person_gender(name: str) -> str:
    words = name.split()
    return all_first_names().get(words[0], "any") if len(words) > 1 else common_first_names().get(words[0], "any")


# --------------------------------------------------------------------------- phrases


def is_finite(doc: Doc, tok: Tok) -> bool:
    """A finite verb: by tag and morphology where the model gave them, else by the finite_verbs lexicon."""
    if tok.pos:
        if tok.pos not in ("AUX", "VERB"):
            return False
        return "VerbForm=Fin" in tok.morph if "VerbForm=" in tok.morph else not tok.low.endswith(("ande", "ende"))
    return tok.low in _words("finite_verbs") or tok.low in speech_forms()


def capable(doc: Doc, toks: list[Tok], initial: bool = False) -> bool:
    """Can these words name a speaker: a name, a pronoun, a role or group noun?"""
    if not toks or toks[0].low in NOT_SPEAKERS:
        return False
    if len(toks) == 1 and toks[0].low in pronoun_gender():
        return True
    for k, t in enumerate(toks):
        if is_name_word(doc, t, initial and k == 0) or is_role_word(t.text) or t.low in _words("group_words"):
            return True
    return False


def speaker_phrase(doc: Doc, toks: list[Tok], k: int, limit: int = 9) -> list[Tok]:
    """The speaker after a reporting verb: words up to punctuation, a preposition or an adverb."""
    out: list[Tok] = []
    stop = _words("speech_stopwords")
    while k < len(toks) and len(out) < limit:
        t = toks[k]
        if not t.is_word or (t.low in stop and not (t.low in PARTICLES and out and out[-1].is_cap)):
            if t.low == "och" and out and k + 1 < len(toks) and is_name_word(doc, toks[k + 1], False):
                out.append(t)
                k += 1
                continue
            break
        out.append(t)
        k += 1
    if out and out[0].low in pronoun_gender() and (out[0].low not in ("de", "den", "dem") or len(out) == 1):
        return out[:1]
    return out + _attached_pp(doc, toks, k, out)


PP_HEADS = {"för", "på", "vid", "hos", "inom", "i", "till"}


def _attached_pp(doc: Doc, toks: list[Tok], k: int, phrase: list[Tok]) -> list[Tok]:
    """`för polisen` in `en talesperson för polisen`: a prepositional phrase that names the group.

    Only for speakers without a name, and only when the phrase names an organisation or group
    (a name or a role noun) that is not a news outlet (`säger föräldrarna till TT`).
    """
    if not phrase or k >= len(toks) or toks[k].low not in PP_HEADS or phrase[0].low in pronoun_gender():
        return []
    if any(is_name_word(doc, t, False) for t in phrase):
        return []
    pp = [toks[k]]
    stop = _words("speech_stopwords")
    for t in toks[k + 1:k + 7]:
        if not t.is_word or (t.low in stop and t.low not in PARTICLES):
            break
        pp.append(t)
    words = pp[1:]
    if not words or any(t.text in outlets() for t in words):
        return []
    if any(is_name_word(doc, t, False) for t in words) or is_role_word(words[-1].text):
        return pp
    return []


def is_initial(doc: Doc, offset: int) -> bool:
    """Does a sentence (or paragraph, or quoted speech) start at `offset`?"""
    k = offset - 1
    while k >= 0 and doc.text[k] in " \t\u00a0":
        k -= 1
    return k < 0 or doc.text[k] in ".!?:\n" + DASHES + OPEN_MARKS


def attribution_from(doc: Doc, toks: list[Tok], verb: int, phrase: list[Tok]) -> Attribution:
    names = name_runs(doc, phrase, first_initial=bool(phrase) and is_initial(doc, phrase[0].start))
    name = None
    after_last = [t for t in phrase if names and t.start >= names[-1][1] + 1]
    if names and any(is_role_word(t.text) for t in after_last):
        names = []  # `Putins talesperson`: someone else, who is not named
    if names:
        parts = [n[2] for n in names]
        name = " och ".join(parts) if len(parts) > 1 and any(t.low == "och" for t in phrase) else parts[-1]
    cue = toks[verb].text if verb is not None and verb >= 0 else ""
    lemma = "enligt" if cue.lower() == "enligt" else direct_forms().get(cue.lower(), cue.lower())
    return Attribution(cue, lemma, doc.span(phrase), phrase[0].start if phrase else None,
                       phrase[-1].end if phrase else None, name)


def outlet_after(doc: Doc, toks: list[Tok], k: int, max_skip: int = 5) -> tuple[str, int] | None:
    """An outlet named from toks[k] on (`den statliga nyhetsbyrån Belta`): (name, index after)."""
    media = _words("media_nouns")
    skipped = 0
    after_medium = False
    while k < len(toks) and skipped <= max_skip:
        t = toks[k]
        if not t.is_word:
            return None
        if t.is_cap:
            runs = name_runs(doc, toks[k:k + 6])
            if runs and runs[0][0] == t.start:
                name = runs[0][2]
                if is_outlet(name) or after_medium:
                    n = k + len(WORD_RE.findall(name))
                    return name, n
            return None
        after_medium = after_medium or t.low in media
        skipped += 1
        k += 1
    return None


SOURCE_TRIGGERS = {"skriver", "skrev", "rapporterar", "rapporterade", "uppger", "uppgav", "enligt", "till",
                   "meddelar", "meddelade", "för"}


def find_source(doc: Doc, toks: list[Tok], skip: tuple[int, int] = (-1, -1)) -> str:
    """The outlet a sentence says the quote came through (`skriver Reuters`, `till TT`)."""
    for k, t in enumerate(toks):
        if skip[0] <= t.start < skip[1]:
            continue
        low = t.low
        hit = None
        if low in SOURCE_TRIGGERS:
            hit = outlet_after(doc, toks, k + 1)
            if hit and low in ("till", "för") and not (is_outlet(hit[0]) or _preceded_by_medium(toks, k + 1)):
                hit = None
        elif low == "med" and k > 0 and toks[k - 1].low in ("intervju", "samtal", "intervjun"):
            hit = outlet_after(doc, toks, k + 1)
        elif low in ("av", "i") and k > 0 and toks[k - 1].low.startswith("citera"):
            hit = outlet_after(doc, toks, k + 1)
        elif low == "i" and k + 1 < len(toks) and toks[k + 1].text in outlets():
            hit = (toks[k + 1].text, k + 2)
        if hit and not (skip[0] <= toks[min(k + 1, len(toks) - 1)].start < skip[1]):
            return hit[0]
    return ""


def _preceded_by_medium(toks: list[Tok], k: int) -> bool:
    return any(t.low in _words("media_nouns") for t in toks[k:k + 4])


# --------------------------------------------------------------------------- sentence rules


def _content_start(toks: list[Tok]) -> int:
    """Index after leading conjunctions (`Men`, `Och`) which the quote leaves out."""
    k = 0
    while k < len(toks) and toks[k].low in CONJUNCTIONS and k + 1 < len(toks) and toks[k + 1].is_word:
        k += 1
    return k


def _trim_end(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop spaces, a final full stop/comma and an unmatched closing mark from text[start:end]."""
    text = doc.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    segment = text[start:end]
    if segment.endswith(("”", "\"")) and segment.count("”") + segment.count("\"") == 1 and \
            not segment.startswith(("”", "\"")):
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def _speech_kind(doc: Doc, start: int, end: int) -> str:
    """`direct` for a clause in the first person (`Vi är glada, säger hon.` without a talstreck), else `indirect`."""
    return "direct" if any(t.low in FIRST_PERSON for t in doc.tokens(start, end)) else "indirect"


def _kind(doc: Doc, start: int, end: int, base: str = "indirect") -> str:
    return "mixed" if base == "indirect" and any(c in QUOTE_MARKS for c in doc.text[start:end]) else base


def trailing_attribution(doc: Doc, toks: list[Tok]) -> tuple[int, int, Attribution] | None:
    """`…, säger X [efter mötet].` or `…, enligt X.` at the end of a sentence: (comma, verb, attribution)."""
    for c, tok in enumerate(toks):
        if tok.text != "," or c + 1 >= len(toks):
            continue
        verb = c + 1
        cue = toks[verb]
        if cue.low not in speech_forms() and cue.low != "enligt":
            continue
        phrase = speaker_phrase(doc, toks, verb + 1)
        if not phrase or phrase[0].low in AGENTLESS or not (capable(doc, phrase) or cue.low == "enligt"):
            continue
        if cue.low == "enligt" and _rule_not_speaker(phrase):
            continue
        rest = toks[verb + 1 + len(phrase):]
        words = [t for t in rest if t.is_word]
        if words and words[0].low == "att":
            continue
        if cue.low == "enligt" and words and rest[0].text == ",":
            continue
        if cue.low == "enligt" and words and words[0].low not in RELATIVES | PREPOSITIONS:
            continue
        return c, verb, attribution_from(doc, toks, verb, phrase)
    return None


def _participle_after_determiner(toks: list[Tok], i: int) -> bool:
    """`de saknade studenterna`: a past form between a determiner and a word is an adjective, however tagged."""
    return toks[i - 1].low in DETERMINERS and i + 1 < len(toks) and toks[i + 1].is_word


def enligt_phrase(doc: Doc, toks: list[Tok], k: int) -> tuple[list[Tok], int | None]:
    """Speaker words after toks[k] (`enligt`, or the clause start with k = -1) and the index of the finite verb
    that ends them (Swedish is verb-second), found by tag, by lexicon or as the first lower-case word after a name
    or a role noun."""
    i, seen_name, mention_end = k + 1, False, None
    while i < len(toks):
        t = toks[i]
        if t.text == ",":
            mention_end = mention_end if mention_end is not None else i
            i += 1
            continue
        if not t.is_word:
            break
        if i > k + 1 and is_finite(doc, t) and not t.is_cap and not _participle_after_determiner(toks, i):
            return toks[k + 1: mention_end if mention_end is not None else i], i
        genitive = toks[i - 1].text.endswith(":s") or (toks[i - 1].text.endswith("s") and
                                                        (is_role_word(t.text) or t.pos == "NOUN"))
        if seen_name and mention_end is None and t.text.islower() and not genitive and \
                t.low not in PARTICLES | RELATIVES | PREPOSITIONS | {"och", "samt", "eller"}:
            return toks[k + 1:i], i
        previous = toks[i - 1]
        if i > k + 1 and mention_end is None and not seen_name and t.text.islower() and \
                (is_role_word(previous.text) or previous.low in set(pronoun_gender()) - DETERMINERS) and \
                t.low not in RELATIVES | PREPOSITIONS | PARTICLES | DETERMINERS and not is_role_word(t.text):
            return toks[k + 1:i], i
        seen_name = seen_name or is_name_word(doc, t, False)
        i += 1
    if mention_end is not None and mention_end + 1 < len(toks):
        return toks[k + 1:mention_end], mention_end + 1
    return toks[k + 1:i], None


def _rule_not_speaker(phrase: list[Tok]) -> bool:
    """`enligt lagen`, `enligt planen`: a rule or plan, no one who said something."""
    words = [t for t in phrase if t.is_word and t.low not in _words("speech_stopwords")]
    if not words or any(t.is_cap for t in words):  # `SMHI:s prognos` is SMHI speaking
        return False
    return matches_noun(words[-1].text, "enligt_not_speakers")


def _adverb_len(toks: list[Tok], k: int) -> int:
    for adverb in word_sequences("adverbs"):
        if tuple(t.low for t in toks[k:k + len(adverb)]) == adverb:
            return len(adverb)
    return 0


def verb_att(doc: Doc, toks: list[Tok], lo: int) -> tuple[int, int, list[Tok]] | None:
    """(verb, att, speaker words) for the first `VERB [X] att` with a whitelisted reporting verb."""
    for v in range(lo, len(toks)):
        if toks[v].low not in speech_forms() or toks[v].text != toks[v].low:
            continue
        j = next((j for j in range(v + 1, min(v + 8, len(toks))) if toks[j].low == "att" or not toks[j].is_word), None)
        if j is None or toks[j].low != "att":
            continue
        if j > v + 1 and toks[j - 1].low in PREPOSITIONS and _adverb_len(toks, j - 2) != 2:
            continue
        between = toks[v + 1:j]
        np: list[Tok] = []
        k = 0
        while k < len(between):
            n = _adverb_len(between, k)
            if n:
                k += n
                continue
            if between[k].low in _words("speech_stopwords"):
                break
            np.append(between[k])
            k += 1
        if np:
            if not capable(doc, np):
                continue
            if np[0].low in pronoun_gender():
                np = np[:1]
            return v, j, np + _attached_pp(doc, toks, v + 1 + between.index(np[-1]) + 1, np)
        subject = _subject_before(doc, toks, lo, v)
        if subject:
            return v, j, subject
    return None


AUXILIARIES = {"har", "hade", "kan", "kunde", "ska", "skall", "skulle", "måste", "bör", "borde", "vill", "ville",
               "får", "fick", "lär", "tycks", "verkar"}


def _subject_before(doc: Doc, toks: list[Tok], lo: int, v: int) -> list[Tok]:
    """The subject in front of a reporting verb (`Presidenten menade att`), cut at a comma.

    Also `I ett uttalande har regeringen meddelat att` (subject after an auxiliary) and
    `…, Anna Berg, som menar att` (the antecedent of `som`).
    """
    if v - 1 >= lo and toks[v - 1].low == "som":
        return _antecedent(doc, toks, lo, v - 1)
    if v - 1 > lo and toks[v - 1].low == "och":  # `Föräldrarna misstror … och tror att`: the first subject
        phrase, verb = enligt_phrase(doc, toks, lo - 1)
        return phrase if verb is not None and capable(doc, phrase, initial=True) else []
    prefix = toks[lo:v]
    aux = next((k for k, t in enumerate(prefix) if k > 0 and t.low in AUXILIARIES), None)
    if aux is not None:
        after = _without_adverbs(prefix[aux + 1:])
        if after and after[0].low in NOT_SPEAKERS:  # `Ingenstans har vi sagt att`
            return []
        if after and all(t.is_word for t in after) and len(after) <= 6 and capable(doc, after):
            return after[:1] if after[0].low in pronoun_gender() else after
        prefix = prefix[:aux]
    cut = next((k for k, t in enumerate(prefix) if not t.is_word), len(prefix))
    subject = prefix[:cut]
    if not subject or subject[0].low in EXPLETIVES | NOT_SPEAKERS or len(subject) > 10:
        return []
    if any(t.text.islower() and is_finite(doc, t) and not is_role_word(t.text) for t in subject):
        return []
    return subject


def _without_adverbs(toks: list[Tok]) -> list[Tok]:
    out, k = [], 0
    while k < len(toks):
        n = _adverb_len(toks, k)
        if n:
            k += n
            continue
        out.append(toks[k])
        k += 1
    return out


def _antecedent(doc: Doc, toks: list[Tok], lo: int, som: int) -> list[Tok]:
    """The words before `, som`: back to a preposition, a verb or punctuation (`… från Anna Berg, som`)."""
    k = som - 1
    if k >= lo and toks[k].text == ",":
        k -= 1
    out: list[Tok] = []
    stop = _words("speech_stopwords") | PREPOSITIONS
    while k >= lo and toks[k].is_word and toks[k].low not in stop and not (is_finite(doc, toks[k]) and
                                                                            toks[k].text.islower()):
        out.insert(0, toks[k])
        k -= 1
    return out if out and capable(doc, out) else []


def _cut_new_clause(doc: Doc, toks: list[Tok], lo: int, end: int) -> int:
    """End an indirect quote before `, men det …` (a new main clause by the journalist)."""
    for k in range(lo, len(toks) - 2):
        if toks[k].start >= end:
            break
        if toks[k].text == "," and toks[k + 1].low == "men" and toks[k + 2].low in SUBJECT_PRONOUNS:
            return toks[k].start
    return end


def sentence_quotes(doc: Doc, start: int, end: int, pid: int) -> list[Quote]:
    """Quotes of one sentence outside talstreck paragraphs.

    A trailing `…, säger X.` makes the clause before it the quote, unless X is an outlet and the
    clause has an attribution of its own (`Putin sade att …, skriver Reuters.`): then X is the source.
    """
    toks = doc.tokens(start, end)
    if not toks:
        return []
    direct = marked_direct(doc, toks, pid)
    if direct:
        return direct
    lo = _content_start(toks)
    trailing = trailing_attribution(doc, toks)
    if trailing:
        comma, verb, attr = trailing
        outlet = is_outlet(attr.name) or any(t.low in _words("media_nouns") for t in toks[verb + 1:verb + 4])
        if outlet:
            inner = _main_quote(doc, toks[:comma], lo, toks[comma].start, pid)
            if inner:
                inner.source = inner.source or (attr.name or attr.mention)
                return [inner]
        q_start, q_end = _trim_end(doc, toks[lo].start, toks[comma].start)
        if q_end > q_start:
            src = "" if outlet else find_source(doc, toks[verb + 1:], (attr.m_start or 0, attr.m_end or 0))
            return [_quote(doc, q_start, q_end, pid, attr, src, 0.7, kind=_speech_kind(doc, q_start, q_end))]
    quote = _main_quote(doc, toks, lo, end, pid)
    return [quote] if quote else []


def _quote(doc: Doc, start: int, end: int, pid: int, attr: Attribution, source: str, conf: float,
           kind: str = "indirect") -> Quote:
    return Quote(_kind(doc, start, end, kind), start, end, pid, attr.cue, attr.cue_lemma, attr.mention,
                 attr.m_start, attr.m_end, attr.name, source or attr.source, confidence=conf)


def _main_quote(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """Fronted `Enligt X`, `VERB … att`, or `enligt X` inside the clause toks[lo:] (up to `end`)."""
    return (_fronted_enligt(doc, toks, lo, end, pid) or _verb_att_quote(doc, toks, lo, end, pid)
            or _inner_enligt(doc, toks, lo, end, pid))


def _fronted_enligt(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`Enligt Putin genomför Ryssland …`: the quote starts at the finite verb after the speaker."""
    if lo >= len(toks) or toks[lo].low != "enligt":
        return None
    phrase, verb = enligt_phrase(doc, toks, lo)
    if verb is None or not phrase or phrase[0].low in AGENTLESS or _rule_not_speaker(phrase):
        return None
    attr = attribution_from(doc, toks, lo, phrase)
    q_start, q_end = _trim_end(doc, toks[verb].start, _cut_new_clause(doc, toks, verb, end))
    src = find_source(doc, toks[verb:]) if not is_outlet(attr.name) else ""
    return _quote(doc, q_start, q_end, pid, attr, src, 0.75)


def _verb_att_quote(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`Putin sade att …` / `sade Putin att …`: the quote is the att-clause, to the end of the sentence."""
    found = verb_att(doc, toks, lo)
    if not found:
        return None
    v, att, phrase = found
    attr = attribution_from(doc, toks, v, phrase)
    q_end = _cut_new_clause(doc, toks, att, end)
    q_start, q_end = _trim_end(doc, toks[att + 1].start if att + 1 < len(toks) else end, q_end)
    if q_end <= q_start:
        return None
    skip = (min(attr.m_start or 0, toks[v].start), max(attr.m_end or 0, toks[v].end))
    src = "" if is_outlet(attr.name) else find_source(doc, [t for t in toks if t.start < q_start or t.start >= q_end],
                                                      skip)
    return _quote(doc, q_start, q_end, pid, attr, src, 0.8)


def _inner_enligt(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`enligt X` inside a sentence.

    `…, enligt facket, varit …` makes the whole sentence the quote; `vilket enligt X är …` the part
    after X; `Ingen skadades enligt polisen.` the part before.
    """
    for k in range(lo + 1, len(toks)):
        if toks[k].low != "enligt" or toks[k].start >= end:
            continue
        if toks[k - 1].text == ",":
            phrase = speaker_phrase(doc, toks, k + 1, limit=6)
            if not phrase or not capable(doc, phrase) or phrase[0].low in AGENTLESS or _rule_not_speaker(phrase):
                continue
            q_start, q_end = _trim_end(doc, toks[lo].start, end)
            return _quote(doc, q_start, q_end, pid, attribution_from(doc, toks, k, phrase), "", 0.6)
        phrase, verb = enligt_phrase(doc, toks, k)
        if not phrase or phrase[0].low in AGENTLESS or _rule_not_speaker(phrase) or not capable(doc, phrase) or \
                not any(is_role_word(t.text) or t.is_cap or t.low in pronoun_gender() for t in phrase):
            continue
        if verb is None:  # `Ingen skadades enligt polisen.`: the attribution closes the sentence
            if any(t.is_word for t in toks[k + 1 + len(phrase):]):
                continue
            q_start, q_end = _trim_end(doc, toks[lo].start, toks[k].start)
        else:
            q_start, q_end = _trim_end(doc, toks[verb].start, end)
        return _quote(doc, q_start, q_end, pid, attribution_from(doc, toks, k, phrase), "", 0.6)
    return None


def marked_direct(doc: Doc, toks: list[Tok], pid: int) -> list[Quote]:
    """`”…”, säger X.` and `X säger: ”…”`: words in quotation marks with an attribution."""
    quotes = []
    marks = [k for k, t in enumerate(toks) if t.text in QUOTE_MARKS]
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        inner_start, inner_end = toks[a].end, toks[b].start
        if inner_end - inner_start < 3 or b - a < 4:
            continue
        after = b + 1
        if after < len(toks) and toks[after].text == ",":
            after += 1
        attr = None
        opens = a == 0 or (a == 1 and not toks[0].is_word)
        if opens and after < len(toks) and toks[after].low in direct_forms():
            phrase = speaker_phrase(doc, toks, after + 1)
            if phrase and capable(doc, phrase):
                attr = attribution_from(doc, toks, after, phrase)
                attr.source = find_source(doc, toks[after + 1 + len(phrase):])
        elif a > 0 and toks[a - 1].text == ":":
            attr = colon_attribution(doc, toks[:a - 1])
        if attr:
            s, e = _trim_end(doc, inner_start, inner_end)
            quotes.append(_quote(doc, s, e, pid, attr, attr.source, 0.85, kind="direct"))
    return quotes


def colon_attribution(doc: Doc, toks: list[Tok]) -> Attribution | None:
    """The attribution of `I ett inlägg skriver han:`, which introduces the speech after it."""
    for v, t in enumerate(toks):
        if t.low not in speech_forms() or t.text != t.low:
            continue
        phrase = speaker_phrase(doc, toks, v + 1)
        if not (phrase and capable(doc, phrase)):
            phrase = _subject_before(doc, toks, _content_start(toks), v)
        if phrase:
            attr = attribution_from(doc, toks, v, phrase)
            attr.source = find_source(doc, toks, (attr.m_start or 0, attr.m_end or 0))
            if attr.source == attr.name:
                attr.source = ""
            return attr
    return None


# --------------------------------------------------------------------------- paragraphs


def dash_start(text: str) -> int | None:
    """Offset after a talstreck that opens the text (`– `, `- `), else None."""
    stripped = text.lstrip()
    if len(stripped) > 2 and stripped[0] in DASHES and stripped[1] in " \u00a0":
        k = len(text) - len(stripped) + 1
        while k < len(text) and text[k].isspace():
            k += 1
        return k
    return None


def direct_paragraph(doc: Doc, start: int, end: int, pid: int) -> tuple[list[Quote], int]:
    """Quotes of a talstreck paragraph from `start` (after the dash); returns them and where prose resumes."""
    toks = doc.tokens(start, end)
    for k, tok in enumerate(toks):
        if k + 1 >= len(toks) or toks[k + 1].low not in direct_forms() or toks[k + 1].text != toks[k + 1].low:
            continue
        if tok.text not in (",", "?", "!", "…") and not (k > 0 and tok.is_word and _bare_attribution(doc, toks, k + 1)):
            continue
        phrase = speaker_phrase(doc, toks, k + 2)
        if not phrase or phrase[0].low in ("att", "det") or \
                not (capable(doc, phrase) or _ends_sentence(toks, k + 2 + len(phrase))):
            continue
        if tok.is_word:  # `– Det är bra säger hon.`: no comma before the verb
            tok = Tok("", tok.end, tok.end)
        attr = attribution_from(doc, toks, k + 1, phrase)
        stop = next((n for n in range(k + 2 + len(phrase), len(toks)) if toks[n].text in ".!?"), len(toks) - 1)
        tail = toks[k + 2 + len(phrase): stop]
        source = find_source(doc, tail)
        q_end = tok.end if tok.text in "?!…" else tok.start
        q_start, q_end = _trim_end(doc, start, q_end)
        if tok.text in "?!…":
            q_end = tok.end
        quote = _quote(doc, q_start, q_end, pid, attr, source, 0.9, kind="direct")
        resume = toks[stop].end if stop < len(toks) else end
        rest = doc.tokens(resume, end)
        if rest and rest[0].text not in DASHES and _first_person(doc, resume, end):
            r_start, r_end = _trim_end(doc, resume, end)
            r_end = r_end + 1 if doc.text[r_end:r_end + 1] in ".!?" else r_end
            return [quote, Quote("direct", r_start, r_end, pid, continues=True, confidence=0.6)], end
        return [quote], resume
    q_end = end
    marker = EDITORIAL_MARKERS.search(doc.text, start, end)
    if marker:
        q_end = marker.start()
    q_start, q_end = start, q_end
    while q_end > q_start and doc.text[q_end - 1].isspace():
        q_end -= 1
    quote = Quote("direct", q_start, q_end, pid, continues=True, dash=True, confidence=0.7)
    return [quote], end


def _bare_attribution(doc: Doc, toks: list[Tok], verb: int) -> bool:
    """`säger hon.` closing a paragraph of speech without the comma before it: a pronoun or name, then the end."""
    phrase = speaker_phrase(doc, toks, verb + 1)
    return bool(phrase) and _ends_sentence(toks, verb + 1 + len(phrase)) and verb + 1 + len(phrase) >= len(toks) - 1 \
        and (phrase[0].low in pronoun_gender() or all(is_name_word(doc, t, False) for t in phrase))


def _ends_sentence(toks: list[Tok], k: int) -> bool:
    return k >= len(toks) or toks[k].text in ".!?"


def _first_person(doc: Doc, start: int, end: int) -> bool:
    """Does the first sentence of text[start:end] speak in the first person (and attribute nothing)?"""
    spans = sentence_spans(doc.text, start, end)
    if not spans:
        return False
    toks = doc.tokens(*spans[0])
    return any(t.low in FIRST_PERSON for t in toks) and not any(t.low in speech_forms() for t in toks)


def first_person_tail(doc: Doc, quote: Quote) -> int | None:
    """Where journalist prose starts inside an unattributed talstreck paragraph, if it does.

    A paragraph whose first sentences speak in the first person (`vi`, `jag`) and whose last
    sentences name people in the third person without any first-person word has lost a
    paragraph break: the speech ends before those last sentences.
    """
    spans = sentence_spans(doc.text, quote.start, quote.end)
    if len(spans) < 2:
        return None
    flags = [any(t.low in FIRST_PERSON for t in doc.tokens(s, e)) for s, e in spans]
    if not any(flags):
        return None
    last_fp = max(k for k, f in enumerate(flags) if f)
    if last_fp == len(spans) - 1:
        return None
    tail_start = spans[last_fp + 1][0]
    named = any(tail_start <= s < quote.end and name in doc.persons for s, _, name, _ in doc.names)
    return spans[last_fp][1] if named else None


def paragraph_quotes(doc: Doc, paragraphs: list[ParagraphRow]) -> list[Quote]:
    """All quotes of one document, in text order, before the speakers are resolved."""
    quotes: list[Quote] = []
    intro: Attribution | None = None
    open_quote = False
    last_sentence: tuple[int, int] | None = None
    for p in paragraphs:
        pid, start, end = int(p.paragraph_id), int(p.start), int(p.end)
        if p.kind in ("caption", "headline"):
            intro, open_quote, last_sentence = None, False, None
            if p.kind == "headline":  # only when it says someone said it: `Facket kräver att …`
                spans = sentence_spans(doc.text, start, end)
                quotes.extend(q for s, e in spans for q in sentence_quotes(doc, s, e, pid) if q.cue)
            continue
        text = doc.text[start:end]
        found: list[Quote] = []
        prose_from: int | None = start
        dash = dash_start(text)
        if dash is not None:
            found, prose_from = direct_paragraph(doc, start + dash, end, pid)
            if found and found[0].continues:
                cut = first_person_tail(doc, found[0])
                if cut is not None:
                    found[0].end = cut
                    prose_from = cut
            last_sentence = None
        elif (intro or open_quote) and (text[:1] in OPEN_MARKS or open_quote):
            found, open_quote = marked_paragraph(doc, start, end, pid)
            prose_from = end
        if found and found[0].continues and intro:
            _apply(found[0], intro)
        intro = None
        while prose_from is not None and prose_from < end:
            dash = dash_start(doc.text[prose_from:end])
            if dash is not None:
                more, nxt = direct_paragraph(doc, prose_from + dash, end, pid)
                if more and more[0].continues and intro:
                    _apply(more[0], intro)
                intro = None
                found.extend(more)
                prose_from = nxt if nxt > prose_from else end
                continue
            colon = COLON_DASH.search(doc.text, prose_from, end)  # `Hon sammanfattar: – Det är ett svek.`
            stop = colon.start() + 1 if colon else end
            more, intro, last_sentence = prose_quotes(doc, prose_from, stop, pid, last_sentence)
            found.extend(more)
            prose_from = colon.start() + 1 if colon else None
        quotes.extend(q for q in found if q.end > q.start)
    body = [int(p.paragraph_id) for p in paragraphs if p.kind not in ("caption", "headline")]
    return drop_list_items(doc, quotes, body)


def drop_list_items(doc: Doc, quotes: list[Quote], body: list[int]) -> list[Quote]:
    """Drop dash paragraphs that are list items, not speech.

    An unattributed talstreck paragraph is speech when the paragraph before holds a quote, the next
    one is attributed direct speech, or it speaks in the first person; else it is a bullet point.
    """
    before = {pid: body[n - 1] for n, pid in enumerate(body) if n > 0}
    after = {pid: body[n + 1] for n, pid in enumerate(body) if n + 1 < len(body)}
    kept: list[Quote] = []
    for q in quotes:
        if q.continues and not q.cue and q.dash:
            prev_ok = any(k.paragraph_id in (q.paragraph_id, before.get(q.paragraph_id)) for k in kept)
            next_ok = any(o.paragraph_id == after.get(q.paragraph_id) and o.kind == "direct" and not o.continues
                          for o in quotes)
            if not (prev_ok or next_ok or _first_person(doc, q.start, q.end)):
                continue
        kept.append(q)
    return kept


def prose_quotes(doc: Doc, start: int, end: int, pid: int, before: tuple[int, int] | None
                 ) -> tuple[list[Quote], Attribution | None, tuple[int, int] | None]:
    """Quotes of running text; also the attribution of a final `… skriver han:` and the last sentence."""
    found: list[Quote] = []
    intro = None
    for s, e in sentence_spans(doc.text, start, end):
        toks = doc.tokens(s, e)
        back = backward_attribution(doc, toks)
        if back and before and not any(q.start < before[1] and before[0] < q.end for q in found):
            q_start, q_end = _trim_end(doc, *before)
            kind = _speech_kind(doc, q_start, q_end)
            found.append(_quote(doc, q_start, q_end, pid if before[0] >= start else pid - 1, back, back.source, 0.7,
                                kind=kind))
        else:
            found.extend(sentence_quotes(doc, s, e, pid))
        if e >= end - 1 and doc.text[s:end].rstrip().endswith(":"):
            intro = colon_attribution(doc, toks)
        before = (s, e)
    return found, intro, before


def backward_attribution(doc: Doc, toks: list[Tok]) -> Attribution | None:
    """`Det uppger polisen för TT.`: an attribution of the sentence before."""
    if len(toks) < 3 or toks[0].low not in ("det", "detta", "så") or toks[1].text not in speech_forms():
        return None
    phrase = speaker_phrase(doc, toks, 2)
    if not phrase or not capable(doc, phrase) or phrase[0].low in ("att", "det"):
        return None
    rest = toks[2 + len(phrase):]
    if any(t.low == "att" for t in rest[:2]):
        return None
    attr = attribution_from(doc, toks, 1, phrase)
    attr.source = "" if is_outlet(attr.name) else find_source(doc, rest)
    return attr


def marked_paragraph(doc: Doc, start: int, end: int, pid: int) -> tuple[list[Quote], bool]:
    """A paragraph of speech in quotation marks after `… skriver han:`; True while the quote stays open."""
    s = start
    if doc.text[s] in OPEN_MARKS:
        s += 1
    close = next((k for k in range(s, end) if doc.text[k] in CLOSE_MARKS), None)
    e = close if close is not None else end
    q_start, q_end = s, e
    while q_start < q_end and doc.text[q_start].isspace():
        q_start += 1
    while q_end > q_start and doc.text[q_end - 1].isspace():
        q_end -= 1
    if close is not None and doc.text[q_end - 1:q_end] == ",":
        q_end -= 1
    return [Quote("direct", q_start, q_end, pid, continues=True, confidence=0.7)], close is None


def _apply(quote: Quote, attr: Attribution) -> None:
    quote.cue, quote.cue_lemma, quote.mention = attr.cue, attr.cue_lemma, attr.mention
    quote.m_start, quote.m_end, quote.name, quote.source = attr.m_start, attr.m_end, attr.name, attr.source
    quote.continues = False


# --------------------------------------------------------------------------- speakers


@dataclass(frozen=True)
class Mention:
    at: int
    name: str
    gender: str
    person: bool


def timeline(doc: Doc, paragraphs: list[ParagraphRow], quotes: list[Quote]) -> list[Mention]:
    """Names met in the running text (captions and direct speech left out), in order."""
    captions = [(int(p.start), int(p.end)) for p in paragraphs if p.kind == "caption"]
    direct = [(q.start, q.end) for q in quotes if q.kind == "direct"]
    out = []
    for start, _, name, _ in doc.names:
        if any(a <= start < b for a, b in captions + direct):
            continue
        canonical = fullest(doc, name)
        person = canonical in doc.persons or name in doc.persons
        out.append(Mention(start, canonical, person_gender(canonical), person))
    return out


def resolve(doc: Doc, quotes: list[Quote], mentions: list[Mention]) -> None:
    """Fill `speaker` for every quote: names as the fullest form, pronouns and roles resolved.

    A paragraph of direct speech without attribution continues the quote of the paragraph before;
    when the paragraph before holds no quote, the speaker is the one named in the next paragraph
    (`– A.` / `– B, säger X.`), else the last speaker.
    """
    history: list[Mention] = list(mentions)
    genders: dict[str, str] = {}
    ordered = sorted(quotes, key=lambda q: q.start)
    for n, q in enumerate(ordered):
        if q.speaker:
            continue
        if q.continues:
            q.speaker = _continued_speaker(doc, ordered, n, history, genders)
        else:
            _resolve_one(doc, q, history, genders, ordered)


def _continued_speaker(doc: Doc, ordered: list[Quote], n: int, history: list[Mention], genders: dict[str, str]) -> str:
    q = ordered[n]
    previous = ordered[n - 1] if n > 0 else None
    if previous and previous.paragraph_id >= q.paragraph_id - 1:
        return previous.speaker
    following = ordered[n + 1] if n + 1 < len(ordered) else None
    if following and following.kind == "direct" and following.paragraph_id == q.paragraph_id + 1 \
            and not following.continues:
        _resolve_one(doc, following, history, genders, ordered)
        return following.speaker
    if previous:
        return previous.speaker
    people = [m for m in history if m.person and m.at < q.start]
    return max(people, key=lambda m: m.at).name if people else ""


def _resolve_one(doc: Doc, q: Quote, history: list[Mention], genders: dict[str, str], quotes: list[Quote]) -> None:
    if q.speaker:
        return
    q.speaker = fullest(doc, q.name) if q.name else _resolve_words(doc, q, history, genders, quotes)
    if not q.speaker:
        return
    if q.name and q.kind == "direct" and not q.speaker.isupper() and not is_outlet(q.speaker):
        doc.persons.add(q.speaker)
    at = q.m_start if q.m_start is not None else q.start
    gender = genders.get(q.speaker, person_gender(q.speaker))
    person = q.speaker in doc.persons or (q.name is None and q.mention.lower() in pronoun_gender())
    history.append(Mention(at, q.speaker, gender, person))


def _resolve_words(doc: Doc, q: Quote, history: list[Mention], genders: dict[str, str],
                   quotes: list[Quote]) -> str:
    words = q.mention.split()
    if not words:
        return ""
    at = q.m_start if q.m_start is not None else q.start
    before = sorted((m for m in history if m.at < at and not (q.start <= m.at < q.end)), key=lambda m: m.at)
    first = words[0].lower()
    if len(words) == 1 and first in pronoun_gender():
        gender = pronoun_gender()[first]
        if gender == "plural":  # `De säger att` after `Löfven och Romson påstår att`
            groups = [o for o in quotes if o.start < q.start and o.speaker and
                      (" och " in o.speaker or (not o.name and o.mention.lower() not in pronoun_gender()))]
            return max(groups, key=lambda o: o.start).speaker if groups else q.mention
        for m in reversed(before):
            if m.person and (gender == "any" or genders.get(m.name, m.gender) in (gender, "any")):
                if gender in ("male", "female"):
                    genders.setdefault(m.name, gender)
                return m.name
        return q.mention
    head = _head(words)
    if head and _definite_singular(head):
        titled = {fullest(doc, n) for n, titles in doc.titles.items() if any(_title_matches(t, head) for t in titles)}
        for m in reversed(before):
            if m.name in titled:
                return m.name
        if titled:
            return sorted(titled, key=lambda n: min((s for s, _, x, _ in doc.names if fullest(doc, x) == n),
                                                   default=0))[0]
        # `förbundet` after `Vårdförbundet`: a name that is a compound ending in the role noun
        compound = re.compile(r"\b[A-ZÅÄÖ][\w-]*" + re.escape(head.lower()) + r"\b")
        found = [m.group() for m in compound.finditer(doc.text, 0, at)]
        if found:
            return fullest(doc, found[-1])
    for other in sorted(quotes, key=lambda o: o.start, reverse=True):
        if other.start < q.start and other.speaker and other.speaker.split()[-1].lower() == words[-1].lower():
            return other.speaker
    return q.mention


def _head(words: list[str]) -> str:
    stop = _words("speech_stopwords")
    kept = []
    for w in words:
        if w.lower() in stop:
            break
        kept.append(w)
    return kept[-1] if kept else ""


def _definite_singular(word: str) -> bool:
    low = word.lower()
    return len(low) > 4 and low.endswith(("en", "et", "an", "n")) and not low.endswith(("na", "erna", "arna"))


def _stem(word: str) -> str:
    low = word.lower()
    for suffix in ("en", "et", "an", "n", "t"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 4:
            return low[: -len(suffix)]
    return low


def _title_matches(title: str, head: str) -> bool:
    t, h = title.lower(), head.lower()
    return t == h or t.endswith(h) or _stem(t).endswith(_stem(h)) or t.endswith(_stem(h))


# --------------------------------------------------------------------------- table


def document_quotes(doc_id: str, text: str, paragraphs: pd.DataFrame, tokens: pd.DataFrame,
                    entities: pd.DataFrame) -> list[dict]:
    """Rows of the quotes table for one document."""
    paragraphs = paragraph_rows(paragraphs.sort_values("paragraph_id"))
    doc = prepare(doc_id, text, tokens, entities, paragraphs)
    quotes = sorted(paragraph_quotes(doc, paragraphs), key=lambda q: q.start)
    resolve(doc, quotes, timeline(doc, paragraphs, quotes))
    # speech that no one in the article can be found to have said is most likely no speech (a list, a slogan)
    quotes = [q for q in quotes if q.speaker or not q.continues]
    rows = []
    for n, q in enumerate(quotes):
        rows.append({
            "doc_id": doc_id, "quote_id": f"{doc_id}:q{n}", "kind": q.kind, "quote": text[q.start:q.end],
            "start": q.start, "end": q.end, "speaker": q.speaker or None, "speaker_mention": q.mention or None,
            "speaker_start": q.m_start, "speaker_end": q.m_end, "person_id": None, "cue": q.cue or None,
            "cue_lemma": q.cue_lemma or None, "source": q.source or None, "paragraph_id": q.paragraph_id,
            "confidence": q.confidence,
        })
    return rows


def extract_quotes(documents: pd.DataFrame, paragraphs: pd.DataFrame, sentences: pd.DataFrame,
                   tokens: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """The `quotes` table: every quote of every document with its speaker, cue and source.

    Works document by document. `sentences` is accepted for the stage interface but not used: the rules
    split sentences themselves so that a sentence never breaks inside quotation marks, whatever the model.
    Tags (`pos`, `morph`) and PER entities are used where the model gave them.
    """
    schema.validate(documents, schema.DOCUMENTS, "quotes input")
    by_doc = {name: dict(tuple(frame.groupby("doc_id", sort=False))) for name, frame in
              (("paragraphs", paragraphs), ("tokens", tokens), ("entities", entities))}
    rows: list[dict] = []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        doc_paragraphs = by_doc["paragraphs"].get(doc_id)
        if doc_paragraphs is None or doc_paragraphs.empty:
            continue
        doc_tokens = by_doc["tokens"].get(doc_id, schema.empty(schema.TOKENS))
        doc_entities = by_doc["entities"].get(doc_id, schema.empty(schema.ENTITIES))
        rows.extend(document_quotes(doc_id, text, doc_paragraphs, doc_tokens, doc_entities))
    if not rows:
        return schema.empty(schema.QUOTES)
    return schema.conform(pd.DataFrame(rows), schema.QUOTES)

