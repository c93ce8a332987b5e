"""A run directory: the tables as Parquet files plus `run.json`, which records what made them.

Files are written to a temporary name and renamed, so an interrupted stage never leaves a
half-written table or state file behind. One process at a time works in a run directory: `locked`
holds `.citat.lock` (an OS lock, which dies with its process, so a killed run leaves no stale lock).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.errors import RunError
from pipeline.run import schema

STATE_FILE = "run.json"
LOCK_FILE = ".citat.lock"

# Arrow's buffers from the C library's allocator, unless the user chose one: it gives freed pages back, where
# mimalloc (the wheels' default) kept them. The tokens of a 20 MB article: 634 MB held after reading with
# mimalloc (peak 1,059 MB), 470 MB with the system allocator (peak 838 MB).
if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    pa.set_memory_pool(pa.system_memory_pool())


def table_path(run_dir: Path, name: str) -> Path:
    return Path(run_dir) / f"{name}.parquet"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_state(run_dir: Path) -> dict:
    """run.json of a run directory (an empty state where there is none yet)."""
    path = Path(run_dir) / STATE_FILE
    if Path(run_dir).exists() and not Path(run_dir).is_dir():
        raise RunError(f"{run_dir}: is a file, not a run directory")
    if not path.exists():
        return {"version": 1, "stages": {}, "tables": {}, "skipped": []}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise RunError(f"{path}: not valid JSON ({err}); delete it to start the run afresh") from err
    if not isinstance(state, dict) or not isinstance(state.get("stages"), dict) or \
            not isinstance(state.get("tables"), dict):
        raise RunError(f"{path}: not a run.json of citat (no `stages` and `tables`); delete it to start afresh")
    return state


def write_state(run_dir: Path, state: dict) -> None:
    # backslashreplace: a lone surrogate that slipped into a message is stored as its JSON escape
    text = json.dumps(state, indent=2, ensure_ascii=False)
    _atomic_write_bytes(Path(run_dir) / STATE_FILE, text.encode("utf-8", "backslashreplace"))


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_table(run_dir: Path, name: str, doc_ids: list[str] | None = None,
               columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A table of the run (optionally only some documents, only some `columns`), cast to its schema."""
    path = table_path(run_dir, name)
    if not path.exists():
        raise RunError(f"{path} does not exist: run the stage that writes {name!r} first")
    filters = [("doc_id", "in", list(doc_ids))] if doc_ids is not None else None
    try:
        table = pq.read_table(path, filters=filters, columns=_wanted(columns))
    except (OSError, pa.ArrowException) as err:
        raise RunError(f"{path}: cannot be read ({err}); re-run the stage with --force") from err
    return _frame(table, name, path, columns)


def _wanted(columns: tuple[str, ...] | None) -> list[str] | None:
    return list(columns) if columns is not None else None


