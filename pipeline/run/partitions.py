"""A per-document stage's tables, written partition by partition, so that a run stopped in the middle of
a stage redoes only the partitions it had not finished.

A partition is one batch of documents (`Options.batch_size` of them, in the order of `documents`). Its
tables go to RUN/.parts/STAGE/KEY/NNNNNN.TABLE.parquet, and NNNNNN.done (a digest of the batch's
doc_ids) is written last, so a partition is done exactly when its marker is there. KEY is the stage's
fingerprint and the batch size: parts made by other code, another model or other input are never
reused. When every partition is done the parts are put together into RUN/TABLE.parquet, row group by
row group in partition order (so the table is the same however many processes made it, and in whatever
order they finished), and the folder is removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from pipeline.run import store

PARTS_DIR = ".parts"


def ids_digest(doc_ids: list[str]) -> str:
    return hashlib.sha256("\n".join(doc_ids).encode("utf-8", "surrogatepass")).hexdigest()


class Partitions:
    """The part files of one stage in one run directory (see the module docstring)."""

    def __init__(self, run_dir: Path, stage: str, tables: tuple[str, ...], key: str) -> None:
        self.tables = tables
        self.stage_dir = Path(run_dir) / PARTS_DIR / stage
        self.folder = self.stage_dir / key

    def open(self, clear: bool = False) -> None:
        """Make the folder, and remove the parts of any other key (another code, model or input), or all
        parts with `clear` (`--force`: nothing from before is kept)."""
        if self.stage_dir.is_dir():
            for other in self.stage_dir.iterdir():
                if other != self.folder or clear:
                    shutil.rmtree(other, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, index: int, table: str) -> Path:
        return self.folder / f"{index:06d}.{table}.parquet"

    def _marker(self, index: int) -> Path:
        return self.folder / f"{index:06d}.done"

    def is_done(self, index: int, doc_ids: list[str]) -> bool:
        marker = self._marker(index)
        try:
            return marker.read_text(encoding="ascii") == ids_digest(doc_ids) and all(
                self._path(index, table).exists() for table in self.tables)
        except OSError:
            return False

    def write(self, index: int, doc_ids: list[str], parts: Iterable[dict[str, pd.DataFrame]]) -> None:
        """Write partition `index` from the stage's parts (dicts of some of its tables, in order), each
        table appended as it comes; the marker last."""
        with ExitStack() as stack:
            append = {table: stack.enter_context(store.table_writer(self.folder, table, self._path(index, table)))
                      for table in self.tables}
            for part in parts:
                for table, frame in part.items():
                    append[table](frame)
        tmp = self._marker(index).with_suffix(".tmp")
        tmp.write_text(ids_digest(doc_ids), encoding="ascii")
        os.replace(tmp, self._marker(index))

    def merge(self, run_dir: Path, count: int, keep: bool = False, drop: set[str] | None = None) -> None:
        """Put partitions 0..count-1 together into the run's tables (after their rows there, less those of
        the doc_ids in `drop`, with `keep`), then remove the parts."""
        for table in self.tables:
            base = store.table_path(run_dir, table) if keep else None
            store.merge_parts(run_dir, table, [self._path(n, table) for n in range(count)], base, drop or set())
        shutil.rmtree(self.folder, ignore_errors=True)
        for folder in (self.stage_dir, self.stage_dir.parent):
            try:
                folder.rmdir()
            except OSError:
                pass
