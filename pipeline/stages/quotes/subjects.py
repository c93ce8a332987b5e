"""The subject before a reporting verb (`VERB [X] att`): `verb_att` finds the verb and its speaker, in front of
it or inverted after it; `subject_before` the subject in front, through auxiliaries, `som`, coordinated main
clauses and appositions."""

from __future__ import annotations

from pipeline.lexicon import word_sequences
from pipeline.lexicon import words as _words
from pipeline.lexicon.names import pronoun_gender
from pipeline.lexicon.nouns import is_role_word
from pipeline.lexicon.verbs import particle_speech_forms, speech_forms, speech_lemmas
from pipeline.stages.quotes.constants import DETERMINERS, EXPLETIVES, NOT_SPEAKERS, PREPOSITIONS
from pipeline.stages.quotes.document import Doc, Tok
from pipeline.stages.quotes.names import is_name_word
from pipeline.stages.quotes.phrases import (
    COORDINATORS,
    attached_pp,
    capable,
    enligt_phrase,
    inverted_speaker,
    is_finite,
    is_initial,
    pronoun_alone,
)


def _adverb_len(toks: list[Tok], k: int) -> int:
    for adverb in word_sequences("adverbs"):
        if tuple(t.low for t in toks[k:k + len(adverb)]) == adverb:
            return len(adverb)
    return 0


def verb_att(doc: Doc, toks: list[Tok], lo: int) -> tuple[int, int, list[Tok]] | None:
    """(verb, att, speaker words) for the first `VERB [X] att` with a whitelisted reporting verb.

    Adverbs by the tags (`förklarar sedan snabbt att`) are skipped like those of `adverbs.txt`, and a
    subject may open with a determiner (`Den tyske filosofen Karl Berg sa en gång att`): tune quote F1
    0.917 -> 0.921, attribution F1 0.871 -> 0.873."""
    forms = speech_forms()
    for v in range(lo, len(toks)):
        text = toks[v].text
        particle = _particle_before_att(toks, v)
        if text != text.lower() or (text not in forms and particle is None and
                                    not _infinitive_after_auxiliary(toks, lo, v)):
            continue                    # a reporting verb in lower case
        j = next((j for j in range(v + 1, min(v + 8, len(toks))) if toks[j].low == "att" or not toks[j].is_word), None)
        stop = j
        if j is not None and j > v + 1 and toks[j].text == ",":
            j = _att_after_apposition(toks, j)      # `berättar en god vän, också soldat, att …`
        if j is None or toks[j].low != "att":
            continue
        if particle is not None and j == particle + 1:
            stop = particle             # `lyfte fram att`, `talar myndigheten om att`: the particle is no speaker
        elif j > v + 1 and toks[j - 1].low in PREPOSITIONS and _adverb_len(toks, j - 2) != 2:
            continue
        if toks[j - 1].low == "så" or (j > v + 2 and toks[j - 2].low == "så"):
            continue                    # `uttrycker sig så att …`, `sa Lena så tyst att …`: a consequence
        between = toks[v + 1:min(j, stop)]
        np: list[Tok] = []
        k = 0
        while k < len(between):
            n = _adverb_len(between, k) or int(between[k].pos == "ADV" and not np)    # `sedan snabbt`
            if n:
                k += n
                continue
            if between[k].low in _words("speech_stopwords"):
                break
            np.append(between[k])
            k += 1
        if np:
            if not inverted_speaker(doc, np) or (text in _words("noun_cue_verbs") and not _name_or_pronoun(doc, np)):
                continue                # `uttryckte förhoppningen att`, `uttryckte stor oro att`: an object
                                        # (the noun's, `reporting_nouns`)
            if np[0].low in pronoun_gender() and pronoun_alone(np):
                np = np[:1]
            return v, j, np + attached_pp(doc, toks, v + 1 + between.index(np[-1]) + 1, np)
        subject = subject_before(doc, toks, lo, v)
        if subject:
            return v, j, subject
    return None


