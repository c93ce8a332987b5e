"""The staged pipeline over a run directory: which stage reads and writes what, and when to skip it.

A stage is skipped when run.json shows it finished with the same fingerprint (its options, model and
the runs of the stages it depends on, or for `ingest` the content of the input files) and its output
tables are still there, unchanged. When a stage runs again, every later stage that depends on it
becomes stale too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline import __version__, entities, ingest, rundir, segment
from pipeline.progress import Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    uses_model: bool = False


STAGES = {
    s.name: s
    for s in (
        Stage("ingest", (), ("documents",)),
        Stage("segment", ("documents",), ("paragraphs", "sentences", "tokens"), uses_model=True),
        Stage("entities", ("documents", "tokens"), ("entities",)),
        Stage("quotes", ("documents", "paragraphs", "sentences", "tokens", "entities"), ("quotes",)),
        Stage("people", ("documents", "entities", "quotes"), ("people", "entities", "quotes")),
    )
}
ORDER = tuple(STAGES)


@dataclass
class Options:
    """What a run was asked to do; the parts that change results go into the fingerprints."""

    inputs: list[Path] = field(default_factory=list)
    model: str | None = None
    segmenter: str = "auto"
    stanza_dir: str | None = None
    batch_size: int = 200
    force: bool = False
    quiet: bool = False


class NothingToProcess(RuntimeError):
    """No input document could be read."""


def _producer(table: str) -> str:
    return next(name for name in ORDER if table in STAGES[name].writes)


def _hash(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _input_files_digest(inputs: Iterable[Path]) -> list[tuple[str, str]]:
    files, problems = ingest.collect_inputs(inputs)
    return [(str(p), rundir.file_sha256(p)) for p in files] + [(p.path, p.problem) for p in problems]


def fingerprint(stage: Stage, state: dict, options: Options, model_id: str | None) -> str:
    payload: dict = {"stage": stage.name, "code": __version__}
    if stage.name == "ingest":
        payload["inputs"] = _input_files_digest(options.inputs)
    if stage.uses_model:
        payload["model"] = model_id
    upstream = sorted({_producer(t) for t in stage.reads})
    payload["upstream"] = {name: state["stages"].get(name, {}).get("token") for name in upstream}
    return _hash(payload)


def is_fresh(stage: Stage, state: dict, run_dir: Path, print_: str) -> bool:
    record = state["stages"].get(stage.name)
    if not record or record.get("fingerprint") != print_:
        return False
    for table in stage.writes:
        path = rundir.table_path(run_dir, table)
        known = state["tables"].get(table, {}).get("sha256")
        if not path.exists() or rundir.file_sha256(path) != known:
            return False
    return True


def _model_id(options: Options) -> str:
    from pipeline import nlp

    segmenter, stanza_dir = nlp.resolve_segmenter(options.segmenter, options.stanza_dir)
    return f"{nlp.resolve_model(options.model)}|segmenter={segmenter}|{stanza_dir or ''}"


def run_stage(name: str, run_dir: Path, options: Options) -> str:
    """Run one stage unless it is up to date; returns 'ran' or 'skipped'."""
    stage = STAGES[name]
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    state = rundir.read_state(run_dir)
    if name == "ingest" and not options.inputs:
        raise ValueError("ingest needs at least one input path")
    for table in stage.reads:
        if not rundir.table_path(run_dir, table).exists():
            raise rundir.RunError(
                f"{rundir.table_path(run_dir, table)} does not exist: run `citat {_producer(table)}` first"
            )
    model_id = _model_id(options) if stage.uses_model else None
    print_ = fingerprint(stage, state, options, model_id)
    if not options.force and is_fresh(stage, state, run_dir, print_):
        log.info("%s: up to date, skipped (use --force to redo it)", name)
        return "skipped"
    started = time.perf_counter()
    extra = RUNNERS[name](run_dir, options, state)
    rows = {t: rundir.count_rows(rundir.table_path(run_dir, t)) for t in stage.writes}
    state["stages"][name] = {
        "fingerprint": print_,
        "token": uuid.uuid4().hex,
        "model": model_id,
        "seconds": round(time.perf_counter() - started, 3),
        "rows": rows,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        **extra,
    }
    for table in stage.writes:
        state["tables"][table] = {"sha256": rundir.file_sha256(rundir.table_path(run_dir, table)), "writer": name}
    rundir.write_state(run_dir, state)
    log.info("%s: %s in %.1fs", name, ", ".join(f"{n} {t}" for t, n in rows.items()), state["stages"][name]["seconds"])
    return "ran"


def run_all(run_dir: Path, options: Options, until: str = "people") -> dict[str, str]:
    """Run every stage in order up to `until`; a stage that ran makes the later ones run too."""
    outcome = {}
    for name in ORDER[: ORDER.index(until) + 1]:
        outcome[name] = run_stage(name, run_dir, options)
    return outcome


# --- the stages themselves -------------------------------------------------------------------------


def _run_ingest(run_dir: Path, options: Options, state: dict) -> dict:
    documents, problems = ingest.read_documents(options.inputs)
    skipped = [{"path": p.path, "problem": p.problem} for p in problems]
    state["skipped"] = skipped
    if documents.empty:
        rundir.write_state(run_dir, state)
        raise NothingToProcess("no document could be read: " + "; ".join(map(str, problems)))
    rundir.write_table(run_dir, "documents", documents)
    return {
        "inputs": [str(p) for p in options.inputs],
        "input_files": _input_files_digest(options.inputs),
        "skipped": skipped,
    }


def _batched(
    run_dir: Path,
    options: Options,
    outputs: tuple[str, ...],
    label: str,
    work: Callable[[pd.DataFrame], dict[str, pd.DataFrame]],
) -> None:
    """Apply `work` to the documents batch by batch, appending its tables to the outputs."""
    total = rundir.count_rows(rundir.table_path(run_dir, "documents"))
    with ExitStack() as stack:
        progress = stack.enter_context(Progress(label, total, quiet=options.quiet))
        append = {table: stack.enter_context(rundir.table_writer(run_dir, table)) for table in outputs}
        for documents in rundir.iter_documents(run_dir, options.batch_size):
            for table, frame in work(documents).items():
                append[table](frame)
            progress.advance(len(documents), int(documents["text"].str.split().str.len().sum()))


def _run_segment(run_dir: Path, options: Options, state: dict) -> dict:
    from pipeline import nlp as nlp_module

    nlp = nlp_module.load_nlp(options.model, segmenter=options.segmenter, stanza_dir=options.stanza_dir)
    _batched(run_dir, options, STAGES["segment"].writes, "segment", lambda docs: segment.segment(docs, nlp))
    return {"model_meta": {k: nlp.meta.get(k) for k in ("name", "version", "lang")}}


def _run_entities(run_dir: Path, options: Options, state: dict) -> dict:
    def work(docs: pd.DataFrame) -> dict[str, pd.DataFrame]:
        tokens = rundir.read_table(run_dir, "tokens", docs["doc_id"].tolist())
        return {"entities": entities.extract_entities(docs, tokens)}

    _batched(run_dir, options, ("entities",), "entities", work)
    return {}


def _run_quotes(run_dir: Path, options: Options, state: dict) -> dict:
    from pipeline import quotes

    def work(docs: pd.DataFrame) -> dict[str, pd.DataFrame]:
        ids = docs["doc_id"].tolist()
        tables = {
            name: rundir.read_table(run_dir, name, ids) for name in ("paragraphs", "sentences", "tokens", "entities")
        }
        return {
            "quotes": quotes.extract_quotes(
                docs, tables["paragraphs"], tables["sentences"], tables["tokens"], tables["entities"]
            )
        }

    _batched(run_dir, options, ("quotes",), "quotes", work)
    return {}


def _run_people(run_dir: Path, options: Options, state: dict) -> dict:
    """People are linked across the whole run, so this stage reads all entities and quotes at once; the
    document texts come batch by batch."""
    from pipeline import people

    linked = people.link_people(rundir.iter_documents(run_dir, options.batch_size),
                                rundir.read_table(run_dir, "entities"), rundir.read_table(run_dir, "quotes"))
    for table in ("entities", "quotes", "people"):
        rundir.write_table(run_dir, table, linked[table])
    return {}


RUNNERS: dict[str, Callable[[Path, Options, dict], dict]] = {
    "ingest": _run_ingest,
    "segment": _run_segment,
    "entities": _run_entities,
    "quotes": _run_quotes,
    "people": _run_people,
}
