"""Indirect speech found in the dependency parse: a reporting verb whose clausal complement (`ccomp`)
opens with `att` (or `om`), with its subject as the speaker.

The surface rules (`sentences.py`) need the speaker right before the verb or right after it; the parse
also finds `Själv uppger Jonas Sjöstedt i ett pressmeddelande i dag att …`, `Han förklarar sedan snabbt
att …`, `… som säger att …` (the speaker is what `som` refers to) and a second verb of a coordination
(`håller med om att …, men påpekar att …`: each its own quote, with the first verb's subject). Only
clauses that no rule already took become quotes, so the rules stay where they were right.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

import pandas as pd

from pipeline.lexicon import words as _lexicon_words
from pipeline.lexicon.nouns import matches_noun
from pipeline.lexicon.verbs import direct_forms, learned_cues, particle_speech_verbs, speech_forms, speech_lemmas
from pipeline.stages.quotes.constants import (
    CLOSE_MARKS,
    CONJUNCTIONS,
    EXPLETIVES,
    NOT_SPEAKERS,
    OPEN_MARKS,
    PREPOSITIONS,
)
from pipeline.stages.quotes.document import Doc, ParagraphRow, Quote, Tok
from pipeline.stages.quotes.phrases import (
    attribution_from,
    capable,
    find_source,
    is_initial,
    speaker_phrase,
)
from pipeline.stages.quotes.sentences import kind_of, rule_not_speaker, trim_end
from pipeline.stages.quotes.subjects import subject_before

MARKERS = {"att", "om"}
# marks before `att` that open an adverbial clause, not a complement (`trots att …`): tune quote F1 0.945 -> 0.946
ADVERBIAL_MARKS = {"trots", "utan", "medan", "innan", "efter", "sedan", "eftersom", "så"}   # `så att`: so that
CLAUSES = ("ccomp", "advcl", "xcomp")
BARE_OPENERS = ("PRON", "DET", "NOUN", "PROPN", "ADJ", "NUM")     # the first word of a clause without `att`
NOMINAL = ("NOUN", "PROPN")
CUE_TAGS = ("VERB", "AUX", "ADJ", "NOUN")  # the tags `_is_reporting` (NOUN: `_tagged_noun`) and
                                            # `_is_reporting_adjective` accept
MAX_BEFORE_ATT = 8          # words between the verb and the `att` of the surface fallback
AUX = ("aux", "aux:pass", "cop")
SUBJECTS = {"nsubj", "nsubj:pass"}
BARE_SUBJECTS = SUBJECTS | {"expl"}
# children of the subject's head that end the speaker phrase: an apposition, a relative clause (only after
# a name: `Experter som jobbar med nätmobbning` is the whole group), a clause of its own
PHRASE_ENDS = {"appos", "acl", "acl:relcl", "parataxis"}
GROUP_KEEPS = {"acl", "acl:relcl"}


class Word(NamedTuple):
    i: int
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    morph: str
    head: int
    dep: str
    paragraph_id: int
    sentence_id: int


def parsed(tokens: pd.DataFrame) -> bool:
    """Whether the model gave `tokens` a dependency parse."""
    return not tokens.empty and "dep" in tokens and bool((tokens["dep"].fillna("") != "").any())


def words_of(tokens: pd.DataFrame) -> list[Word]:
    """One Word per token row."""
    return words_in(word_columns(tokens), 0, len(tokens))


def word_columns(tokens: pd.DataFrame) -> list[list]:
    """The fields of `Word` for every token row as Python lists, in `Word`'s order; columns are converted
    whole (a per-value check costs seconds per 100k)."""
    ids = tokens["token_id"].astype("int64")
    return [
        ids.tolist(), tokens["text"].astype(str).tolist(), tokens["start"].astype("int64").tolist(),
        tokens["end"].astype("int64").tolist(), tokens["lemma"].fillna("").astype(str).str.lower().tolist(),
        tokens["pos"].fillna("").astype(str).tolist(), tokens["morph"].fillna("").astype(str).tolist(),
        tokens["head"].fillna(ids).astype("int64").tolist(), tokens["dep"].fillna("").astype(str).tolist(),
        tokens["paragraph_id"].astype("int64").tolist(), tokens["sentence_id"].fillna(-1).astype("int64").tolist(),
    ]


def words_in(columns: list[list], a: int, b: int) -> list[Word]:
    """The Words of rows a:b of `word_columns`."""
    return list(map(Word._make, zip(*(column[a:b] for column in columns), strict=True)))


class Tree:
    """The parse of one document as index lists (token_id is the position in the document)."""

    def __init__(self, words: list[Word]):
        self.words = words
        self.first = words[0].i if words else 0
        self.children: dict[int, list[int]] = {}
        for w in words:
            if w.head != w.i:
                self.children.setdefault(w.head, []).append(w.i)

    def word(self, i: int) -> Word:
        return self.words[i - self.first]

    def kids(self, i: int, deps: Iterable[str] | None = None) -> list[Word]:
        wanted = set(deps) if deps is not None else None
        return [self.word(k) for k in self.children.get(i, ()) if wanted is None or self.word(k).dep in wanted]

    def subtree(self, i: int) -> tuple[int, int]:
        """First and last token index of `i`'s subtree."""
        lo = hi = i
        todo = [i]
        while todo:
            k = todo.pop()
            lo, hi = min(lo, k), max(hi, k)
            todo.extend(self.children.get(k, ()))
        return lo, hi


def _complement(tree: Tree, verb: Word) -> tuple[Word, Word] | None:
    """The verb's clausal complement after it, and the last of the marks that open it (`att`, `på att`).

    The parser labels such clauses `ccomp` or, often, `advcl`; a clause counts when it opens with marks
    among which `att` or `om` is, and has a subject or a finite verb of its own (not `för att` + infinitive).
    """
    for clause in tree.kids(verb.i, CLAUSES):
        if clause.i < verb.i:
            continue
        marks = sorted(tree.kids(clause.i, ("mark",)), key=lambda m: m.i)
        if not marks or tree.subtree(clause.i)[0] != marks[0].i or not MARKERS & {m.text.lower() for m in marks}:
            continue
        leading = [m for n, m in enumerate(marks) if m.i == marks[0].i + n]
        if leading[0].text.lower() in ADVERBIAL_MARKS or _after_so(tree, leading[0]):
            continue                # `…, som trots att landet är lamslaget …`: a concession, no complement
        if tree.kids(clause.i, SUBJECTS) or _finite(tree, clause):
            return clause, leading[-1]
    return _surface_complement(tree, verb) or _bare_complement(tree, verb)


def _bare_complement(tree: Tree, verb: Word) -> tuple[Word, Word] | None:
    """`Hon tycker det är principiellt fel att …`: a `ccomp` clause without `att` of a verb of
    `bare_clause_verbs`, right after the verb (or its subject and adverbs), with a subject and a finite verb of
    its own (the parser often calls it `xcomp`, and `det` its `expl`). Returns the clause and the word before
    it (the clause starts after that word)."""
    if verb.lemma not in _lexicon_words("bare_clause_verbs"):
        return None
    for clause in tree.kids(verb.i, ("ccomp", "xcomp")):
        first = tree.subtree(clause.i)[0]
        if first <= verb.i or tree.kids(clause.i, ("mark",)) or tree.word(first).pos not in BARE_OPENERS:
            continue
        between = [tree.word(k) for k in range(verb.i + 1, first)]
        if any(w.pos not in ("PRON", "ADV", "PART") and w.dep not in SUBJECTS for w in between):
            continue
        if _finite(tree, clause) and tree.kids(clause.i, BARE_SUBJECTS):
            return clause, tree.word(first - 1)
    return None


def _finite(tree: Tree, clause: Word) -> bool:
    """Is the clause's head, or an auxiliary or copula of it, a finite verb?"""
    return "VerbForm=Fin" in clause.morph or any("VerbForm=Fin" in a.morph for a in tree.kids(clause.i, AUX))


def _after_so(tree: Tree, mark: Word, lowest: int | None = None) -> bool:
    """`sa Lena så tyst att …`: `så` + an adjective or adverb before the `att` makes a consequence, no speech
    (SUC tune sentences). Only words from `lowest` on (default: the document's first) are looked at."""
    lowest = tree.first if lowest is None else lowest
    return any(mark.i - k >= lowest and tree.word(mark.i - k).text.lower() == "så" for k in (1, 2))


