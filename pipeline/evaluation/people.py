"""Score the people stage against gold articles (JSON Lines, see /work/shared/gold/GUIDELINE.md).

Three measures, per gold file (and, for several files, in total), on all documents or one half of the fixed
dev split (`pipeline.evaluation.split`: `tune` to write rules on, `test` to report):
- people: per article, the persons the run links to the article (PER mentions and person quote
  speakers) against the gold `people`; a predicted and a gold person match when their names are equal
  or share their last word (case-insensitive), one-to-one. Precision, recall and F1 per article, summed
  over articles (micro) and averaged (macro); the false and the missed people are listed.
- gender: the gold has no gender, so it is taken where the gold or the text makes it clear: a gold quote
  of the person whose speaker_mention is `han`/`hon`, or a sentence that names the person and no other
  gold person and, after the name, a third-person pronoun (`han`, `hennes`), or is followed by a sentence
  that starts with `Han`/`Hon`; a person with evidence of both genders is
  left out. Accuracy = matched persons whose predicted gender is that one (`unknown` counts as wrong);
  `accuracy_known` leaves out the persons predicted `unknown`.
- reference speakers: gold quotes whose `speaker_mention` is a pronoun or a role noun (`han`, `hon`,
  `presidenten`, `tankesmedjan`, `facket`: one word that is not part of the speaker's name). A
  predicted quote matches a gold quote when their spans overlap with IoU ≥ 0.5 (predicted offsets are
  shifted by the document's `body_start`); it is correct when the speaker names are equal or share
  their last word.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.evaluation.gold import read_gold_jsonl
from pipeline.evaluation.split import in_split
from pipeline.lexicon.names import person_pronouns

GENDER_PRONOUNS = {"han": "male", "hon": "female"}
PRONOUN_GENDER = {"han": "male", "honom": "male", "hans": "male", "hon": "female", "henne": "female",
                  "hennes": "female"}
# a pronoun after the name, not in an attribution that names a speaker of its own (`…till Fidel, säger hon`)
PRONOUN_AFTER = re.compile(r"(?<![\w-])(han|honom|hans|hon|henne|hennes)(?![\w-])")
ATTRIBUTION_BEFORE = re.compile(r",\s*[^\W\d_]+\s+$")
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


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
    return list(_predicted(tables, doc_id).values())


def _predicted(tables: dict[str, pd.DataFrame], doc_id: str) -> dict[str, str]:
    """person_id -> name of the persons the run links to one document."""
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
    return found


def gold_genders(article: dict) -> dict[str, str]:
    """Gold person name -> female/male where the gold or the text makes it clear (see the module docstring)."""
    people = [p["name"] for p in article.get("people", []) if isinstance(p.get("name"), str)]
    votes: dict[str, Counter] = {name: Counter() for name in people}
    for q in article.get("quotes", []):
        mention = str(q.get("speaker_mention") or "").strip().casefold()
        speaker = q.get("speaker")
        if mention in GENDER_PRONOUNS:
            for name in people:
                if names_match(name, speaker):
                    votes[name][GENDER_PRONOUNS[mention]] += 1
    forms = {}
    for p in article.get("people", []):
        if not isinstance(p.get("name"), str):
            continue
        words = [p["name"], p["name"].split()[-1]] + [v for v in p.get("variants", []) if isinstance(v, str)]
        words = [w for w in words if w.casefold() not in person_pronouns() and w[:1].isupper()]
        forms[p["name"]] = re.compile("|".join(r"(?<![\w-])" + re.escape(w) for w in sorted(set(words), key=len,
                                                                                            reverse=True)))
    sentences = [m.group(0) for m in SENTENCE.finditer(article.get("text", ""))]
    for this, following in zip(sentences, sentences[1:] + [""], strict=True):
        named = [(name, found) for name, form in forms.items() if (found := form.search(this))]
        if len(named) != 1:
            continue
        name, found = named[0]
        later = [m.group(1) for m in PRONOUN_AFTER.finditer(this, found.end())
                 if not ATTRIBUTION_BEFORE.search(this, 0, m.start())]
        pronoun = re.match(r"\s*(Han|Hon)\b", following)
        for word in later + ([pronoun.group(1)] if pronoun else []):
            votes[name][PRONOUN_GENDER[word.casefold()]] += 1
    return {name: next(iter(v)) for name, v in votes.items() if len(v) == 1}


def _gender_scores(cases: list[dict]) -> dict:
    known = [c for c in cases if c["predicted"] != "unknown"]
    correct = sum(c["predicted"] == c["gold"] for c in cases)
    return {"n_gold": len(cases), "n_correct": correct, "n_unknown": len(cases) - len(known),
            "n_wrong": len(known) - correct,
            "accuracy": round(correct / len(cases), 4) if cases else 0.0,
            "accuracy_known": round(correct / len(known), 4) if known else 0.0}


def evaluate_people(gold_path: Path, tables: dict[str, pd.DataFrame], split: str = "all") -> dict:
    """The report (JSON-serialisable) for the gold articles in `gold_path` (those of `split`) and a run's tables."""
    gold_articles = [a for a in read_gold_jsonl(gold_path) if in_split(a.get("doc_id"), split)]
    people = tables.get("people")
    genders = {}
    if people is not None and len(people) and "gender" in people:
        genders = dict(zip(people["person_id"], people["gender"], strict=True))
    gender_cases = []
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
        found = _predicted(tables, doc_id) if doc_id in body_start else {}
        predicted = list(found.values())
        pairs, missed, extra = _match_people(gold_names, predicted)
        pid_of = {name: pid for pid, name in found.items()}
        gold_gender = gold_genders(article)
        for g, p in pairs:
            if g in gold_gender:
                value = genders.get(pid_of.get(p))
                gender_cases.append({"doc_id": doc_id, "gold_name": g, "name": p, "gold": gold_gender[g],
                                     "predicted": value if isinstance(value, str) else "unknown"})
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
        "split": split,
        "articles": articles,
        "people": {**micro, "macro_f1": macro_f1, "n_articles": len(articles)},
        "gender": {**_gender_scores(gender_cases), "cases": gender_cases},
        "reference_speakers": {
            "n_gold": ref_total, "n_found": ref_found, "n_correct": ref_correct,
            "accuracy": round(ref_correct / ref_found, 4) if ref_found else 0.0,
            "accuracy_all": round(ref_correct / ref_total, 4) if ref_total else 0.0,
            "cases": ref_cases,
        },
    }


