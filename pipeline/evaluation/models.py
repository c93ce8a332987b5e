"""Scoring a spaCy pipeline against gold UD and NER files (pure functions; the CLI wraps them).

* ``evaluate_ud``: the pipeline reads the raw text (each sentence's ``# text``, sentences of one
  paragraph joined by a space, paragraphs by a newline, one document per ``# newdoc``) and is scored
  on sentence and token boundaries (F1 over character spans) and, on the tokens whose character
  span matches a gold token, UPOS, lemma, UAS and LAS accuracy.
* ``evaluate_ner``: the pipeline runs on the gold tokens (a Doc built from the words), so
  tokenisation does not matter; span precision/recall/F1 per label and overall.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.evaluation.gold import read_gold
from pipeline.model.corpora import clean_word, io_to_spans, read_conllu, read_io, read_iob2

DEFAULT_NER_LABELS = ("PER", "LOC", "ORG")


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def _word_offsets(words: list[str], text: str, spaces: list[bool]) -> list[tuple[int, int]]:
    """Character spans of the words in the sentence text (falls back to SpaceAfter)."""
    out, pos = [], 0
    ok = True
    for w in words:
        i = text.find(w, pos)
        if i < 0 or text[pos:i].strip():
            ok = False
            break
        out.append((i, i + len(w)))
        pos = i + len(w)
    if ok:
        return out
    out, pos = [], 0
    for w, sp in zip(words, spaces, strict=False):
        out.append((pos, pos + len(w)))
        pos += len(w) + (1 if sp else 0)
    return out


def build_ud_documents(sents: list[dict], max_sents: int = 200) -> list[dict]:
    """Group gold sentences into documents with raw text and gold token/sentence char spans."""
    docs: list[dict] = []
    cur: dict | None = None
    for s in sents:
        if cur is None or s.get("new_doc") or len(cur["sents"]) >= max_sents:
            cur = {"text": "", "sents": [], "tokens": []}
            docs.append(cur)
        elif s.get("new_par"):
            cur["text"] += "\n"
        elif cur["text"]:
            cur["text"] += " "
        text = s.get("text") or " ".join(
            w + ("" if not sp else " ") for w, sp in zip(s["words"], s["spaces"], strict=False)).strip()
        base = len(cur["text"])
        cur["text"] += text
        offs = _word_offsets(s["words"], text, s["spaces"])
        first = len(cur["tokens"])
        for k, (a, b) in enumerate(offs):
            head = s["heads"][k]
            cur["tokens"].append({
                "span": (base + a, base + b),
                "pos": s["pos"][k],
                "lemma": s["lemmas"][k],
                "head": first + head - 1 if head > 0 else None,
                "dep": s["deps"][k].split(":")[0] if s["deps"][k] else "",
                "dep_full": s["deps"][k],
            })
        cur["sents"].append((base + offs[0][0], base + offs[-1][1]))
    return docs


def evaluate_ud(gold: Path, nlp: Language, max_sents_per_doc: int = 200, batch_size: int = 8) -> dict:
    """Sentence/token F1 from raw text; UPOS, lemma, UAS, LAS on aligned tokens."""
    sents = read_gold(gold, lambda path: list(read_conllu(path)), "CoNLL-U")
    docs = build_ud_documents(sents, max_sents_per_doc)
    c = defaultdict(int)
    for gd, doc in zip(docs, nlp.pipe([d["text"] for d in docs], batch_size=batch_size), strict=False):
        sys_tokens = [t for t in doc if not t.is_space and t.text.strip()]
        sys_span = {t.i: (t.idx, t.idx + len(t.text)) for t in sys_tokens}
        sys_by_span = {v: k for k, v in sys_span.items()}
        gold_spans = [g["span"] for g in gd["tokens"]]
        gset, sset = set(gold_spans), set(sys_span.values())
        c["tok_gold"] += len(gset)
        c["tok_sys"] += len(sset)
        c["tok_tp"] += len(gset & sset)
        # sentences
        sys_sents = set()
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            for s in doc.sents:
                toks = [t for t in s if not t.is_space and t.text.strip()]
                if toks:
                    sys_sents.add((toks[0].idx, toks[-1].idx + len(toks[-1].text)))
        gs = set(gd["sents"])
        c["sent_gold"] += len(gs)
        c["sent_sys"] += len(sys_sents)
        c["sent_tp"] += len(gs & sys_sents)
        # aligned token attributes
        for _gi, g in enumerate(gd["tokens"]):
            si = sys_by_span.get(g["span"])
            if si is None:
                continue
            t = doc[si]
            c["aligned"] += 1
            c["upos"] += int(t.pos_ == g["pos"])
            if g["lemma"]:
                c["lemma_n"] += 1
                c["lemma"] += int(t.lemma_ == g["lemma"])
                c["lemma_ci"] += int(t.lemma_.lower() == g["lemma"].lower())
            if doc.has_annotation("DEP"):
                if g["head"] is None:
                    head_ok = t.head.i == t.i
                else:
                    head_ok = t.head.i != t.i and sys_span.get(t.head.i) == gold_spans[g["head"]]
                c["uas"] += int(head_ok)
                c["las"] += int(head_ok and t.dep_.split(":")[0].lower() == g["dep"].lower())
                c["las_full"] += int(head_ok and (t.dep_.lower() == g["dep_full"].lower()
                                                  or (g["head"] is None and t.dep_.lower() == "root")))
    tok = _prf(c["tok_tp"], c["tok_sys"] - c["tok_tp"], c["tok_gold"] - c["tok_tp"])
    sent = _prf(c["sent_tp"], c["sent_sys"] - c["sent_tp"], c["sent_gold"] - c["sent_tp"])
    n = c["aligned"] or 1
    return {
        "sentences": {"p": sent["p"], "r": sent["r"], "f": sent["f"], "gold": c["sent_gold"], "sys": c["sent_sys"]},
        "tokens": {"p": tok["p"], "r": tok["r"], "f": tok["f"], "gold": c["tok_gold"], "sys": c["tok_sys"]},
        "aligned_tokens": c["aligned"],
        "upos": c["upos"] / n,
        "lemma": c["lemma"] / (c["lemma_n"] or 1),
        "lemma_ci": c["lemma_ci"] / (c["lemma_n"] or 1),
        "uas": c["uas"] / n,
        "las": c["las"] / n,
        "las_full": c["las_full"] / n,
    }


# ---------------------------------------------------------------------------------------------
# NER


def _conllu_ner(path: Path) -> list[dict]:
    """CoNLL-U with NER in MISC (``NER=B-PER`` / ``Entity=...``) or a tenth column of tags."""
    sents = []
    for s in read_conllu(path):
        sents.append(s)
    # re-read MISC values (read_conllu does not keep them)
    labels_per_sent: list[list[str]] = []
    cur: list[str] = []
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    labels_per_sent.append(cur)
                cur = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 10 or "-" in cols[0] or "." in cols[0]:
                continue
            lab = "O"
            for item in cols[9].split("|"):
                if item.startswith(("NER=", "Entity=", "NE=")):
                    lab = item.split("=", 1)[1]
            cur.append(lab)
    if cur:
        labels_per_sent.append(cur)
    out = []
    for s, labs in zip(sents, labels_per_sent, strict=False):
        out.append({"words": s["words"], "ents": io_to_spans(labs)})
    return out


def read_ner_gold(gold: Path) -> tuple[list[dict], bool]:
    """Sentences with ``words`` and ``ents``; the flag says whether the tags are plain IO."""
    gold = Path(gold)
    if gold.suffix == ".conllu":
        return _conllu_ner(gold), False
    if gold.suffix in (".iob2", ".iob", ".bio"):
        return list(read_iob2(gold)), False
    # IO token-label lines; detect BIO prefixes
    sents = list(read_io(gold))
    with gold.open(encoding="utf-8") as f:
        bio = any(len(p := line.split()) >= 2 and p[-1][:2] in ("B-", "I-") for line in f)
    return sents, not bio


def _merge_io(ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Adjacent spans of one label become one span (what IO tags can express)."""
    out: list[list] = []
    for a, b, lab in sorted(ents):
        if out and out[-1][1] == a and out[-1][2] == lab:
            out[-1][1] = b
        else:
            out.append([a, b, lab])
    return [tuple(x) for x in out]


def evaluate_ner(gold: Path, nlp: Language, labels: tuple[str, ...] = DEFAULT_NER_LABELS,
                 batch_size: int = 64) -> dict:
    """Span P/R/F1 per label and overall (micro over ``labels``) on the gold tokens."""
    sents, io = read_gold(gold, read_ner_gold, "NER gold", needs="ents")
    docs = [Doc(nlp.vocab, words=[clean_word(w) for w in s["words"]]) for s in sents]
    counts = {lab: [0, 0, 0] for lab in labels}
    for s, doc in zip(sents, nlp.pipe(docs, batch_size=batch_size), strict=False):
        pred = [(e.start, e.end, e.label_) for e in doc.ents]
        gold_e = list(s["ents"])
        if io:
            pred, gold_e = _merge_io(pred), _merge_io(gold_e)
        pred_s = {e for e in pred if e[2] in counts}
        gold_s = {e for e in gold_e if e[2] in counts}
        for e in pred_s & gold_s:
            counts[e[2]][0] += 1
        for e in pred_s - gold_s:
            counts[e[2]][1] += 1
        for e in gold_s - pred_s:
            counts[e[2]][2] += 1
    out = {lab: _prf(*v) for lab, v in counts.items()}
    tot = [sum(v[i] for v in counts.values()) for i in range(3)]
    out["overall"] = _prf(*tot)
    out["sentences"] = len(sents)
    return out


# ---------------------------------------------------------------------------------------------


def format_scores(scores: dict) -> str:
    """A plain-text table of a score dict from ``evaluate_ud`` or ``evaluate_ner``."""
    lines = []
    rows = []
    for key, val in scores.items():
        if isinstance(val, dict) and {"p", "r", "f"} <= set(val):
            extra = ""
            if "tp" in val:
                extra = f"  tp={val['tp']} fp={val['fp']} fn={val['fn']}"
            elif "gold" in val:
                extra = f"  gold={val['gold']} sys={val['sys']}"
            rows.append((key, f"P {val['p']:.4f}  R {val['r']:.4f}  F1 {val['f']:.4f}{extra}"))
        elif isinstance(val, dict):
            rows.append((key, ""))
            for k2, v2 in val.items():
                rows.append((f"  {k2}", f"{v2:.4f}" if isinstance(v2, float) else str(v2)))
        elif isinstance(val, float):
            rows.append((key, f"{val:.4f}"))
        else:
            rows.append((key, str(val)))
    width = max((len(k) for k, _ in rows), default=0)
    for k, v in rows:
        lines.append(f"{k.ljust(width)}  {v}".rstrip())
    return "\n".join(lines)
