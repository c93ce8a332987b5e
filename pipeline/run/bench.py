"""`citat bench --whole`: the whole run against the bare model, on the same text, in one invocation.

What a user asks is how much slower `citat run` is than the spaCy model alone, and what more cores give.
Each measurement runs in a fresh process, one after the other on the same documents:
- `baseline`: the bare pipeline, `nlp.pipe` over the documents' paragraphs in one process (what a spaCy
  user would run); its words/s count the time of `nlp.pipe` only, not the loading of the model;
- `run, N workers`: `citat run` into a new run directory, timed from the start of the process to the
  end of the last stage (start-up, model loading and every stage included).

For each: words/s (whitespace words of the documents, the same count for all), the ratio to the
baseline, the peak resident memory of the main process and of the largest worker, and the seconds of
each stage. The texts are the regeringen corpus or absabank-imm paragraphs from SHARED/corpora; `repeat_to`
repeats them (with new ids) up to that many documents, to show memory against corpus size.
"""

from __future__ import annotations

import gzip
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.errors import InputError

CORPORA = ("regeringen", "absabank")


def corpus_records(shared: Path, corpus: str) -> list[dict]:
    """The texts of a corpus of SHARED/corpora as documents' records (`id`, `text`, `date`, `title`)."""
    folder = shared / "corpora" if (shared / "corpora").is_dir() else shared
    if corpus == "regeringen":
        files = sorted((folder / "regeringen").glob("*.jsonl.gz"))
        if not files:
            raise InputError(f"{folder / 'regeringen'}: no *.jsonl.gz corpus there")
        records = []
        for path in files:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                records.extend({"id": r["id"], "text": r["text"], "date": r.get("date"), "title": r.get("title"),
                                "source": r.get("genre")}
                               for r in map(json.loads, handle) if r.get("text"))
        return records
    if corpus == "absabank":
        from pipeline.model.corpora import read_absabank_texts

        texts = read_absabank_texts(folder / "absabank-imm")
        if not texts:
            raise InputError(f"{folder / 'absabank-imm'}: no absabank-imm texts there")
        return [{"id": f"absa{n}", "text": text} for n, text in enumerate(texts)]
    raise InputError(f"unknown corpus {corpus!r}; choose one of {', '.join(CORPORA)}")


def write_corpus(shared: Path, corpus: str, path: Path, documents: int | None = None,
                 repeat_to: int | None = None) -> dict:
    """The benchmark's documents as one JSONL file: the first `documents` of the corpus (all by
    default), repeated with new ids up to `repeat_to` documents; returns their counts."""
    records = corpus_records(Path(shared), corpus)[:documents]
    wanted = repeat_to or len(records)
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for n, record in enumerate(itertools.islice(itertools.cycle(records), wanted)):
            copy = n // len(records)
            row = dict(record, id=f"{record['id']}#{copy}" if copy else record["id"])
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            words += len(record["text"].split())
    return {"corpus": corpus, "documents": wanted, "words": words}


