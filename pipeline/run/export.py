"""CSV files for colleagues: quotes, people and entity mentions of a run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.run import store

EXPORTS = {
    "quotes": [
        "doc_id",
        "quote_id",
        "kind",
        "quote",
        "start",
        "end",
        "speaker",
        "speaker_mention",
        "speaker_start",
        "speaker_end",
        "person_id",
        "cue",
        "cue_lemma",
        "source",
        "paragraph_id",
        "confidence",
    ],
    "people": [
        "person_id",
        "name",
        "variants",
        "titles",
        "gender",
        "n_docs",
        "n_mentions",
        "n_quotes",
        "first_date",
        "last_date",
    ],
    "entities": ["doc_id", "mention_id", "start", "end", "text", "label", "person_id", "entity_id", "origin"],
}


def export_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    """Write `quotes.csv`, `people.csv` and `entities.csv` (UTF-8, with a header) into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, columns in EXPORTS.items():
        path = out_dir / f"{name}.csv"
        tmp = path.with_name(path.name + ".tmp")
        tables[name][columns].to_csv(tmp, index=False, encoding="utf-8")
        tmp.replace(path)
        written[name] = path
    return written


# each CSV comes from the table that holds its final form: the quotes and entities as `people` linked them
SOURCES = {"quotes": "linked_quotes", "people": "people", "entities": "linked_entities"}


def export_run(run_dir: Path, out_dir: Path | None = None) -> dict[str, Path]:
    """Write the run's CSV files into `out_dir` (default RUN/export)."""
    tables = {name: store.read_table(run_dir, SOURCES[name]) for name in EXPORTS}
    return export_tables(tables, out_dir or Path(run_dir) / "export")