def _surface_complement(tree: Tree, verb: Word) -> tuple[Word, Word] | None:
    """Where the parse attached the clause elsewhere (`uppger 16 procent att …` as an object): the first
    `att` of the sentence after the verb, within a few words and with no finite verb between them; the
    clause runs to the end of the sentence. Returns the sentence's last word and the `att`."""
    following = (tree.words[j] for j in range(verb.i - tree.first + 1, len(tree.words)))   # no islice: O(1) start
    sentence = list(itertools.takewhile(lambda w: w.sentence_id == verb.sentence_id, following))
    for n, w in enumerate(sentence[:MAX_BEFORE_ATT + 1]):
        if w.text.lower() == "att" and w.pos == "SCONJ":
            if (n and sentence[n - 1].text.lower() in ADVERBIAL_MARKS) or _after_so(tree, w, verb.i + 1):
                return None         # `…, som trots att landet är lamslaget …`: a concession, no complement
            words = [x for x in sentence[n + 1:] if x.pos != "PUNCT"]
            if words:
                return words[-1], w
            return None
        if w.pos in ("VERB", "AUX") and "VerbForm=Fin" in w.morph:
            return None
    return None


def verb_key(tree: Tree, verb: Word) -> str:
    """The lemma with its particle (`slå fast`, `hålla med`): how learned cues are kept."""
    particles = [k.text.lower() for k in tree.kids(verb.i, ("compound:prt",))]
    return " ".join([verb.lemma or verb.text.lower(), *particles])


def _subject(tree: Tree, verb: Word) -> tuple[int, int] | None:
    """Token span of the speaker: the verb's subject (or its coordinated head's), `som` resolved."""
    for candidate in (verb, tree.word(verb.head) if verb.dep == "conj" else None):
        if candidate is None:
            continue
        subjects = tree.kids(candidate.i, SUBJECTS)
        if not subjects:
            continue
        head = subjects[0]
        if head.text.lower() == "som" and candidate.dep.startswith("acl") and candidate.head != candidate.i:
            head = tree.word(candidate.head)                    # `… vänner som säger att`: the antecedent
            return tree.subtree(head.i)[0], _phrase_end(tree, head, limit=subjects[0].i - 1)
        side = [w for w in subjects if (w.i < candidate.i) == (head.i < candidate.i)]
        lo = min(tree.subtree(w.i)[0] for w in side)
        hi = max(tree.subtree(w.i)[1] for w in side)
        if head.i < candidate.i:
            hi = min(hi, candidate.i - 1)
        return lo, _phrase_end(tree, side[-1], limit=hi)
    return None


def _phrase_end(tree: Tree, head: Word, limit: int) -> int:
    """The last token of the speaker phrase: the head's subtree up to an apposition, relative clause or comma."""
    end = limit
    for kid in tree.kids(head.i):
        if kid.i <= head.i or kid.dep not in PHRASE_ENDS:
            continue
        first = tree.subtree(kid.i)[0]
        restrictive = "," not in (tree.word(first).text, tree.word(first - 1).text)
        if head.pos == "NOUN" and kid.dep in GROUP_KEEPS and restrictive:
            continue            # `Experter som jobbar med …` is the group; `Fyra personer, som …,` are four people
        if kid.dep == "appos" and tree.word(tree.subtree(kid.i)[0]).text == "(":
            continue                                        # `Gunnar Axén (M)`: the party, not an apposition
        end = min(end, tree.subtree(kid.i)[0] - 1)
    while end > head.i and tree.word(end).text in ",":
        end -= 1
    return max(end, head.i)


def _is_time(phrase: list) -> bool:
    """`Några dagar (senare)`, `i höstas`: a time adverbial the parser took for the subject; also a fronted
    place adverbial (`På ett möte pratar ordföranden om att …`: a phrase opened by a preposition), where
    the speaker is the phrase after the verb (debate-dev tune speaker accuracy 0.946 -> 0.973, with the
    adverb stop of `phrases.speaker_phrase`)."""
    words = [t for t in phrase if t.is_word]
    if len(words) > 1 and words[0].low in PREPOSITIONS:
        return True
    return bool(words) and matches_noun(words[-1].text, "time_nouns") and not words[-1].is_cap


