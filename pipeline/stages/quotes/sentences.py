"""Sentence rules: words in quotation marks with an attribution, `…, säger X.`, `Enligt X …`,
`X sade att …` and `enligt X` inside a sentence, and the attribution of a `… skriver han:`."""

from __future__ import annotations

from pipeline.lexicon import word_sequences
from pipeline.lexicon import words as _words
from pipeline.lexicon.names import is_outlet, pronoun_gender
from pipeline.lexicon.nouns import is_role_word, matches_noun
from pipeline.lexicon.verbs import direct_forms, speech_forms
from pipeline.stages.quotes.constants import (
    CLOSE_MARKS,
    CONJUNCTIONS,
    DASHES,
    NOT_SPEAKERS,
    OPEN_MARKS,
    PREPOSITIONS,
    RELATIVES,
)
from pipeline.stages.quotes.document import Attribution, Doc, Quote, Tok
from pipeline.stages.quotes.names import is_name_word
from pipeline.stages.quotes.phrases import (
    attribution_from,
    capable,
    enligt_phrase,
    find_source,
    inverted_speaker,
    is_finite,
    owner_speaker,
    speaker_phrase,
)
from pipeline.stages.quotes.reporting_nouns import noun_clause
from pipeline.stages.quotes.subjects import subject_before, verb_att

QUOTE_MARKS = set("”“»«\"")
SUBJECT_PRONOUNS = {"det", "han", "hon", "de", "den", "man", "vi", "jag", "hen", "ni", "du"}
AGENTLESS = {"uppgift", "uppgifter", "egen", "eget", "egna", "obekräftade"}


def _content_start(toks: list[Tok]) -> int:
    """Index after leading conjunctions (`Men`, `Och`) which the quote leaves out."""
    k = 0
    while k < len(toks) and toks[k].low in CONJUNCTIONS and k + 1 < len(toks) and toks[k + 1].is_word:
        k += 1
    return k


def trim_end(doc: Doc, start: int, end: int) -> tuple[int, int]:
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


def speech_kind(doc: Doc, start: int, end: int) -> str:
    """`direct` when a talstreck opens the sentence (`… lunch. – Det tog tid, säger hon.`) or quotation marks
    hold the words; else `indirect`, also in the first person: the guideline's direct speech is marked, and
    the tune gold has 177 of 178 unmarked `Vi är glada, säger hon.` as indirect (tune direct P 0.869 ->
    0.991, indirect F1 0.850 -> 0.907); a closing mark alone before the comma is direct speech whose opening
    mark was lost (direct R 0.894 -> 0.918, indirect P 0.946 -> 0.964)."""
    before = doc.text[max(0, start - 40):start].rstrip(" \t\u00a0")
    after = doc.text[end:end + 40].lstrip(" \t\u00a0")
    if after and after[0] in CLOSE_MARKS and (not before or before[-1] in OPEN_MARKS + ".!?:\n"):
        return "direct"             # `”A”, säger hon`, also where the opening mark is lost (`A”, säger hon`)
    if before[-1:] and before[-1] in DASHES:
        opener = before[:-1].rstrip(" \t\u00a0")
        return "direct" if not opener or opener[-1] in ".!?:\n" else "indirect"
    return "indirect"


def dash_opened(toks: list[Tok], lo: int, stop: int) -> int:
    """Index after a talstreck that opens toks[lo:stop] (`– Det tog tid, säger hon.`), else lo."""
    return lo + 1 if lo + 1 < stop and toks[lo].text in DASHES else lo


def kind_of(doc: Doc, start: int, end: int, base: str = "indirect") -> str:
    """`mixed` for an indirect quote with a verbatim fragment in quotation marks."""
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
        if not phrase or phrase[0].low in AGENTLESS or not (inverted_speaker(doc, phrase) or cue.low == "enligt"):
            continue
        if cue.low == "enligt" and rule_not_speaker(phrase):
            continue
        rest = toks[verb + 1 + len(phrase):]
        words = [t for t in rest if t.is_word]
        if words and words[0].low == "att":
            continue
        if cue.low == "enligt" and words and rest[0].text == ",":
            continue
        if cue.low == "enligt" and words and words[0].low not in RELATIVES | PREPOSITIONS:
            continue
        if cue.low == "enligt":
            phrase = _relative_owner(doc, phrase, rest) or owner_speaker(phrase)
        return c, verb, attribution_from(doc, toks, verb, phrase)
    return None


