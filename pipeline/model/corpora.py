"""Readers and converters for the Swedish training corpora in ``shared/corpora``.

Every reader yields plain Python sentence records (dicts) so that they can be tested on tiny
inline samples; the ``*_docbin`` helpers turn them into spaCy ``DocBin`` files in a work folder
(default ``training/``, which git ignores).

Formats handled:

* CoNLL-U (UD Talbanken), incl. range/empty-node lines and ``SpaceAfter=No``;
* Eukalyptus pseudo-CoNLL-U (ids from 1001, sub-token ids like ``1003a``, lemmas ``_`` for
  punctuation/foreign words, compound lemmas ``fack|fientlig``);
* UNER ``.iob2`` (columns ``id token tag - -``, ``# text``, ``# newdoc id``);
* IO ``token label`` lines (swedish-ner-corpus: tab or spaces, ``0``/``O`` outside, no B-/I-);
* JSONL (absabank ``text``; suc3 ``tokens``/``ner_tags``).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

SOFT_HYPHEN = "\u00ad"
DEFAULT_WORK_DIR = Path(__file__).resolve().parent.parent / "training"
NER_LABELS = ("PER", "LOC", "ORG")

Sentence = dict  # keys: words, spaces, and optionally lemmas, pos, tags, morphs, heads, deps, ents, text, doc_id


# ---------------------------------------------------------------------------------------------
# generic helpers


def _blocks(lines: Iterable[str]) -> Iterator[tuple[list[str], list[list[str]]]]:
    """Split CoNLL-like lines into (comment lines, token rows) blocks at blank lines."""
    comments: list[str] = []
    rows: list[list[str]] = []
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            if rows:
                yield comments, rows
            comments, rows = [], []
            continue
        if line.startswith("#") and not rows:
            comments.append(line)
            continue
        rows.append(line.split("\t"))
    if rows:
        yield comments, rows


def _comment_value(comments: list[str], key: str) -> str | None:
    for c in comments:
        m = re.match(r"#\s*" + re.escape(key) + r"\s*=\s?(.*)$", c)
        if m:
            return m.group(1)
    return None


def spaces_from_text(words: list[str], text: str | None) -> list[bool] | None:
    """Whitespace after each word, recovered by aligning the words to the sentence text."""
    if not text:
        return None
    pos = 0
    starts = []
    for w in words:
        i = text.find(w, pos)
        if i < 0 or text[pos:i].strip():
            return None
        starts.append(i)
        pos = i + len(w)
    spaces = []
    for k, (w, s) in enumerate(zip(words, starts, strict=False)):
        end = s + len(w)
        nxt = starts[k + 1] if k + 1 < len(words) else len(text)
        spaces.append(nxt > end or k + 1 == len(words))
    return spaces


def io_to_spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """Token-index spans (start, end, label) from IO or BIO(ES) tags.

    Plain IO: consecutive tokens with the same label form one span. ``B-`` always opens a span.
    ``0``, ``O``, ``_``, ``-`` and empty labels are outside.
    """
    spans: list[tuple[int, int, str]] = []
    cur: list = []
    for i, raw in enumerate(labels):
        lab = (raw or "").strip()
        if lab in ("", "0", "O", "_", "-"):
            if cur:
                spans.append(tuple(cur))
                cur = []
            continue
        prefix, typ = "", lab
        if len(lab) > 2 and lab[1] == "-" and lab[0] in "BIESL":
            prefix, typ = lab[0], lab[2:]
        if cur and cur[2] == typ and prefix not in ("B", "S", "U"):
            cur[1] = i + 1
        else:
            if cur:
                spans.append(tuple(cur))
            cur = [i, i + 1, typ]
        if prefix in ("E", "L", "S", "U"):
            spans.append(tuple(cur))
            cur = []
    if cur:
        spans.append(tuple(cur))
    return spans


def clean_word(w: str) -> str:
    """Drop soft hyphens (keep the word if that would empty it)."""
    c = w.replace(SOFT_HYPHEN, "")
    return c if c else w


# ---------------------------------------------------------------------------------------------
# CoNLL-U (UD)


def read_conllu(path: Path | str | Iterable[str]) -> Iterator[Sentence]:
    """Sentences of a UD CoNLL-U file (multiword ranges and empty nodes are skipped)."""
    lines = Path(path).open(encoding="utf-8") if isinstance(path, (str, Path)) else path
    doc_id = None
    par_id = None
    for comments, rows in _blocks(lines):
        nd = _comment_value(comments, "newdoc id")
        if nd is not None or any(c.startswith("# newdoc") for c in comments):
            doc_id = nd or f"doc{id(comments)}"
        np_ = _comment_value(comments, "newpar id")
        new_par = np_ is not None or any(c.startswith("# newpar") for c in comments)
        if np_ is not None:
            par_id = np_
        words, lemmas, pos, tags, morphs, heads, deps, spaces, ids = [], [], [], [], [], [], [], [], []
        for r in rows:
            if len(r) < 8 or "-" in r[0] or "." in r[0]:
                continue
            ids.append(r[0])
            words.append(r[1])
            lemmas.append(r[2] if r[2] != "_" or r[1] == "_" else "")
            pos.append(r[3] if r[3] != "_" else "")
            tags.append(r[4] if r[4] != "_" else "")
            morphs.append(r[5] if r[5] != "_" else "")
            heads.append(int(r[6]) if r[6].isdigit() else -1)
            deps.append(r[7])
            misc = r[9] if len(r) > 9 else "_"
            spaces.append("SpaceAfter=No" not in misc.split("|"))
        text = _comment_value(comments, "text")
        yield {
            "sent_id": _comment_value(comments, "sent_id"),
            "doc_id": doc_id,
            "par_id": par_id,
            "new_par": new_par,
            "new_doc": nd is not None,
            "text": text,
            "words": words,
            "spaces": spaces,
            "lemmas": lemmas,
            "pos": pos,
            "tags": tags,
            "morphs": morphs,
            "heads": heads,  # 1-based, 0 = root, -1 = unknown
            "deps": deps,
        }


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


# ---------------------------------------------------------------------------------------------
# Eukalyptus


# Talbanken (UD Swedish) lemma conventions that Eukalyptus does differently
TALBANKEN_LEMMAS = {
    "de": "de", "dem": "de", "dom": "de",
    "min": "jag", "mitt": "jag", "mina": "jag", "din": "du", "ditt": "du", "dina": "du",
    "sin": "sig", "sitt": "sig", "sina": "sig", "vår": "vi", "vårt": "vi", "våra": "vi",
    "ert": "ni", "era": "ni", "hans": "han", "hennes": "hon", "deras": "de", "dess": "den",
    "mer": "mycket", "mera": "mycket", "mest": "mycket", "mycken": "mycket",
    "många": "många", "fler": "många", "flera": "många", "flesta": "många",
    "mindre": "lite", "minst": "lite", "andra": "annan",
}
_EUK_MAP_POS = {"PO", "AJ", "AB", "DT", "NU"}


def eukalyptus_lemma(form: str, lemma: str, pos: str, msd: str = "") -> str:
    """A UD/Talbanken-style lemma from a Eukalyptus lemma (``_`` = none, ``a|b`` = compound).

    Also harmonised: possessives -> personal pronoun (``sin`` -> ``sig``), ``de/dem/dom`` -> ``de``,
    ``mer/mest`` -> ``mycket``, ``fler/flera`` -> ``många``, ``andra`` -> ``annan``, positive adverbs
    keep their form, abbreviations get the joined expansion (``t.ex.`` -> ``till_exempel``).
    """
    low = form.lower()
    if lemma in ("_", "") or pos in ("SY", "UO"):
        return form
    if pos == "NU" and any(ch.isdigit() for ch in form):
        return form
    if pos in _EUK_MAP_POS and low in TALBANKEN_LEMMAS:
        if not (low == "andra" and lemma == "två"):
            return TALBANKEN_LEMMAS[low]
    if pos == "PO" and "PSS" in msd and low == "er":
        return "ni"
    if " " in lemma:
        if "." in form and " " not in form:
            return lemma.replace(" ", "_")
        if " " not in form:
            return form
    if pos == "AB" and "KOM" not in msd and "SUV" not in msd and "|" not in lemma:
        return low if form[:1].isupper() and lemma[:1].islower() else form
    if "|" in lemma:
        parts = [p for p in lemma.split("|") if p]
        if not parts:
            return form
        last = parts[-1]
        for k in range(len(last), 2, -1):
            idx = low.rfind(last[:k].lower())
            if idx > 0:
                prefix = form[:idx]
                if lemma[:1].islower():
                    prefix = prefix.lower()
                return prefix + last
        return "".join(parts)
    return lemma


def read_eukalyptus(path: Path | str | Iterable[str]) -> Iterator[Sentence]:
    """Sentences of a Eukalyptus pseudo-CoNLL-U file: words, lemmas (cleaned) and SUC POS."""
    lines = Path(path).open(encoding="utf-8") if isinstance(path, (str, Path)) else path
    for comments, rows in _blocks(lines):
        words, lemmas, tags = [], [], []
        for r in rows:
            if len(r) < 4 or not r[1]:
                continue
            words.append(r[1])
            tags.append(r[3])
            lemmas.append(eukalyptus_lemma(r[1], r[2], r[3], r[5] if len(r) > 5 else ""))
        if words:
            yield {
                "sent_id": _comment_value(comments, "sent_id"),
                "doc_id": _comment_value(comments, "subcorpus"),
                "words": words,
                "spaces": [True] * len(words),
                "lemmas": lemmas,
                "tags": tags,
            }


# ---------------------------------------------------------------------------------------------
# NER formats


def read_iob2(path: Path | str | Iterable[str]) -> Iterator[Sentence]:
    """UNER ``.iob2`` sentences (``id token tag - -``) with entity spans and the real text."""
    lines = Path(path).open(encoding="utf-8") if isinstance(path, (str, Path)) else path
    doc_id = None
    for comments, rows in _blocks(lines):
        nd = _comment_value(comments, "newdoc id")
        if nd is not None:
            doc_id = nd
        words, labels = [], []
        for r in rows:
            if len(r) < 3 or "-" in r[0] or "." in r[0]:
                continue
            words.append(r[1])
            labels.append(r[2])
        text = _comment_value(comments, "text")
        spaces = spaces_from_text(words, text) or [True] * len(words)
        yield {
            "sent_id": _comment_value(comments, "sent_id"),
            "doc_id": doc_id,
            "text": text,
            "words": words,
            "spaces": spaces,
            "ents": io_to_spans(labels),
        }


def read_io(path: Path | str | Iterable[str]) -> Iterator[Sentence]:
    """``token label`` lines (tab or spaces), blank line between sentences; IO or BIO tags."""
    lines = Path(path).open(encoding="utf-8") if isinstance(path, (str, Path)) else path
    words: list[str] = []
    labels: list[str] = []

    def flush():
        return {"words": words, "spaces": [True] * len(words), "ents": io_to_spans(labels)}

    for raw in lines:
        parts = raw.split()
        if not parts:
            if words:
                yield flush()
            words, labels = [], []
            continue
        if len(parts) == 1:  # a token without a label (or a label without a token): skip
            continue
        words.append(parts[0])
        labels.append(parts[-1])
    if words:
        yield flush()


SUC_MAP = {"PER": "PER", "PRS": "PER", "LOC": "LOC", "ORG": "ORG"}
NORNE_MAP = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC", "GPE_ORG": "ORG"}


def read_suc3_ner(path: Path | str) -> Iterator[Sentence]:
    """suc3-fragment JSONL (silver IO tags): PER/LOC/ORG kept, combined tags (``LOCPRS``) marked
    ``MISSING`` (unknown), the other types (TME, MSR, WRK, EVN, OBJ) outside."""
    for r in read_jsonl(path):
        words = r["tokens"]
        labels = []
        for t in r["ner_tags"]:
            t = t[2:] if t[:2] in ("B-", "I-") else t
            labels.append(SUC_MAP.get(t, "MISSING" if t in ("LOCPRS", "ORGPRS", "LOCORG", "PRSLOC", "PRSORG") else "O"))
        yield {"words": words, "spaces": [True] * len(words), "ents": io_to_spans(labels)}


def read_norne(path: Path | str | Iterable[str]) -> Iterator[Sentence]:
    """NorNE ``.conll`` (NDT columns, ``name=B-PER`` in MISC): PER/ORG/LOC (GPE_LOC -> LOC,
    GPE_ORG -> ORG); PROD, EVT, DRV, MISC marked ``MISSING``."""
    lines = Path(path).open(encoding="utf-8") if isinstance(path, (str, Path)) else path
    for _comments, rows in _blocks(lines):
        words, labels = [], []
        for r in rows:
            if len(r) < 2:
                continue
            words.append(r[1])
            tag = "O"
            for item in (r[9] if len(r) > 9 else "").split("|"):
                if item.startswith("name="):
                    tag = item[5:]
            if tag != "O":
                pre, typ = tag[:2], tag[2:]
                tag = pre + NORNE_MAP.get(typ, "MISSING")
            labels.append(tag)
        if words:
            yield {"words": words, "spaces": [True] * len(words), "ents": io_to_spans(labels)}


def read_jsonl(path: Path | str) -> Iterator[dict]:
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def read_absabank_texts(folder: Path | str, splits: Iterable[str] = ("train", "dev", "test")) -> list[str]:
    """The ``text`` fields of absabank-imm JSONL files (realistic raw Swedish)."""
    folder = Path(folder)
    texts = []
    for s in splits:
        for p in sorted(folder.glob(f"*_{s}.jsonl")):
            texts.extend(r["text"] for r in read_jsonl(p) if r.get("text"))
    return texts


def write_raw_text(work_dir: Path, corpora: Path, chunk_words: int = 80) -> int:
    """Raw text for ``spacy pretrain`` (``work_dir/raw_text.jsonl``): the texts of the converted NER
    and UD training docs (no dev text), absabank-imm and Eukalyptus, each once, in chunks of at most
    ``chunk_words`` words; returns the number of words."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("sv").vocab
    texts: list[str] = []
    for name in ("ner_train", "ud_train"):
        texts.extend(doc.text for doc in DocBin().from_disk(work_dir / f"{name}.spacy").get_docs(vocab))
    texts.extend(read_absabank_texts(corpora / "absabank-imm"))
    for path in sorted((corpora / "eukalyptus").glob("*.conllu")):
        texts.extend(" ".join(sent["words"]) for sent in read_eukalyptus(path))
    n_words = 0
    with (work_dir / "raw_text.jsonl").open("w", encoding="utf-8") as out:
        for text in dict.fromkeys(t.strip() for t in texts if len(t.strip()) >= 20):
            words = text.split()
            for i in range(0, len(words), chunk_words):
                chunk = words[i:i + chunk_words]
                if len(chunk) >= 5:
                    out.write(json.dumps({"text": " ".join(chunk)}, ensure_ascii=False) + "\n")
                    n_words += len(chunk)
    return n_words