def can_report(verb: Word) -> bool:
    """A verb in a form that can attribute speech to a subject: not an infinitive, not a passive."""
    return verb.pos in ("VERB", "AUX") and "VerbForm=Inf" not in verb.morph and "Voice=Pass" not in verb.morph


def clause_span(tree: Tree, clause: Word, mark: Word) -> tuple[int, int]:
    """Offsets of a complement clause after its opening marks (untrimmed)."""
    last = tree.word(tree.subtree(clause.i)[1])
    return (tree.word(mark.i + 1).start if mark.i + 1 <= last.i else last.start), last.end


def _is_reporting(tree: Tree, verb: Word) -> bool:
    """A finite or participle verb of the whitelist (also one with a particle, `slå fast`: debate-dev tune
    quote F1 0.937 -> 0.950), or one the annotated texts showed to report speech."""
    if not can_report(verb) and not _tagged_noun(verb):
        return False
    if verb.text.lower() in speech_forms() or verb.lemma in speech_lemmas():
        return True
    key = verb_key(tree, verb)
    particles = particle_speech_verbs()
    return key in learned_cues() or key in particles or _mark_particle(tree, verb) in particles


def _tagged_noun(verb: Word) -> bool:
    """A reporting verb the tagger took for a noun (`EU föreslog att …`, `föreslog/NOUN`), known by its lemma
    (the lemma lookup still gives `föreslå`) in a form other than the lemma; `_candidate` still needs its clause
    (regeringen-tune5/6)."""
    return verb.pos == "NOUN" and verb.text.islower() and verb.text != verb.lemma and \
        (verb.lemma in speech_lemmas() or verb.lemma in learned_cues())


def _mark_particle(tree: Tree, verb: Word) -> str:
    """`trycka på` in `tryckte på att …`, `tala om` in `talar myndigheten om att …`: the parse often takes the
    particle for the first mark of the `att` clause; the verb's lemma with that mark, else ``."""
    for clause in tree.kids(verb.i, CLAUSES):
        marks = sorted(tree.kids(clause.i, ("mark",)), key=lambda m: m.i)
        if clause.i > verb.i and len(marks) > 1 and marks[1].text.lower() == "att" and marks[1].i == marks[0].i + 1:
            return f"{verb.lemma or verb.text.lower()} {marks[0].text.lower()}"
    return ""


def _is_reporting_adjective(tree: Tree, word: Word) -> bool:
    """`var tydlig med att`, `är orolig för att`: an adjective of `reporting_adjectives` after a copula
    (tune quote F1 0.914 -> 0.915, attribution F1 0.863 -> 0.864; debate-dev 0.868 -> 0.883)."""
    return word.pos == "ADJ" and word.lemma in _lexicon_words("reporting_adjectives") and bool(tree.kids(word.i, AUX))


def words_by_document(tokens: pd.DataFrame) -> dict[str, list[Word]]:
    """The parsed words of every document of a batch, built once (per-document pandas access costs more
    than the rules). Empty where the model gave no parse."""
    if not parsed(tokens):
        return {}
    ordered = tokens.sort_values(["doc_id", "token_id"], kind="stable")
    out: dict[str, list[Word]] = {}
    for doc_id, word in zip(ordered["doc_id"].tolist(), words_of(ordered), strict=True):
        out.setdefault(doc_id, []).append(word)
    return out


def syntax_quotes(doc: Doc, paragraphs: list[ParagraphRow], words: list[Word], taken: list[Quote]) -> list[Quote]:
    """Indirect quotes from the parse (`words`, in token order) that overlap none of the quotes in `taken`."""
    if not words:
        return []
    body = {int(p.paragraph_id) for p in paragraphs if p.kind == "body"}
    tree = Tree(words)
    spans = [(q.start, q.end) for q in taken]
    found: list[Quote] = []
    for verb in tree.words:
        if verb.pos not in CUE_TAGS or verb.paragraph_id not in body or \
                not (_is_reporting(tree, verb) or _is_reporting_adjective(tree, verb)):
            continue
        if any(a <= verb.start < b for a, b in spans):
            continue                      # inside another quote: nested speech is optional in the gold
        quote = _candidate(doc, tree, verb)
        if quote is None:
            continue
        # where a rule found the quote, its boundaries stay: taking the parse's clause instead lowered
        # tune quote F1 from 0.881 to 0.879
        if not any(quote.start < b and a < quote.end for a, b in spans):
            found.append(quote)
            spans.append((quote.start, quote.end))
    return found