def _relative_owner(doc: Doc, phrase: list[Tok], rest: list[Tok]) -> list[Tok]:
    """`enligt det besked som Carlsson gav …`, `enligt de uppgifter som polisen lämnat`: the subject of the
    relative clause after a report noun is the speaker (tune speaker accuracy 0.983 -> 0.985)."""
    words = [t for t in phrase if t.is_word]
    if not words or len(rest) < 3 or rest[0].low != "som" or not (
            matches_noun(words[-1].text, "reporting_nouns") or matches_noun(words[-1].text, "owner_nouns")):
        return []
    verb = next((k for k in range(2, min(len(rest), 6)) if rest[k].pos in ("VERB", "AUX") or is_finite(doc, rest[k])),
                None)
    subject = rest[1:verb] if verb is not None else []
    return subject if subject and all(t.is_word for t in subject) and capable(doc, subject) else []


SPOKEN_RULES = ("prognos",)      # what an organisation says of its own: `SMHI:s prognos`


def _rule_noun(word: str) -> bool:
    """A noun of `enligt_not_speakers`, alone or ending a compound with a first part of three letters or more
    (`skattelagen`, `Parisavtalet`; not `bolaget`, whose `lag` is no law)."""
    if not matches_noun(word, "enligt_not_speakers"):
        return False
    low = word.lower()
    return any((k := low.rfind(stem)) == 0 or k >= 3 for stem in _words("enligt_not_speakers") if stem in low)


def rule_not_speaker(phrase: list[Tok]) -> bool:
    """`enligt lagen`, `enligt planen`, `enligt FN:s konvention om …`: a rule or plan, no one who said
    something. The head is the last word before a preposition; `SMHI:s prognos` is SMHI speaking. Also a
    capitalised compound (`enligt Pekingplattformen`) and the subject of a reporting verb (`EU:s
    kemikalielagstiftning säger att`): tune quote F1 0.943 -> 0.945, regeringen-dev 0.946 -> 0.957."""
    cut = next((n for n, t in enumerate(phrase) if n and t.low in PREPOSITIONS), len(phrase))
    heads = [t for t in phrase[:cut] if t.is_word and t.low not in _words("speech_stopwords")]
    if not heads or (heads[-1].is_cap and len(heads) > 1) or not _rule_noun(heads[-1].text):
        return False                # `enligt Parisavtalet`: a capitalised compound alone is a rule too
    if matches_noun(heads[-1].text, "owner_nouns"):   # `förslag` is no compound of `lag`, but `enligt
        return not any(t.text.endswith("s") for t in heads[:-1])   # förslaget` without an owner is a plan
    owner = any(t.is_cap for t in heads[:-1])
    return not (owner and heads[-1].low.startswith(SPOKEN_RULES))


def _cut_new_clause(doc: Doc, toks: list[Tok], lo: int, end: int) -> int:
    """End an indirect quote before `, men det …` (a new main clause by the journalist) and before a comma
    and a word of `quote_breaks` (`, medan …`, `, trots att …`: tune quote F1 0.923 -> 0.926, attribution
    F1 0.875 -> 0.878) or `, och` and a finite verb (the speaker's next predicate, not speech: 0.927 -> 0.929,
    0.879 -> 0.881), or `, men` and a finite verb that is no reporting verb (0.952 -> 0.953, 0.926 -> 0.927)."""
    for k in range(lo, len(toks) - 2):
        if toks[k].start >= end:
            break
        if toks[k].text == "," and toks[k + 1].low == "men" and toks[k + 2].low in SUBJECT_PRONOUNS:
            return toks[k].start
        if toks[k].text == "," and any(tuple(t.low for t in toks[k + 1:k + 1 + len(b)]) == b
                                       for b in word_sequences("quote_breaks")):
            return toks[k].start
        if toks[k].text == "," and toks[k + 1].low == "och" and is_finite(doc, toks[k + 2]):
            return toks[k].start        # `…, och är därför inte beredda …`: the speaker's next predicate
        if toks[k].text == "," and toks[k + 1].low == "men" and is_finite(doc, toks[k + 2]) and \
                toks[k + 2].low not in speech_forms():
            return toks[k].start        # `…, men vill fråga först`; `…, men hävdar att …` is split later
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
        lo = dash_opened(toks, lo, comma)
        q_start, q_end = trim_end(doc, toks[lo].start, toks[comma].start)
        if q_end > q_start and _is_clause(doc, toks[lo:comma]):
            src = "" if outlet else find_source(doc, toks[verb + 1:], (attr.m_start or 0, attr.m_end or 0))
            quote = make_quote(doc, q_start, q_end, pid, attr, src, 0.7, kind=speech_kind(doc, q_start, q_end))
            quote.trailing = True
            return [quote]
    quote = _main_quote(doc, toks, lo, end, pid)
    if quote and quote.cue.lower() == "enligt" and toks[lo].low == "enligt":
        joint = _second_enligt(toks, lo + 1)
        second = _inner_enligt(doc, toks, joint + 1, end, pid) if joint is not None else None
        return [quote, second] if second else [quote]
    return [quote] if quote else []