def evaluate_many(runs: list[tuple[Path, dict[str, pd.DataFrame]]], split: str = "all") -> dict:
    """Reports for several gold files (each with the tables of its run) and their total."""
    files = [evaluate_people(path, tables, split) for path, tables in runs]
    totals = Counter()
    for f in files:
        totals.update({k: f["people"][k] for k in ("tp", "fp", "fn")})
    cases = [c for f in files for c in f["gender"]["cases"]]
    return {"split": split, "files": files, "people": _prf(totals["tp"], totals["fp"], totals["fn"]),
            "gender": _gender_scores(cases)}


def _summary_line(report: dict) -> str:
    p, g = report["people"], report["gender"]
    return (f"P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f} (tp {p['tp']} fp {p['fp']} fn {p['fn']}); "
            f"gender {g['n_correct']}/{g['n_gold']} (accuracy {g['accuracy']:.3f}, {g['n_unknown']} unknown, "
            f"{g['n_wrong']} wrong)")


def format_many(report: dict) -> str:
    """Several files: one line each, the total, then each file's report."""
    lines = [f"people, split {report['split']}:"]
    for f in report["files"]:
        lines.append(f"  {Path(f['gold']).name:<28} {f['people']['n_articles']:>5} articles  {_summary_line(f)}")
    lines.append(f"  {'total':<28} {'':>14}  {_summary_line(report)}")
    lines.append("")
    return "\n".join(lines + [format_report(f) + "\n" for f in report["files"]])


def format_report(report: dict) -> str:
    """The report as plain text."""
    p, r, g = report["people"], report["reference_speakers"], report["gender"]
    split = f", split {report['split']}" if report.get("split", "all") != "all" else ""
    lines = [
        f"people ({report['gold']}{split}, {p['n_articles']} articles): P {p['precision']:.3f}  R {p['recall']:.3f}  "
        f"F1 {p['f1']:.3f} (micro; macro F1 {p['macro_f1']:.3f}; tp {p['tp']} fp {p['fp']} fn {p['fn']})",
        f"gender: {g['n_correct']}/{g['n_gold']} correct (accuracy {g['accuracy']:.3f}; {g['n_unknown']} unknown, "
        f"{g['n_wrong']} wrong; accuracy where a gender was given {g['accuracy_known']:.3f})",
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
    false = [f"{name} ({a['doc_id']})" for a in report["articles"] for name in a["extra"]]
    missed = [f"{name} ({a['doc_id']})" for a in report["articles"] for name in a["missed"]]
    for title, items in ((f"false people ({len(false)})", false), (f"missed people ({len(missed)})", missed)):
        if items:
            lines += ["", f"{title}:"] + [f"  {item}" for item in items]
    wrong_gender = [c for c in g["cases"] if c["predicted"] != c["gold"]]
    if wrong_gender:
        lines += ["", "gender not right:"]
        lines += [f"  {c['doc_id']}: {c['name']}: gold {c['gold']}, predicted {c['predicted']}" for c in wrong_gender]
    wrong = [c for c in r["cases"] if not c["correct"]]
    if wrong:
        lines.append("")
        lines.append("pronoun/role-noun speakers not attributed correctly:")
        for c in wrong:
            state = f"predicted {c['predicted']!r}" if c["found"] else "quote not found"
            lines.append(f"  {c['doc_id']}: {c['mention']!r} → gold {c['gold']!r}, {state}")
    return "\n".join(lines)