def _peaks() -> dict:
    """The peak resident memory of this process and of the largest of its (finished) workers, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb": max(own, children), "peak_main_mb": own, "peak_worker_mb": children or None}


def baseline(corpus: str, model: str | None = None, batch_size: int = 64) -> dict:
    """In a fresh process: `nlp.pipe` over the paragraphs of the documents in the JSONL file `corpus`."""
    from pipeline.model.loading import load_nlp
    from pipeline.text import split_paragraphs

    texts = [json.loads(line)["text"] for line in Path(corpus).open(encoding="utf-8")]
    paragraphs = [text[p.start : p.end] for text in texts for p in split_paragraphs(text)]
    started = time.perf_counter()
    nlp = load_nlp(model)
    loaded = time.perf_counter()
    for _ in nlp.pipe(paragraphs, batch_size=batch_size):
        pass
    finished = time.perf_counter()
    return {"seconds": finished - loaded, "load_seconds": loaded - started, **_peaks(), "stages": {}}


def whole_run(corpus: str, out: str, workers: int, model: str | None = None, batch_size: int = 100) -> dict:
    """In a fresh process: `citat run` of the JSONL file `corpus` into `out` with `workers` workers."""
    from pipeline.run import runner, store

    started = time.perf_counter()
    runner.run_all(Path(out), runner.Options(inputs=[Path(corpus)], model=model, quiet=True,
                                             batch_size=batch_size, workers=workers))
    state = store.read_state(Path(out))
    return {"seconds": time.perf_counter() - started, **_peaks(),
            "stages": {name: record["seconds"] for name, record in state["stages"].items()}}


def _in_fresh_process(function: str, **arguments: object) -> dict:
    code = ("import json, sys, time; started = time.perf_counter(); from pipeline.run import bench; "
            f"result = bench.{function}(**json.loads(sys.argv[1])); "
            "result['process_seconds'] = time.perf_counter() - started; print(json.dumps(result))")
    process_started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, json.dumps(arguments)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench.{function} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - process_started
    return result


def run_whole_benchmark(shared: Path, corpus: str = "regeringen", documents: int | None = None,
                        repeat_to: int | None = None, workers: tuple[int, ...] = (1, 2),
                        model: str | None = None, batch_size: int = 100, with_baseline: bool = True) -> dict:
    """The baseline, then a whole run per worker count, on the same documents (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="citat-bench-") as folder:
        path = Path(folder) / f"{corpus}.jsonl"
        facts = write_corpus(Path(shared), corpus, path, documents, repeat_to)
        results = {"baseline": _in_fresh_process("baseline", corpus=str(path), model=model)} if with_baseline else {}
        for n in workers:
            result = _in_fresh_process("whole_run", corpus=str(path), out=str(Path(folder) / f"run{n}"),
                                       workers=n, model=model, batch_size=batch_size)
            results[f"run, {n} worker{'s' if n > 1 else ''}"] = dict(result, seconds=result["process_seconds"])
    base = results["baseline"]["seconds"] if with_baseline else None
    for result in results.values():
        result["words_per_s"] = facts["words"] / result["seconds"]
        result["ratio_to_baseline"] = base / result["seconds"] if base else None
        outside = sum(s for name, s in result["stages"].items() if name != "segment")
        result["outside_model_ms_per_doc"] = 1000 * outside / facts["documents"] if result["stages"] else None
    return {**facts, "batch_size": batch_size, "results": results}


def format_whole(report: dict) -> str:
    """The benchmark as a table a person reads."""
    lines = [f"{report['corpus']}: {report['documents']:,} documents, {report['words']:,} words "
             f"(batch size {report['batch_size']})",
             f"{'':<18} {'seconds':>8} {'words/s':>9} {'× base':>7} {'main MB':>8} {'worker MB':>9} {'ms/doc*':>8}"
             "  stages (s)"]
    for name, r in report["results"].items():
        stages = ", ".join(f"{s} {v:.1f}" for s, v in r["stages"].items())
        per_doc = f"{r['outside_model_ms_per_doc']:.2f}" if r["outside_model_ms_per_doc"] is not None else "—"
        ratio = f"{r['ratio_to_baseline']:.2f}" if r["ratio_to_baseline"] else "—"
        worker = f"{r['peak_worker_mb']:,.0f}" if r.get("peak_worker_mb") else "—"
        lines.append(f"{name:<18} {r['seconds']:>8.1f} {r['words_per_s']:>9,.0f} {ratio:>7} "
                     f"{r['peak_main_mb']:>8,.0f} {worker:>9} {per_doc:>8}  {stages}")
    lines.append("baseline: nlp.pipe only (model loading excluded); runs: the whole process, start-up included.")
    lines.append("* ms/doc: the stage seconds outside segment (the model), per document, summed over the stages.")
    return "\n".join(lines)
