"""Reading articles from .txt, .jsonl, .csv and .parquet files into the `documents` table.

Real archives hold broken files, and one bad file or record must cost only itself: every file or
record that cannot be used becomes a `Problem` naming the file (and line) and why, every record that
could be read is kept, and what was repaired on the way (a line that is not UTF-8, a lone surrogate,
a date that is no date) is listed too. Nothing is skipped without a word; nothing raises but a bug.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.run import schema
from pipeline.run.registry import stage

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".jsonl", ".csv", ".parquet")
OPTIONAL_COLUMNS = ("title", "date", "url", "source")
DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*\n?[ \t]*")
DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
# C0 controls but tab, line feed, form feed and carriage return, and DEL (not C1: archives converted
# from cp1252 the wrong way are full of U+0096 dashes, and they are text)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Text has next to no control characters; binary data (or a wrong guess of its encoding) has one in eight.
BINARY_SHARE = 0.005
SURROGATE = re.compile(r"[\ud800-\udfff]")
LISTED = 10          # line numbers listed in one message


@dataclass(frozen=True)
class Problem:
    """Something met while reading an input: a file or record skipped, or a repair made.

    `kind` is `file` (the whole file skipped), `record` (one record skipped) or `repaired` (read, with
    the fix `problem` says); `problem` names the line or row where there is one.
    """

    path: str
    problem: str
    kind: str = "file"

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def shown(path: Path | str) -> str:
    """The path as printable text: bytes of a file name that are not UTF-8 as `\\xNN` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# ------------------------------------------------------------------------------------ finding files

