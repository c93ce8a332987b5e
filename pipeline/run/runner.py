"""Running the registered stages over a run directory, or in memory.

A stage is skipped when run.json shows it finished with the same fingerprint (`pipeline.run.fingerprint`:
its code, word lists, model, options and the content of the tables it reads) and its output tables are
still there, unchanged. Everything a stage does is derived from its `@stage` declaration.

A stage reads only tables that are as their writer left them (a damaged or edited one is a RunError
naming the stage to re-run), works in a run directory no other citat holds (`store.locked`), and
leaves run.json as it was when it fails.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from pipeline.errors import CitatError, InputError, NothingToProcess, RunError
from pipeline.run import calling, fingerprint, incremental, schema, store, workers
from pipeline.run.partitions import Partitions
from pipeline.run.progress import Progress
from pipeline.run.registry import Stage, stages, writer_of

if TYPE_CHECKING:                       # spaCy (and with it thinc and torch) loads only where a model runs
    from spacy.language import Language

log = logging.getLogger(__name__)


@dataclass
class Options:
    """What a run was asked to do; the parts that change results go into the fingerprints."""

    inputs: list[Path] = field(default_factory=list)
    model: str | None = None
    segmenter: str = "spacy"
    stanza_dir: str | None = None
    batch_size: int = 100
    force: bool = False
    quiet: bool = False
    workers: int = 1                    # worker processes for per-document stages (`pipeline.run.workers`)
    scheduler: str | None = None        # a Dask scheduler's address: its workers instead of local ones
    add: bool = False                   # ingest adds the inputs to the run's documents (`pipeline.run.incremental`)
    replace: bool = False               # with `add`: a known doc_id with new content replaces the old document

    @property
    def parallel(self) -> bool:
        return self.scheduler is not None or self.workers > 1


def order() -> tuple[str, ...]:
    return tuple(stages())


# ------------------------------------------------------------------------------------ fingerprints

def _model_choice(options: Options) -> dict:
    from pipeline.model import loading

    segmenter, stanza_dir = loading.resolve_segmenter(options.segmenter, options.stanza_dir)
    model = loading.resolve_model(options.model)
    return {"model": model, "segmenter": segmenter, "stanza_dir": stanza_dir or ""}


def _input_files(options: Options) -> list[tuple[str, str]]:
    from pipeline.stages.ingest import collect_inputs, shown

    files, problems = collect_inputs(options.inputs)
    return [(shown(p), _file_digest(p)) for p in files] + [(p.path, p.problem) for p in problems]


def _file_digest(path: Path) -> str:
    try:
        return store.file_sha256(path)
    except OSError as err:          # ingest names the file; the fingerprint only needs to be stable
        return f"unreadable: {err.strerror or err}"


def fingerprint_parts(declared: Stage, state: dict, options: Options,
                      input_files: list[tuple[str, str]] | None = None) -> dict:
    """What the stage's results depend on, part by part (run.json keeps them, so a re-run can say why).
    `input_files` (`_input_files`, for the stage that reads files) is passed in so the inputs are walked
    and hashed once per run of the stage."""
    modules = (declared.module, fingerprint.MODEL_CODE) if declared.uses_model else (declared.module,)
    parts: dict = {"code": fingerprint.code_digest(modules), "lexicons": fingerprint.lexicon_digest(declared.lexicons)}
    if declared.scope == "inputs":
        parts["inputs"] = fingerprint.hash_payload(input_files if input_files is not None else _input_files(options))
    if declared.uses_model:
        choice = _model_choice(options)
        parts["model"] = fingerprint.model_digest(choice["model"])
        parts["segmenter"] = f"{choice['segmenter']}|{choice['stanza_dir']}"
    for table in declared.reads:
        parts[f"table:{table}"] = state["tables"].get(table, {}).get("sha256")
    return parts


def check_reads(declared: Stage, state: dict, run_dir: Path) -> None:
    """Every table the stage reads must be as its writer left it (run.json has its SHA-256): a damaged
    or edited table is a RunError, not an up-to-date stage nor a stage run on bad data."""
    for table in declared.reads:
        path, known = store.table_path(run_dir, table), state["tables"].get(table, {}).get("sha256")
        again = f"run `citat {writer_of(table)} {run_dir} --force` (or `citat run`)"
        if known is None:
            raise RunError(f"{path}: not recorded in {store.STATE_FILE} as written by a finished stage; {again}")
        if store.file_sha256(path) != known:
            raise RunError(f"{path}: damaged or changed since `citat {writer_of(table)}` wrote it; {again}")


def is_fresh(declared: Stage, state: dict, run_dir: Path, parts: dict) -> bool:
    record = state["stages"].get(declared.name)
    if not record or record.get("fingerprint") != fingerprint.hash_payload(parts):
        return False
    for table in declared.writes:
        path = store.table_path(run_dir, table)
        known = state["tables"].get(table, {}).get("sha256")
        if not path.exists() or store.file_sha256(path) != known:
            return False
    return True


def _why_stale(declared: Stage, state: dict, parts: dict) -> str:
    before = state["stages"].get(declared.name, {}).get("parts")
    if not before:
        return "not run yet" if declared.name not in state["stages"] else "fingerprint changed"
    changed = [key.removeprefix("table:") for key in parts if before.get(key) != parts[key]]
    return "changed: " + ", ".join(changed) if changed else "its tables changed or are missing"


# ------------------------------------------------------------------------------------- running

def run_stage(name: str, run_dir: Path, options: Options) -> str:
    """Run one stage unless it is up to date; returns 'ran' or 'skipped'."""
    declared = stages().get(name)
    if declared is None:
        raise CitatError(f"no stage {name!r}; the stages are {', '.join(order())}")
    run_dir = Path(run_dir)
    if declared.scope == "inputs" and not options.inputs:
        raise InputError("ingest needs at least one input path")
    if declared.scope != "inputs":
        _check_run(run_dir, declared)
    store.read_state(run_dir)               # a file, or a run.json that is not citat's: a RunError first
    run_dir.mkdir(parents=True, exist_ok=True)
    with store.locked(run_dir):
        return _run_locked(declared, run_dir, options)


def _run_locked(declared: Stage, run_dir: Path, options: Options) -> str:
    name = declared.name
    state = store.read_state(run_dir)        # read again under the lock: another run may have written it
    incremental.finish_pending(run_dir, state)
    check_reads(declared, state, run_dir)
    input_files = _input_files(options) if declared.scope == "inputs" else None
    if declared.scope == "inputs" and (options.add or options.replace):
        added = _add(declared, run_dir, options, state, input_files or [])
        if added:
            return added
    parts = fingerprint_parts(declared, state, options, input_files)
    if not options.force and is_fresh(declared, state, run_dir, parts):
        log.info("%s: up to date, skipped (use --force to redo it)", name)
        return "skipped"
    started = time.perf_counter()
    extension = None if options.force else incremental.extension_of(declared, state, parts, run_dir)
    resources, extra = _resources(declared, options)  # a model that cannot load fails before any work
    log.info("%s: %s", name, f"extending ({extension.added} new documents)" if extension else
             "running (" + ("--force" if options.force else _why_stale(declared, state, parts)) + ")")
    key = fingerprint.hash_payload({"parts": parts, "batch_size": options.batch_size,
                                    "extension": extension.as_record("") if extension else None})
    before = {t: state["tables"].get(t, {}).get("sha256") for t in declared.writes}
    if declared.scope == "documents":
        extra.update(_batched(declared, run_dir, options, resources, key, extension))
    else:
        extra.update(_execute(declared, run_dir, options, state, resources, input_files))
    rows = {t: store.count_rows(store.table_path(run_dir, t)) for t in declared.writes}
    state["stages"][name] = {
        "fingerprint": fingerprint.hash_payload(parts),
        "parts": parts,
        "seconds": round(time.perf_counter() - started, 3),
        "rows": rows,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        **extra,
    }
    for table in declared.writes:
        state["tables"][table] = {"sha256": store.file_sha256(store.table_path(run_dir, table)), "writer": name}
        if extension:
            state["tables"][table]["extended"] = extension.as_record(before[table])
    if extension:
        state["stages"][name]["extended"] = extension.added
    store.write_state(run_dir, state)
    log.info("%s: %s in %.1fs", name, ", ".join(f"{n} {t}" for t, n in rows.items()), state["stages"][name]["seconds"])
    return "ran"


def _add(declared: Stage, run_dir: Path, options: Options, state: dict, input_files: list) -> str | None:
    """`--add`: the inputs join the run's documents ('ran' or 'skipped'); None where the run has no
    documents yet (then ingest reads the inputs as ever)."""
    if options.replace and not options.add or options.add and options.force:
        raise InputError("--replace goes with --add, and --add not with --force (which reads the inputs afresh)")
    if "documents" not in state["tables"]:
        return None
    outcome = incremental.add_documents(declared, run_dir, state, list(options.inputs), options.replace, input_files)
    addition = state["stages"][declared.name]["additions"][-1]
    log.info("%s: %d documents added, %d replaced, %d already there unchanged", declared.name,
             addition["added"], addition["replaced"], addition["unchanged"])
    return outcome


def _check_run(run_dir: Path, declared: Stage) -> None:
    if not run_dir.is_dir():
        raise RunError(f"{run_dir}: no such run directory; start one with `citat ingest INPUT --out {run_dir}`")
    for table in declared.reads:
        if not store.table_path(run_dir, table).exists():
            raise RunError(f"{store.table_path(run_dir, table)} does not exist: run `citat {writer_of(table)}` first")


def run_all(run_dir: Path, options: Options, until: str | None = None) -> dict[str, str]:
    """Run every stage in order up to `until` (default: all); up-to-date stages are skipped. The
    per-document stages share one pool of workers (started only if one of them runs)."""
    names = order()
    outcome = {}
    run_dir, holding = Path(run_dir), False
    with ExitStack() as held:
        held.enter_context(workers.pools(options.workers, options.scheduler))
        for name in names[: names.index(until) + 1 if until else len(names)]:
            if not holding and run_dir.is_dir():      # hold the directory from the first stage to the last
                held.enter_context(store.locked(run_dir))
                holding = True
            outcome[name] = run_stage(name, run_dir, options)
            give_back_memory()
    return outcome


def give_back_memory() -> None:
    """What a stage freed goes back to the system before the next stage starts: one process runs them all,
    and the heap a stage leaves behind would otherwise lift the next one's peak."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):        # not glibc: nothing to trim
        pass


