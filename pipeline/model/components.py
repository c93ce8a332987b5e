"""spaCy components of the citat model, registered through the ``spacy_factories`` entry point in
``pyproject.toml`` so that ``spacy.load("models/sv_citat")`` finds them wherever citat is installed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from spacy.attrs import IS_TITLE, IS_UPPER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

# tokens that never open a sentence
CLOSING_PUNCT = {",", ".", ":", ";", ")", "]", "}", "!", "?", "…", "...", "%"}
QUOTES = {"'", '"', "”", "’", "»", "«"}
# tokens after which a new sentence may start with a lower-case word
SENTENCE_FINAL = {".", "!", "?", ":", "…", "...", "–", "—", "-"}
# talstreck and quote marks that open speech
OPENERS = {"–", "—", "-", "”", "\"", "»", "'"}


def _first_word(tokens) -> Token | None:
    return next((t for t in tokens if not t.is_space), None)


def _last_word_before(doc: Doc, i: int) -> Token | None:
    return next((doc[j] for j in range(i - 1, -1, -1) if not doc[j].is_space), None)


def _is_glued_closing_quote(doc: Doc, token: Token) -> bool:
    prev = _last_word_before(doc, token.i)
    return (token.text in QUOTES and prev is not None and prev.text in SENTENCE_FINAL
            and prev.idx + len(prev.text) == token.idx)


def continues_previous_sentence(doc: Doc, start: Token) -> bool:
    """Whether a sentence the parser began at ``start`` is really the rest of the previous one:
    it begins with closing punctuation, with a quote mark glued to the previous word
    (``fader.' Ett``), with a proper name right after a word on the same line, or with a lower-case
    word on the same line after a non-final token."""
    prev = _last_word_before(doc, start.i)
    if prev is None:
        return False
    gap = doc.text[prev.idx + len(prev.text):start.idx]
    if "\n" in gap:
        return False
    if start.text in CLOSING_PUNCT:
        return True
    if start.text in QUOTES and gap == "":
        return True
    if start.is_alpha and prev.is_alpha and start.pos_ == "PROPN":  # a name cut off (Harry | Potter)
        return True
    return start.text[:1].islower() and prev.text not in SENTENCE_FINAL and prev.text not in QUOTES


def repair_sentences(doc: Doc) -> Doc:
    """Join parser sentences that ``continues_previous_sentence`` says belong to the one before,
    by hanging the later root on the earlier one (``parataxis``)."""
    if not doc.has_annotation("DEP"):
        return doc
    roots: list[Token] = []
    for sent, root in [(s, s.root) for s in doc.sents]:
        first = _first_word(sent)
        if first is None:
            continue
        if roots and _is_glued_closing_quote(doc, first) and first != root:
            first.head = roots[-1]  # the quote closes the previous sentence; the rest stays a sentence
            first.dep_ = "punct"
            roots.append(root)
        elif roots and continues_previous_sentence(doc, first):
            root.head = roots[-1]
            root.dep_ = "parataxis"
        else:
            roots.append(root)
    return doc


@Language.factory("citat_sentence_repair", requires=["token.dep", "token.pos"], assigns=["token.is_sent_start"])
def make_sentence_repair(nlp: Language, name: str):
    return repair_sentences


# a full stop after a word of one or two letters (`dr.`, `St.`, initials) or after one of these is an
# abbreviation's, not a sentence end
ABBREVIATIONS_BEFORE_STOP = {"Mrs", "vol", "Vol", "sid", "kap", "tab", "fig", "jan", "feb", "mar", "apr", "jun",
                             "jul", "aug", "sep", "sept", "okt", "nov", "dec"}
SENTENCE_END = SENTENCE_FINAL - {":", "–", "—", "-"}  # marks after which a capital surely opens a sentence
OPENING_MARKS = OPENERS | {"«", "(", "“", "„"}
CLOSING_MARKS = QUOTES | {")", "]"}


def _opens_like_sentence(doc: Doc, i: int) -> bool:
    """A capitalised word, or an opening quote or dash before one."""
    token = doc[i]
    if token.text[:1].isupper():
        return True
    return token.text in OPENING_MARKS and i + 1 < len(doc) and doc[i + 1].text[:1].isupper()


def _ends_sentence(doc: Doc, j: int) -> bool:
    """Whether ``doc[j]`` (with any closing quotes or brackets after it skipped) is a sentence-final mark
    that is no abbreviation's or ordinal's full stop: ``?``, ``!``, ``…``, or ``.`` after a word of three
    or more letters that is no known abbreviation."""
    while j > 0 and doc[j].text in CLOSING_MARKS:
        j -= 1
    end = doc[j].text
    if end not in SENTENCE_END:
        return False
    if end != ".":
        return True
    before = doc[j - 1] if j > 0 else None
    return (before is not None and before.idx + len(before.text) == doc[j].idx and len(before.text) >= 3
            and before.text not in ABBREVIATIONS_BEFORE_STOP)


def mark_sure_sentence_starts(doc: Doc) -> Doc:
    """Before the parser: a capitalised word after a sentence-final mark and a space on the same line
    opens a sentence (``… barnkammare? Börjar hennes …``). The parser keeps preset starts and decides
    the rest; it sometimes runs two such sentences together, which no later repair can split."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if prev.is_space or not prev.whitespace_ or not _opens_like_sentence(doc, i):
            continue
        if _ends_sentence(doc, i - 1):
            doc[i].is_sent_start = True
    return doc


@Language.factory("citat_sentence_starts", assigns=["token.is_sent_start"])
def make_sentence_starts(nlp: Language, name: str):
    return mark_sure_sentence_starts


AUXILIARY_RELATIONS = {"aux", "aux:pass", "cop"}
NOMINAL_RELATIONS = {"nsubj", "nsubj:pass", "obj", "iobj", "obl", "obl:agent", "root", "conj", "appos"}
DETERMINER_WORDS = {"den", "det", "de", "dom", "denna", "detta", "dessa", "vilken", "vilket", "vilka",
                    "någon", "något", "några", "ingen", "inget", "inga"}


def pos_from_relation(token: Token) -> str:
    """The UPOS that UD defines by function, given the parser's relation: AUX only as ``aux``/``cop``
    (``har`` as a main verb is VERB), DET in ``det`` (``vilken bok``), PRON as an argument (``de kom``).
    The tagger decides before the parse and confuses exactly these pairs most."""
    pos, dep = token.pos_, token.dep_
    if pos == "AUX" and dep not in AUXILIARY_RELATIONS:
        return "VERB"
    if pos == "VERB" and dep in AUXILIARY_RELATIONS:
        return "AUX"
    if pos == "PRON" and dep == "det" and token.lower_ in DETERMINER_WORDS:
        return "DET"
    if pos == "DET" and dep.lower() in NOMINAL_RELATIONS:
        return "PRON"
    return pos


def pos_from_relations(doc: Doc) -> Doc:
    if doc.has_annotation("DEP") and doc.has_annotation("POS"):
        for token in doc:
            token.pos_ = pos_from_relation(token)
    return doc


@Language.factory("citat_pos_from_relations", requires=["token.dep", "token.pos"], assigns=["token.pos"])
def make_pos_from_relations(nlp: Language, name: str):
    return pos_from_relations


def _after_person_title(doc: Doc, ent: Span) -> bool:
    """A lower-case person title right before the name (``vd Stilla Sieg``, ``talespersonen …``)."""
    from pipeline.lexicon.nouns import title_base

    before = doc[ent.start - 1] if ent.start > 0 else None
    return (before is not None and len(ent) <= 4 and before.text[:1].islower() and before.is_alpha
            and title_base(before.text) is not None)


def trim_leading_titles(doc: Doc) -> Doc:
    """Drop title words the NER put at the start of a person (``ECB-chefen Mario Draghi``, ``Kung Carl
    XVI Gustaf``, ``Detroitguarden Ben Gordon``): the person is the name; the title stays a word of
    the text (the people stage reads it from there). Dev PER F1 on swedish-ner-corpus +0.6 points."""
    from pipeline.lexicon.names import is_listed_place  # lexicons are read on first use only
    from pipeline.lexicon.nouns import title_base

    ents, changed = [], False
    for ent in doc.ents:
        start, label = ent.start, ent.label
        while ent.label_ == "PER" and ent.end - start > 1 and title_base(doc[start].text):
            start += 1
        if ent.label_ != "PER" and _after_person_title(doc, ent) and not is_listed_place([t.text for t in ent]):
            label = doc.vocab.strings.add("PER")
        changed |= start != ent.start or label != ent.label
        ents.append(Span(doc, start, ent.end, label=label, kb_id=ent.kb_id)
                    if (start, label) != (ent.start, ent.label) else ent)
    if changed:
        doc.ents = ents
    return doc


SURNAME_SHAPE = re.compile(r"(?:[A-ZÅÄÖ][’'])?[A-ZÅÄÖ][a-zåäöéèüø]+(?:-[A-ZÅÄÖ][a-zåäöéèüø]+)?")  # O’Brien, D'Alema


def _surname_like(token: Token) -> bool:
    """A capitalised word mid-sentence, outside every entity, that Swedish writes with a capital only as a
    name: no common word, title or listed place."""
    from pipeline.lexicon.names import is_listed_place
    from pipeline.lexicon.nouns import is_common_word, title_base

    return (token.ent_iob_ == "O" and not token.is_sent_start and SURNAME_SHAPE.fullmatch(token.text) is not None
            and not is_common_word(token.text) and title_base(token.text) is None
            and not is_listed_place([token.text]))


def extend_first_names(doc: Doc) -> Doc:
    """A person the NER ended on a first name (``Jakob`` of ``Jakob Forssmed``, ``Marcus`` of ``Marcus
    Olsson``) takes the one or two capitalised name words after it."""
    from pipeline.lexicon.names import is_first_name_like

    ents, changed = [], False
    for ent in doc.ents:
        end = ent.end
        if ent.label_ == "PER" and is_first_name_like(ent[-1].text):
            while end < len(doc) and end - ent.end < 2 and _surname_like(doc[end]):
                end += 1
        changed |= end != ent.end
        ents.append(Span(doc, ent.start, end, label=ent.label, kb_id=ent.kb_id) if end != ent.end else ent)
    if changed:
        doc.ents = ents
    return doc


@Language.factory("citat_title_trim", requires=["doc.ents"], assigns=["doc.ents"])
def make_title_trim(nlp: Language, name: str):
    """The entity repairs after the NER and the rulers: leading titles, and entities across blank lines."""
    return lambda doc: split_at_paragraphs(extend_first_names(trim_leading_titles(doc)))


class LemmaRules:
    """Talbanken lemma conventions after the trained lemmatizer: ``rules`` map a lower-cased form
    (with the UPOS tags it applies to; empty = any) to its lemma, and the lemma of a word that is not
    a proper noun is lower case (``Kvinnorna`` -> ``kvinna``). A dict lookup per token, which is
    much faster than an attribute ruler with the same patterns."""

    def __init__(self, rules: list[list]):
        self.rules: dict[str, list[tuple[frozenset, str]]] = {}
        for forms, tags, lemma in rules:
            for form in forms:
                self.rules.setdefault(form, []).append((frozenset(tags), lemma))

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            pos = token.pos_
            for tags, lemma in self.rules.get(token.lower_, ()):
                if not tags or pos in tags:
                    token.lemma_ = lemma
                    break
            else:
                lemma = token.lemma_
                if pos != "PROPN" and lemma[:1].isupper() and not token.text.isupper():
                    token.lemma_ = lemma.lower()
        return doc


@Language.factory("citat_lemma_rules", default_config={"rules": []}, requires=["token.lemma", "token.pos"],
                  assigns=["token.lemma"])
def make_lemma_rules(nlp: Language, name: str, rules: list[list]):
    return LemmaRules(rules)


class LemmaLookup:
    """Backoff for the trained lemmatizer: where it gives an open-class word a lemma that is no known
    word (``mannens`` -> ``mann``, ``studenten`` -> ``studente``), the lemma of the form in a full-form
    dictionary (spacy-lookups-data's Swedish table, 660k forms) replaces it. Known words are the
    dictionary's lemmas and the training lemmas. Talbanken dev lemma accuracy: 0.951 -> 0.971.

    The dictionary is kept as sorted 64-bit string hashes (spaCy's own) of the forms with an index into
    its lemmas: 8 MB on disk, loaded in 0.1 s, where a Python dict of the table would cost 150 MB and
    3 seconds.
    """

    def __init__(self, pos: list[str]):
        self.pos = frozenset(pos)
        self.form_hashes = np.zeros(0, dtype="uint64")
        self.lemma_index = np.zeros(0, dtype="uint32")
        self.lemmas: list[str] = []
        self.known: set[int] = set()

    def set_tables(self, form_lemmas: dict[str, str], known_lemmas: Iterable[str] = ()) -> None:
        """``form_lemmas``: form -> lemma; ``known_lemmas``: words besides the dictionary's lemmas."""
        self.lemmas = sorted(set(form_lemmas.values()))
        position = {lemma: i for i, lemma in enumerate(self.lemmas)}
        hashes = np.fromiter((get_string_id(form) for form in form_lemmas), dtype="uint64", count=len(form_lemmas))
        index = np.fromiter((position[lemma] for lemma in form_lemmas.values()), dtype="uint32",
                            count=len(form_lemmas))
        order = np.argsort(hashes, kind="stable")
        self.form_hashes, self.lemma_index = hashes[order], index[order]
        self.known = {get_string_id(w) for w in self.lemmas} | {get_string_id(w) for w in known_lemmas}

    def lookup(self, form: str) -> str | None:
        """The dictionary lemma of ``form`` (or of its lower-cased spelling), if any."""
        for key in dict.fromkeys((form, form.lower())):
            h = np.uint64(get_string_id(key))
            i = int(np.searchsorted(self.form_hashes, h))
            if i < len(self.form_hashes) and self.form_hashes[i] == h:
                return self.lemmas[self.lemma_index[i]]
        return None

    def __call__(self, doc: Doc) -> Doc:
        if not self.lemmas:
            return doc
        for token in doc:
            if token.pos_ in self.pos and token.lemma not in self.known:
                lemma = self.lookup(token.text)
                if lemma is not None:
                    token.lemma_ = lemma
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path / "tables.npz", form_hashes=self.form_hashes, lemma_index=self.lemma_index,
                            known=np.array(sorted(self.known), dtype="uint64"))
        (path / "lemmas.txt").write_text("\n".join(self.lemmas), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> LemmaLookup:
        path = Path(path)
        with np.load(path / "tables.npz") as tables:
            self.form_hashes, self.lemma_index = tables["form_hashes"], tables["lemma_index"]
            self.known = set(tables["known"].tolist())
        self.lemmas = (path / "lemmas.txt").read_text(encoding="utf-8").split("\n")
        return self


@Language.factory("citat_lemma_lookup", default_config={"pos": ["NOUN", "VERB", "ADJ", "ADV"]},
                  requires=["token.lemma", "token.pos"], assigns=["token.lemma"])
def make_lemma_lookup(nlp: Language, name: str, pos: list[str]):
    return LemmaLookup(pos)


class PlaceNames:
    """Place names from a gazetteer (``set_names``) that the NER left untagged become LOC: the
    longest run of up to ``max_words`` untagged tokens that is a listed name (``Ostrava``,
    ``Lidköpings``, ``Nya Zeeland``), unless a capitalised word sits right before it (other than a
    stop word opening the sentence) or right after it (``Stockholm Eagles``, ``Jack Pinto``, ``Skövde
    Nyheter``): then the place is part of some other name.

    A set of strings instead of an entity ruler: 30k phrase patterns made the model load 4 s slower.
    """

    def __init__(self):
        self.names: frozenset[str] = frozenset()
        self.first_words: frozenset[str] = frozenset()
        self.max_words = 1

    def set_names(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.first_words = frozenset(n.split()[0] for n in self.names if n)
        self.max_words = max((len(n.split()) for n in self.names), default=1)

    def _match(self, doc: Doc, i: int, taken: set[int]) -> int:
        """The length in tokens of the listed name starting at token ``i`` (0: none)."""
        if doc[i].text not in self.first_words:
            return 0
        for n in range(min(self.max_words, len(doc) - i), 0, -1):
            if not any(j in taken for j in range(i, i + n)) and doc[i:i + n].text in self.names:
                return n
        return 0

    @staticmethod
    def _inside_other_name(doc: Doc, start: int, end: int) -> bool:
        def capitalised(token: Token) -> bool:
            return token.is_alpha and token.text[:1].isupper()

        # the NER runs before the parser: no sentence starts yet, but a capitalised stop word (`I`, `Från`)
        # before the place is a sentence opening, not a name
        before = start > 0 and capitalised(doc[start - 1]) and not doc[start - 1].is_stop
        return bool(before or (end < len(doc) and capitalised(doc[end])))

    def __call__(self, doc: Doc) -> Doc:
        if not self.names:
            return doc
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        flags = doc.to_array([IS_TITLE, IS_UPPER])  # candidates found in C: the loop sees 1 token in 10
        spans, end = [], 0
        for i in np.flatnonzero(flags.any(axis=1)).tolist():
            n = self._match(doc, i, taken) if i >= end and i not in taken else 0
            if n and not self._inside_other_name(doc, i, i + n):
                spans.append(Span(doc, i, i + n, label="LOC"))
                end = i + n
        if spans:
            doc.set_ents(spans, default="unmodified")
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "names.txt").write_text("\n".join(sorted(self.names)), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> PlaceNames:
        self.set_names((Path(path) / "names.txt").read_text(encoding="utf-8").split("\n"))
        return self


@Language.factory("citat_place_names", requires=["doc.ents"], assigns=["doc.ents"])
def make_place_names(nlp: Language, name: str):
    return PlaceNames()


COORDINATORS = {"och", "eller", "samt"}


def _name_like(token: Token) -> bool:
    return token.is_alpha and token.text[:1].isupper() and not token.is_stop and token.ent_iob_ in ("O", "")


def _opens_sentence(doc: Doc, i: int) -> bool:
    """Token ``i`` begins a sentence (or the speech after a talstreck or quote mark that does)."""
    while i > 0 and doc[i - 1].text in OPENERS:
        i -= 1
    return i == 0 or doc[i].is_sent_start or doc[i - 1].is_space


def coordinated_names(doc: Doc) -> Doc:
    """A capitalised, unlabelled word at the start of a sentence, coordinated with a name
    (``Putin och Lukasjenko möttes``), gets that name's type: capitals say nothing there, and the
    model often misses such a name."""
    ents = list(doc.ents)
    taken = {i for e in ents for i in range(e.start, e.end)}
    spans = []
    for ent in ents:
        head = ent.start - 2  # the word before "och"
        if (ent.label_ not in ("PER", "LOC", "ORG") or head < 0 or doc[ent.start - 1].lower_ not in COORDINATORS
                or not _name_like(doc[head])):
            continue
        start = head
        while start > 0 and _name_like(doc[start - 1]):
            start -= 1
        if _opens_sentence(doc, start) and not taken.intersection(range(start, head + 1)):
            taken.update(range(start, head + 1))
            spans.append(Span(doc, start, head + 1, label=ent.label_))
    if spans:
        doc.ents = ents + spans
    return doc


@Language.factory("citat_coordinated_names", requires=["doc.ents", "token.dep"], assigns=["doc.ents"])
def make_coordinated_names(nlp: Language, name: str):
    return coordinated_names


BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def mark_paragraphs(doc: Doc) -> Doc:
    """Before the parser: a blank line (spaCy makes it a whitespace token of its own) ends a paragraph, and
    the token after it opens a sentence, which the parser keeps. `citat segment` feeds paragraphs one by one;
    with this, `nlp(article)` on a whole article keeps their sentence boundaries too (on the 120 dev and
    sample articles, 17 sentences ran across a blank line, none now). Entities: `split_at_paragraphs`."""
    for i in range(len(doc) - 1):
        if _is_blank_line(doc[i]):
            doc[i + 1].is_sent_start = True
    return doc


def _is_blank_line(token: Token) -> bool:
    return token.is_space and BLANK_LINE.search(token.text) is not None


def split_at_paragraphs(doc: Doc) -> Doc:
    """No entity crosses or ends in a line break: the NER continues one into the whitespace token
    (`Transportstyrelsen` + blank line: 3 of 1,646 entities of the 120 articles) and joins two lines of a list
    (`Ebba Gustavsson\nCaroline Opsahl`; in the gold texts a line break is never followed by a lower-case
    word). An explicit `O` on the token does not stop it. The parts keep the label."""
    breaks = {t.i for t in doc if t.is_space and "\n" in t.text}
    if not breaks:
        return doc
    ents, changed = [], False
    for ent in doc.ents:
        parts, start = [], ent.start
        for i in range(ent.start, ent.end + 1):
            if i == ent.end or i in breaks:
                if i > start:
                    parts.append((start, i))
                start = i + 1
        if parts == [(ent.start, ent.end)]:
            ents.append(ent)
            continue
        changed = True
        ents.extend(Span(doc, a, b, label=ent.label, kb_id=ent.kb_id) for a, b in parts)
    if changed:
        doc.ents = ents
    return doc


@Language.factory("citat_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str):
    return mark_paragraphs
