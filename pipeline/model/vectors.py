"""Static subword vectors (floret) trained on the raw Swedish text of `../shared/corpora/`.

floret stores only hashed character n-gram rows, so every word, one never seen included, gets a vector
from a table of fixed size (`BUCKETS` x `DIMENSIONS` floats). One training thread keeps the result
deterministic for a fixed seed.

    python -m pipeline.model.vectors ../shared/corpora models/vectors/sv_floret
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

RAW_CORPORA = {
    "regeringen": "regeringen-2014-2024.jsonl.gz",
    "riksdagen-interpellations": "interpellations-1994-2024.jsonl.gz",
    "uu-novels": "uu-novels-1800-1940.jsonl.gz",
}
DIMENSIONS = 100
BUCKETS = 50_000
HASH_COUNT = 2
MIN_N, MAX_N = 4, 5
EPOCHS = 5
_WORD = re.compile(r"\w+(?:[-:']\w+)*|[^\w\s]")


def raw_lines(corpora: Path) -> Iterator[str]:
    """Each paragraph of the raw corpora as one line of space-separated tokens."""
    for folder, name in RAW_CORPORA.items():
        with gzip.open(corpora / folder / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"].replace("\u00ad", "")
                for paragraph in re.split(r"\n\s*\n", text):
                    tokens = _WORD.findall(paragraph)
                    if len(tokens) > 2:
                        yield " ".join(tokens)


def train_vectors(corpora: Path, out: Path, *, threads: int = 1) -> dict:
    """Train floret vectors on `corpora`; writes `out.floret` (text rows for `spacy init vectors --mode floret`)."""
    import floret

    out.parent.mkdir(parents=True, exist_ok=True)
    text_file = out.with_suffix(".txt")
    words = 0
    with text_file.open("w", encoding="utf-8") as handle:
        for line in raw_lines(corpora):
            words += line.count(" ") + 1
            handle.write(line + "\n")
    started = time.perf_counter()
    model = floret.train_unsupervised(
        str(text_file), model="cbow", mode="floret", dim=DIMENSIONS, bucket=BUCKETS, hashCount=HASH_COUNT,
        minn=MIN_N, maxn=MAX_N, epoch=EPOCHS, thread=threads, minCount=5, verbose=0)
    model.save_floret_vectors(str(out.with_suffix(".floret")))
    text_file.unlink()
    return {"words": words, "seconds": round(time.perf_counter() - started, 1), "dimensions": DIMENSIONS,
            "buckets": BUCKETS, "corpora": sorted(RAW_CORPORA)}


if __name__ == "__main__":
    print(json.dumps(train_vectors(Path(sys.argv[1]), Path(sys.argv[2]))))
