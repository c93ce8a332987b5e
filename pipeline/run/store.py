"""A run directory: the tables as Parquet files plus `run.json`, which records what made them.

Files are written to a temporary name and renamed, so an interrupted stage never leaves a
half-written table or state file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import RunError
from pipeline.run import schema

STATE_FILE = "run.json"


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
    _atomic_write_bytes(Path(run_dir) / STATE_FILE, json.dumps(state, indent=2, ensure_ascii=False).encode())


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_table(run_dir: Path, name: str, doc_ids: list[str] | None = None) -> pd.DataFrame:
    """A table of the run (optionally only some documents), cast to its schema."""
    path = table_path(run_dir, name)
    if not path.exists():
        raise RunError(f"{path} does not exist: run the stage that writes {name!r} first")
    filters = [("doc_id", "in", list(doc_ids))] if doc_ids is not None else None
    try:
        frame = pd.read_parquet(path, filters=filters)
    except (OSError, pa.ArrowException) as err:
        raise RunError(f"{path}: cannot be read ({err}); re-run the stage with --force") from err
    try:
        return schema.conform(frame, schema.ALL[name])
    except schema.SchemaError as err:
        raise RunError(f"{path}: {err}") from err


def write_table(run_dir: Path, name: str, frame: pd.DataFrame) -> None:
    """Write a whole table at once (validated, atomically)."""
    with table_writer(run_dir, name) as write:
        write(frame)


@contextmanager
def table_writer(run_dir: Path, name: str) -> Iterator:
    """Yield a function that appends batches to `name`.parquet; the file appears only on success."""
    table_schema = schema.ALL[name]
    path = table_path(run_dir, name)
    tmp = path.with_name(path.name + ".tmp")
    writer: pq.ParquetWriter | None = None

    def write(frame: pd.DataFrame) -> None:
        nonlocal writer
        frame = schema.conform(frame, table_schema)
        schema.validate(frame, table_schema, str(path))
        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(tmp, arrow.schema)
        writer.write_table(arrow.cast(writer.schema))

    try:
        yield write
        if writer is None:
            write(schema.empty(table_schema))
        writer.close()
        os.replace(tmp, path)
    finally:
        if writer is not None and tmp.exists():
            writer.close()
            tmp.unlink()


def iter_documents(run_dir: Path, batch_size: int) -> Iterator[pd.DataFrame]:
    """The `documents` table in batches, never all of it in memory."""
    path = table_path(run_dir, "documents")
    if not path.exists():
        raise RunError(f"{path} does not exist: run `citat ingest` first")
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=batch_size):
        yield schema.conform(batch.to_pandas(), schema.DOCUMENTS)


def count_rows(path: Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows
