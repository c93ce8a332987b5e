"""spaCy components of the citat model, registered through the ``spacy_factories`` entry point in
``pyproject.toml`` so that ``spacy.load("models/sv_citat")`` finds them wherever citat is installed."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

# tokens that never open a sentence
CLOSING_PUNCT = {",", ".", ":", ";", ")", "]", "}", "!", "?", "…", "...", "%"}
QUOTES = {"'", '"', "”", "’", "»", "«"}
# tokens after which a new sentence may start with a lower-case word
SENTENCE_FINAL = {".", "!", "?", ":", "…", "...", "–", "—", "-"}


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
    (``fader.' Ett``), or with a lower-case word on the same line after a non-final token."""
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


@Language.factory("citat_sentence_repair")
def make_sentence_repair(nlp: Language, name: str):
    return repair_sentences


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


@Language.factory("citat_lemma_rules", default_config={"rules": []})
def make_lemma_rules(nlp: Language, name: str, rules: list[list]):
    return LemmaRules(rules)
