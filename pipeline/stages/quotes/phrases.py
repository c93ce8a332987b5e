"""Attribution phrases: finite verbs, the speaker phrase after a reporting verb or `enligt`, the attribution
built from them, and the outlet a quote came through (the subject before a reporting verb: `subjects`)."""

from __future__ import annotations

from pipeline.lexicon import words as _words
from pipeline.lexicon.names import is_outlet, outlets, pronoun_gender
from pipeline.lexicon.nouns import is_role_word, matches_noun
from pipeline.lexicon.verbs import direct_forms, speech_forms
from pipeline.stages.quotes.constants import (
    DASHES,
    DETERMINERS,
    EXPLETIVES,
    NOT_SPEAKERS,
    OPEN_MARKS,
    PARTICLES,
    PREPOSITIONS,
    RELATIVES,
)
from pipeline.stages.quotes.document import WORD_RE, Attribution, Doc, Tok
from pipeline.stages.quotes.names import adjective_name, is_name_word, name_runs, without_place_qualifier


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


NOUN_PHRASE_TAGS = {"NOUN", "ADJ", "DET", "NUM", "PROPN"}


def inverted_speaker(doc: Doc, toks: list[Tok]) -> bool:
    """Can these words be the speaker right after the verb of `…, säger X`: a speaker word (`capable`), or any
    noun phrase by the model's tags (`25-åringen`, `en revisor`, `lokala medier`), since the subject is
    all that stands there. Tune quote F1 0.904 -> 0.911, attribution F1 0.848 -> 0.859; also between the verb
    and `att` (`uppger 16 procent att`): 0.926 -> 0.927, 0.878 -> 0.879."""
    if capable(doc, toks):
        return True
    words = [t for t in toks if t.is_word]
    return bool(words) and words[0].low not in NOT_SPEAKERS | EXPLETIVES and words[-1].pos == "NOUN" and \
        all(t.pos in NOUN_PHRASE_TAGS for t in words)


def speaker_phrase(doc: Doc, toks: list[Tok], k: int, limit: int = 9) -> list[Tok]:
    """The speaker after a reporting verb: words up to punctuation, a preposition or an adverb."""
    out: list[Tok] = []
    stop = _words("speech_stopwords")
    while k < len(toks) and len(out) < limit:
        t = toks[k]
        if _truncated_compound(toks, k):        # `äldre- och socialförsäkringsminister Anna Tenje`
            out.extend(toks[k:k + 2])
            k += 2
            continue
        if _party_letters(toks, k) and out:      # `Stefan Löfven (S) och Ibrahim Baylan (S)`
            out.extend(toks[k:k + 3])
            k += 3
            continue
        # an adverb by the tags ends it (`svarar en minister iskallt:`): debate-dev tune attribution F1
        # 0.886 -> 0.911 together with `syntax._is_time`'s fronted place adverbial
        if out and t.pos == "ADV" and t.text.islower():
            break
        if out and t.text in ARTICLES and out[-1].pos in ("NOUN", "PROPN"):
            break                               # `enligt kvinnan en tredje man …`: a new noun phrase
        if not t.is_word or (t.low in stop and not (t.low in PARTICLES and out and out[-1].is_cap)):
            if t.low == "och" and out and k + 1 < len(toks) and (is_name_word(doc, toks[k + 1], False)
                                                                 or _roles_joined(out[-1], toks[k + 1])):
                out.append(t)
                k += 1
                continue
            joined = _second_title(toks, k, out)
            if joined:                          # `näringsminister samt vice statsminister Ebba Busch`
                out.extend(toks[k:joined])
                k = joined
                continue
            break
        out.append(t)
        k += 1
    if out and out[0].low in pronoun_gender() and pronoun_alone(out):
        return out[:1]
    named = _name_apposed_to_title(doc, toks, k, out)
    if named:                                   # `säger partiets talesperson, Ingemar Kihlström.`
        return out + toks[k:named]
    return out + attached_pp(doc, toks, k, out)


def _second_title(toks: list[Tok], k: int, out: list[Tok]) -> int | None:
    """`och`/`samt` after a lower-case title, then at most one lower-case word and a second title (`_roles_joined`):
    where the second title ends (regeringen-tune9: `energi- och näringsminister samt vice statsminister Ebba Busch`)."""
    if not out or toks[k].low not in ("och", "samt"):
        return None
    for n in (k + 1, k + 2):
        if n < len(toks) and toks[n].is_word and _roles_joined(out[-1], toks[n]) \
                and all(t.is_word and t.text.islower() for t in toks[k + 1:n]):
            return n + 1
    return None


