"""The Python face of citat, for notebooks and scripts: run a corpus, read a run, analyse texts, show, export.

    from pipeline import analyse, read_run, run, show
    tables = analyse("Putin sade att det regnar i Minsk.")     # in memory: a dict of DataFrames
    show(tables)                                                # the article marked up, inline in Jupyter
    run(["artiklar/"], "runs/mars")                             # a run directory, resumable
    tables = read_run("runs/mars")
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.run import export as export_module
from pipeline.run import runner, schema, store

# the tables a user sees under these names: what `people` made of the stage tables of the same name
LINKED = {"entities": "linked_entities", "quotes": "linked_quotes"}


def run(inputs: Iterable[str | Path], out: str | Path, model: str | None = None, segmenter: str = "spacy",
        force: bool = False, quiet: bool = True, batch_size: int = 100, workers: int = 1,
        scheduler: str | None = None, add: bool = False, replace: bool = False) -> dict[str, str]:
    """Run every stage over `inputs` into the run directory `out`; returns {stage: 'ran' | 'skipped'}.
    `workers` > 1 runs the per-document stages in that many processes, `scheduler` (a Dask scheduler's
    address) on that cluster's workers; the tables are the same either way. `add` adds `inputs` to the
    documents of the run `out` and processes only the new ones (`replace`: a known doc_id with new content
    replaces its document; else that is an error); see `pipeline.run.incremental`."""
    options = runner.Options(inputs=[Path(p) for p in inputs], model=model, segmenter=segmenter, force=force,
                             quiet=quiet, batch_size=batch_size, workers=workers, scheduler=scheduler,
                             add=add, replace=replace)
    return runner.run_all(Path(out), options)


def read_run(run_dir: str | Path, raw: bool = False) -> dict[str, pd.DataFrame]:
    """The tables of a run directory as DataFrames, by name.

    `entities` and `quotes` are the linked forms (with `person_id`, speakers named as in `people`), as
    `citat export` writes them; `raw=True` gives every table under its own name instead
    (`entities` as the entities stage wrote it, `linked_entities` beside it).
    """
    names = [n for n in schema.ALL if store.table_path(run_dir, n).exists()]
    tables = {name: store.read_table(run_dir, name) for name in names}
    if not raw:
        for name, linked in LINKED.items():
            if linked in tables:
                tables[name] = tables.pop(linked)
    return tables


def _documents(texts: str | Iterable[str] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(texts, str):
        texts = [texts]
    frame = texts.copy() if isinstance(texts, pd.DataFrame) else pd.DataFrame({"text": list(texts)})
    if "text" not in frame.columns:
        raise InputError(f"analyse needs a `text` column (has: {', '.join(map(str, frame.columns))})")
    if "doc_id" not in frame.columns:
        frame["doc_id"] = frame["id"].astype(str) if "id" in frame.columns else [f"d{n}" for n in range(len(frame))]
    for column in schema.DOCUMENTS.names:
        if column not in frame.columns:
            frame[column] = 0 if column == "body_start" else None
    return schema.conform(frame[schema.DOCUMENTS.names], schema.DOCUMENTS)


def analyse(texts: str | Iterable[str] | pd.DataFrame, model: str | None = None, nlp=None,
            raw: bool = False) -> dict[str, pd.DataFrame]:
    """Every stage in memory on a text, a list of texts, or a DataFrame with `text` (and optional `id`/`doc_id`,
    `title`, `date`, `url`, `source`); returns the tables as `read_run` does."""
    from pipeline.model.loading import load_nlp

    tables = runner.analyse_tables(_documents(texts), nlp or load_nlp(model))
    if not raw:
        for name, linked in LINKED.items():
            tables[name] = tables.pop(linked)
    return tables


def export(run_dir: str | Path, to: str | Path | None = None, format: str = "csv") -> dict[str, Path]:
    """Write quotes, people, entities and documents of a run (default into RUN/export) as `csv`, `excel-csv`,
    `xlsx` or `parquet` (see `pipeline.run.export`); returns {table: file}."""
    return export_module.export_run(Path(run_dir), Path(to) if to else None, format)


def show(tables_or_run: dict[str, pd.DataFrame] | str | Path, doc_id: str | list[str] | None = None):
    """The review of articles (`doc_id`: one, several, or None for all) for Jupyter, where it displays inline:
    quotes highlighted by kind, speakers and cues marked, entities as displaCy marks them.

    Takes the tables of `analyse` or `read_run`, or a run directory. `.html()` gives a whole page,
    `.save(folder)` writes the pages `citat show` writes.
    """
    from pipeline.run import review, views

    if isinstance(tables_or_run, str | Path):
        ids = [doc_id] if isinstance(doc_id, str) else doc_id
        tables_or_run = views.read_tables(Path(tables_or_run), list(ids) if ids else None)
    return review.Review(tables_or_run, doc_id)
