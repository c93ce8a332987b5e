"""Scoring extracted quotes against a gold JSON Lines file.

Predicted quotes are aligned to gold documents by `doc_id`; their offsets refer to
`documents.text` and are shifted by `documents.body_start` to the raw text the gold offsets use.
Within a document predictions and gold quotes are paired one-to-one, best character-span IoU first
(a pair needs IoU >= 0.5). Gold quotes marked `optional` count neither way.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.evaluation.gold import read_gold_jsonl
from pipeline.evaluation.split import in_split
from pipeline.lexicon import words
from pipeline.lexicon.nouns import is_role_word

IOU_THRESHOLD = 0.5
KINDS = ("direct", "indirect", "mixed")
TRIM = set(string.whitespace + string.punctuation + "–—”“»«’…")
PRONOUNS = {"han", "hon", "hen", "de", "den", "det", "honom", "henne", "dem", "denne", "denna"}


@dataclass(frozen=True)
class Span:
    """One quote, gold or predicted, with offsets in the raw (gold) text."""

    doc_id: str
    start: int
    end: int
    quote: str
    kind: str
    speaker: str
    mention: str
    cue: str
    source: str
    optional: bool = False


def iou(a: Span, b: Span) -> float:
    overlap = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return overlap / union if union else 0.0


def trimmed(span: Span, text: str) -> tuple[int, int]:
    """Offsets without surrounding whitespace and punctuation (for exact-boundary matching)."""
    start, end = span.start, span.end
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def same_speaker(gold: str, predicted: str) -> bool:
    """Equal names, or names that share their last word (case-insensitive: `Putin`, `Vladimir Putin`), unless
    one of them joins phrases (lexicon/phrase_joiners.txt): `medier i Norrland` is not `Norrland`, `Polisen i
    Malmö` not `Kommunen i Malmö`. Before the joiners counted, 9 distinct speakers of the tune half were scored
    right by the last word alone."""
    g, p = (gold or "").strip().lower().split(), (predicted or "").strip().lower().split()
    if not g or not p:
        return g == p
    return g == p or (g[-1] == p[-1] and not words("phrase_joiners") & set(g + p))


def is_pronoun_or_role(mention: str) -> bool:
    """A speaker phrase that is not a name: a pronoun or a role noun (`han`, `Presidenten`, `tankesmedjan`)."""
    words = (mention or "").split()
    if not words:
        return False
    first = words[0]
    if any(w[:1].isupper() for w in words[1:]):
        return False
    if first.lower() in PRONOUNS:
        return True
    return first[:1].islower() or is_role_word(first)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)


def load_gold(path: Path) -> tuple[dict[str, list[Span]], dict[str, str]]:
    """Gold quotes and texts by doc_id."""
    spans: dict[str, list[Span]] = {}
    texts: dict[str, str] = {}
    for record in read_gold_jsonl(path):
        doc_id = str(record.get("doc_id", record.get("id")))
        texts[doc_id] = record.get("text", "")
        spans[doc_id] = [Span(doc_id, int(q["start"]), int(q["end"]), q.get("quote", ""), q.get("kind", ""),
                              q.get("speaker", "") or "", q.get("speaker_mention", "") or "", q.get("cue", "") or "",
                              q.get("source", "") or "", bool(q.get("optional", False)))
                         for q in record.get("quotes", [])]
    return spans, texts


def predicted_spans(tables: dict[str, pd.DataFrame], doc_ids: set[str]) -> dict[str, list[Span]]:
    """Predicted quotes of the gold documents, offsets shifted by body_start."""
    quotes = tables.get("quotes")
    documents = tables.get("documents")
    out: dict[str, list[Span]] = {doc_id: [] for doc_id in doc_ids}
    if quotes is None or quotes.empty:
        return out
    shift = {}
    if documents is not None and "body_start" in documents:
        pairs = zip(documents["doc_id"], documents["body_start"], strict=True)
        shift = {str(d): int(b) if pd.notna(b) else 0 for d, b in pairs}
    for row in quotes.itertuples(index=False):
        doc_id = str(row.doc_id)
        if doc_id not in out:
            continue
        offset = shift.get(doc_id, 0)
        out[doc_id].append(Span(doc_id, int(row.start) + offset, int(row.end) + offset, _text(row.quote),
                                _text(row.kind), _text(row.speaker), _text(row.speaker_mention), _text(row.cue),
                                _text(row.source)))
    return out


def match(gold: list[Span], predicted: list[Span], same) -> list[tuple[Span, Span]]:
    """One-to-one pairs, best first; `same(g, p)` gives a score, or None for no match."""
    scored = []
    for g in gold:
        for p in predicted:
            score = same(g, p)
            if score is not None:
                scored.append((score, not g.optional, g, p))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _, _, g, p in scored:
        if id(g) in used_g or id(p) in used_p:
            continue
        used_g.add(id(g))
        used_p.add(id(p))
        pairs.append((g, p))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _brief(span: Span) -> dict:
    return {"doc_id": span.doc_id, "start": span.start, "end": span.end, "kind": span.kind,
            "quote": span.quote[:120], "speaker": span.speaker, "speaker_mention": span.mention, "cue": span.cue}


def score(gold: dict[str, list[Span]], predicted: dict[str, list[Span]], texts: dict[str, str],
          details: bool = True) -> dict:
    """All figures for one set of gold and predicted spans (every document)."""
    def by_iou(g: Span, p: Span) -> float | None:
        value = iou(g, p)
        return value if value >= IOU_THRESHOLD else None

    counts = {"tp": 0, "pred": 0, "gold": 0, "exact_tp": 0, "exact_pred": 0, "speaker_ok": 0, "pron": 0,
              "pron_ok": 0, "kind_ok": 0, "cue_ok": 0, "source_ok": 0}
    misses, false_alarms, wrong_speakers = [], [], []
    for doc_id, gold_spans in gold.items():
        preds = predicted.get(doc_id, [])
        text = texts.get(doc_id, "")
        pairs = match(gold_spans, preds, by_iou)
        matched_g = {id(g) for g, _ in pairs}
        ignored_p = {id(p) for g, p in pairs if g.optional}
        counts["gold"] += sum(not g.optional for g in gold_spans)
        counts["pred"] += sum(id(p) not in ignored_p for p in preds)
        for g, p in pairs:
            if g.optional:
                continue
            counts["tp"] += 1
            ok = same_speaker(g.speaker, p.speaker)
            counts["speaker_ok"] += ok
            counts["kind_ok"] += g.kind == p.kind
            counts["cue_ok"] += g.cue.lower() == p.cue.lower()
            counts["source_ok"] += same_speaker(g.source, p.source) if g.source or p.source else 1
            if is_pronoun_or_role(g.mention):
                counts["pron"] += 1
                counts["pron_ok"] += ok
            if not ok:
                wrong_speakers.append({"gold": _brief(g), "predicted": _brief(p)})
        misses.extend(_brief(g) for g in gold_spans if not g.optional and id(g) not in matched_g)
        false_alarms.extend(_brief(p) for p in preds if id(p) not in {id(q) for _, q in pairs})
        exact_pairs = match(gold_spans, preds,
                            lambda g, p, t=text: 1.0 if trimmed(g, t) == trimmed(p, t) else None)
        exact_ignored = {id(p) for g, p in exact_pairs if g.optional}
        counts["exact_tp"] += sum(not g.optional for g, _ in exact_pairs)
        counts["exact_pred"] += sum(id(p) not in exact_ignored for p in preds)
    tp = counts["tp"]
    report = {
        "quotes": _prf(tp, counts["pred"], counts["gold"]),
        "exact": _prf(counts["exact_tp"], counts["exact_pred"], counts["gold"]),
        "speaker_accuracy": round(counts["speaker_ok"] / tp, 4) if tp else 0.0,
        "attribution": _prf(counts["speaker_ok"], counts["pred"], counts["gold"]),
        "pronoun_speaker_accuracy": round(counts["pron_ok"] / counts["pron"], 4) if counts["pron"] else None,
        "pronoun_speaker_count": counts["pron"],
        "kind_accuracy": round(counts["kind_ok"] / tp, 4) if tp else 0.0,
        "cue_accuracy": round(counts["cue_ok"] / tp, 4) if tp else 0.0,
        "source_accuracy": round(counts["source_ok"] / tp, 4) if tp else 0.0,
    }
    if details:
        report.update(misses=misses, false_alarms=false_alarms, wrong_speakers=wrong_speakers)
    return report


def evaluate_quotes(gold_path: Path, tables: dict[str, pd.DataFrame], split: str = "all") -> dict:
    """Quote, boundary, speaker and attribution scores of `tables["quotes"]` against a gold file
    (only its documents in `split`: all, tune or test, see `pipeline.evaluation.split`)."""
    gold, texts = load_gold(Path(gold_path))
    gold = {d: spans for d, spans in gold.items() if in_split(d, split)}
    return _report(str(gold_path), split, gold, predicted_spans(tables, set(gold)), texts)


def _report(name: str, split: str, gold: dict, predicted: dict, texts: dict) -> dict:
    report = {"gold_path": name, "split": split, "documents": len(gold), **score(gold, predicted, texts)}
    report["per_kind"] = {}
    for kind in KINDS:
        gold_k = {d: [g for g in spans if g.kind == kind] for d, spans in gold.items()}
        pred_k = {d: [p for p in spans if p.kind == kind] for d, spans in predicted.items()}
        report["per_kind"][kind] = score(gold_k, pred_k, texts, details=False)
    return report


def evaluate_many(runs: list[tuple[Path, dict[str, pd.DataFrame]]], split: str = "all") -> dict:
    """Reports per gold file and one over all of them together (micro: every quote counts once)."""
    files, gold_all, pred_all, texts_all = {}, {}, {}, {}
    for gold_path, tables in runs:
        gold, texts = load_gold(Path(gold_path))
        gold = {d: spans for d, spans in gold.items() if in_split(d, split)}
        predicted = predicted_spans(tables, set(gold))
        files[Path(gold_path).name] = _report(str(gold_path), split, gold, predicted, texts)
        stem = Path(gold_path).stem
        gold_all.update({f"{stem}/{d}": s for d, s in gold.items()})
        pred_all.update({f"{stem}/{d}": s for d, s in predicted.items()})
        texts_all.update({f"{stem}/{d}": t for d, t in texts.items()})
    return {"split": split, "files": files, "total": _report("all files", split, gold_all, pred_all, texts_all)}


def format_many(report: dict, details: bool = False) -> str:
    """One line per gold file and the total, then the total's figures by kind (and its errors if asked)."""
    def row(name: str, r: dict) -> str:
        ind = r["per_kind"]["indirect"]["quotes"]
        return (f"{name:<28} {r['documents']:>5} {r['quotes']['gold']:>6} {r['quotes']['f1']:>8.3f} "
                f"{r['speaker_accuracy']:>8.3f} {r['attribution']['f1']:>8.3f} {ind['f1']:>8.3f} {ind['recall']:>8.3f}")

    out = [f"Quotes, split {report['split']}",
           f"{'gold file':<28} {'docs':>5} {'quotes':>6} {'quote F1':>8} {'spk acc':>8} {'attr F1':>8} "
           f"{'ind. F1':>8} {'ind. R':>8}"]
    out += [row(name, r) for name, r in report["files"].items()]
    out.append(row("total", report["total"]))
    total = report["total"]
    if details:
        return "\n".join(out) + "\n\n" + format_report(total)
    out.append("")
    for kind, figures in total["per_kind"].items():
        prf = figures["quotes"]
        out.append(f"{kind:<9} P {prf['precision']:.3f}  R {prf['recall']:.3f}  F1 {prf['f1']:.3f}  "
                   f"(gold {prf['gold']})  speaker acc {figures['speaker_accuracy']:.3f}  "
                   f"attribution F1 {figures['attribution']['f1']:.3f}")
    return "\n".join(out)