def _to_sentence_end(tree: Tree, start: int, end: int, clause: Word) -> tuple[int, int]:
    """A clause the parse ended inside the flow of its sentence (`att de arbetar deltid | därför att …`,
    `att A | och B`) runs on to the end of the sentence, as the surface rules' clauses do; one that ends
    at a comma or a dash keeps its end (tune quote F1 0.921 -> 0.923, attribution F1 0.873 -> 0.875)."""
    k = tree.subtree(clause.i)[1] - tree.first + 1
    if k >= len(tree.words) or tree.words[k].sentence_id != clause.sentence_id or tree.words[k].pos == "PUNCT":
        return start, end
    last = None
    while k < len(tree.words) and tree.words[k].sentence_id == clause.sentence_id:
        last = tree.words[k] if tree.words[k].pos != "PUNCT" else last
        k += 1
    return start, last.end if last else end


def _candidate(doc: Doc, tree: Tree, verb: Word) -> Quote | None:
    complement = _complement(tree, verb)
    if complement is None or any(m.text.lower() == "om" for m in tree.kids(verb.i, ("mark",))):
        return None                 # `Om regeringen säger att …`: speech in a condition is not said
    clause, mark = complement
    subject = _subject(tree, verb)
    nominal = False
    if subject is not None:
        lo, hi = subject
        phrase = doc.tokens(tree.word(lo).start, tree.word(hi).end)
        # (an acronym the tagger took for a number is a name: `EU/NUM föreslog`, regeringen-tune5/6)
        nominal = any(tree.word(i).pos in NOMINAL or (tree.word(i).text.isupper() and tree.word(i).text.isalpha())
                      for i in range(lo, hi + 1))
    if subject is None or _is_time(phrase):  # `Själv uppger Jonas Sjöstedt i ett pressmeddelande att …`
        nominal = False
        after = doc.tokens(verb.end, tree.word(mark.i).start)
        phrase = speaker_phrase(doc, after, 0, limit=5) if after else []
        if not phrase and subject is not None:
            phrase = _subject_in_front(doc, tree, verb)
    if not phrase or phrase[0].low in NOT_SPEAKERS | EXPLETIVES or _is_time(phrase) or rule_not_speaker(phrase):
        return None
    # the parse's subject of a reporting verb may be any noun phrase (`flickan`, `rätten`); a phrase
    # found by position must look like a speaker (a name, a pronoun, a role or group noun)
    if not nominal and not capable(doc, phrase, is_initial(doc, phrase[0].start)):
        return None
    start, end = trim_end(doc, *_to_sentence_end(tree, *clause_span(tree, clause, mark), clause))
    if end <= start or doc.text[end:end + 1] == "?":
        return None
    verb_toks = doc.tokens(verb.start, verb.end)
    attr = attribution_from(doc, verb_toks + phrase, 0 if verb_toks else -1, phrase)
    if attr.cue and attr.cue.lower() not in direct_forms():
        attr.cue_lemma = verb_key(tree, verb)      # a learned cue: the model's lemma, with its particle
    source = find_source(doc, doc.tokens(verb.end, start), (attr.m_start or 0, attr.m_end or 0))
    return Quote(kind_of(doc, start, end), start, end, verb.paragraph_id, attr.cue, attr.cue_lemma,
                 attr.mention, attr.m_start, attr.m_end, attr.name, source, confidence=0.6)


