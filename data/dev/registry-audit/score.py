"""Score a run's person registry against the audit labels of this folder.

    python data/dev/registry-audit/score.py RUN [tune|test|all] [--list]

RUN is a `citat run` of the whole regeringen corpus (`citat bench`'s corpus, `write_corpus` in
pipeline/run/bench.py). A labelled (document, name) pair counts as kept when the registry still has a person of
that name in that document. The half of a row is that of its name (`pipeline.evaluation.split.split_of`).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.evaluation.split import split_of

HERE = Path(__file__).resolve().parent
FILES = ("uniform.jsonl", "no-first-name.jsonl", "no-first-name-2.jsonl")


def main(run: Path, split: str = "all", listing: bool = False) -> None:
    people = pd.read_parquet(run / "people.parquet")
    people = people[people["kind"] == "person"]
    present = {(d, n) for n, ids in zip(people["name"], people["doc_ids"], strict=True) for d in ids.split("|")}
    for name in FILES:
        counts: Counter = Counter()
        for line in (HERE / name).open(encoding="utf-8"):
            row = json.loads(line)
            if split != "all" and split_of(row["name"]) != split:
                continue
            kept = (row["doc_id"], row["name"]) in present
            fixed = row["label"] == "wrong_span" and (row["doc_id"], row["correct"]) in present
            counts[row["label"], "kept" if kept else "fixed" if fixed else "gone"] += 1
            if listing and (row["label"] == "person") != kept:
                print(f"  {row['label']:<10} {'kept' if kept else 'gone'}  {row['name']}  ({row['why']})")
        persons = counts["person", "kept"] + counts["person", "gone"]
        others = counts["not_person", "kept"] + counts["not_person", "gone"]
        kept_rows = sum(v for (_, state), v in counts.items() if state == "kept")
        print(f"{name} ({split}): {sum(counts.values())} pairs; persons kept {counts['person', 'kept']}/{persons}; "
              f"non-persons gone {counts['not_person', 'gone']}/{others}; precision of the kept pairs "
              f"{counts['person', 'kept'] / max(kept_rows, 1):.3f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--list"]
    main(Path(args[0]), args[1] if len(args) > 1 else "all", "--list" in sys.argv)
