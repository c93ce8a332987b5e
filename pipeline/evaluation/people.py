"""Score the people stage against gold articles (JSON Lines, see /work/shared/gold/GUIDELINE.md).

Two measures:
- people: per article, the persons the run links to the article (PER mentions and person quote
  speakers) against the gold `people`; a predicted and a gold person match when their names are equal
  or share their last word (case-insensitive), one-to-one. Precision, recall and F1 per article, summed
  over articles (micro) and averaged (macro).
- reference speakers: gold quotes whose `speaker_mention` is a pronoun or a role noun (`han`, `hon`,
  `presidenten`, `tankesmedjan`, `facket`: one word that is not part of the speaker's name). A
  predicted quote matches a gold quote when their spans overlap with IoU ≥ 0.5 (predicted offsets are
  shifted by the document's `body_start`); it is correct when the speaker names are equal or share
  their last word.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.evaluation.gold import read_gold_jsonl
from pipeline.lexicon.names import person_pronouns


def _words(name: object) -> list[str]:
    return str(name).casefold().split() if isinstance(name, str) else []


def names_match(a: object, b: object) -> bool:
    """Equal, or sharing the last word, case-insensitive."""
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and (wa == wb or wa[-1] == wb[-1])


def is_reference(mention: object, speaker: object) -> bool:
    """Is a gold speaker_mention a pronoun or role noun (one word, not a word of the speaker's name)?"""
    if not isinstance(mention, str) or len(mention.split()) != 1:
        return False
    word = mention.strip().casefold()
    if word in person_pronouns():
        return True
    return word not in _words(speaker)


def _match_people(gold: list[str], predicted: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """One-to-one matching: equal names first, then shared last words."""
    gold_left, pred_left, pairs = list(gold), list(predicted), []
    for exact in (True, False):
        for g in list(gold_left):
            for p in pred_left:
                if (_words(g) == _words(p)) if exact else names_match(g, p):
                    pairs.append((g, p))
                    gold_left.remove(g)
                    pred_left.remove(p)
                    break
    return pairs, gold_left, pred_left


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def predicted_people(tables: dict[str, pd.DataFrame], doc_id: str) -> list[str]:
    """Names of the persons the run links to one document."""
    names = {}
    people = tables.get("people")
    if people is not None and len(people):
        names = dict(zip(people["person_id"], people["name"], strict=True))
    found: dict[str, str] = {}
    entities = tables.get("entities")
    if entities is not None and len(entities):
        rows = entities[(entities["doc_id"] == doc_id) & (entities["label"] == "PER") & entities["person_id"].notna()]
        for pid, text in zip(rows["person_id"], rows["text"], strict=True):
            found.setdefault(pid, names.get(pid, text))
    quotes = tables.get("quotes")
    if quotes is not None and len(quotes):
        rows = quotes[(quotes["doc_id"] == doc_id) & quotes["person_id"].notna()]
        for pid, speaker in zip(rows["person_id"], rows["speaker"], strict=True):
            if str(pid).startswith("p"):
                found.setdefault(pid, names.get(pid, speaker))
    return list(found.values())


def evaluate_people(gold_path: Path, tables: dict[str, pd.DataFrame]) -> dict:
    """The report (JSON-serialisable) for the gold articles in `gold_path` and a run's tables."""
    gold_articles = read_gold_jsonl(gold_path)
    documents = tables.get("documents")
    body_start = {}
    if documents is not None and len(documents):
        body_start = {d: int(b) if pd.notna(b) else 0
                      for d, b in zip(documents["doc_id"], documents["body_start"], strict=True)}
    quotes = tables.get("quotes")
    articles, totals = [], Counter()
    ref_total = ref_found = ref_correct = 0
    ref_cases = []
    for article in gold_articles:
        doc_id = article["doc_id"]
        gold_names = [p["name"] for p in article.get("people", [])]
        predicted = predicted_people(tables, doc_id) if doc_id in body_start else []
        pairs, missed, extra = _match_people(gold_names, predicted)
        scores = _prf(len(pairs), len(extra), len(missed))
        totals.update(tp=len(pairs), fp=len(extra), fn=len(missed))

        doc_quotes = quotes[quotes["doc_id"] == doc_id] if quotes is not None and len(quotes) else None
        shift = body_start.get(doc_id, 0)
        spans = []
        if doc_quotes is not None:
            spans = [((int(s) + shift, int(e) + shift), sp) for s, e, sp in
                     zip(doc_quotes["start"], doc_quotes["end"], doc_quotes["speaker"], strict=True)]
        used: set[int] = set()
        for q in article.get("quotes", []):
            if not is_reference(q.get("speaker_mention"), q.get("speaker")):
                continue
            ref_total += 1
            best, best_iou = None, 0.5
            for n, (span, _) in enumerate(spans):
                iou = _iou(span, (q["start"], q["end"]))
                if n not in used and iou >= best_iou:
                    best, best_iou = n, iou
            predicted_speaker = None
            if best is not None:
                used.add(best)
                ref_found += 1
                predicted_speaker = spans[best][1]
                ref_correct += names_match(predicted_speaker, q["speaker"])
            ref_cases.append({"doc_id": doc_id, "mention": q["speaker_mention"], "gold": q["speaker"],
                              "predicted": predicted_speaker if isinstance(predicted_speaker, str) else None,
                              "found": best is not None,
                              "correct": best is not None and names_match(predicted_speaker, q["speaker"])})
        by_speaker = {}
        if doc_quotes is not None and len(doc_quotes):
            by_speaker = {str(k): int(v) for k, v in doc_quotes["speaker"].dropna().value_counts().items()}
        articles.append({"doc_id": doc_id, **scores, "missed": missed, "extra": extra,
                         "matched": [list(p) for p in pairs], "quotes_by_speaker": by_speaker})
    micro = _prf(totals["tp"], totals["fp"], totals["fn"])
    macro_f1 = round(sum(a["f1"] for a in articles) / len(articles), 4) if articles else 0.0
    return {
        "gold": str(gold_path),
        "articles": articles,
        "people": {**micro, "macro_f1": macro_f1, "n_articles": len(articles)},
        "reference_speakers": {
            "n_gold": ref_total, "n_found": ref_found, "n_correct": ref_correct,
            "accuracy": round(ref_correct / ref_found, 4) if ref_found else 0.0,
            "accuracy_all": round(ref_correct / ref_total, 4) if ref_total else 0.0,
            "cases": ref_cases,
        },
    }


def format_report(report: dict) -> str:
    """The report as plain text."""
    p, r = report["people"], report["reference_speakers"]
    lines = [
        f"people ({report['gold']}, {p['n_articles']} articles): P {p['precision']:.3f}  R {p['recall']:.3f}  "
        f"F1 {p['f1']:.3f} (micro; macro F1 {p['macro_f1']:.3f}; tp {p['tp']} fp {p['fp']} fn {p['fn']})",
        f"pronoun/role-noun speakers: {r['n_correct']}/{r['n_found']} correct of the found quotes "
        f"(accuracy {r['accuracy']:.3f}); {r['n_found']}/{r['n_gold']} gold quotes found "
        f"(correct of all gold {r['accuracy_all']:.3f})",
        "",
    ]
    for a in report["articles"]:
        lines.append(f"{a['doc_id']}: P {a['precision']:.2f} R {a['recall']:.2f} F1 {a['f1']:.2f}")
        if a["missed"]:
            lines.append(f"  missed: {', '.join(a['missed'])}")
        if a["extra"]:
            lines.append(f"  extra:  {', '.join(a['extra'])}")
        if a["quotes_by_speaker"]:
            lines.append("  quotes: " + ", ".join(f"{k} {v}" for k, v in a["quotes_by_speaker"].items()))
    wrong = [c for c in r["cases"] if not c["correct"]]
    if wrong:
        lines.append("")
        lines.append("pronoun/role-noun speakers not attributed correctly:")
        for c in wrong:
            state = f"predicted {c['predicted']!r}" if c["found"] else "quote not found"
            lines.append(f"  {c['doc_id']}: {c['mention']!r} → gold {c['gold']!r}, {state}")
    return "\n".join(lines)
