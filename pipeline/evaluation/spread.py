"""How well `copies` and `spread` decide on labelled pairs of the regeringen corpus (`data/dev/`).

The pair files hold ids, offsets and labels only; the texts are read from SHARED/corpora/regeringen. Each
pair's half (tune/test) is the MD5 parity of its id (`split.split_of`): thresholds were chosen on `tune`.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import neardup
from pipeline.errors import InputError
from pipeline.evaluation.split import split_of
from pipeline.run.bench import corpus_records

REPO = Path(__file__).resolve().parents[2]
COPY_PAIRS = REPO / "data" / "dev" / "copy-pairs-regeringen.jsonl"
SPREAD_PAIRS = REPO / "data" / "dev" / "spread-pairs-regeringen.jsonl"


def _pairs(path: Path) -> list[dict]:
    if not path.exists():
        raise InputError(f"{path}: no such pair file")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _texts(shared: Path, ids: set[str]) -> dict[str, dict]:
    found = {r["id"]: r for r in corpus_records(shared, "regeringen") if r["id"] in ids}
    missing = sorted(ids - set(found))
    if missing:
        raise InputError(f"{shared}: the regeringen corpus lacks {len(missing)} documents of the pairs, "
                         f"e.g. {missing[0]!r}")
    return found


def _scores(decided: list[tuple[str, bool, bool]]) -> dict:
    """Precision, recall and F1 of (pair, predicted, gold) for each half and all."""
    out = {}
    for half in ("tune", "test", "all"):
        rows = [(p, g) for pair, p, g in decided if half == "all" or split_of(pair) == half]
        tp = sum(p and g for p, g in rows)
        fp = sum(p and not g for p, g in rows)
        fn = sum(g and not p for p, g in rows)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[half] = {"pairs": len(rows), "positive": tp + fn, "precision": round(precision, 3),
                     "recall": round(recall, 3), "f1": round(f1, 3)}
    return out


def evaluate_copies(shared: Path, pairs_file: Path = COPY_PAIRS, min_jaccard: float = neardup.COPY_MIN_JACCARD,
                    max_months: int = neardup.COPY_MAX_MONTHS) -> dict:
    """The copies decision (MinHash Jaccard of word 5-grams, date window) against `copy` labels."""
    pairs = _pairs(pairs_file)
    texts = _texts(shared, {p["a"] for p in pairs} | {p["b"] for p in pairs})

    decided = []
    for p in pairs:
        a, b = texts[p["a"]], texts[p["b"]]
        signature_a, signature_b = neardup.document_signature(a["text"]), neardup.document_signature(b["text"])
        copy = signature_a is not None and signature_b is not None and neardup.is_copy(
            neardup.compact(signature_a), neardup.compact(signature_b), neardup.month_number(a.get("date")),
            neardup.month_number(b.get("date")), min_jaccard, max_months)
        decided.append((p["pair"], copy, p["label"] == "copy"))
    return {"pairs_file": str(pairs_file.relative_to(REPO) if pairs_file.is_relative_to(REPO) else pairs_file),
            "min_jaccard": min_jaccard, "max_months": max_months, **_scores(decided)}


def evaluate_spread(shared: Path, pairs_file: Path = SPREAD_PAIRS,
                    min_overlap: float = neardup.QUOTE_MIN_OVERLAP) -> dict:
    """The spread decision (overlap of word 3-grams) against `same` labels."""
    pairs = _pairs(pairs_file)
    texts = _texts(shared, {p["a"][0] for p in pairs} | {p["b"][0] for p in pairs})
    decided = []
    for p in pairs:
        (a_doc, a_start, a_end), (b_doc, b_start, b_end) = p["a"], p["b"]
        a = neardup.quote_shingles(texts[a_doc]["text"][a_start:a_end])
        b = neardup.quote_shingles(texts[b_doc]["text"][b_start:b_end])
        same = a is not None and b is not None and neardup.same_statement(a, b, min_overlap)
        decided.append((p["pair"], same, p["label"] == "same"))
    return {"pairs_file": str(pairs_file.relative_to(REPO) if pairs_file.is_relative_to(REPO) else pairs_file),
            "min_overlap": min_overlap, "shingle": neardup.QUOTE_SHINGLE, **_scores(decided)}


def format_scores(report: dict) -> str:
    lines = [f"{report['pairs_file']}: " + ", ".join(f"{k} {v}" for k, v in report.items()
                                                    if k not in ("pairs_file", "tune", "test", "all"))]
    for half in ("tune", "test", "all"):
        s = report[half]
        lines.append(f"  {half:5} {s['pairs']:4} pairs ({s['positive']} positive): precision {s['precision']:.3f} "
                     f"recall {s['recall']:.3f} F1 {s['f1']:.3f}")
    return "\n".join(lines)
