"""Draw the audit samples of this folder from a run of the whole regeringen corpus.

    python data/dev/registry-audit/sample.py RUN uniform OUT 300        # (person, document) pairs, seed 7
    python data/dev/registry-audit/sample.py RUN no-first-name OUT 200  # persons without a known first name
    python data/dev/registry-audit/sample.py RUN no-first-name OUT 200 13 uniform.jsonl no-first-name.jsonl
                                    # round seven: another seed, leaving out the names labelled already

Each row holds the person, a document and up to three contexts of the person's mentions there ([[…]] marks
the mention), for whoever labels it.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pandas as pd

from pipeline.lexicon.names import is_first_name_like


def _contexts(text: str, rows: pd.DataFrame) -> list[str]:
    spans = list(zip(rows["start"], rows["end"], strict=True))[:3]
    return [text[max(0, s - 150):s].replace("\n", " ") + "[[" + text[s:e] + "]]" + text[e:e + 100].replace("\n", " ")
            for s, e in spans]


def main(run: Path, kind: str, out: Path, n: int, seed: int = 11, labelled: tuple[Path, ...] = ()) -> None:
    done = {json.loads(line)["name"] for path in labelled for line in path.open(encoding="utf-8")}
    people = pd.read_parquet(run / "people.parquet")
    mentions = pd.read_parquet(run / "linked_entities.parquet")
    texts = pd.read_parquet(run / "documents.parquet", columns=["doc_id", "text"]).set_index("doc_id")["text"]
    persons = people[people["kind"] == "person"]
    if kind == "uniform":
        pairs = [(p, name, d) for p, name, ids in zip(persons["person_id"], persons["name"], persons["doc_ids"],
                                                     strict=True) for d in ids.split("|")]
        random.Random(7).shuffle(pairs)
    else:
        hard = persons[[not is_first_name_like(str(name).split()[0]) and name not in done for name in persons["name"]]]
        rows = list(zip(hard["person_id"], hard["name"], hard["doc_ids"], strict=True))
        random.Random(seed).shuffle(rows)
        pairs = [(p, name, random.Random(p).choice(ids.split("|"))) for p, name, ids in rows]
    by_person = mentions[mentions["person_id"].notna()].groupby(["person_id", "doc_id"])
    with out.open("w", encoding="utf-8") as handle:
        for person_id, name, doc_id in pairs[:n]:
            rows = by_person.get_group((person_id, doc_id)).sort_values("start")
            record = {"person_id": person_id, "doc_id": doc_id, "name": name,
                      "contexts": _contexts(texts[doc_id], rows)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]) if sys.argv[5:] else 11,
         tuple(Path(__file__).parent / a for a in sys.argv[6:]))