# ---------------------------------------------------------------------------------------------
# spaCy conversion


def sentences_to_doc(vocab, sents: list[Sentence], ner_labels: Iterable[str] | None = None,
                     missing_labels: Iterable[str] = ()):
    """One spaCy Doc from a group of sentence records (gold annotation wherever present)."""
    from spacy.tokens import Doc, Span

    words, spaces, lemmas, pos, tags, morphs, heads, deps, starts = [], [], [], [], [], [], [], [], []
    ents, missing = [], []
    has = {k: all(k in s for s in sents) for k in ("lemmas", "pos", "tags", "morphs", "heads", "ents")}
    for s in sents:
        off = len(words)
        w = [clean_word(x) for x in s["words"]]
        words.extend(w)
        sp = list(s.get("spaces") or [True] * len(w))
        sp[-1] = True
        spaces.extend(sp)
        starts.extend([True] + [False] * (len(w) - 1))
        if has["lemmas"]:
            lemmas.extend(s["lemmas"])
        if has["pos"]:
            pos.extend(s["pos"])
        if has["tags"]:
            tags.extend(s["tags"])
        if has["morphs"]:
            morphs.extend(s["morphs"])
        if has["heads"]:
            h, d = fix_roots(s["heads"], s["deps"])
            heads.extend([off + x - 1 if x > 0 else off + i for i, x in enumerate(h)])
            deps.extend(d)
        if has["ents"]:
            for a, b, lab in s["ents"]:
                if lab in set(missing_labels):
                    missing.append((off + a, off + b))
                elif ner_labels is None or lab in set(ner_labels):
                    ents.append((off + a, off + b, lab))
    kw = {"words": words, "spaces": spaces}
    if has["lemmas"] and any(lemmas):
        kw["lemmas"] = [x if x else None for x in lemmas]
    if has["pos"] and any(pos):
        kw["pos"] = [x if x else None for x in pos]
    if has["tags"] and any(tags):
        kw["tags"] = [x if x else None for x in tags]
    if has["morphs"]:
        kw["morphs"] = [x if x else "" for x in morphs]
    if has["heads"]:
        kw["heads"] = heads
        kw["deps"] = [None if d == MISSING_DEP else d for d in deps]
    else:
        kw["sent_starts"] = starts
    doc = Doc(vocab, **kw)
    if has["ents"]:
        doc.set_ents([Span(doc, a, b, label=lab) for a, b, lab in ents],
                     missing=[Span(doc, a, b) for a, b in missing], default="outside")
    return doc


