"""Incremental runs: new documents added to a finished run, and only they processed.

`citat run NEW --out RUN --add` (`Options.add`) ingests NEW into the run's `documents` table: a
document whose doc_id is new is appended; one with a doc_id and content (text, title, date, url, source)
already there is skipped; one with a known doc_id and new content is an InputError, unless
`Options.replace`: then its old rows go and it is appended as new. The `documents` table's record in
run.json then says how it was extended: `{"from": its SHA-256 before, "dropped": [replaced doc_ids],
"added": how many documents at its end are new}`.

A per-document stage whose code, word lists and model are unchanged, and each of whose input tables
was extended in the same way from what it last read, is extended too (`extension_of`): it keeps its rows
for the documents kept and runs on the new ones only, and records its own tables as extended, so the
next stage can do the same. Corpus stages (`people`) run again over the whole run, as a change in
their input asks. The tables come out as a run of all the documents from scratch would make them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, NothingToProcess, RunError
from pipeline.run import fingerprint, store
from pipeline.run.registry import Stage

CONTENT_COLUMNS = ("text", "title", "date", "url", "source", "body_start")
LISTED = 5


@dataclass(frozen=True)
class Extension:
    """How the tables a stage reads grew since it last ran."""

    dropped: tuple[str, ...]     # doc_ids whose old rows go (replaced documents)
    added: int                   # the last `added` rows of `documents` are new documents

    def as_record(self, before: str) -> dict:
        return {"from": before, "dropped": list(self.dropped), "added": self.added}


def content_digests(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id -> a digest of what makes the document's results (not the file it came from)."""
    digests = {}
    for row in documents[["doc_id", *CONTENT_COLUMNS]].itertuples(index=False):
        payload = "\x1f".join("" if pd.isna(value) else str(value) for value in row[1:])
        digests[row[0]] = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()
    return digests


def _old_digests(run_dir: Path) -> dict[str, str]:
    digests: dict[str, str] = {}
    for batch in store.iter_documents(run_dir, 2000):       # never the whole run's texts at once
        digests.update(content_digests(batch))
    return digests


def _listed(ids: list[str]) -> str:
    more = f" and {len(ids) - LISTED} more" if len(ids) > LISTED else ""
    return ", ".join(map(repr, ids[:LISTED])) + more


def sort_new(new: pd.DataFrame, old: dict[str, str], replace: bool) -> tuple[pd.DataFrame, list[str], int]:
    """(the documents to append, the doc_ids they replace, how many are already there unchanged)."""
    digests = content_digests(new)
    known = [doc_id for doc_id in new["doc_id"] if doc_id in old]
    changed = [doc_id for doc_id in known if old[doc_id] != digests[doc_id]]
    if changed and not replace:
        paths = sorted(set(new.loc[new["doc_id"].isin(changed), "path"].dropna()))
        raise InputError(f"{', '.join(paths) or 'input'}: {len(changed)} document(s) already in the run have new "
                         f"content ({_listed(changed)}); use --replace to replace them")
    unchanged = set(known) - set(changed)
    return new[~new["doc_id"].isin(unchanged)].reset_index(drop=True), changed, len(unchanged)


def add_documents(declared: Stage, run_dir: Path, state: dict, inputs: list[Path], replace: bool,
                  input_files: list[tuple[str, str]]) -> str:
    """Ingest `inputs` into the run's documents (see the module docstring); 'ran' or 'skipped' (nothing
    new). The caller holds the run directory's lock."""
    from pipeline.stages.ingest import shown

    started = datetime.now(UTC)
    written, problems = declared.function(inputs=list(inputs))
    new = written["documents"]
    if new.empty:
        raise NothingToProcess("no document could be read: " + "; ".join(str(p) for p in problems
                                                                             if p.kind != "repaired"))
    path = store.table_path(run_dir, "documents")
    before = state["tables"]["documents"]["sha256"]
    if not path.exists() or store.file_sha256(path) != before:
        raise RunError(f"{path}: missing, damaged or changed since run.json recorded it; nothing was added "
                       f"(start the run afresh with `citat run INPUTS --out {run_dir} --force`)")
    appended, replaced, unchanged = sort_new(new, _old_digests(run_dir), replace)
    addition = {"inputs": [shown(p) for p in inputs], "added": len(appended) - len(replaced),
                "replaced": len(replaced), "unchanged": unchanged,
                "finished": started.isoformat(timespec="seconds")}
    record = state["stages"]["ingest"]
    record.setdefault("additions", []).append(addition)
    state["skipped"] = state.get("skipped", []) + [{"path": p.path, "problem": p.problem}
                                                   for p in problems if p.kind != "repaired"]
    state["repaired"] = state.get("repaired", []) + [{"path": p.path, "problem": p.problem}
                                                     for p in problems if p.kind == "repaired"]
    if appended.empty:
        store.write_state(run_dir, state)
        return "skipped"
    part, pending = path.with_name("documents.added.parquet"), pending_path(run_dir)
    store.write_table(run_dir, "documents", appended, part)
    try:
        store.merge_parts(run_dir, "documents", [part], base=path, drop=set(replaced), to=pending)
    finally:
        part.unlink(missing_ok=True)
    parts = dict(record.get("parts", {}))
    parts["inputs"] = fingerprint.hash_payload([parts.get("inputs"), input_files])
    record.update(parts=parts, fingerprint=fingerprint.hash_payload(parts),
                  rows={"documents": store.count_rows(path)}, inputs=record.get("inputs", []) + addition["inputs"])
    sha = store.file_sha256(pending)
    state["tables"]["documents"] = {"sha256": sha, "writer": "ingest",
                                    "extended": Extension(tuple(replaced), len(appended)).as_record(before)}
    store.write_state(run_dir, state)          # first the record, then the table it records:
    os.replace(pending, path)                  # a stop in between is finished by `finish_pending`
    return "ran"


def pending_path(run_dir: Path) -> Path:
    return store.table_path(run_dir, "documents").with_name("documents.pending.parquet")


def finish_pending(run_dir: Path, state: dict) -> None:
    """Finish an addition stopped between writing run.json and putting its documents table in place
    (run.json records the pending file's content); a pending file of no record is removed."""
    pending = pending_path(run_dir)
    if not pending.exists():
        return
    if store.file_sha256(pending) == state["tables"].get("documents", {}).get("sha256"):
        os.replace(pending, store.table_path(run_dir, "documents"))
    else:
        pending.unlink()


def extension_of(declared: Stage, state: dict, parts: dict, run_dir: Path) -> Extension | None:
    """How the stage can be extended instead of run again over everything (None: it cannot)."""
    record = state["stages"].get(declared.name)
    if declared.scope != "documents" or not record:
        return None
    before = record.get("parts", {})
    if _static(before) != _static(parts):
        return None
    found = set()
    for table in declared.reads:
        info = state["tables"].get(table, {}).get("extended")
        if not info or info.get("from") != before.get(f"table:{table}"):
            return None
        found.add((tuple(info["dropped"]), int(info["added"])))
    for table in declared.writes:
        path, known = store.table_path(run_dir, table), state["tables"].get(table, {}).get("sha256")
        if not path.exists() or store.file_sha256(path) != known:
            return None
    return Extension(*found.pop()) if len(found) == 1 else None


def _static(parts: dict) -> dict:
    return {key: value for key, value in parts.items() if not key.startswith("table:")}
