"""Harmonisation of the 2015 (UD v1, v2-converted) Talbanken train with current Talbanken conventions.

POS and features (``normalise_v1_pos``), relations and fixed expressions (``harmonise_v1_deps``),
punctuation before conjuncts (``punct_to_next_conjunct``), one root per sentence (``fix_roots``) and
lemmas from Stanza's Talbanken lemmatizer mapped to current lemma conventions (``stanza_lemmas``).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.model.corpora.readers import Sentence

PERSONAL_PRONOUNS = {
    "jag", "du", "han", "hon", "den", "det", "vi", "ni", "de", "mig", "dig", "honom", "henne", "oss",
    "er", "dem", "sig", "man", "en", "hen", "dom",
}
ARTICLES = {"en", "ett", "den", "det", "de"}
NEGATIONS = {"inte", "ej", "icke"}


def _feats(m: str) -> dict:
    return dict(f.split("=", 1) for f in m.split("|") if "=" in f)


def _unfeats(d: dict) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted(d.items(), key=lambda kv: kv[0].lower()))


def normalise_v1_pos(s: Sentence) -> Sentence:
    """Harmonise the 2015 v1-to-v2 converted train with current (r2.1x) Talbanken conventions.

    Rules (all visible as systematic differences between the two splits): possessive ``DT`` ->
    PRON+Poss; auxiliaries/copulas (deprel aux, aux:pass, cop) -> AUX; negations -> PART
    (Polarity=Neg); subordinating CCONJ/ADV with deprel mark -> SCONJ; ``när``/``då`` heading an
    adverbial clause -> SCONJ mark; Mood=Ind on finite verbs; PronType on articles, personal and
    relative pronouns; old deprels ``nmod:agent`` / ``obl:poss``.
    """
    words = [w.lower() for w in s["words"]]
    pos, morphs, deps, heads = s["pos"], s["morphs"], s["deps"], s["heads"]
    for i, p in enumerate(pos):
        f = _feats(morphs[i])
        w = words[i]
        d = deps[i]
        if p == "DT":
            p = "PRON"
            f.update(Poss="Yes", PronType="Prs")
        if p in ("VERB", "AUX") and d in ("aux", "aux:pass", "cop"):
            p = "AUX"
        if p in ("VERB", "AUX") and f.get("VerbForm") == "Fin" and "Mood" not in f:
            f["Mood"] = "Ind"
        if w in NEGATIONS and p == "ADV":
            p = "PART"
            f = {"Polarity": "Neg"}
        if p in ("CCONJ", "ADV") and d == "mark":
            p = "SCONJ"
        if w in ("när", "då") and p == "ADV" and d == "advmod":
            h = heads[i]
            if h > 0 and deps[h - 1] in ("advcl", "acl", "acl:relcl"):
                p, d = "SCONJ", "mark"
        if p == "DET" and w in ARTICLES and "PronType" not in f:
            f["PronType"] = "Art"
        if p == "PRON" and "PronType" not in f:
            if w in ("som",):
                f["PronType"] = "Rel"
            elif w in PERSONAL_PRONOUNS:
                f["PronType"] = "Prs"
        if d == "nmod:agent":
            d = "obl:agent"
        elif d == "obl:poss":
            d = "nmod:poss"
        pos[i], morphs[i], deps[i] = p, _unfeats(f), d
    return s


# two-word subordinators that current Talbanken splits: (UPOS, deprel) of the first word; the second is mark
_COMPOSITIONAL_MARK = {("för", "att"): ("ADP", "mark"), ("så", "att"): ("ADV", "mark"),
                       ("även", "om"): ("ADV", "advmod"), ("samtidigt", "som"): ("ADV", "advmod")}
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
# verb particles that stay ADP in current Talbanken (upp, ut, in, fram ... are ADV)
PREPOSITION_PARTICLES = {"till", "med", "över", "av", "på", "utan", "ifrån", "från", "emot", "mot", "för", "om", "i",
                         "efter", "under", "åt", "vid", "bakom", "före"}
_CLAUSAL = {"VERB", "AUX"}


def _children(heads: list[int], i: int) -> list[int]:
    return [j for j, h in enumerate(heads) if h == i + 1]


def _attach(s: Sentence, i: int, head: int, dep: str) -> None:
    """Token ``i`` depends on token ``head`` (0-based; -1 = the root) with ``dep``."""
    s["heads"][i] = head + 1
    s["deps"][i] = "root" if head < 0 else dep


def _split_fixed(s: Sentence, i: int) -> None:
    """Re-analyse the fixed expression headed by token ``i`` word by word where current Talbanken
    does: ``för att``/``så att``/``även om``, ``den här``, ``när det gäller X``, complex prepositions
    (``på grund av X``: grund obl, X nmod of grund) and preposition + adverbial noun (``i dag``)."""
    words, pos, heads, deps = [w.lower() for w in s["words"]], s["pos"], s["heads"], s["deps"]
    parts = [j for j in _children(heads, i) if deps[j] == "fixed"]
    if not parts:
        return
    phrase = tuple(words[k] for k in [i, *parts])
    up = heads[i] - 1  # the expression's own head (-1: root)
    if phrase in _COMPOSITIONAL_MARK and deps[i] == "mark":
        pos[i], deps[i] = _COMPOSITIONAL_MARK[phrase]
        _attach(s, parts[0], up, "mark")
        pos[parts[0]] = "SCONJ"
    elif len(parts) == 1 and words[parts[0]] in ("här", "där") and pos[i] == "DET":
        _attach(s, parts[0], up, "advmod")  # den här boken: här modifies the noun
        pos[parts[0]] = "ADV"
    elif phrase == ("när", "det", "gäller") and up >= 0:
        topic = up  # "när" was the case marker of the topic noun
        det, verb = parts
        _attach(s, verb, heads[topic] - 1, "advcl")
        _attach(s, topic, verb, "obj")
        _attach(s, i, verb, "mark")
        _attach(s, det, verb, "nsubj")
        pos[i], pos[det], pos[verb] = "SCONJ", "PRON", "VERB"
    elif (len(parts) == 2 and deps[i] == "case" and pos[i] == "ADP" and pos[parts[0]] == "NOUN"
          and pos[parts[1]] == "ADP" and up >= 0):
        noun, prep, obj = parts[0], parts[1], up
        _attach(s, noun, heads[obj] - 1, deps[obj])
        _attach(s, obj, noun, "nmod")
        _attach(s, i, noun, "case")
        _attach(s, prep, obj, "case")
    elif pos[i] == "ADP" and deps[i] in ("advmod", "obl") and pos[parts[-1]] in _NOMINAL | {"ADJ", "ADV"}:
        last = parts[-1]  # the last word heads the phrase and takes over its attachment
        _attach(s, last, up, "obl" if pos[last] in _NOMINAL else "advmod")
        for j in _children(heads, i):
            if j != last:
                heads[j] = last + 1
        _attach(s, i, last, "case")
        for j in parts[:-1]:
            deps[j] = {"ADJ": "amod", "DET": "det", "PRON": "nmod:poss", "ADP": "case"}.get(pos[j], "fixed")


def harmonise_v1_deps(s: Sentence) -> Sentence:
    """Relations of the 2015 train that current Talbanken (the dev and test sets) does differently.

    * adjectival quantifiers (``många``, ``andra``, ``hela``, ``första``, ``samma``) are ``amod``, not
      ``det``; ``samma`` is ADJ;
    * a preposition introducing a clause (``genom att göra``) is ``mark``, not ``case``; ``än``
      before a nominal is ``case``;
    * ``både`` is ``cc``; verb particles (``upp``, ``ut``; not ``till``, ``med``) are ADV;
    * fixed expressions that are now analysed word by word (see ``_split_fixed``).

    Punctuation before conjuncts is harmonised separately (``punct_to_next_conjunct``).
    """
    words, pos, heads, deps = [w.lower() for w in s["words"]], s["pos"], s["heads"], s["deps"]
    for i, w in enumerate(words):
        if w == "samma" and pos[i] == "DET":
            pos[i] = "ADJ"
        elif w in ("båda", "ena") and pos[i] == "ADJ" and deps[i] == "det":
            pos[i] = "DET"
        head_pos = pos[heads[i] - 1] if heads[i] > 0 else "ROOT"
        if deps[i] == "det" and pos[i] == "ADJ":
            deps[i] = "amod"
        elif deps[i] == "case" and pos[i] == "ADP" and head_pos in _CLAUSAL:
            deps[i] = "mark"
        elif w == "än" and deps[i] == "mark" and head_pos in _NOMINAL:
            deps[i] = "case"
        elif w == "både" and deps[i] == "advmod":
            deps[i] = "cc"
        if deps[i] == "compound:prt" and pos[i] == "ADP" and w not in PREPOSITION_PARTICLES:
            pos[i] = "ADV"
    for i in range(len(words)):
        if deps[i] != "fixed":
            _split_fixed(s, i)
    _relabel_v1_constructions(s)
    _unlisted_fixed_missing(s)
    return s


# deponent verbs (s-form, active meaning): no Voice=Pass and a plain nsubj in current Talbanken
DEPONENT_FORMS = {
    "finns", "finnas", "fanns", "funnits", "funnes", "hoppas", "hoppades", "hoppats", "lyckas", "lyckades",
    "lyckats", "tycks", "tyckas", "tycktes", "tyckts", "syns", "synas", "syntes", "synts", "minns", "minnas",
    "mindes", "mints", "trivs", "trivas", "trivdes", "trivts", "andas", "andades", "andats", "låtsas",
    "låtsades", "låtsats", "skäms", "skämmas", "skämdes", "skämts", "umgås", "umgicks", "umgåtts", "vistas",
    "vistades", "vistats", "åldras", "åldrades", "åldrats", "svettas", "svettades", "brottas", "brottades",
    "hämnas", "hämnades", "envisas", "envisades", "samsas", "kräks", "kräktes", "väsnas",
}
_SUBJECTS = {"nsubj", "nsubj:pass", "expl", "csubj", "csubj:pass"}
# fixed expressions that current Talbanken keeps fixed (all others are analysed word by word there)
FIXED_KEPT = {("därför", "att"), ("rent", "av"), ("till", "och", "med"), ("som", "helst"), ("vare", "sig"),
              ("i", "och", "med"), ("sent", "omsider"), ("så", "länge"), ("efter", "hand")}
MISSING_DEP = "_"  # no gold head or relation: the parser learns nothing for this token


def _relabel_v1_constructions(s: Sentence) -> None:
    """Five constructions the 2015 train labels otherwise than current Talbanken (dev):

    * deponent verbs (``finns``, ``tycks``, ``hoppas``) lose Voice=Pass; their subject is ``nsubj``;
    * an infinitive complement without its own subject is ``xcomp`` (``försöker delta``, ``beslöt
      att gå``), not ``ccomp``;
    * a quantity noun before its noun (``en grupp barn``, ``ett antal``, ``år 1920``) is ``nmod``,
      not ``det``;
    * a clause with a subject joined by ``,`` ``;`` ``:`` or a dash without a conjunction is
      ``parataxis``, not ``conj`` (its punctuation stays on the first clause);
    * the relative clause of a cleft (``det är hon som bestämmer``) is ``acl:cleft``.
    """
    words, pos, heads, deps, morphs = [w.lower() for w in s["words"]], s["pos"], s["heads"], s["deps"], s["morphs"]
    kids = [[deps[j] for j in _children(heads, i)] for i in range(len(words))]
    for i, w in enumerate(words):
        if w in DEPONENT_FORMS and pos[i] in _CLAUSAL and "Voice=Pass" in morphs[i]:
            f = _feats(morphs[i])
            f.pop("Voice")
            morphs[i] = _unfeats(f)
            for j in _children(heads, i):
                deps[j] = {"nsubj:pass": "nsubj", "csubj:pass": "csubj"}.get(deps[j], deps[j])
    for i in range(len(words)):
        subject = any(k in _SUBJECTS for k in kids[i])
        if deps[i] == "ccomp" and "VerbForm=Inf" in morphs[i] and not subject:
            deps[i] = "xcomp"
        elif deps[i] == "det" and pos[i] == "NOUN":
            deps[i] = "nmod"
        elif deps[i] == "acl:relcl" and _is_cleft(s, heads[i] - 1):
            deps[i] = "acl:cleft"
        elif deps[i] == "conj" and subject and "cc" not in kids[i] and heads[i] - 1 < i:
            start = _subtree_start(heads, i)
            if start > 0 and words[start - 1] in (",", ";", ":", "-", "–"):
                deps[i] = "parataxis"


def _is_cleft(s: Sentence, i: int) -> bool:
    """Whether token ``i`` is the focus of a cleft: it has a copula and an earlier ``det`` subject."""
    kids = _children(s["heads"], i)
    return (any(s["deps"][k] == "cop" for k in kids)
            and any(k < i and s["words"][k].lower() == "det" and s["deps"][k] in ("nsubj", "expl") for k in kids))


def _unlisted_fixed_missing(s: Sentence) -> None:
    """Fixed expressions that current Talbanken analyses word by word (``så här``, ``ett par``,
    ``mer än``) and ``_split_fixed`` cannot rebuild lose their gold arcs (``MISSING_DEP``): the
    parser is not taught a ``fixed`` that the test set does not use."""
    words, heads, deps = [w.lower() for w in s["words"]], s["heads"], s["deps"]
    for i in range(len(words)):
        parts = [j for j in _children(heads, i) if deps[j] == "fixed"]
        if parts and tuple(words[k] for k in [i, *parts]) not in FIXED_KEPT:
            for k in [i, *parts]:
                deps[k] = MISSING_DEP


def _subtree_start(heads: list[int], i: int) -> int:
    """Index of the first token in the subtree of token ``i`` (0-based; heads are 1-based)."""
    start, stack = i, [i]
    while stack:
        x = stack.pop()
        start = min(start, x)
        stack.extend(_children(heads, x))
    return start


def punct_to_next_conjunct(s: Sentence) -> Sentence:
    """A comma, semicolon or dash just before a conjunct hangs on that conjunct (UD v2; the v1
    train hangs it on the first conjunct or the root): ``äpplen , päron och plommon``."""
    heads, deps, words = s["heads"], s["deps"], s["words"]
    for p, w in enumerate(words):
        if deps[p] != "punct" or w not in (",", ";", "-", "–"):
            continue
        for c in range(p + 1, len(words)):
            if deps[c] in ("cc", "punct"):
                continue
            conj = c
            while conj >= 0 and not deps[conj].startswith("conj") and heads[conj] > 0:
                conj = heads[conj] - 1  # climb from the first word after the comma to its conjunct
                if conj < p:
                    conj = -1
            if conj > p and deps[conj].startswith("conj") and heads[conj] - 1 < p:
                start = _subtree_start(heads, conj)
                if start > p and all(deps[k] in ("cc", "punct") for k in range(p + 1, start)):
                    heads[p] = conj + 1
            break
    return s


def stanza_lemmas(sents: list[Sentence], stanza_dir: Path | str) -> list[list[str]]:
    """Lemmas for gold-tokenised, gold-tagged sentences from Stanza's Swedish (Talbanken) lemmatizer.

    The 2015 Talbanken train has no lemmas; Stanza's lemmatizer was trained on Talbanken and uses
    the UPOS tag, so its output on these sentences follows the treebank's lemma conventions.
    """
    import stanza
    from stanza.models.common.doc import Document

    nlp = stanza.Pipeline("sv", dir=str(stanza_dir), processors="tokenize,lemma", tokenize_pretokenized=True,
                          download_method=None, logging_level="WARN")
    data = [[{"id": (k + 1,), "text": w, "upos": p} for k, (w, p) in enumerate(zip(s["words"], s["pos"], strict=True))]
            for s in sents]
    doc = nlp.processors["lemma"].process(Document(data))
    return [[_current_lemma(w.text, w.upos, w.lemma or w.text) for w in sent.words] for sent in doc.sentences]


# where Stanza's model (an older Talbanken release) differs from current Talbanken: articles are
# den/de, not en; fler/flera/flesta -> många; ordinals are their own lemma
_ARTICLE_LEMMAS = {"den": "den", "det": "den", "de": "de", "dom": "de"}
_QUANTIFIER_LEMMAS = {"fler": "många", "flera": "många", "flesta": "många", "första": "första"}


def _current_lemma(form: str, upos: str, lemma: str) -> str:
    low = form.lower()
    if upos == "DET" and low in _ARTICLE_LEMMAS:
        return _ARTICLE_LEMMAS[low]
    return _QUANTIFIER_LEMMAS.get(low, lemma)


def fix_roots(heads: list[int], deps: list[str]) -> tuple[list[int], list[str]]:
    """One root per sentence: attach extra roots to the first one as parataxis."""
    roots = [i for i, h in enumerate(heads) if h == 0]
    if len(roots) <= 1:
        return heads, deps
    heads, deps = list(heads), list(deps)
    for i in roots[1:]:
        heads[i] = roots[0] + 1
        deps[i] = "parataxis"
    return heads, deps
