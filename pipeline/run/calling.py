"""Calling a stage function and checking what it returns: shared by the runner and its worker processes."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from pipeline.run import schema
from pipeline.run.registry import Stage


def parts(declared: Stage, arguments: dict) -> Iterator[dict[str, pd.DataFrame]]:
    """The stage's tables for these arguments, part by part: a stage returns one dict of tables, or an
    iterator of such dicts (`segment` does, so one huge document never has all its rows in memory)."""
    written = declared.function(**arguments)
    for part in [written] if isinstance(written, dict) else written:
        check_written(declared, part)
        yield part


def call(declared: Stage, arguments: dict) -> dict[str, pd.DataFrame]:
    """The stage's tables for these arguments, whole (its parts put together)."""
    collected: dict[str, list[pd.DataFrame]] = {table: [] for table in declared.writes}
    for part in parts(declared, arguments):
        for table, frame in part.items():
            collected[table].append(frame)
    return {table: concat(frames, schema.ALL[table]) for table, frames in collected.items()}


def concat(frames: list[pd.DataFrame], table: schema.TableSchema) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return schema.empty(table)
    return schema.conform(pd.concat(frames, ignore_index=True), table)


def check_written(declared: Stage, written: dict[str, pd.DataFrame]) -> None:
    """A stage returns exactly the tables it declared, with exactly their schema's columns (else: a bug)."""
    if set(written) != set(declared.writes):
        raise RuntimeError(f"stage {declared.name!r} returned {sorted(written)}, declared {sorted(declared.writes)}")
    for table, frame in written.items():
        extra = [c for c in frame.columns if c not in schema.ALL[table].names]
        if extra:
            raise RuntimeError(f"stage {declared.name!r}: table {table!r} has columns the schema lacks: {extra}")
