"""Corpus readers: every format in ``shared/corpora`` as plain sentence records (dicts).

CoNLL-U (UD Talbanken), Eukalyptus pseudo-CoNLL-U (with its lemmas mapped to Talbanken
conventions), UNER ``.iob2``, IO ``token label`` files, suc3 and absabank JSONL and NorNE ``.conll``;
plus the shared helpers (``io_to_spans``, ``spaces_from_text``, ``clean_word``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

SOFT_HYPHEN = "\u00ad"

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