def _name_apposed_to_title(doc: Doc, toks: list[Tok], k: int, out: list[Tok]) -> int | None:
    """A title without a name, then `,` and a name that ends the sentence: the name is the title's (the
    apposition written the other way round; regeringen-tune9). Where the name ends, else None."""
    if not out or k + 1 >= len(toks) or toks[k].text != "," or not is_role_word(out[-1].text) \
            or any(is_name_word(doc, t, False) and not t.low.endswith("s") for t in out):  # an owner may be named
        return None
    n = k + 1
    while n < len(toks) and toks[n].is_word and is_name_word(doc, toks[n], False):
        n += 1
    return n if n > k + 1 and (n >= len(toks) or toks[n].text in ".!?") else None


def pronoun_alone(phrase: list[Tok]) -> bool:
    """Is the pronoun that opens `phrase` the whole speaker? `de`, `den`, `dem` before more words are a
    determiner (`den ecuadorianska regeringen`, `de anhöriga`), so the noun phrase is the speaker."""
    return phrase[0].low not in ("de", "den", "dem") or len(phrase) == 1


def _roles_joined(before: Tok, after: Tok) -> bool:
    """`professorer och verksamhetschefer vid …`: two role nouns in lower case joined by `och` are one speaker
    (tune attribution F1 0.917 -> 0.919)."""
    return before.text.islower() and after.text.islower() and is_role_word(before.text) and is_role_word(after.text)


COORDINATORS = {"och", "eller", "samt"}
SENTENCE_CONJUNCTIONS = COORDINATORS | {"men"}     # opening a sentence, never part of its speaker
ARTICLES = {"en", "ett", "den", "det", "de"}


def _truncated_compound(toks: list[Tok], k: int) -> bool:
    """`-` glued to the word before it and followed by `och`/`eller` and a word: the first half of a
    coordinated compound (`justitie- och migrationsminister`, `EU- och handelsminister`)."""
    return (0 < k and k + 2 < len(toks) and toks[k].text == "-" and toks[k - 1].end == toks[k].start
            and toks[k - 1].is_word and toks[k + 1].low in COORDINATORS and toks[k + 2].is_word)


def _party_letters(toks: list[Tok], k: int) -> bool:
    """`(S)`, `(KD)`, `(M)` after a name: the party, part of the speaker phrase."""
    return (k + 2 < len(toks) and toks[k].text == "(" and toks[k + 2].text == ")" and toks[k + 1].text.isupper()
            and len(toks[k + 1].text) <= 4)


PP_HEADS = {"för", "på", "vid", "hos", "inom", "i", "till"}
AFFILIATION = {"på", "vid", "från", "hos", "inom", "för"}