def format_report(report: dict) -> str:
    """A plain-text summary of `evaluate_quotes`' report, with the errors to read."""
    def line(name: str, prf: dict) -> str:
        return (f"{name:<14} P {prf['precision']:.3f}  R {prf['recall']:.3f}  F1 {prf['f1']:.3f}"
                f"  (tp {prf['tp']}, predicted {prf['predicted']}, gold {prf['gold']})")

    pron = report.get("pronoun_speaker_accuracy")
    out = [f"Quotes against {report.get('gold_path', '')} ({report.get('documents', 0)} documents)",
           line("quotes", report["quotes"]), line("exact", report["exact"]), line("attribution", report["attribution"]),
           f"speaker accuracy {report['speaker_accuracy']:.3f}   pronoun/role speakers "
           f"{'-' if pron is None else f'{pron:.3f}'} (n={report.get('pronoun_speaker_count', 0)})",
           f"kind accuracy {report['kind_accuracy']:.3f}   cue accuracy {report['cue_accuracy']:.3f}   "
           f"source accuracy {report['source_accuracy']:.3f}", ""]
    for kind, figures in report.get("per_kind", {}).items():
        out.append(line(kind, figures["quotes"]) + f"  speaker acc {figures['speaker_accuracy']:.3f}"
                   f"  attribution F1 {figures['attribution']['f1']:.3f}")
    for title, key in (("Missed", "misses"), ("False alarms", "false_alarms")):
        items = report.get(key, [])
        if items:
            out += ["", f"{title} ({len(items)}):"]
            out += [f"  {i['doc_id']} {i['start']}-{i['end']} {i['kind']} [{i['speaker']}] {i['quote'][:90]!r}"
                    for i in items]
    wrong = report.get("wrong_speakers", [])
    if wrong:
        out += ["", f"Wrong speakers ({len(wrong)}):"]
        out += [f"  {w['gold']['doc_id']} {w['gold']['start']}: gold {w['gold']['speaker']!r} "
                f"({w['gold']['speaker_mention']!r}), predicted {w['predicted']['speaker']!r} "
                f"({w['predicted']['speaker_mention']!r})" for w in wrong]
    return "\n".join(out)