def _is_clause(doc: Doc, toks: list[Tok]) -> bool:
    """Words with a finite verb (by the tags; always true without them): `I dag, på luciadagen, skriver X om …`
    quotes nothing (tune quote F1 0.929 -> 0.931, attribution F1 0.881 -> 0.883)."""
    return not any(t.pos for t in toks) or any(is_finite(doc, t) for t in toks)


def make_quote(doc: Doc, start: int, end: int, pid: int, attr: Attribution, source: str, conf: float,
           kind: str = "indirect") -> Quote:
    return Quote(kind_of(doc, start, end, kind), start, end, pid, attr.cue, attr.cue_lemma, attr.mention,
                 attr.m_start, attr.m_end, attr.name, source or attr.source, confidence=conf)


def _main_quote(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """Fronted `Enligt X`, `VERB … att`, or `enligt X` inside the clause toks[lo:] (up to `end`)."""
    return (_fronted_enligt(doc, toks, lo, end, pid) or _verb_att_quote(doc, toks, lo, end, pid)
            or _inner_enligt(doc, toks, lo, end, pid) or _noun_att_quote(doc, toks, lo, end, pid)
            or _fronted_view(doc, toks, lo, end, pid))


FRONTED_MAX = 4     # words before the reporting verb in `Just detta anser domstolen vara …`
FRONTED_SUBJECTS = frozenset(SUBJECT_PRONOUNS | RELATIVES | NOT_SPEAKERS)   # a subject before the verb


def _fronted_view(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`Viktigast anser hon är att …`, `Just detta anser domstolen vara ett skäl …`: a reporting verb in second
    place, its subject after it and then a verb, no `att`: the whole sentence is the view (tune quote F1
    0.942 -> 0.943, attribution F1 0.920 -> 0.922)."""
    for v in range(lo + 1, min(lo + 1 + FRONTED_MAX, len(toks))):
        if not toks[v].is_word:
            return None
        text = toks[v].text
        if text not in speech_forms() or text != text.lower() or not is_finite(doc, toks[v]):
            continue
        if any(t.low in FRONTED_SUBJECTS or is_name_word(doc, t, n == 0)
               for n, t in enumerate(toks[lo:v])):
            return None                 # `jag tror han …`, `de som påtalar …`: the verb's subject is before it
        phrase = speaker_phrase(doc, toks, v + 1, limit=6)
        phrase = phrase[:next((n for n, t in enumerate(phrase) if n and t.pos in ("VERB", "AUX")), len(phrase))]
        k = v + 1 + len(phrase)
        if not phrase or phrase[0].low in NOT_SPEAKERS or not inverted_speaker(doc, phrase) or k >= len(toks):
            return None
        nxt = toks[k]
        if nxt.low in ("att", "om") or not (nxt.low == "vara" or is_finite(doc, nxt)):
            return None
        q_start, q_end = trim_end(doc, toks[lo].start, end)
        return make_quote(doc, q_start, q_end, pid, attribution_from(doc, toks, v, phrase), "", 0.6)
    return None


def _noun_att_quote(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`Hennes inställning är att …`, `gav beskedet att …` (`reporting_nouns`): the att clause."""
    found = noun_clause(doc, toks, lo)
    if not found:
        return None
    att, attr = found
    if _infinitive_clause(doc, toks[att + 1:]):
        return None                 # `Lagets position är att vinna serien`: an aim, no statement
    q_start, q_end = trim_end(doc, toks[att + 1].start if att + 1 < len(toks) else end,
                              _cut_new_clause(doc, toks, att, end))
    return make_quote(doc, q_start, q_end, pid, attr, "", 0.6) if q_end > q_start else None


def _infinitive_clause(doc: Doc, toks: list[Tok]) -> bool:
    """`att (inte) vinna serien`: an infinitive right after the `att` (a clause of its own may drop `har`: `att
    vården blivit sämre`)."""
    first = next((t for t in toks if t.pos not in ("ADV", "PART")), None)
    return first is not None and first.pos in ("VERB", "AUX") and not is_finite(doc, first)


def _fronted_enligt(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`Enligt Putin genomför Ryssland …`: the quote starts at the finite verb after the speaker; `Enligt vår
    mening …` is the writer's own view."""
    if lo >= len(toks) or toks[lo].low != "enligt":
        return None
    phrase, verb = enligt_phrase(doc, toks, lo)
    if verb is None or not phrase or phrase[0].low in AGENTLESS | NOT_SPEAKERS or rule_not_speaker(phrase):
        return None
    attr = attribution_from(doc, toks, lo, owner_speaker(phrase))
    joint = _second_enligt(toks, verb)
    q_end = toks[joint].start if joint is not None else _cut_new_clause(doc, toks, verb, end)
    q_start, q_end = trim_end(doc, toks[verb].start, q_end)
    src = find_source(doc, toks[verb:]) if not is_outlet(attr.name) else ""
    return make_quote(doc, q_start, q_end, pid, attr, src, 0.75)


def _second_enligt(toks: list[Tok], verb: int) -> int | None:
    """`Enligt banken har bristerna åtgärdats och banken ska enligt vd:n …`: the `och`/`men` before a second
    `enligt`, where the first speaker's words end and the second's begin (tune quote F1 0.955 -> 0.956,
    attribution F1 0.937 -> 0.940)."""
    second = next((k for k in range(verb + 1, len(toks)) if toks[k].low == "enligt"), None)
    if second is None:
        return None
    return max((k for k in range(verb + 1, second - 1) if toks[k].low in ("och", "men")), default=None)


def _verb_att_quote(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`Putin sade att …` / `sade Putin att …`: the quote is the att-clause, to the end of the sentence."""
    found = verb_att(doc, toks, lo)
    if not found:
        return None
    v, att, phrase = found
    if rule_not_speaker(phrase):
        return None                 # `EU:s kemikalielagstiftning säger att …`: a rule, no speaker
    if _conditional(toks, lo, min(v, next((k for k, t in enumerate(toks) if t.start == phrase[0].start), v))):
        return None
    attr = attribution_from(doc, toks, v, phrase)
    q_end = _cut_new_clause(doc, toks, att, end)
    q_start, q_end = trim_end(doc, toks[att + 1].start if att + 1 < len(toks) else end, q_end)
    if q_end <= q_start:
        return None
    skip = (min(attr.m_start or 0, toks[v].start), max(attr.m_end or 0, toks[v].end))
    src = "" if is_outlet(attr.name) else find_source(doc, [t for t in toks if t.start < q_start or t.start >= q_end],
                                                      skip)
    return make_quote(doc, q_start, q_end, pid, attr, src, 0.8)


# `…, enligt Eurostat, så vi jobbar …`: a conjunction after the parenthetical opens the writer's clause
# (tune quote F1 0.947 -> 0.949, attribution F1 0.925 -> 0.927)
CLAUSE_JOINERS = {"så", "men", "och", "medan"}


def _conditional(toks: list[Tok], lo: int, first: int) -> bool:
    """`Om han säger att …`: speech in a condition is not said (with the parse candidates: tune quote F1
    0.946 -> 0.947)."""
    return first - 1 >= lo and toks[first - 1].low == "om" and all(t.low in CONJUNCTIONS for t in toks[lo:first - 1])


def _inner_enligt(doc: Doc, toks: list[Tok], lo: int, end: int, pid: int) -> Quote | None:
    """`enligt X` inside a sentence.

    `…, enligt facket, varit …` makes the whole sentence the quote; `vilket enligt X är …` the part
    after X; `Ingen skadades enligt polisen.` the part before.
    """
    for k in range(lo + 1, len(toks)):
        if toks[k].text.lower() != "enligt" or toks[k].start >= end:
            continue
        if toks[k - 1].text == ",":
            phrase = speaker_phrase(doc, toks, k + 1, limit=6)
            if not phrase or not capable(doc, phrase) or phrase[0].low in AGENTLESS or rule_not_speaker(phrase):
                continue
            rest = toks[k + 1 + len(phrase):]
            closes = len(rest) > 1 and rest[0].text == "," and rest[1].low in CLAUSE_JOINERS
            q_start, q_end = trim_end(doc, toks[lo].start, toks[k - 1].start if closes else end)
            return make_quote(doc, q_start, q_end, pid, attribution_from(doc, toks, k, owner_speaker(phrase)), "", 0.6)
        if k - 1 > lo and is_finite(doc, toks[k - 1]):
            quote = _enligt_after_verb(doc, toks, lo, k, end, pid)
            if quote:
                return quote
            continue
        phrase, verb = enligt_phrase(doc, toks, k)
        if phrase and phrase[-1].low in RELATIVES:
            continue    # `enligt polisen på bar gärning av en spanare som såg …`: no speaker phrase (tune P +1)
        if not phrase or phrase[0].low in AGENTLESS or rule_not_speaker(phrase) or not capable(doc, phrase) or \
                not any(is_role_word(t.text) or t.is_cap or t.low in pronoun_gender() for t in phrase):
            continue
        if verb is None:  # `Ingen skadades enligt polisen.`: the attribution closes the sentence
            if any(t.is_word for t in toks[k + 1 + len(phrase):]):
                continue
            q_start, q_end = trim_end(doc, toks[lo].start, toks[k].start)
        else:
            q_start, q_end = trim_end(doc, toks[verb].start, end)
        return make_quote(doc, q_start, q_end, pid, attribution_from(doc, toks, k, owner_speaker(phrase)), "", 0.6)
    return None


def _enligt_after_verb(doc: Doc, toks: list[Tok], lo: int, k: int, end: int, pid: int) -> Quote | None:
    """`Mannen greps enligt polisen på bar gärning …`: `enligt X` right after the finite verb attributes the
    whole sentence; `Tre skadades enligt polisen, som …` the part before it; X is any noun phrase
    (`ledamoten`) but a rule (tune quote F1 0.911 -> 0.913, attribution F1 0.860 -> 0.862)."""
    phrase = speaker_phrase(doc, toks, k + 1, limit=6)
    phrase = phrase[:next((n for n, t in enumerate(phrase) if n and t.pos in ("VERB", "AUX")), len(phrase))]
    if not phrase or phrase[0].low in AGENTLESS | NOT_SPEAKERS or rule_not_speaker(phrase) or \
            not inverted_speaker(doc, phrase):
        return None
    rest = toks[k + 1 + len(phrase):]
    closes = not any(t.is_word for t in rest) or (rest[0].text == "," and len(rest) > 1 and rest[1].low in RELATIVES)
    q_start, q_end = trim_end(doc, toks[lo].start, toks[k].start if closes else end)
    return make_quote(doc, q_start, q_end, pid, attribution_from(doc, toks, k, owner_speaker(phrase)), "", 0.6)


def marked_direct(doc: Doc, toks: list[Tok], pid: int) -> list[Quote]:
    """`”…”, säger X.` and `X säger: ”…”`: words in quotation marks with an attribution; the speech that
    resumes after it in the same sentence (`”…”, säger hon, ”…”`) is hers too."""
    quotes = []
    last: tuple[int, Attribution] | None = None     # the closing mark of the last attributed pair, its attribution
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
            if phrase and inverted_speaker(doc, phrase):
                attr = attribution_from(doc, toks, after, phrase)
                attr.source = find_source(doc, toks[after + 1 + len(phrase):])
        elif a > 0 and toks[a - 1].text == ":":
            attr = colon_attribution(doc, toks[:a - 1]) or (
                _colon_subject(doc, toks[:a - 1]) if toks[a + 1].is_cap else None)
        elif last is not None and toks[a - 1].text == "," and last[0] < a - 2:
            attr = last[1]                           # `”…”, säger hon, ”…”`: the attribution between the two
        if attr:
            s, e = trim_end(doc, inner_start, inner_end)
            quotes.append(make_quote(doc, s, e, pid, attr, attr.source, 0.85, kind="direct"))
            last = (b, attr)
    return quotes


def _colon_subject(doc: Doc, toks: list[Tok]) -> Attribution | None:
    """`Anna Berg minns kritiken hon fick: ”Det var …”`: a sentence in quotation marks after a colon is said by
    the subject of the clause before it, a person or group, even without a reporting verb (README's open case;
    tune unchanged: its one such text has a stray closing mark before it)."""
    lo = _content_start(toks)
    v = next((k for k in range(lo + 1, len(toks)) if is_finite(doc, toks[k])), None)
    if v is None:
        return None
    subject = subject_before(doc, toks, lo, v)
    if not subject or not capable(doc, subject, initial=True):
        return None
    return attribution_from(doc, toks, v, subject)


def colon_attribution(doc: Doc, toks: list[Tok]) -> Attribution | None:
    """The attribution of `I ett inlägg skriver han:`, which introduces the speech after it."""
    for v, t in enumerate(toks):
        if t.low not in speech_forms() or t.text != t.low:
            continue
        phrase = speaker_phrase(doc, toks, v + 1)
        if not (phrase and capable(doc, phrase)):
            phrase = subject_before(doc, toks, _content_start(toks), v)
        if phrase:
            attr = attribution_from(doc, toks, v, phrase)
            attr.source = find_source(doc, toks, (attr.m_start or 0, attr.m_end or 0))
            if attr.source == attr.name:
                attr.source = ""
            return attr
    return None
