"""Write data/gold/regeringen-extra.jsonl … -extra5.jsonl and -tune5 … -tune13 (git-ignored) from their
annotations and the regeringen corpus.

The corpus texts may not be shipped with the project (../shared/corpora/regeringen/README.md), so the
annotations (`NAME.offsets.jsonl`) hold offsets and speakers but no text; this puts the texts and the quoted
words back in. Usage: python data/gold/build_regeringen_extra.py ../shared
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


NAMES = ("regeringen-extra", "regeringen-extra2", "regeringen-extra3", "regeringen-extra4", "regeringen-extra5",
         "regeringen-tune5", "regeringen-tune6", "regeringen-tune7", "regeringen-tune8", "regeringen-tune9",
         "regeringen-tune10", "regeringen-tune11", "regeringen-tune12", "regeringen-tune13")


def build(shared: Path) -> list[Path]:
    corpus = shared / "corpora" / "regeringen" / "regeringen-2014-2024.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        texts = {record["id"]: record["text"] for record in map(json.loads, f)}
    return [_build(name, texts) for name in NAMES]


def _build(name: str, texts: dict[str, str]) -> Path:
    out = HERE / f"{name}.jsonl"
    with (HERE / f"{name}.offsets.jsonl").open(encoding="utf-8") as f, out.open("w", encoding="utf-8") as w:
        for line in f:
            record = json.loads(line)
            text = texts[record.pop("corpus_id")]
            quotes = [{**q, "quote": text[q["start"]:q["end"]]} for q in record["quotes"]]
            w.write(json.dumps({"doc_id": record["doc_id"], "text": text, "quotes": quotes,
                                "people": record["people"]}, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    for path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")):
        print(path)