QUOTE_VARIANTS = [("”", "”"), ("»", "«"), ('"', '"'), ("'", "'")]


def augment_ud_sentence(s: Sentence, rng: random.Random, quote_p: float = 0.5, dash_p: float = 0.05) -> Sentence:
    """News-style variants of a treebank sentence (same tree): paired quotes become ”…”, »…« or
    "…" with probability ``quote_p``, and a talstreck ``–`` is prepended to some sentences."""
    words = list(s["words"])
    qidx = [i for i, w in enumerate(words) if w in ("'", '"', "”", "»", "«")]
    if qidx and rng.random() < quote_p:
        op, cl = rng.choice(QUOTE_VARIANTS)
        for k, i in enumerate(qidx):
            words[i] = op if k % 2 == 0 else cl
    s = dict(s, words=words)
    if (dash_p and rng.random() < dash_p and words and words[0][:1].isupper() and words[-1] in (".", "!", "?")
            and "heads" in s):
        root = s["heads"].index(0) + 1 if 0 in s["heads"] else 1
        s = dict(s)
        s["words"] = ["–"] + s["words"]
        s["spaces"] = [True] + list(s["spaces"])
        s["heads"] = [root + 1] + [h + 1 if h > 0 else 0 for h in s["heads"]]
        s["deps"] = ["punct"] + list(s["deps"])
        for key, val in (("pos", "PUNCT"), ("tags", "MID"), ("morphs", ""), ("lemmas", "–")):
            if key in s:
                s[key] = [val] + list(s[key])
    return s