def _resources(declared: Stage, options: Options) -> tuple[dict, dict]:
    """What the stage function gets besides tables (the loaded model), and what run.json says of it.
    Where workers will run every batch, this process only reads the model's meta.json."""
    if not declared.uses_model:
        return {}, {}
    if options.parallel and declared.scope == "documents":       # loaded by `_batched` if it runs here
        from pipeline.model import loading

        meta, resources = loading.model_meta(options.model, options.segmenter, options.stanza_dir), {}
    else:
        nlp = _load_model(options)
        meta, resources = nlp.meta, {"nlp": nlp}
    extra = {"model": _model_choice(options)["model"],
             "model_meta": {k: meta.get(k) for k in ("name", "version", "lang")},
             "segmenter": meta.get("segmenter", "spacy")}
    return resources, extra



def _execute(declared: Stage, run_dir: Path, options: Options, state: dict, resources: dict,
             input_files: list[tuple[str, str]] | None = None) -> dict:
    """Call an inputs or corpus stage and write its tables; returns extra facts for run.json."""
    if declared.scope == "inputs":
        return _execute_inputs(declared, run_dir, options, state, input_files or [])
    tables = {t: store.read_table(run_dir, t, columns=declared.columns_of(t)) for t in declared.reads
              if t != "documents"}
    total = store.count_rows(store.table_path(run_dir, "documents"))
    extra: dict = {}
    with Progress(declared.name, total, quiet=options.quiet) as progress, \
            workers.pools(options.workers, options.scheduler) as pools:
        if declared.uses_workers:
            pool = pools.get(-(-total // options.batch_size))
            resources = {**resources, "map_batches": workers.mapper(pool)}
            extra["workers"] = pool.workers if pool is not None else 1
        written = calling.call(declared, {"documents": _counted(run_dir, options, progress), **tables, **resources})
    for table, frame in written.items():
        store.write_table(run_dir, table, frame)
    return extra


def _execute_inputs(declared: Stage, run_dir: Path, options: Options, state: dict,
                    input_files: list[tuple[str, str]]) -> dict:
    """Read the inputs; run.json lists what was skipped (file by file, record by record) and repaired.

    When nothing could be read, run.json is left as it was if an earlier ingest's tables are there (its
    list of what was skipped belongs to them), and records this attempt's problems otherwise."""
    from pipeline.stages.ingest import shown

    written, problems = declared.function(inputs=list(options.inputs))
    skipped = [{"path": p.path, "problem": p.problem} for p in problems if p.kind != "repaired"]
    repaired = [{"path": p.path, "problem": p.problem} for p in problems if p.kind == "repaired"]
    documents = written["documents"]
    if documents.empty:
        if not store.table_path(run_dir, "documents").exists():
            store.write_state(run_dir, {**state, "skipped": skipped, "repaired": repaired})
        shown_problems = [str(p) for p in problems if p.kind != "repaired"]
        raise NothingToProcess("no document could be read: " + "; ".join(shown_problems))
    calling.check_written(declared, written)
    for table, frame in written.items():
        store.write_table(run_dir, table, frame)
    state["skipped"], state["repaired"] = skipped, repaired
    counts = {"documents": len(documents),
              "files_skipped": sum(p.kind == "file" for p in problems),
              "records_skipped": sum(p.kind == "record" for p in problems),
              "repaired": len(repaired)}
    return {"inputs": [shown(p) for p in options.inputs], "input_files": input_files,
            "skipped": skipped, "repaired": repaired, "counts": counts}


def _counted(run_dir: Path, options: Options, progress: Progress) -> Iterator[pd.DataFrame]:
    """The documents batch by batch, advancing the progress bar as the stage takes them (a corpus stage
    reads them once; its linking across the run comes after the bar is full)."""
    for batch in store.iter_documents(run_dir, options.batch_size):
        yield batch
        progress.advance(len(batch), int(batch["text"].str.split().str.len().sum()))


def _load_model(options: Options) -> Language:
    from pipeline.model import loading

    nlp = loading.load_nlp(options.model, segmenter=options.segmenter, stanza_dir=options.stanza_dir)
    loading.freeze_heap()
    return nlp


def _batched(declared: Stage, run_dir: Path, options: Options, resources: dict, key: str,
             extension: incremental.Extension | None = None) -> dict:
    """Run a per-document stage batch by batch, in this process or on workers, each batch a partition
    (`pipeline.run.partitions`): partitions done before a stop are kept, the others are done now. With an
    `extension`, only the new documents are done and the stage's rows for the others are kept. Returns
    what run.json says of it: the workers and the partitions (all, and kept from before a stop)."""
    order = store.read_doc_ids(run_dir)
    partitions = Partitions(run_dir, declared.name, declared.writes, key)
    partitions.open(clear=options.force)
    batches = _Batches(declared, run_dir, options.batch_size, partitions, order,
                       order[len(order) - extension.added :] if extension else None)
    with Progress(declared.name, batches.documents, quiet=options.quiet) as progress, \
            workers.pools(options.workers, options.scheduler) as pools:
        progress.advance(batches.documents - batches.pending_documents, 0)
        pool = pools.get(len(batches)) if "nlp" not in resources else None
        if pool is None and declared.uses_model and "nlp" not in resources and len(batches):
            resources = {**resources, "nlp": _load_model(options)}
        if pool is None:
            for batch in batches:
                partitions.write(batch.index, batch.doc_ids, calling.parts(declared, {**batch.tables, **resources}))
                progress.advance(len(batch.doc_ids), batch.words)
        else:
            model = _model_for_workers(options)
            jobs = ((batch, (declared.name, batch.tables, model)) for batch in batches)
            for batch, frames in workers.in_order(pool, jobs, workers.run_batch):
                partitions.write(batch.index, batch.doc_ids, ({t: f} for t, fs in frames.items() for f in fs))
                progress.advance(len(batch.doc_ids), batch.words)
        used = pool.workers if pool is not None else 1
    partitions.merge(run_dir, len(batches.all), keep=extension is not None, drop=set(extension.dropped)
                     if extension else set())
    kept = len(batches.all) - len(batches)
    if kept:
        log.info("%s: %d of %d partitions were done before, kept", declared.name, kept, len(batches.all))
    return {"workers": used, "partitions": {"total": len(batches.all), "kept": kept}}


def _model_for_workers(options: Options) -> tuple[str | None, str, str | None]:
    """What a worker loads: the model this process fingerprinted, as an absolute path where it is a
    folder (a worker elsewhere, or in another working directory, must not find another one)."""
    choice = _model_choice(options)
    model = choice["model"]
    if Path(model).is_dir():
        model = str(Path(model).resolve())
    return model, choice["segmenter"], choice["stanza_dir"] or None


@dataclass
class _Batch:
    index: int
    doc_ids: list[str]
    words: int
    tables: dict[str, pd.DataFrame]


class _Batches:
    """The batches of documents (all of them, or the new ones: `only`) whose partitions are not done yet,
    each with the rows of the tables the stage reads, read when its turn comes (`len`: how many)."""

    def __init__(self, declared: Stage, run_dir: Path, size: int, partitions: Partitions, order: list[str],
                 only: list[str] | None = None) -> None:
        self.declared, self.run_dir, self.size, self.order, self.only = declared, run_dir, size, order, only
        ids = order if only is None else only
        self.documents = len(ids)
        self.all = [ids[n : n + size] for n in range(0, len(ids), size)]
        self.pending = {n for n, batch in enumerate(self.all) if not partitions.is_done(n, batch)}
        self.pending_documents = sum(len(self.all[n]) for n in self.pending)

    def __len__(self) -> int:
        return len(self.pending)

    def __iter__(self) -> Iterator[_Batch]:
        """Each table is read once, in document order; for an extension from the first new document on
        (the new documents are the last ones, and the other tables are in the order of `documents`)."""
        readers = {t: store.TableReader(self.run_dir, t, self.order, self.declared.columns_of(t))
                   for t in self.declared.reads if t != "documents"}
        skip = 0
        if self.only is not None:
            skip = len(self.order) - len(self.only)
            for reader in readers.values():
                reader.skip_to(set(self.only))
        for index, documents in enumerate(store.iter_documents(self.run_dir, self.size, skip)):
            ids = documents["doc_id"].tolist()
            tables = {t: documents if t == "documents" else readers[t].take(ids) for t in self.declared.reads}
            if index in self.pending:
                yield _Batch(index, ids, int(documents["text"].str.count(r"\S+").sum()), tables)


# ------------------------------------------------------------------------------------- in memory

def analyse_tables(documents: pd.DataFrame, nlp: Language) -> dict[str, pd.DataFrame]:
    """Every stage after ingest on a `documents` table, in memory: the tables a run directory would hold."""
    tables = {"documents": schema.conform(documents, schema.DOCUMENTS)}
    for declared in stages().values():
        if declared.scope == "inputs":
            continue
        arguments = {t: tables[t] for t in declared.reads}
        if declared.scope == "corpus":
            arguments["documents"] = _single_batch(tables["documents"])
        if declared.uses_model:
            arguments["nlp"] = nlp
        if declared.uses_workers:
            arguments["map_batches"] = workers.mapper(None)
        for table, frame in calling.call(declared, arguments).items():
            frame = schema.conform(frame, schema.ALL[table])
            schema.validate(frame, schema.ALL[table], f"stage {declared.name}")
            tables[table] = frame
    return tables


def _single_batch(documents: pd.DataFrame) -> Iterator[pd.DataFrame]:
    yield documents