MODALS = {"vill", "ville", "kan", "kunde", "måste", "bör", "borde"}      # not `ska`, `skulle`: not said yet
NEGATIONS = {"inte", "ej", "aldrig", "knappast", "sällan", "icke"}
CLAUSE_STARTS = {"medan", "innan", "när", "om", "eftersom", "då", "sedan", "trots", "fast", "ifall", "såvida",
                 "vem", "vad", "hur", "varför", "vilka", "vilken", "vilket"}


def _particle_before_att(toks: list[Tok], v: int) -> int | None:
    """The particle of a reporting verb with one (`lyfte fram att`, `lyfte där fram att`, `talar myndigheten om
    att`: `particle_speech_forms`), within three words of the verb and right before `att`, else None. Only for
    a verb the tagger did not tag as one (or no tags at all)."""
    particles = particle_speech_forms().get(toks[v].text)
    if not particles or toks[v].pos in ("VERB", "AUX"):
        return None                 # a verb the tagger saw is the parse's (`syntax_quotes`), with its subject
    for k in range(v + 1, min(v + 4, len(toks) - 1)):
        if toks[k].low in particles and toks[k + 1].low == "att":
            return k
        if not toks[k].is_word:
            return None
    return None


def _infinitive_after_auxiliary(toks: list[Tok], lo: int, v: int) -> bool:
    """`Beredningen vill framhålla att …`, `Vi kan konstatera att …`: a reporting verb's infinitive after a modal
    verb (adverbs between: `kan också konstatera`), and after a subject (regeringen-tune5/6: `vill framhålla`)."""
    if toks[v].text not in speech_lemmas() or toks[v].text == "tro" or toks[lo].low in CLAUSE_STARTS:
        return False                # `vill tro att`, `Medan bolaget vill hävda att`, `Vem kan påstå att`
    k = v - 1
    while k > lo and toks[k].pos in ("ADV", "PART"):
        if toks[k].low in NEGATIONS:
            return False            # `ville aldrig bekräfta att`
        k -= 1
    return k > lo and toks[k].low in MODALS


def _name_or_pronoun(doc: Doc, np: list[Tok]) -> bool:
    return (len(np) == 1 and np[0].low in pronoun_gender()) or all(is_name_word(doc, t, False) for t in np)


def _att_after_apposition(toks: list[Tok], comma: int) -> int | None:
    """The `att` right after an apposition of a few words between commas (`, också soldat, att`), else None
    (tune quote F1 0.953 -> 0.954, attribution F1 0.935 -> 0.936)."""
    close = next((c for c in range(comma + 2, min(comma + 7, len(toks) - 1)) if not toks[c].is_word), None)
    if close is None or toks[close].text != "," or toks[close + 1].low != "att":
        return None
    return close + 1


AUXILIARIES = {"har", "hade", "kan", "kunde", "ska", "skall", "skulle", "måste", "bör", "borde", "vill", "ville",
               "får", "fick", "lär", "tycks", "verkar"}