def add_paragraph_breaks(doc, rng: random.Random, p_newline: float = 0.25, p_blank: float = 0.1):
    """A copy of ``doc`` with whitespace tokens (``\n`` / ``\n\n``) between some sentences.

    The whitespace token hangs on the last token of the previous sentence (dep ``dep``, POS SPACE),
    so that the parser and morphologizer learn what paragraph breaks in raw text look like.
    """
    from spacy.tokens import Doc

    words, spaces, pos, morphs, heads, deps, tags, lemmas = [], [], [], [], [], [], [], []
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        off = len(words)
        for t in sent:
            words.append(t.text)
            spaces.append(bool(t.whitespace_))
            pos.append(t.pos_ or None)
            tags.append(t.tag_ or None)
            morphs.append(str(t.morph))
            heads.append(off + (t.head.i - sent.start))
            deps.append(t.dep_)
            lemmas.append(t.lemma_ or None)
        r = rng.random()
        if k + 1 < len(sents) and r < p_newline + p_blank:
            spaces[-1] = False
            words.append("\n" if r < p_newline else "\n\n")
            spaces.append(False)
            pos.append("SPACE")
            tags.append("_SP")
            morphs.append("")
            heads.append(len(words) - 2)
            deps.append("dep")
            lemmas.append(words[-1])
    extra = {"lemmas": lemmas} if doc.has_annotation("LEMMA") else {}
    return Doc(doc.vocab, words=words, spaces=spaces, pos=pos, tags=tags, morphs=morphs, heads=heads, deps=deps,
               **extra)