# Arrow types as the schema's dtypes, so that a table comes out of Parquet as it must be, without a copy
# per cast: the strings stay in Arrow's buffers (a document of millions of tokens is read in place).
_DTYPES = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow"),
           pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _frame(table: pa.Table, name: str, path: Path, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """An Arrow table of the run as a DataFrame with the schema's columns (or those of them asked for) and
    dtypes (a RunError if not)."""
    table_schema = schema.only(schema.ALL[name], columns)
    frame = table.to_pandas(types_mapper=_DTYPES.get, self_destruct=True)
    del table
    if list(frame.columns) == table_schema.names and all(
            str(frame[c.name].dtype) == c.dtype for c in table_schema.columns):
        return frame
    try:
        return schema.conform(frame, table_schema)
    except schema.SchemaError as err:
        raise RunError(f"{path}: {err}") from err


def write_table(run_dir: Path, name: str, frame: pd.DataFrame, path: Path | None = None) -> None:
    """Write a whole table at once (validated, atomically), to the run's file of it or to `path`."""
    with table_writer(run_dir, name, path) as write:
        write(frame)


@contextmanager
def table_writer(run_dir: Path, name: str, path: Path | None = None) -> Iterator:
    """Yield a function that appends batches to `name`.parquet (or to `path`, a file of table `name`);
    the file appears only on success."""
    table_schema = schema.ALL[name]
    path = path or table_path(run_dir, name)
    with _arrow_writer(path, table_schema) as append:
        def write(frame: pd.DataFrame) -> None:
            frame = schema.conform(frame, table_schema)
            schema.validate(frame, table_schema, str(path))
            append(pa.Table.from_pandas(frame, preserve_index=False))

        yield write


@contextmanager
def _arrow_writer(path: Path, table_schema: schema.TableSchema) -> Iterator:
    """Yield a function that appends Arrow tables to `path` (through a temporary file that replaces it
    only on success; an empty table of the schema where nothing was appended)."""
    tmp = path.with_name(path.name + ".tmp")
    writer: pq.ParquetWriter | None = None

    def append(arrow: pa.Table) -> None:
        nonlocal writer
        if writer is None:
            writer = pq.ParquetWriter(tmp, arrow.schema)
        writer.write_table(arrow.cast(writer.schema))

    try:
        yield append
        if writer is None:
            append(pa.Table.from_pandas(schema.empty(table_schema), preserve_index=False))
        writer.close()
        os.replace(tmp, path)
    finally:
        if writer is not None and tmp.exists():
            writer.close()
            tmp.unlink()


def merge_parts(run_dir: Path, name: str, parts: list[Path], base: Path | None = None,
                drop: set[str] | frozenset[str] = frozenset(), to: Path | None = None) -> None:
    """Write `name`.parquet from the files `parts` (each written by `table_writer`), row group by row
    group in their order, without converting to pandas and back; atomically, as `table_writer` does.
    With `base` (a file of the same table, e.g. the run's own), its rows come first, less those of the
    doc_ids in `drop`. `to`: another file to write (default: the run's table)."""
    with _arrow_writer(to or table_path(run_dir, name), schema.ALL[name]) as append:
        for group in itertools.chain(_groups([base] if base else [], drop), _groups(parts, frozenset())):
            append(group)


def _groups(files: list[Path], drop: set[str] | frozenset[str]) -> Iterator[pa.Table]:
    """The non-empty row groups of `files`, one at a time, less the rows of the doc_ids in `drop`."""
    for path in files:
        file = pq.ParquetFile(path)
        for index in range(file.num_row_groups):
            group = file.read_row_group(index)
            if drop:
                ids = group.column("doc_id")
                group = group.filter(pc.invert(pc.is_in(ids, value_set=pa.array(sorted(drop), type=ids.type))))
            if group.num_rows:
                yield group


def iter_documents(run_dir: Path, batch_size: int, skip: int = 0) -> Iterator[pd.DataFrame]:
    """The `documents` table in batches, never all of it in memory; with `skip`, from its row `skip` on
    (the batches then start there)."""
    path = table_path(run_dir, "documents")
    if not path.exists():
        raise RunError(f"{path} does not exist: run `citat ingest` first")
    parquet = pq.ParquetFile(path)
    if not skip:
        for batch in parquet.iter_batches(batch_size=batch_size):
            yield schema.conform(batch.to_pandas(), schema.DOCUMENTS)
        return
    waiting: list[pa.RecordBatch] = []
    for batch in parquet.iter_batches(batch_size=batch_size):
        if skip >= batch.num_rows:
            skip -= batch.num_rows
            continue
        waiting.append(batch.slice(skip))
        skip = 0
        table = pa.Table.from_batches(waiting)
        while table.num_rows >= batch_size:
            yield schema.conform(table.slice(0, batch_size).to_pandas(), schema.DOCUMENTS)
            table = table.slice(batch_size)
        waiting = table.to_batches()
    if waiting and sum(b.num_rows for b in waiting):
        yield schema.conform(pa.Table.from_batches(waiting).to_pandas(), schema.DOCUMENTS)


def count_rows(path: Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


class TableReader:
    """A table read batch by batch in the order of `documents`: each row group is read once.

    The stages append their tables batch by batch in document order, so the rows of the next batch of
    documents are the next rows of the file; reading them with a filter instead would scan the whole
    file for every batch (quadratic in the size of the run). Whether the table is in that order is
    checked first, on its `doc_id` column alone; a table that is not is read with the filter.
    """

    def __init__(self, run_dir: Path, name: str, order: list[str], columns: tuple[str, ...] | None = None) -> None:
        self.run_dir, self.name, self.path = Path(run_dir), name, table_path(run_dir, name)
        self.columns = columns
        try:
            self.file: pq.ParquetFile | None = pq.ParquetFile(self.path)
            if not self._in_order(order):
                self.file = None
        except (OSError, pa.ArrowException) as err:
            raise RunError(f"{self.path}: cannot be read ({err}); re-run the stage with --force") from err
        self.group, self.rest = 0, None

    def _in_order(self, order: list[str]) -> bool:
        """Whether each document's rows are together and the documents come in `order` (gaps allowed)."""
        column = pq.read_table(self.path, columns=["doc_id"], read_dictionary=["doc_id"]).column("doc_id")
        sequence: list[str] = []
        for chunk in column.chunks:
            indices = chunk.indices.to_numpy(zero_copy_only=False)
            if not len(indices):
                continue
            changes = np.flatnonzero(np.r_[True, indices[1:] != indices[:-1]])
            names = chunk.dictionary.to_pylist()
            sequence.extend(names[i] for i in indices[changes] if not sequence or names[i] != sequence[-1])
        position = {doc_id: n for n, doc_id in enumerate(order)}
        places = [position.get(doc_id, -1) for doc_id in sequence]
        return all(p >= 0 for p in places) and all(b > a for a, b in zip(places, places[1:], strict=False))

    def take(self, doc_ids: list[str]) -> pd.DataFrame:
        """The rows of `doc_ids`, the documents that follow those of the previous call."""
        if self.file is None:
            return read_table(self.run_dir, self.name, doc_ids, self.columns)
        pieces = []
        while (rest := self._unread()) is not None:
            mask = self._of(rest, doc_ids)
            leading = len(mask) if mask.all() else int(np.argmin(mask))
            pieces.append(rest.slice(0, leading))
            self.rest = rest.slice(leading)
            if len(self.rest):
                break
        if not pieces:
            return schema.empty(schema.only(schema.ALL[self.name], self.columns))
        table = pa.concat_tables(pieces)
        pieces.clear()
        frame = _frame(table, self.name, self.path, self.columns)
        pa.default_memory_pool().release_unused()      # what decoding took goes back before the stage runs
        return frame

    def skip_to(self, doc_ids: set[str]) -> None:
        """Pass over the rows before the first row of one of `doc_ids` (the documents an `--add` appended
        come last), reading each row group once."""
        if self.file is None:
            return
        while (rest := self._unread()) is not None:
            mask = self._of(rest, sorted(doc_ids))
            if mask.any():
                self.rest = rest.slice(int(np.argmax(mask)))
                return
            self.rest = None

    def _unread(self) -> pa.Table | None:
        """The rows not taken yet of the current row group, the next group once those are used up;
        None at the end of the file."""
        while self.rest is None or len(self.rest) == 0:
            if self.group >= self.file.num_row_groups:
                return None
            self.rest = self._read_group()
        return self.rest

    @staticmethod
    def _of(rows: pa.Table, doc_ids: list[str]) -> np.ndarray:
        """Which of `rows` belong to `doc_ids`."""
        ids = rows.column("doc_id")
        return pc.is_in(ids, value_set=pa.array(doc_ids, type=ids.type)).to_numpy(zero_copy_only=False)

    def _read_group(self) -> pa.Table:
        try:
            group = self.file.read_row_group(self.group, columns=_wanted(self.columns))
        except (OSError, pa.ArrowException) as err:
            raise RunError(f"{self.path}: cannot be read ({err}); re-run the stage with --force") from err
        self.group += 1
        return group


def read_doc_ids(run_dir: Path) -> list[str]:
    """The doc_ids of `documents`, in their order (the order every other table follows)."""
    path = table_path(run_dir, "documents")
    try:
        return pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
    except (OSError, pa.ArrowException) as err:
        raise RunError(f"{path}: cannot be read ({err}); re-run `citat ingest` with --force") from err


# ------------------------------------------------------------------------------------ the lock

_HELD: dict[str, int] = {}      # run directories this process holds, with how often (nested calls)


def _holder(path: Path) -> dict:
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
        return facts if isinstance(facts, dict) else {}
    except (OSError, ValueError):
        return {}


def _busy(run_dir: Path, facts: dict) -> RunError:
    who = f"pid {facts.get('pid')} on {facts.get('host')}, since {facts.get('since')}" if facts else "another process"
    return RunError(f"{run_dir}: in use by another citat ({who}); wait for it to finish or use another --out")


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:             # it exists, but belongs to someone else
        return True
    return True


def _acquire(run_dir: Path) -> int:
    """Take the lock file of `run_dir` (an OS lock where there is one, else a pid check); its file descriptor."""
    path = Path(run_dir) / LOCK_FILE
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:                              # no fcntl: only a lock of a live process counts
            facts = _holder(path)
            if _alive(facts.get("pid")):
                os.close(fd)
                raise _busy(run_dir, facts) from None
        except OSError as err:
            os.close(fd)
            raise _busy(run_dir, _holder(path)) from err
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:                                         # not removed by its last holder in the meantime
            break
        os.close(fd)
    since = time.strftime("%Y-%m-%d %H:%M:%S")
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since}).encode())
    return fd


@contextmanager
def locked(run_dir: Path) -> Iterator[None]:
    """Hold the run directory (which must exist) for this process: a second citat on it stops at once
    with a RunError naming the holder. Nested use in one process is free; the lock goes on exit."""
    key = os.path.realpath(run_dir)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    fd = _acquire(Path(run_dir))
    _HELD[key] = 1
    try:
        yield
    finally:
        del _HELD[key]
        try:
            (Path(run_dir) / LOCK_FILE).unlink()
        except OSError:
            pass
        os.close(fd)