def _subject_in_front(doc: Doc, tree: Tree, verb: Word) -> list:
    """`Alliansregeringen har hela tiden varit tydlig med att …`, where the parse took `hela tiden` for the
    subject: the surface subject in front of the verb (debate-dev tune quote F1 0.950 -> 0.963)."""
    k = verb.i - tree.first
    while k > 0 and tree.words[k - 1].sentence_id == verb.sentence_id:
        k -= 1
    toks = doc.tokens(tree.words[k].start, verb.end)
    lo = next((n for n, t in enumerate(toks) if t.low not in CONJUNCTIONS), len(toks))
    if lo >= len(toks) - 1 or toks[lo].low == "om":
        return []                   # `Och om Eva Lund menar att …`: a condition
    return subject_before(doc, toks, lo, len(toks) - 1)


COORDINATION = {"men", "och", "samt", "utan"}


def split_coordinated(doc: Doc, quotes: list[Quote]) -> None:
    """`säger att X men menar att Y`: an indirect quote ends before a conjunction that opens a second
    reporting verb with its own `att`, so that the second verb gives its own quote: the first verb's speaker's
    when the verb follows the conjunction at once (coordinated predicates share their subject: tune quote F1
    0.939 -> 0.940, attribution F1 0.905 -> 0.906), else the parse's."""
    for q in list(quotes):
        if q.kind == "direct":
            continue
        toks = doc.tokens(q.start, q.end)
        for k in range(1, len(toks) - 2):
            if toks[k].low not in COORDINATION:
                continue
            verb = next((j for j in range(k + 1, min(k + 4, len(toks) - 1)) if _reports(doc, toks[j])), None)
            marked = _marked_words(toks, verb + 1) if verb == k + 1 else None
            if marked:              # `… att A och skrev ”B” men …`: B is the speaker's own words (tune quote
                #                     F1 0.949 -> 0.951, attribution F1 0.931 -> 0.933)
                q.start, q.end = trim_end(doc, q.start, toks[k - 1].end)
                q.kind = kind_of(doc, q.start, q.end)
                start, end = trim_end(doc, *marked)
                quotes.append(replace(q, kind="direct", start=start, end=end, cue=toks[verb].text,
                                      cue_lemma=direct_forms().get(toks[verb].low, toks[verb].low), confidence=0.6))
                break
            mark = _att_after(toks, verb) if verb is not None else None
            if mark is not None:
                end = q.end
                q.start, q.end = trim_end(doc, q.start, toks[k - 1].end if toks[k - 1].text != "," else
                                          toks[k - 1].start)
                q.kind = kind_of(doc, q.start, q.end)     # the fragment in marks may be the second verb's
                if verb == k + 1 and mark + 1 < len(toks):
                    quotes.append(_second_predicate(doc, q, toks[verb], toks[mark + 1].start, end))
                break


def _att_after(toks: list[Tok], verb: int) -> int | None:
    """The `att` that opens the second verb's clause: right after it, or after a few words of an object or
    adverbial (`och rekommenderar bland annat regeringen att`), with no punctuation or finite verb between."""
    for j in range(verb + 1, min(verb + 5, len(toks) - 1)):
        if toks[j].low == "att":
            return j
        if not toks[j].is_word or "VerbForm=Fin" in toks[j].morph:
            return None
    return None


def _reports(doc: Doc, tok: Tok) -> bool:
    """A reporting verb of the whitelist, or a finite verb whose parsed lemma is a learned cue (`och föreslår
    att`, `men konstaterar att`)."""
    if tok.low in speech_forms():
        return True
    return tok.pos == "VERB" and "VerbForm=Fin" in tok.morph and doc.lemmas.get(tok.start, "") in learned_cues()


def _marked_words(toks: list[Tok], k: int) -> tuple[int, int] | None:
    """Offsets inside the quotation marks that open at toks[k] and close later in toks, else None."""
    if k >= len(toks) or toks[k].text not in OPEN_MARKS:
        return None
    close = next((j for j in range(k + 2, len(toks)) if toks[j].text in CLOSE_MARKS), None)
    return (toks[k].end, toks[close].start) if close is not None and close - k > 3 else None


def _second_predicate(doc: Doc, first: Quote, verb: Tok, start: int, end: int) -> Quote:
    """The quote of `men hävdar att Y` after `X medger att …`: X's, with the second verb as its cue."""
    start, end = trim_end(doc, start, end)
    return replace(first, kind=kind_of(doc, start, end), start=start, end=end, cue=verb.text,
                   cue_lemma=direct_forms().get(verb.low, verb.low), confidence=0.6)