def group(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def write_docbin(docs, path: Path) -> int:
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    n = 0
    for d in docs:
        db.add(d)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def _key(words: list[str]) -> tuple:
    return tuple(words)


# ---------------------------------------------------------------------------------------------
# name substitution: copies of NER training sentences with other, often foreign, person names, so
# that the model learns person contexts rather than a few frequent Swedish names

NAME_LOCALES = ("sv_SE", "en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "pl_PL", "fi_FI", "tr_TR", "nl_NL",
                "ru_RU", "uk_UA")
# Swedish transliteration of Russian and Ukrainian (as in Swedish news: Лукашенко -> Lukasjenko)
CYRILLIC = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zj", "з": "z", "и": "i",
            "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
            "у": "u", "ф": "f", "х": "ch", "ц": "ts", "ч": "tj", "ш": "sj", "щ": "sjtj", "ъ": "", "ы": "y",
            "ь": "", "э": "e", "ю": "ju", "я": "ja", "і": "i", "ї": "ji", "є": "je", "ґ": "g"}


def transliterate(name: str) -> str:
    out = "".join(CYRILLIC.get(ch.lower(), ch) for ch in name)
    return out[:1].upper() + out[1:] if name[:1].isupper() else out


def name_pool(seed: int = 0, per_locale: int = 300) -> tuple[list[str], list[str]]:
    """First names and surnames from faker's locales (one word each, Latin script)."""
    from faker import Faker

    firsts, lasts = set(), set()
    for locale in NAME_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for _ in range(per_locale):
            for pool, name in ((firsts, fake.first_name()), (lasts, fake.last_name())):
                name = transliterate(name)
                if name.replace("-", "").isalpha() and not name.startswith("-"):  # one word, hyphens allowed
                    pool.add(name)
    return sorted(firsts), sorted(lasts)


