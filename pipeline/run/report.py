"""A short text summary of a run directory, for the terminal and the demo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.errors import RunError
from pipeline.run import store

REPAIRS_SHOWN = 5       # repaired inputs listed in the summary (run.json has them all)


def top_quoted(people: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Persons (not the organisations and places of the registry) by how often they are quoted, then mentions."""
    ranked = people[people["n_quotes"].fillna(0) > 0]
    if "kind" in ranked:
        ranked = ranked[ranked["kind"] == "person"]
    return ranked.sort_values(["n_quotes", "n_mentions"], ascending=False).head(top)


def summary(run_dir: Path, top: int = 10) -> str:
    """Counts per stage, skipped inputs, quotes by kind and the most quoted people of a run."""
    if not (Path(run_dir) / store.STATE_FILE).exists():
        raise RunError(f"{run_dir}: no run here (no {store.STATE_FILE}); start one with `citat run INPUT --out RUN`")
    state = store.read_state(run_dir)
    lines = [f"run {run_dir}"]
    for name, record in state["stages"].items():
        rows = ", ".join(f"{n} {table}" for table, n in record.get("rows", {}).items())
        segmenter = f" (segmenter {record['segmenter']})" if record.get("segmenter") else ""
        lines.append(f"  {name:<9} {record.get('seconds', 0):>7.1f}s  {rows}{segmenter}")
    for skipped in state.get("skipped", []):
        lines.append(f"  skipped {skipped['path']}: {skipped['problem']}")
    repaired = state.get("repaired", [])
    for fixed in repaired[:REPAIRS_SHOWN]:
        lines.append(f"  repaired {fixed['path']}: {fixed['problem']}")
    if len(repaired) > REPAIRS_SHOWN:
        lines.append(f"  … and {len(repaired) - REPAIRS_SHOWN} more repairs (run.json lists them)")
    if store.table_path(run_dir, "quotes").exists():
        quotes = store.read_table(run_dir, "quotes")
        kinds = quotes["kind"].value_counts().to_dict()
        lines.append("quotes: " + (", ".join(f"{n} {k}" for k, n in kinds.items()) or "none"))
    if store.table_path(run_dir, "copies").exists():
        copies = store.read_table(run_dir, "copies")
        n_copies = int(copies["copy_of"].notna().sum())
        lines.append(f"copies: {n_copies} of {len(copies)} documents repeat an earlier one "
                     f"({copies['story_id'].nunique()} stories)")
    if store.table_path(run_dir, "spread").exists():
        spread = store.read_table(run_dir, "spread")
        widest = f", the widest in {spread['n_docs'].max()} documents" if len(spread) else ""
        lines.append(f"spread: {len(spread)} statements quoted in two or more documents{widest}")
    if store.table_path(run_dir, "people").exists():
        people = top_quoted(store.read_table(run_dir, "people"), top)
        if not people.empty:
            lines.append("most quoted:")
            lines.extend(f"  {row.n_quotes:>4}  {row.name}" for row in people.itertuples())
    return "\n".join(lines)
