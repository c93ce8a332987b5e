"""Reading articles from .txt, .jsonl, .csv and .parquet files into the `documents` table."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.run import schema
from pipeline.run.registry import stage

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".jsonl", ".csv", ".parquet")
OPTIONAL_COLUMNS = ("title", "date", "url", "source")
DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*\n?[ \t]*")


@dataclass(frozen=True)
class Problem:
    """An input that could not be read (or only partly), with the reason."""

    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def collect_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand directories (recursively) into the readable files they hold, in a stable order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, inputs):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
            else:
                problems.append(
                    Problem(str(path), f"unsupported file type {path.suffix!r} (use {', '.join(SUFFIXES)})")
                )
        else:
            problems.append(Problem(str(path), "no such file or directory"))
    return files, problems


def decode_text(raw: bytes, path: Path) -> str:
    """Decode bytes as UTF-8 (BOM removed), falling back to cp1252/latin-1 with a warning."""
    if not raw.strip():
        raise InputError("empty file")
    if b"\x00" in raw[:8192]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            encoding = "latin-1"
        log.warning("%s: not valid UTF-8, decoded as %s", path, encoding)
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def split_date_prefix(text: str) -> tuple[str | None, str, int]:
    """Move a leading `date YYYY-MM[-DD]` line out of the text: (date, text, characters dropped)."""
    match = DATE_PREFIX.match(text)
    if not match:
        return None, text, 0
    return match.group(1), text[match.end() :], match.end()


def _records_from_txt(path: Path) -> Iterator[dict]:
    yield {"id": path.stem, "text": decode_text(path.read_bytes(), path)}


def _records_from_jsonl(path: Path) -> Iterator[dict]:
    text = decode_text(path.read_bytes(), path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"line {number} is not valid JSON ({err.msg})") from err
        if not isinstance(record, dict):
            raise InputError(f"line {number} is not a JSON object")
        yield record


def _records_from_table(frame: pd.DataFrame) -> Iterator[dict]:
    yield from frame.to_dict(orient="records")


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    text = decode_text(raw, path)
    from io import StringIO

    return pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)


def read_records(path: Path) -> list[dict]:
    """All records of one file as dicts with at least `id` and `text`; raises InputError."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".txt":
            records = list(_records_from_txt(path))
        elif suffix == ".jsonl":
            records = list(_records_from_jsonl(path))
        elif suffix == ".csv":
            records = list(_records_from_table(_read_csv(path)))
        elif suffix == ".parquet":
            records = list(_records_from_table(pd.read_parquet(path)))
        else:
            raise InputError(f"unsupported file type {suffix!r}")
    except InputError:
        raise
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise InputError(f"cannot be read: {err}") from err
    if not records:
        raise InputError("holds no records")
    if suffix != ".txt":
        _check_columns(records)
    return records


def _check_columns(records: list[dict]) -> None:
    keys = set(records[0])
    if "text" not in keys:
        raise InputError(f"missing a 'text' column (has: {', '.join(sorted(map(str, keys)))})")
    if "id" not in keys and "doc_id" not in keys:
        raise InputError(f"missing an 'id' (or 'doc_id') column (has: {', '.join(sorted(map(str, keys)))})")


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    value = str(value).strip()
    return value or None


def to_document(record: dict, path: Path) -> dict:
    """One `documents` row from a record; raises InputError for an empty or missing text."""
    doc_id = _clean(record.get("id", record.get("doc_id")))
    if doc_id is None:
        raise InputError("a record has an empty id")
    raw_text = record.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise InputError(f"document {doc_id!r} has an empty text")
    date, text, dropped = split_date_prefix(normalise_newlines(raw_text))
    row = {name: _clean(record.get(name)) for name in OPTIONAL_COLUMNS}
    row.update(doc_id=doc_id, path=str(path), text=text, body_start=dropped)
    row["date"] = row["date"] or date
    return row


def read_documents(inputs: Iterable[Path]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read every input into one `documents` table, plus the problems met on the way.

    A file that cannot be read is skipped with its problem; so is a record whose `doc_id` was
    already taken (the problem names both sources). The remaining documents are kept.
    """
    files, problems = collect_inputs(inputs)
    rows: list[dict] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            records = read_records(path)
        except InputError as err:
            problems.append(Problem(str(path), str(err)))
            continue
        for record in records:
            try:
                row = to_document(record, path)
            except InputError as err:
                problems.append(Problem(str(path), str(err)))
                continue
            if row["doc_id"] in seen:
                problems.append(
                    Problem(str(path), f"duplicate doc_id {row['doc_id']!r}, already read from {seen[row['doc_id']]}")
                )
                continue
            seen[row["doc_id"]] = str(path)
            rows.append(row)
    for problem in problems:
        log.warning("skipped %s", problem)
    frame = pd.DataFrame(rows, columns=schema.DOCUMENTS.names) if rows else schema.empty(schema.DOCUMENTS)
    return schema.conform(frame, schema.DOCUMENTS), problems


@stage("ingest", reads=(), writes=("documents",), scope="inputs")
def ingest_stage(inputs: list[Path]) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The `documents` table of the input files, and what had to be skipped."""
    documents, problems = read_documents(inputs)
    return {"documents": documents}, problems
