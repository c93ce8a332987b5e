"""Learning the data-driven parts of the rules from annotated texts (`citat learn cues`).

Only the `tune` half of the gold files is used (`pipeline.evaluation.split`); the `test` half is what
the README's dev figures are measured on.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.evaluation.gold import read_gold_jsonl
from pipeline.evaluation.runs import tables_for_gold
from pipeline.evaluation.split import in_split
from pipeline.stages.quotes.cue_learning import count_cues, write_learned


def learn_cues(gold_files: list[Path], split: str = "tune", model: str | None = None,
               out: Path | None = None) -> tuple[Path, Counter]:
    """Count, over the gold files' `split` half, how often each verb's att/om clause is a gold quote."""
    counts: Counter = Counter()
    for gold_file in gold_files:
        tables = tables_for_gold(gold_file, None, model)
        shift = dict(zip(tables["documents"]["doc_id"], tables["documents"]["body_start"].fillna(0), strict=True))
        gold = {}
        for record in read_gold_jsonl(gold_file):
            doc_id = str(record.get("doc_id", record.get("id")))
            if not in_split(doc_id, split) or doc_id not in shift:
                continue
            offset = int(shift[doc_id])
            gold[doc_id] = [(int(q["start"]) - offset, int(q["end"]) - offset, bool(q.get("optional")))
                            for q in record.get("quotes", []) if q.get("kind") in ("indirect", "mixed")]
        counts.update(count_cues(tables["tokens"], gold, shift))
    return write_learned(counts, [Path(g).name for g in gold_files], out), counts
