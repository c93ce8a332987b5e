"""Learning the data-driven parts of the rules from annotated texts (`citat learn cues`).

Only the `tune` half of the gold files is used (`pipeline.evaluation.split`); the `test` half is what
the README's dev figures are measured on.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.evaluation.gold import read_gold_jsonl
from pipeline.evaluation.runs import tables_for_gold
from pipeline.evaluation.split import bucket, in_split
from pipeline.stages.quotes.cue_learning import count_cues, write_learned


def learn_cues(gold_files: list[Path], split: str = "tune", model: str | None = None,
               out: Path | None = None) -> tuple[Path, Counter]:
    """Count, over the gold files' `split` half, how often each verb's att/om clause is a gold quote."""
    counts: Counter = Counter()
    for gold_file in gold_files:
        tables = tables_for_gold(gold_file, None, model)
        gold = _gold_spans(gold_file, _shifts(tables), lambda d: in_split(d, split))
        counts.update(count_cues(tables["tokens"], gold))
    return write_learned(counts, [Path(g).name for g in gold_files], out), counts


def _shifts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """doc_id -> characters before `documents.text` in the raw text the gold offsets refer to."""
    documents = tables["documents"]
    return dict(zip(documents["doc_id"], documents["body_start"].fillna(0), strict=True))


def _gold_spans(gold_file: Path, shift: dict, keep) -> dict[str, list[tuple[int, int, bool]]]:
    """Gold indirect and mixed quotes of the documents `keep` accepts, in `documents.text` offsets."""
    gold = {}
    for record in read_gold_jsonl(gold_file):
        doc_id = str(record.get("doc_id", record.get("id")))
        if doc_id in shift and keep(doc_id):
            offset = int(shift[doc_id])
            gold[doc_id] = [(int(q["start"]) - offset, int(q["end"]) - offset, bool(q.get("optional")))
                            for q in record.get("quotes", []) if q.get("kind") in ("indirect", "mixed")]
    return gold


def cross_validate(gold_files: list[Path], k: int, model: str | None = None) -> dict:
    """k-fold cross-validation of what is learned (the cues): every document is scored with cues learned
    from the other folds only (documents go to folds by the MD5 of their doc_id). Returns the report of
    `pipeline.evaluation.quotes.evaluate_many` over all documents."""
    from pipeline.evaluation.quotes import evaluate_many
    from pipeline.lexicon.verbs import learned_cues_as, select_learned
    from pipeline.stages.people import people_stage
    from pipeline.stages.quotes import quotes_stage

    prepared = []
    for gold_file in gold_files:
        tables = tables_for_gold(gold_file, None, model)
        prepared.append((gold_file, tables, _shifts(tables)))
    found: dict[Path, list] = {g: [] for g in gold_files}
    for fold in range(k):
        counts: Counter = Counter()
        for gold_file, tables, shift in prepared:
            others = _gold_spans(gold_file, shift, lambda d, f=fold: bucket(d, k) != f)
            counts.update(count_cues(tables["tokens"], others))
        keys = select_learned({key: (counts[(key, "hit")], counts[(key, "candidate")]) for key, _ in counts})
        with learned_cues_as(keys):
            for gold_file, tables, _ in prepared:
                part = {name: frame[frame["doc_id"].map(lambda d, f=fold: bucket(d, k) == f)]
                        for name, frame in tables.items() if name in ("documents", "paragraphs", "tokens",
                                                                       "entities")}
                quotes = quotes_stage(documents=part["documents"], paragraphs=part["paragraphs"],
                                      tokens=part["tokens"], entities=part["entities"], nlp=None)["quotes"]
                linked = people_stage(iter([part["documents"]]), part["entities"], quotes, None)
                found[gold_file].append(linked["linked_quotes"])
    runs = [(g, {"documents": tables["documents"], "quotes": pd.concat(found[g], ignore_index=True)})
            for g, tables, _ in prepared]
    report = evaluate_many(runs, "all")
    report["folds"] = k
    return report
