"""Where the batches of a per-document stage run: in this process, in a local pool of worker processes
(`--workers N`), or on a Dask cluster (`--scheduler ADDRESS`).

A worker gets a stage's name and one batch's tables, runs the stage function on them (loading the model
once per worker process, on its first batch that needs it) and sends the tables back; the process that
runs the stage writes them (`pipeline.run.partitions`), so a worker needs the package and the model, not
the run directory. One pool serves every stage of a `citat run`.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from pipeline.errors import CitatError, RunError
from pipeline.run import calling
from pipeline.run.registry import one_by_one, stages

# Each worker holds the model (about 0.6 GB) and one batch's tables; at this much memory per worker the
# default leaves room for the rest of the machine.
MEMORY_PER_WORKER = 1.5 * 2**30


def default_workers() -> int:
    """As many workers as this process may use cores, and as the memory allows."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:                        # not Linux
        cores = os.cpu_count() or 1
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return cores
    memory = min(memory, _container_memory() or memory)
    return max(1, min(cores, int(memory // MEMORY_PER_WORKER)))


def _container_memory() -> int | None:
    """The memory limit of this process's cgroup (a container's), where there is one."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            return int(text)
    return None


def run_batch(stage_name: str, tables: dict[str, pd.DataFrame], model: tuple[str | None, str, str | None]
              ) -> dict[str, list[pd.DataFrame]]:
    """In a worker: the tables that stage `stage_name` makes of one batch's `tables`, part by part.

    `model` is (model, segmenter, stanza_dir) as `pipeline.model.loading.load_nlp` takes them; it is
    loaded once per process (`load_nlp` keeps it)."""
    declared = stages()[stage_name]
    arguments = dict(tables)
    if declared.uses_model:
        from pipeline.model import loading

        arguments["nlp"] = loading.load_nlp(*model)
        loading.freeze_heap()
    frames: dict[str, list[pd.DataFrame]] = {table: [] for table in declared.writes}
    for part in calling.parts(declared, arguments):
        for table, frame in part.items():
            frames[table].append(frame)
    return frames


class Future(Protocol):
    def result(self) -> Any: ...


class Pool(Protocol):
    workers: int

    def submit(self, function: Callable, *args: Any) -> Future: ...


class LocalPool:
    """Worker processes on this machine (`spawn`ed: a fresh interpreter, no state inherited)."""

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, function: Callable, *args: Any) -> Future:
        return self.executor.submit(function, *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class DaskPool:
    """The workers of a running `dask.distributed` cluster (`dask scheduler`, `dask worker`, dask-jobqueue)."""

    def __init__(self, address: str, timeout: str = "20s") -> None:
        try:
            from distributed import Client
        except ImportError as err:
            raise CitatError("--scheduler needs Dask: pip install 'citat[dask]'") from err
        try:
            self.client = Client(address, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as err:
            raise CitatError(f"cannot reach the Dask scheduler at {address}: {err}") from err
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, function: Callable, *args: Any) -> Future:
        return self.client.submit(function, *args, pure=False)

    def close(self) -> None:
        self.client.close()


class Pools:
    """The pool of a run, started when a stage first needs it and shared by the stages after it."""

    def __init__(self, workers: int, scheduler: str | None) -> None:
        self.wanted, self.scheduler = workers, scheduler
        self.pool: LocalPool | DaskPool | None = None

    @property
    def parallel(self) -> bool:
        return self.scheduler is not None or self.wanted > 1

    def get(self, batches: int) -> Pool | None:
        """The pool (None: run in this process), for a stage with `batches` batches to do."""
        if self.pool is None and self.scheduler is not None:
            self.pool = DaskPool(self.scheduler)
        if self.pool is None and self.wanted > 1 and batches > 1:
            self.pool = LocalPool(self.wanted)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


_CURRENT: list[Pools] = []


@contextmanager
def pools(workers: int, scheduler: str | None) -> Iterator[Pools]:
    """The run's pools: the innermost open one if a caller (`run_all`) opened it, else a new one."""
    if _CURRENT and (_CURRENT[-1].wanted, _CURRENT[-1].scheduler) == (workers, scheduler):
        yield _CURRENT[-1]
        return
    opened = Pools(workers, scheduler)
    _CURRENT.append(opened)
    try:
        yield opened
    finally:
        _CURRENT.pop()
        opened.close()


def in_order(pool: Pool, jobs: Iterable[tuple[Any, tuple]], function: Callable) -> Iterator[tuple[Any, Any]]:
    """(tag, function(*args)) for each (tag, args) of `jobs`, in their order, with at most two jobs per
    worker in flight (so only a few batches' tables are ever in memory)."""
    window: deque[tuple[Any, Future]] = deque()
    for tag, args in jobs:
        window.append((tag, pool.submit(function, *args)))
        if len(window) >= 2 * pool.workers:
            tag_done, future = window.popleft()
            yield tag_done, _result(future)
    while window:
        tag_done, future = window.popleft()
        yield tag_done, _result(future)


def _result(future: Future) -> Any:
    """The job's result; a worker that died (killed, out of memory) is a RunError, not a traceback."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool as err:
        raise RunError("a worker process died (out of memory?); the partitions done are kept: run the command "
                       "again, with fewer --workers or a smaller --batch-size") from err
    except Exception as err:
        if type(err).__module__.split(".")[0] != "distributed":
            raise
        raise RunError(f"the Dask cluster lost a worker ({type(err).__name__}: {err}); the partitions done are "
                       "kept: run the command again") from err


class Shared:
    """A value every task of a stage needs (the run's names, for `people`): pickled once here, sent as
    bytes with each task, and unpickled once per worker process (its cache holds the latest few)."""

    _CACHE: dict[str, Any] = {}              # in a worker: key -> value, the latest few

    def __init__(self, value: Any) -> None:
        self.payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.key = hashlib.sha256(self.payload).hexdigest()

    def __getstate__(self) -> dict:
        return {"payload": self.payload, "key": self.key}

    def __setstate__(self, state: dict) -> None:
        self.payload, self.key = state["payload"], state["key"]

    def value(self) -> Any:
        if self.key not in Shared._CACHE:
            if len(Shared._CACHE) >= 4:
                Shared._CACHE.pop(next(iter(Shared._CACHE)))
            Shared._CACHE[self.key] = pickle.loads(self.payload)
        return Shared._CACHE[self.key]


def _with_shared(function: Callable, shared: Shared, *args: Any) -> Any:
    return function(*args, shared.value())


def mapper(pool: Pool | None) -> Callable[..., Iterator[Any]]:
    """`map_batches` for a corpus stage: `function(*args)` for each `args`, in order, on `pool`'s workers
    (in this process where there is no pool); with `shared`, `function(*args, shared)`, the value
    unpickled once per worker (`Shared`)."""

    def map_batches(function: Callable, arguments: Iterable[tuple], shared: Any = None) -> Iterator[Any]:
        if pool is None:
            yield from one_by_one(function, arguments, shared)
            return
        if shared is None:
            jobs, call = ((None, args) for args in arguments), function
        else:
            jobs = ((None, (function, sent, *args)) for sent in [Shared(shared)] for args in arguments)
            call = _with_shared
        for _, result in in_order(pool, jobs, call):
            yield result

    return map_batches
