"""Throughput and memory of a spaCy pipeline on realistic text (absabank-imm paragraphs)."""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

from spacy.language import Language

from pipeline.model.corpora import read_absabank_texts

DEFAULT_ABSABANK = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "absabank-imm"


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc), else the peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_absabank(folder: Path | str = DEFAULT_ABSABANK, splits=("train", "dev", "test")) -> list[str]:
    """The text fields of the absabank-imm JSONL files."""
    return read_absabank_texts(folder, splits)


def benchmark(texts: list[str], nlp: Language, batch_size: int = 64, n_process: int = 1,
              warmup: int = 20, limit_words: int | None = None) -> dict:
    """Process ``texts`` with ``nlp.pipe`` and report words/s (non-space tokens), time and memory."""
    if limit_words:
        out, n = [], 0
        for t in texts:
            out.append(t)
            n += len(t.split())
            if n >= limit_words:
                break
        texts = out
    for _ in nlp.pipe(texts[:warmup], batch_size=batch_size):
        pass
    rss_before = _rss_mb()
    n_words = 0
    n_docs = 0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        n_words += sum(1 for t in doc if not t.is_space)
        n_docs += 1
    seconds = time.perf_counter() - t0
    return {
        "n_docs": n_docs,
        "n_words": n_words,
        "n_chars": sum(len(t) for t in texts),
        "seconds": seconds,
        "words_per_s": n_words / seconds if seconds else 0.0,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "pipeline": list(nlp.pipe_names),
        "batch_size": batch_size,
        "n_process": n_process,
    }


def run_benchmark(shared: Path | str, model: str | None = None, max_words: int | None = 50_000,
                  batch_size: int = 64, segmenter: str = "spacy", stanza_dir: str | None = None,
                  repeat: int = 1) -> dict:
    """Load the pipeline (timed) and benchmark it on SHARED/corpora/absabank-imm texts.

    With ``repeat`` > 1 the text is processed that many times and ``words_per_s`` is the median of
    the runs (``runs_words_per_s`` lists them all): on a shared machine single runs vary a lot."""
    from pipeline.model.blas import blas_description
    from pipeline.model.loading import load_nlp, model_identity

    shared = Path(shared)
    folder = shared / "corpora" / "absabank-imm" if (shared / "corpora").is_dir() else shared / "absabank-imm"
    texts = read_absabank(folder)
    t0 = time.perf_counter()
    nlp = load_nlp(model, segmenter=segmenter, stanza_dir=stanza_dir)
    load_s = time.perf_counter() - t0
    runs = [benchmark(texts, nlp, batch_size=batch_size, limit_words=max_words) for _ in range(max(1, repeat))]
    speeds = sorted(r["words_per_s"] for r in runs)
    result = dict(runs[-1], words_per_s=statistics.median(speeds), runs_words_per_s=speeds,
                  peak_rss_mb=max(r["peak_rss_mb"] for r in runs))
    result["load_seconds"] = load_s
    result["model"] = model_identity(nlp)
    result["blas"] = blas_description(nlp)
    return result
