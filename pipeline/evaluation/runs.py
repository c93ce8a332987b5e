"""The tables that an evaluation scores: read from a run, or made by running the pipeline on the gold texts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from pipeline import rundir, stages
from pipeline.schema import ALL


def read_run(run_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: rundir.read_table(run_dir, name) for name in ALL if rundir.table_path(run_dir, name).exists()}


def tables_for_gold(gold: Path, run_dir: Path | None = None, model: str | None = None) -> dict[str, pd.DataFrame]:
    """Tables of `run_dir`, or of a fresh run over the gold file's texts when no run is given."""
    if run_dir is not None:
        return read_run(run_dir)
    with tempfile.TemporaryDirectory(prefix="citat-eval-") as tmp:
        stages.run_all(Path(tmp), stages.Options(inputs=[Path(gold)], model=model, quiet=True))
        return read_run(Path(tmp))