def subject_before(doc: Doc, toks: list[Tok], lo: int, v: int) -> list[Tok]:
    """The subject in front of a reporting verb (`Presidenten menade att`), cut at a comma.

    Also `I ett uttalande har regeringen meddelat att` (subject after an auxiliary),
    `…, Anna Berg, som menar att` (the antecedent of `som`) and `…, men tingsrätten anser att` (the subject
    of the last main clause: tune attribution F1 0.887 -> 0.889).
    """
    if v - 1 >= lo and toks[v - 1].low == "som":
        return _antecedent(doc, toks, lo, v - 1)
    if v - 1 > lo and toks[v - 1].low == "och":  # `Föräldrarna misstror … och tror att`: the first subject
        phrase, verb = enligt_phrase(doc, toks, lo - 1)
        if verb is not None and capable(doc, phrase, initial=True):
            return _apposed_name(doc, toks, lo + len(phrase)) or phrase
        return _named_before_first_verb(doc, toks, lo, v - 1)
    prefix = toks[lo:v]
    named = _named_after_comma(doc, prefix)
    if named:
        return named
    # `Mannen fick inte livshotande skador, men tingsrätten anser att`: the subject of the last main clause
    joint = max((k for k in range(len(prefix) - 2) if prefix[k].text == "," and prefix[k + 1].low in COORDINATORS
                 | {"men"}), default=None)
    if joint is not None:
        prefix = prefix[joint + 2:]
    second = _second_main_clause_subject(doc, prefix)
    if second:
        return second
    aux = next((k for k, t in enumerate(prefix) if k > 0 and t.low in AUXILIARIES), None)
    if aux is not None:
        after = _without_adverbs(_without_parenthesis(prefix[aux + 1:]))
        if after and after[0].low in NOT_SPEAKERS:  # `Ingenstans har vi sagt att`
            return []
        if after and all(t.is_word for t in after) and len(after) <= 6:
            if capable(doc, after) or _determined(doc, after):      # `Tidigare har de anhöriga berättat`
                return after[:1] if after[0].low in pronoun_gender() and pronoun_alone(after) else after
        prefix = prefix[:aux]
    cut = next((k for k, t in enumerate(prefix) if not t.is_word), len(prefix))
    if _name_list(doc, prefix):
        cut = len(prefix)       # `Lidingö, Järfälla och Danderyd hävdar att`
    subject = prefix[:cut]
    # `Den tyske filosofen Karl Berg sa att`: a determiner, not an expletive, before a speaker's words;
    # `Tidigare har …`: an adverb alone is no subject
    expletive = subject and subject[0].low in EXPLETIVES | NOT_SPEAKERS and not _determined(doc, subject)
    if not _without_adverbs(subject) or expletive or len(subject) > 10:
        return []
    if any(t.text.islower() and is_finite(doc, t) and not is_role_word(t.text) for t in subject):
        return []
    return subject


PARENTHESIS_OPENERS = PREPOSITIONS | {"genom", "enligt"}


def _without_parenthesis(words: list[Tok]) -> list[Tok]:
    """`har regeringen därför, genom budgetpropositionen för 2025, föreslagit att`: a phrase between commas that
    opens with a preposition, right before the verb, is no part of the subject (regeringen-tune10)."""
    if len(words) < 4 or words[-1].text != ",":
        return words
    opening = max((k for k in range(len(words) - 1) if words[k].text == ","), default=None)
    if opening is None or words[opening + 1].low not in PARENTHESIS_OPENERS:
        return words
    return words[:opening]


def _apposed_name(doc: Doc, toks: list[Tok], comma: int) -> list[Tok]:
    """`Finlands utrikesminister, Elina Valtonen, framhävde …`: the name between the commas after a title
    (regeringen-tune5), else []."""
    if comma >= len(toks) or toks[comma].text != ",":
        return []
    close = next((k for k in range(comma + 2, min(comma + 6, len(toks))) if not toks[k].is_word), None)
    name = toks[comma + 1:close] if close is not None and toks[close].text == "," else []
    if name and not (close + 1 < len(toks) and toks[close + 1].text.islower() and
                     toks[close + 1].low not in COORDINATORS):
        return []                   # `Regeringen, Moderaterna, Liberalerna och KD`: a list, no apposition
    return name if name and all(is_name_word(doc, t, False) for t in name) else []


def _second_main_clause_subject(doc: Doc, prefix: list[Tok]) -> list[Tok]:
    """`Det står i Parisavtalet och EU bedömer att`: after `och`/`men` with no comma, a short name or role phrase
    right before the verb is the subject of a second main clause when a finite verb comes before the `och`
    (`Sverige och EU bedömer att` keeps both; regeringen-tune5/6)."""
    joint = max((k for k in range(1, len(prefix) - 1) if prefix[k].low in ("och", "men")), default=None)
    if joint is None:
        return []
    after = prefix[joint + 1:]
    if len(after) > 4 or not all(t.is_word for t in after) or not capable(doc, after):
        return []
    return after if any(is_finite(doc, t) and t.text.islower() for t in prefix[:joint]) else []


def _determined(doc: Doc, words: list[Tok]) -> bool:
    """`Den tyske filosofen Karl Berg`, `de anhöriga`: a determiner, not an expletive, before a speaker's words."""
    if len(words) < 2 or words[0].low not in DETERMINERS:
        return False
    if words[0].low in ("de", "en", "ett") and words[-1].pos in ("NOUN", "ADJ"):
        return True                 # `de anhöriga`, `en granne`: a group or a person described
    return capable(doc, words[1:]) or _adjective_noun(words[1:])


CLAUSE_OPENERS = {"att", "som", "när", "om", "eftersom", "medan", "innan", "sedan"}


def _named_before_first_verb(doc: Doc, toks: list[Tok], lo: int, conj: int) -> list[Tok]:
    """`… där Anna Berg hälsade alla välkomna och berättade att …`: the name (or `han`/`hon`) right before the
    finite verb nearest before the conjunction, with no comma between, is the second verb's subject too
    (tune quote F1 0.941 -> 0.942, attribution F1 0.919 -> 0.920)."""
    first = next((k for k in range(conj - 1, lo, -1) if toks[k].text == "," or toks[k].low in CLAUSE_OPENERS
                  or is_finite(doc, toks[k])), None)
    if first is None or not is_finite(doc, toks[first]):
        return []                   # a comma or `att`, `som` first: the verb before is in another clause
    k = first
    while k - 1 >= lo and is_name_word(doc, toks[k - 1], k - 1 == lo):
        k -= 1
    if k < first:
        return toks[k:first]
    return toks[first - 1:first] if toks[first - 1].low in ("han", "hon") else []


def _named_after_comma(doc: Doc, prefix: list[Tok]) -> list[Tok]:
    """`Guldpriset har backat 15 procent, Mikael From säger att …`: a name alone between the last comma and
    the verb is its subject (a clause joined without a conjunction), not the subject of the first clause
    (tune attribution F1 0.914 -> 0.916)."""
    comma = max((k for k, t in enumerate(prefix) if t.text == "," or t.low == "som"), default=None)   # and a
    # cleft: `Det var efter matchen som Anna Berg hävdade att …` (tune quote F1 0.954 -> 0.955)
    if comma is None or comma == 0:
        return []
    after = prefix[comma + 1:]
    if not 0 < len(after) <= 4 or not all(is_name_word(doc, t, False) for t in after):
        return []
    return after


def _adjective_noun(toks: list[Tok]) -> bool:
    """`erfarne kirurgen` in `Den erfarne kirurgen medger att`: adjectives and a definite noun after `den`
    make a noun phrase (Swedish double definiteness), not the expletive `Den … att` (tune quote F1 0.938 ->
    0.939, attribution F1 0.904 -> 0.905)."""
    return len(toks) > 1 and all(t.pos == "ADJ" for t in toks[:-1]) and toks[-1].pos == "NOUN" and \
        toks[-1].text.islower()


def _name_list(doc: Doc, toks: list[Tok]) -> bool:
    """`Lidingö, Järfälla och Danderyd`: names separated by commas, the last after `och`/`samt`."""
    if not toks or not any(t.text == "," for t in toks) or not any(t.low in COORDINATORS for t in toks):
        return False
    def name(k: int, t: Tok) -> bool:
        return is_name_word(doc, t, k == 0 and is_initial(doc, t.start)) or t.text in doc.cap_words

    last = max(k for k, t in enumerate(toks) if t.low in COORDINATORS)
    tail = list(enumerate(toks))[last + 1:]
    return all(t.text == "," or t.low in COORDINATORS or name(k, t) for k, t in enumerate(toks[:last])) and \
        bool(tail) and (all(name(k, t) for k, t in tail) or   # `… och flera andra länder`: a noun ends the list
                        (len(tail) <= 4 and all(t.is_word and not is_finite(doc, t) for _, t in tail)))


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