def _not_a_file(path: Path) -> str | None:
    """None for a regular file (or a link to one), `dir` for a folder, else why it is no input."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "broken symbolic link" if path.is_symlink() else "no such file or directory"
    except OSError as err:
        return f"cannot be opened ({err.strerror or err})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "dir"
    what = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"{what}, not a regular file"


def _sort_in(path: Path, files: list[Path], problems: list[Problem], folders: list[Path], link_ok: bool) -> None:
    """Put one path where it belongs: among the folders to walk, the input files, or the problems."""
    reason = _not_a_file(path)
    if reason == "dir" and (link_ok or not path.is_symlink()):
        folders.append(path)
    elif reason == "dir":
        problems.append(Problem(shown(path), "symbolic link to a folder, not followed"))     # as rglob did
    elif reason:
        problems.append(Problem(shown(path), reason))
    elif path.suffix.lower() in SUFFIXES:
        files.append(path)
    else:
        suffix = path.suffix or "(none)"
        problems.append(Problem(shown(path), f"unsupported file type {suffix!r} (use {', '.join(SUFFIXES)})"))


def collect_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand directories (recursively) into the input files they hold, in a stable order; everything
    else met on the way (other file types, pipes, broken links, unreadable folders) is a Problem."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, inputs):
        found: list[Path] = []
        skipped: list[Problem] = []
        folders: list[Path] = []
        _sort_in(path, files, problems, folders, link_ok=True)
        while folders:
            folder = folders.pop()
            try:
                with os.scandir(folder) as scan:
                    entries = [Path(entry.path) for entry in scan]
            except OSError as err:
                why = f"folder cannot be read ({err.strerror or err}); its files are skipped"
                skipped.append(Problem(shown(folder), why))
                continue
            for entry in entries:
                _sort_in(entry, found, skipped, folders, link_ok=False)
        files.extend(sorted(found))
        problems.extend(sorted(skipped, key=lambda p: p.path))
    return files, problems


# ------------------------------------------------------------------------------------ decoding

def _wide(raw: bytes) -> str | None:
    """The text of UTF-16 (or UTF-32) bytes, known by a BOM or by the zero bytes of ASCII characters."""
    codec = _wide_codec(raw)
    try:
        return raw.decode(codec) if codec else None
    except UnicodeDecodeError:
        return None


def _wide_codec(raw: bytes) -> str | None:
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return codec
    sample = raw[:65536]
    pairs = len(sample) // 2
    if pairs < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _decode_lines(raw: bytes) -> tuple[str, list[int], str]:
    """Decode line by line: UTF-8 where a line is UTF-8, else cp1252 (else latin-1).

    Returns the text, the numbers of the lines that were not UTF-8 and the encoding(s) used for them.
    """
    lines, repaired, used = [], [], set()
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            lines.append(line.decode("cp1252"))
            used.add("cp1252")
        except UnicodeDecodeError:
            lines.append(line.decode("latin-1"))
            used.add("latin-1")
        repaired.append(number)
    return "\n".join(lines), repaired, "/".join(sorted(used))


def _listed(numbers: list[int]) -> str:
    more = f" and {len(numbers) - LISTED} more" if len(numbers) > LISTED else ""
    return ", ".join(map(str, numbers[:LISTED])) + more


def decode_text(raw: bytes, path: Path, repairs: list[Problem] | None = None) -> str:
    """Decode the bytes of a text file: UTF-8 (BOM removed), UTF-16/32, or line by line with cp1252 for
    the lines that are not UTF-8 (listed in `repairs`, and warned about). Raises InputError for an
    empty file and for binary data: NUL bytes, or control characters in more than 1 of 200 characters."""
    if not raw.strip():
        raise InputError("empty file")
    text = _wide(raw)
    if text is None and b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes), not text")
    if text is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, lines, encoding = _decode_lines(raw.removeprefix(codecs.BOM_UTF8))
            note = f"not valid UTF-8, decoded as {encoding}: line{'s' if len(lines) > 1 else ''} {_listed(lines)}"
            if repairs is None:
                log.warning("%s: %s", shown(path), note)
            else:
                repairs.append(Problem(shown(path), note, "repaired"))
    controls = sum(1 for _ in CONTROL.finditer(text))
    if controls > 1 and controls > BINARY_SHARE * len(text):
        raise InputError(f"binary file ({controls} control characters in {len(text)}), not text")
    text = normalise_newlines(text)
    if not text.strip():
        raise InputError("empty file")
    return text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def split_date_prefix(text: str) -> tuple[str | None, str, int]:
    """Move a leading `date YYYY-MM[-DD]` line out of the text: (date, text, characters dropped)."""
    match = DATE_PREFIX.match(text)
    if not match:
        return None, text, 0
    return match.group(1), text[match.end() :], match.end()


# ------------------------------------------------------------------------------------ records

@dataclass
class _Record:
    """One record of a file, with where it is (`line 3`, `row 3`, or '' for a .txt file)."""

    fields: dict
    where: str = ""


def _records_from_jsonl(text: str, path: str, problems: list[Problem]) -> Iterator[_Record]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as err:
            why = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
            problems.append(Problem(path, f"line {number}: not valid JSON ({why}); record skipped", "record"))
            continue
        if not isinstance(record, dict):
            kind = type(record).__name__
            problems.append(Problem(path, f"line {number}: a JSON {kind}, not an object; record skipped", "record"))
            continue
        yield _Record(record, f"line {number}")


def _records_from_csv(text: str, path: str, problems: list[Problem]) -> Iterator[_Record]:
    """Rows of a CSV file, record by record: a row with more fields than the header, or quoting that
    never closes (which would swallow the rows after it), costs only that row."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    lines = [line + "\n" for line in text.split("\n")]
    header: list[str] | None = None
    start = 0
    while start < len(lines):
        reader = csv.reader((lines[i] for i in range(start, len(lines))), strict=True)
        begin = start
        try:
            for row in reader:
                number, begin = begin + 1, start + reader.line_num
                if not any(field.strip() for field in row):
                    continue
                if header is None:
                    header = row
                elif len(row) > len(header):
                    problems.append(Problem(
                        path, f"line {number}: {len(row)} fields where the header has {len(header)}; record skipped",
                        "record"))
                else:
                    yield _Record(dict(zip(header, row + [None] * (len(header) - len(row)), strict=True)),
                                  f"line {number}")
            return
        except csv.Error as err:
            number = begin + 1
            if header is None:
                raise InputError(f"line {number}: the header cannot be parsed ({err})") from err
            why = "a quote opened here is never closed" if "end of data" in str(err) else f"bad quoting ({err})"
            problems.append(Problem(path, f"line {number}: {why}; record skipped, reading goes on at the next line",
                                    "record"))
            start = begin + 1