def write_io(sents: Iterable[Sentence], path: Path) -> None:
    """Sentences with entities as an IO ``token<TAB>label`` file (``0`` outside), as ``read_io`` reads."""
    with Path(path).open("w", encoding="utf-8") as f:
        for s in sents:
            labels = ["0"] * len(s["words"])
            for a, b, lab in s["ents"]:
                for i in range(a, b):
                    labels[i] = lab
            for w, lab in zip(s["words"], labels, strict=False):
                f.write(f"{w}\t{lab}\n")
            f.write("\n")


def substitute_names(sents: list[Sentence], rng: random.Random, pool: tuple[list[str], list[str]]) -> list[Sentence]:
    """A copy of each sentence with PER entities in which every PER name is replaced, token for
    token, by random first names and a surname from ``pool`` (other annotation unchanged)."""
    firsts, lasts = pool
    out = []
    for s in sents:
        pers = [(a, b) for a, b, lab in s.get("ents", ()) if lab == "PER"]
        if not pers:
            continue
        words = list(s["words"])
        for a, b in pers:
            for i in range(a, b):
                words[i] = rng.choice(lasts) if i == b - 1 and (b - a > 1 or rng.random() < 0.8) else rng.choice(firsts)
        out.append(dict(s, words=words, text=None))
    return out