def attached_pp(doc: Doc, toks: list[Tok], k: int, phrase: list[Tok]) -> list[Tok]:
    """`för polisen` in `en talesperson för polisen`: a prepositional phrase that names the group.

    Only for speakers without a name, and only when the phrase names an organisation or group
    (a name or a role noun) that is not a news outlet (`säger föräldrarna till TT`) or medium (`ett vittne för
    tidningen`: tune attribution F1 0.883 -> 0.885); it ends at its last role noun (`för polisen sent på
    kvällen`: 0.889 -> 0.891).
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
    if not words or any(t.text in outlets() or t.low in _words("media_nouns") for t in words):
        return []
    if any(is_name_word(doc, t, False) for t in words) or is_role_word(words[-1].text):
        return pp
    last = max((n for n, t in enumerate(words) if is_role_word(t.text)), default=None)
    return pp[:last + 2] if last is not None else []     # `för polisen sent på kvällen`: up to the role noun


def is_initial(doc: Doc, offset: int) -> bool:
    """Does a sentence (or paragraph, or quoted speech) start at `offset`?"""
    k = offset - 1
    while k >= 0 and doc.text[k] in " \t\u00a0":
        k -= 1
    return k < 0 or doc.text[k] in ".!?:\n" + DASHES + OPEN_MARKS


def attribution_from(doc: Doc, toks: list[Tok], verb: int, phrase: list[Tok]) -> Attribution:
    while len(phrase) > 1 and phrase[0].low in SENTENCE_CONJUNCTIONS and phrase[1].is_word:
        phrase = phrase[1:]         # `Och farmor, som …, trodde att`: the conjunction opens the sentence
    names = name_runs(doc, phrase, first_initial=bool(phrase) and is_initial(doc, phrase[0].start))
    names = [n for n in names if doc.text[n[0] - 1:n[0]] != "("]     # `(S)` after a name is the party
    names, phrase = without_place_qualifier(phrase, names)
    name = None
    after_last = [t for t in phrase if names and t.start >= names[-1][1] + 1]
    if names and (any(is_role_word(t.text) for t in after_last) or _group_beside(doc, phrase, names)):
        names = []  # `Putins talesperson`: someone else, who is not named
    pp = next((t.start for t in phrase[1:] if t.low in AFFILIATION), None)
    if pp is not None and any(n[0] < pp for n in names):
        names = [n for n in names if n[0] < pp]     # `Eva Ek på Skatteverket`: Eva Ek, not Skatteverket
    if names:
        parts = [n[2] for n in names]
        listed = len(parts) > 1 and any(t.low == "och" for t in phrase)
        name = ", ".join(parts[:-1]) + " och " + parts[-1] if listed else parts[-1]
    cue = toks[verb].text if verb is not None and verb >= 0 else ""
    lemma = "enligt" if cue.lower() == "enligt" else direct_forms().get(cue.lower(), cue.lower())
    return Attribution(cue, lemma, doc.span(phrase), phrase[0].start if phrase else None,
                       phrase[-1].end if phrase else None, name)


def _group_beside(doc: Doc, phrase: list[Tok], names: list[tuple[int, int, str, str]]) -> bool:
    """The speaker is the whole phrase, not its names: `Sverige och sex andra länder` (a conjunct without a
    name), `Post- och telestyrelsen`, `Irlands olympiska kommitté` (a genitive name owning the head noun).
    With the list of names (`_name_list`) tune attribution F1 0.866 -> 0.871, quote F1 unchanged."""
    conjunct = next((n for n, t in enumerate(phrase) if t.low in COORDINATORS), None)
    if conjunct is not None and not any(is_name_word(doc, t, False) for t in phrase[conjunct + 1:]):
        return any(t.is_word for t in phrase[conjunct + 1:])
    if conjunct is not None and 0 < conjunct < 3 and all(is_role_word(t.text) for t in phrase[:conjunct]) and \
            not phrase[conjunct + 1].text.islower():    # (`minister samt vice statsminister Eva Lind`: one person)
        return True     # `Regeringen och Sverigedemokraterna`: a role noun joined to a name (regeringen-tune7/8)
    last = names[-1]
    owner = doc.text[last[1]:last[1] + 1] == "s" and not doc.text[last[1] + 1:last[1] + 2].isalpha()
    after = [t for t in phrase if t.start > last[1]]
    return owner and bool(after) and after[-1].text.islower() and after[-1].pos in ("", "NOUN")


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
                not adjective_name(toks[i - 1], t) and \
                t.low not in PARTICLES | RELATIVES | PREPOSITIONS | {"och", "samt", "eller"}:
            return toks[k + 1:i], i
        previous = toks[i - 1]
        if i > k + 1 and mention_end is None and not seen_name and t.text.islower() and not genitive and \
                (is_role_word(previous.text) or previous.low in set(pronoun_gender()) - DETERMINERS) and \
                t.low not in RELATIVES | PREPOSITIONS | PARTICLES | DETERMINERS and not is_role_word(t.text):
            return toks[k + 1:i], i
        seen_name = seen_name or is_name_word(doc, t, False)
        i += 1
    if mention_end is not None and mention_end + 1 < len(toks):
        return toks[k + 1:mention_end], mention_end + 1
    return toks[k + 1:i], None


def owner_speaker(phrase: list[Tok]) -> list[Tok]:
    """`regeringens förslag`, `polisens uppgifter`, `SCB:s statistik` after `enligt`: the owner in the genitive is
    the speaker when the head is a noun of what someone says or finds (reporting_nouns, owner_nouns); with
    the genitive dropped in `speakers` (tune speaker accuracy 0.978 -> 0.981, attribution F1 0.927 -> 0.931)."""
    words = [t for t in phrase if t.is_word]
    if words and "-" in words[-1].text:     # `enligt en Reuters-enkät`, `en Sifo-undersökning`: the first part
        first, _, head = words[-1].text.partition("-")
        if first[:1].isupper() and (matches_noun(head, "owner_nouns") or matches_noun(head, "reporting_nouns")):
            return [Tok(first, words[-1].start, words[-1].start + len(first), "PROPN", "")]
    if len(words) < 2 or not (matches_noun(words[-1].text, "reporting_nouns") or
                              matches_noun(words[-1].text, "owner_nouns")):
        return phrase
    owner = next((n for n, t in enumerate(phrase) if t.is_word and t.text.endswith("s") and len(t.text) > 2), None)
    return phrase[:owner + 1] if owner is not None and owner < len(phrase) - 1 else phrase