def _records_from_parquet(path: Path) -> Iterator[_Record]:
    # nullable dtypes: an integer id column with gaps stays integers (not 1.0, 2.0)
    frame = pd.read_parquet(path, dtype_backend="numpy_nullable")
    _check_columns(list(frame.columns))
    for number, record in enumerate(frame.to_dict(orient="records"), start=1):
        yield _Record(record, f"row {number}")


def _check_columns(columns: list) -> None:
    if "text" not in columns:
        raise InputError(f"missing a 'text' column (has: {', '.join(sorted(map(str, columns)))})")
    if "id" not in columns and "doc_id" not in columns:
        raise InputError(f"missing an 'id' (or 'doc_id') column (has: {', '.join(sorted(map(str, columns)))})")


def read_records(path: Path, problems: list[Problem] | None = None) -> list[_Record]:
    """The records of one file; the records and lines that cannot be used, and the repairs made, go
    to `problems`. Raises InputError when nothing of the file can be used."""
    problems = [] if problems is None else problems
    name, suffix, before = shown(path), path.suffix.lower(), len(problems)
    try:
        if suffix == ".parquet":
            records = list(_records_from_parquet(path))
        else:
            text = decode_text(path.read_bytes(), path, problems)
            if suffix == ".txt":
                records = [_Record({"id": _file_stem(path, problems), "text": text})]
            elif suffix == ".jsonl":
                records = list(_records_from_jsonl(text, name, problems))
            elif suffix == ".csv":
                records = list(_records_from_csv(text, name, problems))
            else:
                raise InputError(f"unsupported file type {suffix!r}")
    except InputError:
        raise
    except OSError as err:
        raise InputError(f"cannot be read ({err.strerror or err})") from err
    except (ValueError, ArithmeticError, pa.ArrowException) as err:     # a Parquet file that is none
        raise InputError(f"cannot be read: {' '.join(str(err).split())}") from err
    if suffix in (".jsonl", ".csv") and records:
        keys = set().union(*(r.fields for r in records))
        _check_columns(sorted(keys, key=str))
    if not records and not any(p.kind == "record" for p in problems[before:]):
        raise InputError("holds no records")
    return records


def _file_stem(path: Path, problems: list[Problem]) -> str:
    """The doc_id of a .txt file: its name without extension; a name that is not UTF-8 is read as cp1252."""
    raw = os.fsencode(path.stem)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            stem = raw.decode("cp1252")
        except UnicodeDecodeError:
            stem = raw.decode("latin-1")
        problems.append(Problem(shown(path), f"file name is not UTF-8; doc_id {stem!r} read as cp1252", "repaired"))
        return stem


# ------------------------------------------------------------------------------------ fields

