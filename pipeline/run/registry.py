"""The stage registry: each stage declares once, with `@stage`, which tables it reads and writes.

    @stage("entities", reads=("documents", "tokens"), writes=("entities",), lexicons=("outlets", ...))
    def entities_stage(documents, tokens) -> dict[str, pd.DataFrame]:
        return {"entities": ...}

The function's parameters are the tables it reads, in the declared order (plus `nlp` for a stage that
uses the language model, `inputs` for the stage that reads files, `map_batches` for a corpus stage that
hands per-document work to the run's workers: `map_batches(function, arguments, shared=None)` yields
`function(*args)` for each `args` of `arguments`, in their order, or `function(*args, shared)`, the
value sent once to each worker); it returns a dict of exactly the tables
it writes. The runner derives everything else from this one declaration: what to read and validate, how
to batch, the fingerprint that decides whether a stage is up to date, and the in-memory `analyse` path.

Scopes:
- `documents`: works document by document; the runner calls it once per batch of documents, with the rows
  of every table it reads for those documents only.
- `corpus`: links across the whole run; `documents` is an iterable of batches (never all texts at
  once), every other table it reads comes whole.
- `inputs`: reads the input files (`inputs`: a list of paths) and returns `(tables, problems)`.

A stage that needs only some columns of a large table says which (`columns={"tokens": (...)}`): the
runner reads only those (the tokens of a 20 MB article are 0.5 GB in memory, their tags half of it).

The registry refuses a table with two writers, a table the schema does not know, a parameter list that
does not match the declaration, and a word list that does not exist.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pipeline import lexicon
from pipeline.run import schema

SCOPES = ("inputs", "documents", "corpus")
# the stage modules, imported (and so registered) by `stages()`; their order is the order of a run
STAGE_MODULES = (
    "pipeline.stages.ingest",
    "pipeline.stages.segment",
    "pipeline.stages.entities",
    "pipeline.stages.quotes",
    "pipeline.stages.people",
    "pipeline.stages.copies",
    "pipeline.stages.spread",
)


class RegistryError(RuntimeError):
    """A stage declaration is inconsistent: a bug in citat, not something a user did."""


@dataclass(frozen=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    function: Callable
    scope: str = "documents"
    uses_model: bool = False
    lexicons: tuple[str, ...] = ()
    uses_workers: bool = False
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def columns_of(self, table: str) -> tuple[str, ...] | None:
        """The columns of `table` the stage reads (None: all of them)."""
        return dict(self.columns).get(table)

    @property
    def module(self) -> str:
        return self.function.__module__


REGISTRY: dict[str, Stage] = {}


def _expected_parameters(declared: Stage) -> list[str]:
    return list(declared.reads) + (["nlp"] if declared.uses_model else []) + \
        (["inputs"] if declared.scope == "inputs" else []) + (["map_batches"] if declared.uses_workers else [])


def stage(
    name: str,
    *,
    reads: tuple[str, ...],
    writes: tuple[str, ...],
    scope: str = "documents",
    uses_model: bool = False,
    lexicons: tuple[str, ...] = (),
    uses_workers: bool = False,
    columns: dict[str, tuple[str, ...]] | None = None,
) -> Callable[[Callable], Callable]:
    """Register the decorated function as the stage `name` (see the module docstring)."""

    def register(function: Callable) -> Callable:
        declared = Stage(name, tuple(reads), tuple(writes), function, scope, uses_model, tuple(sorted(lexicons)),
                         uses_workers, tuple((t, tuple(c)) for t, c in sorted((columns or {}).items())))
        _check(declared)
        REGISTRY[name] = declared
        return function

    return register


def _check(declared: Stage) -> None:
    where = f"stage {declared.name!r} ({declared.module})"
    if declared.scope not in SCOPES:
        raise RegistryError(f"{where}: unknown scope {declared.scope!r}")
    if declared.uses_workers and declared.scope != "corpus":
        raise RegistryError(f"{where}: only a corpus stage hands work to workers itself")
    for table in declared.reads + declared.writes:
        if table not in schema.ALL:
            raise RegistryError(f"{where}: no schema for table {table!r}")
    for table, names in declared.columns:
        unknown_columns = sorted(set(names) - set(schema.ALL[table].names)) if table in schema.ALL else []
        if table not in declared.reads or unknown_columns or "doc_id" not in names:
            raise RegistryError(f"{where}: columns of {table!r} must be columns of a table it reads, doc_id "
                                f"among them (unknown: {unknown_columns})")
    parameters = list(inspect.signature(declared.function).parameters)
    expected = _expected_parameters(declared)
    if parameters != expected:
        raise RegistryError(f"{where}: parameters {parameters} do not match the declaration {expected}")
    unknown = sorted(set(declared.lexicons) - set(lexicon.available()))
    if unknown:
        raise RegistryError(f"{where}: no word list {unknown}")
    for table in declared.writes:
        owner = next((s.name for s in REGISTRY.values() if table in s.writes and s.name != declared.name), None)
        if owner:
            raise RegistryError(f"{where}: table {table!r} already has a writer, stage {owner!r}")


def stages() -> dict[str, Stage]:
    """Every stage, in the order of a run (each after the writers of the tables it reads)."""
    for module in STAGE_MODULES:
        importlib.import_module(module)
    ordered: dict[str, Stage] = {}
    # in the order of STAGE_MODULES, whichever module a process happened to import first
    pending = sorted(REGISTRY.values(), key=lambda s: STAGE_MODULES.index(s.module) if s.module in STAGE_MODULES
                     else len(STAGE_MODULES))
    while pending:
        ready = [s for s in pending if all(writer_of(t) in ordered for t in s.reads)]
        if not ready:
            raise RegistryError(f"stages {[s.name for s in pending]} read tables that no earlier stage writes")
        ordered[ready[0].name] = ready[0]
        pending.remove(ready[0])
    return ordered


def writer_of(table: str) -> str:
    """The one stage that writes `table`."""
    for declared in REGISTRY.values():
        if table in declared.writes:
            return declared.name
    raise RegistryError(f"no stage writes table {table!r}")


def one_by_one(function: Callable, arguments: Iterable[tuple], shared: object = None) -> Iterator:
    """`map_batches` in this process: `function(*args)` (or `function(*args, shared)`) for each `args`."""
    for args in arguments:
        yield function(*args, shared) if shared is not None else function(*args)