def convert_all(shared: Path, work_dir: Path = DEFAULT_WORK_DIR, seed: int = 0, dev_fraction: float = 0.1,
                sents_per_doc: int = 10, ner_missing: Iterable[str] = ("MISC", "MISSING"),
                ner_extra: Iterable[str] = (), ner_train_name: str = "ner_train",
                stanza_dir: Path | None = None, name_swaps: bool | str = True, raw_text: bool = False,
                quiet: bool = False) -> dict:
    """Write all training/dev DocBins under ``work_dir`` (and, with ``raw_text``, the raw text for
    pretraining); returns counts."""
    import spacy

    shared = Path(shared)
    corpora = shared / "corpora" if (shared / "corpora").is_dir() else shared
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("sv")
    counts: dict = {}

    # --- UD Talbanken: train (2015, v2-converted) with spaces and docs from uner-talbanken
    uner_train = list(read_iob2(corpora / "uner-talbanken" / "sv_talbanken-ud-train.iob2"))
    by_words = {_key(s["words"]): s for s in uner_train}
    tb_train = list(read_conllu(corpora / "talbanken" / "sv_talbanken-train.v1-converted-to-v2.conllu"))
    matched = 0
    for s in tb_train:
        u = by_words.get(_key(s["words"]))
        if u is not None:
            s["spaces"] = u["spaces"]
            matched += 1
        normalise_v1_pos(s)
        harmonise_v1_deps(s)
        punct_to_next_conjunct(s)
    # no lemmas in this file: Stanza's Talbanken lemmatizer fills them in from the gold tags
    if stanza_dir is not None:
        for s, lemmas in zip(tb_train, stanza_lemmas(tb_train, stanza_dir), strict=True):
            s["lemmas"] = lemmas
        counts["talbanken_train_lemmas"] = "stanza"
    else:
        for s in tb_train:
            s.pop("lemmas", None)
    counts["talbanken_train_sents"] = len(tb_train)
    counts["talbanken_train_matched_text"] = matched
    aug_rng = random.Random(seed)
    tb_aug = [augment_ud_sentence(s, aug_rng) for s in tb_train]
    n = write_docbin((add_paragraph_breaks(sentences_to_doc(nlp.vocab, g), aug_rng)
                      for g in group(tb_aug, sents_per_doc)), work_dir / "ud_train.spacy")
    counts["ud_train_docs"] = n
    tb_dev = list(read_conllu(corpora / "talbanken" / "sv_talbanken-ud-dev.conllu"))
    counts["talbanken_dev_sents"] = len(tb_dev)
    write_docbin((sentences_to_doc(nlp.vocab, g) for g in group(tb_dev, sents_per_doc)), work_dir / "ud_dev.spacy")

    # --- NER: swedish-ner-corpus (dedup, carve dev) + uner-talbanken train/dev
    snc = list(read_io(corpora / "swedish-ner-corpus" / "train_corpus.txt"))
    seen, uniq = set(), []
    for s in snc:
        k = _key(s["words"])
        if k not in seen:
            seen.add(k)
            uniq.append(s)
    rng = random.Random(seed)
    idx = list(range(len(uniq)))
    rng.shuffle(idx)
    n_dev = int(round(len(uniq) * dev_fraction))
    dev_idx = set(idx[:n_dev])
    snc_train = [uniq[i] for i in range(len(uniq)) if i not in dev_idx]
    snc_dev = [uniq[i] for i in sorted(dev_idx)]
    counts.update(snc_sents=len(snc), snc_unique=len(uniq), snc_train=len(snc_train), snc_dev=len(snc_dev))
    uner_dev = list(read_iob2(corpora / "uner-talbanken" / "sv_talbanken-ud-dev.iob2"))
    ner_train = snc_train + uner_train
    if name_swaps is True:  # one copy of every gold sentence with person names, with other names
        swapped = substitute_names(ner_train, random.Random(seed), name_pool(seed))
        counts["ner_name_swaps"] = len(swapped)
        ner_train = ner_train + swapped
    if "suc3" in ner_extra:
        suc = list(read_suc3_ner(corpora / "suc3-fragment" / "dev.jsonl"))
        counts["suc3_sents"] = len(suc)
        ner_train += suc
    if "norne" in ner_extra:
        nor = []
        for p in sorted((corpora / "norne-bokmaal" / "ndt_nob").glob("*.conll")):
            nor.extend(read_norne(p))
        counts["norne_sents"] = len(nor)
        ner_train += nor
    if name_swaps == "all":  # the auxiliary corpora too (tried: worse on dev)
        swapped = substitute_names(ner_train, random.Random(seed), name_pool(seed))
        counts["ner_name_swaps"] = len(swapped)
        ner_train = ner_train + swapped
    rng.shuffle(ner_train)
    counts["ner_train_docs"] = write_docbin(
        (sentences_to_doc(nlp.vocab, g, ner_labels=NER_LABELS, missing_labels=ner_missing)
         for g in group(ner_train, sents_per_doc)), work_dir / f"{ner_train_name}.spacy")
    write_docbin((sentences_to_doc(nlp.vocab, g, ner_labels=NER_LABELS, missing_labels=ner_missing)
                  for g in group(snc_dev + uner_dev, sents_per_doc)), work_dir / "ner_dev.spacy")
    write_io(snc_dev, work_dir / "snc_dev.txt")  # the carved dev split as a gold file for evaluate_ner

    # --- lemmas: Eukalyptus (gold lemmas); hold out every 10th sentence as dev
    euk = []
    for p in sorted((corpora / "eukalyptus").glob("*.conllu")):
        euk.extend(read_eukalyptus(p))
    euk_train = [s for i, s in enumerate(euk) if i % 10 != 0]
    euk_dev = [s for i, s in enumerate(euk) if i % 10 == 0]
    for s in euk_train + euk_dev:
        s.pop("tags", None)
    counts.update(euk_train=len(euk_train), euk_dev=len(euk_dev))
    write_docbin((sentences_to_doc(nlp.vocab, g) for g in group(euk_train, sents_per_doc)),
                 work_dir / "lemma_train.spacy")
    write_docbin((sentences_to_doc(nlp.vocab, g) for g in group(euk_dev, sents_per_doc)),
                 work_dir / "lemma_dev.spacy")
    if raw_text:
        counts["raw_text_words"] = write_raw_text(work_dir, corpora)
    (work_dir / "counts.json").write_text(json.dumps(counts, indent=2))
    if not quiet:
        print(json.dumps(counts, indent=2))
    return counts