def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":     # a Parquet list column
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _missing(value: object) -> bool:
    """None, pandas' NA or NaT, or a float NaN (a gap in a CSV or Parquet column)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def _id_text(value: object) -> str | None:
    """The id as text: strings stripped, numbers as written (an integral float such as 12.0 as 12)."""
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"the id is {_kind_of(value)}, not a string or number")
    return str(value).strip() or None


def _clean(value: object) -> str | None:
    if _missing(value):
        return None
    value = str(value).strip()
    return value or None


def _date_text(value: object) -> tuple[str | None, str | None]:
    """(YYYY-MM or YYYY-MM-DD, or None; what was wrong with it, or None)."""
    if _missing(value):
        return None, None
    if isinstance(value, dt.datetime | dt.date):          # pandas' Timestamp is a datetime
        return value.strftime("%Y-%m-%d"), None
    text = str(value).strip()
    if not text:
        return None, None
    timed = DATE_TIME.fullmatch(text)
    if timed:
        text = timed.group(1)
    match = DATE.fullmatch(text)
    if match:
        year, month, day = (int(g) if g else 1 for g in match.groups())
        try:
            dt.date(year, month, day)
            return text, None
        except ValueError:
            pass
    return None, f"date {text[:40]!r} is not YYYY-MM or YYYY-MM-DD; left empty"


def _no_surrogates(value: str | None, notes: list[str], what: str) -> str | None:
    """A lone surrogate (`\\ud83d` in JSON) cannot be stored as UTF-8: it becomes U+FFFD (same length)."""
    if value is None or not SURROGATE.search(value):
        return value
    notes.append(f"lone surrogate code points in {what} replaced by U+FFFD")
    return SURROGATE.sub("\ufffd", value)


def to_document(record: dict, path: Path, notes: list[str] | None = None) -> dict:
    """One `documents` row from a record; raises InputError for a missing, empty or non-string text or
    id. What had to be repaired (a date that is no date, lone surrogates) is added to `notes`."""
    notes = [] if notes is None else notes
    doc_id = _no_surrogates(_id_text(record.get("id", record.get("doc_id"))), notes, "the id")
    if doc_id is None:
        raise InputError("a record has an empty id")
    raw_text = record.get("text")
    if _missing(raw_text):
        raise InputError(f"document {doc_id!r} has no text")
    if not isinstance(raw_text, str):
        raise InputError(f"document {doc_id!r}: the text is {_kind_of(raw_text)}, not a string")
    if not raw_text.strip():
        raise InputError(f"document {doc_id!r} has an empty text")
    raw_text = _no_surrogates(raw_text, notes, "the text")
    prefix_date, text, dropped = split_date_prefix(normalise_newlines(raw_text))
    row = {name: _no_surrogates(_clean(record.get(name)), notes, name) for name in OPTIONAL_COLUMNS if name != "date"}
    date, wrong = _date_text(record.get("date"))
    if date is None:
        date, wrong_prefix = _date_text(prefix_date)
        wrong = wrong or wrong_prefix
    if wrong:
        notes.append(SURROGATE.sub("\ufffd", wrong))
    row.update(doc_id=doc_id, date=date, path=shown(path), text=text, body_start=dropped)
    return row


# ------------------------------------------------------------------------------------ documents

def read_documents(inputs: Iterable[Path]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read every input into one `documents` table, plus the problems met on the way.

    A file that cannot be read is skipped with its problem, a record that cannot be used (or whose
    `doc_id` was already taken: the problem names both sources) likewise; every other record is kept.
    Repairs are problems of kind `repaired`.
    """
    files, problems = collect_inputs(inputs)
    rows: list[dict] = []
    seen: dict[str, str] = {}
    for path in files:
        name = shown(path)
        try:
            records = read_records(path, problems)
        except InputError as err:
            problems.append(Problem(name, str(err)))
            continue
        for record in records:
            where = f"{record.where}: " if record.where else ""
            notes: list[str] = []
            try:
                row = to_document(record.fields, path, notes)
            except InputError as err:
                problems.append(Problem(name, f"{where}{err}; record skipped", "record"))
                continue
            problems.extend(Problem(name, f"{where}{note}", "repaired") for note in notes)
            doc_id = row["doc_id"]
            if doc_id in seen:
                why = f"{where}duplicate doc_id {doc_id!r}, already read from {seen[doc_id]}"
                problems.append(Problem(name, why, "record"))
                continue
            seen[doc_id] = name
            rows.append(row)
    for problem in problems:
        log.warning("%s %s", "repaired" if problem.kind == "repaired" else "skipped", problem)
    frame = pd.DataFrame(rows, columns=schema.DOCUMENTS.names) if rows else schema.empty(schema.DOCUMENTS)
    return schema.conform(frame, schema.DOCUMENTS), problems


@stage("ingest", reads=(), writes=("documents",), scope="inputs")
def ingest_stage(inputs: list[Path]) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The `documents` table of the input files, and what had to be skipped or repaired."""
    documents, problems = read_documents(inputs)
    return {"documents": documents}, problems

