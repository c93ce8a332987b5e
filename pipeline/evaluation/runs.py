"""The tables that an evaluation scores: read from a run, or made by running the pipeline on the gold texts."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from pipeline import api
from pipeline.evaluation.gold import read_gold_jsonl


def tables_for_gold(gold: Path, run_dir: Path | None = None, model: str | None = None) -> dict[str, pd.DataFrame]:
    """Tables of `run_dir`, or of a fresh run over the gold file's texts when no run is given (linked forms)."""
    read_gold_jsonl(gold)                     # a malformed gold file is reported before any work is done
    if run_dir is not None:
        return api.read_run(run_dir)
    with tempfile.TemporaryDirectory(prefix="citat-eval-") as tmp:
        api.run([Path(gold)], Path(tmp), model=model)
        return api.read_run(Path(tmp))


def check_split(split: str) -> None:
    from pipeline.errors import CitatError
    from pipeline.evaluation.split import SPLITS

    if split not in SPLITS:
        raise CitatError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
