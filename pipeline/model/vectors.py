"""Static subword vectors (floret) trained on the raw Swedish text of `../shared/corpora/`.

floret stores only hashed character n-gram rows, so every word, one never seen included, gets a vector
from a table of fixed size (`BUCKETS` x `DIMENSIONS` floats, 20 MB). One training thread keeps the result
deterministic. `citat train` trains them first and puts them in the model's vocab (`nlp.vocab.vectors`); the
NER's tok2vec reads them as features (since model 0.6.0: carved swedish-ner-corpus dev PER 0.859 -> 0.912),
and the quotes stage does, for the stance of a cue the lexicon does not list.

    python -m pipeline.model.vectors train ../shared/corpora training/vectors/sv_floret
    python -m pipeline.model.vectors attach models/sv_citat training/vectors/sv_floret.floret
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import srsly

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


SOURCES = [
    {"name": "regeringen (Swedish government texts 2014-2024, g0vse scrape)", "url": "https://github.com/civictechsweden/g0vse",
     "license": "none stated (official statements); used for the word vectors only", "used_for": "floret word vectors"},
    {"name": "riksdagen interpellations 1994-2024 (swerik-project)",
     "url": "https://github.com/swerik-project/riksdagen-interpellations",
     "license": "public records of the Riksdag", "used_for": "floret word vectors"},
    {"name": "UU Swedish Novels 1800-1940 (Litteraturbanken)", "url": "https://github.com/UppsalaNLP/UU_SwedishNovels_1800-1940",
     "license": "CC BY 4.0 / CC0 per work", "used_for": "floret word vectors"},
]


VECTORS_NOTE = (f"); floret subword vectors ({DIMENSIONS} dimensions, {BUCKETS:,} buckets) in the vocab, read "
                "by the NER's tok2vec.")


def load_into(nlp, floret_file: Path) -> None:
    """Replace `nlp.vocab.vectors` by the floret table of `floret_file` (spaCy's `init vectors --mode floret`)."""
    from spacy.training.initialize import convert_vectors

    convert_vectors(nlp, floret_file, truncate=0, prune=-1, mode="floret")
    nlp.vocab.vectors.name = "sv_citat_floret"


def pipeline_dir(work_dir: Path) -> Path:
    """A blank Swedish pipeline holding the floret vectors, which a config that reads static vectors is
    initialised from (``--paths.vectors``)."""
    return work_dir / "vectors" / "pipeline"


def ensure(corpora: Path, work_dir: Path, quiet: bool = False) -> Path:
    """The floret file of the raw corpora (trained once, into ``work_dir/vectors``), with its pipeline."""
    import spacy

    floret_file = work_dir / "vectors" / "sv_floret.floret"
    if not floret_file.exists():
        if not quiet:
            print(f"training floret vectors on the raw text into {floret_file}", file=sys.stderr)
        train_vectors(corpora, floret_file.with_suffix(""))
    if not (pipeline_dir(work_dir) / "config.cfg").exists():
        nlp = spacy.blank("sv")
        load_into(nlp, floret_file)
        nlp.to_disk(pipeline_dir(work_dir))
    return floret_file


def attach(model_dir: Path, floret_file: Path) -> dict:
    """Put the vectors into a saved pipeline (its vocab/vectors files and meta.json) without touching the rest."""
    import spacy

    nlp = spacy.blank("sv")
    load_into(nlp, floret_file)
    nlp.vocab.vectors.to_disk(model_dir / "vocab", exclude=["strings"])   # the vocab keeps its own strings
    meta_file = model_dir / "meta.json"
    meta = srsly.read_json(meta_file)
    describe(meta, nlp)
    srsly.write_json(meta_file, meta)     # as spaCy writes it
    return meta["vectors"]


def describe(meta: dict, nlp) -> None:
    """The vectors' entry of meta.json and their sources."""
    vectors = nlp.vocab.vectors
    meta["vectors"] = {"width": vectors.shape[1], "vectors": vectors.shape[0], "keys": 0, "name": vectors.name,
                       "mode": vectors.mode}
    meta["description"] = meta.get("description", "").replace("), no vectors.", VECTORS_NOTE)
    names = {s.get("name") for s in meta.get("sources", [])}
    meta.setdefault("sources", []).extend(s for s in SOURCES if s["name"] not in names)


if __name__ == "__main__":
    command, first, second = sys.argv[1:4]
    result = train_vectors(Path(first), Path(second)) if command == "train" else attach(Path(first), Path(second))
    print(json.dumps(result))
