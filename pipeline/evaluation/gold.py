"""Reading gold files, with one clear error naming the file and the problem when they are malformed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pipeline.errors import GoldError

T = TypeVar("T")


def read_gold_jsonl(path: Path) -> list[dict]:
    """The records of a gold JSONL file (`../shared/gold/GUIDELINE.md`): one JSON object with `text` a line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GoldError(f"{path}: cannot be read as UTF-8 text ({err})") from err
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{path}: line {number} is not valid JSON ({err.msg})") from err
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise GoldError(f"{path}: line {number} is not a gold record (a JSON object with a `text`)")
        for quote in record.get("quotes", []):
            if not isinstance(quote, dict) or not all(isinstance(quote.get(k), int) for k in ("start", "end")):
                raise GoldError(f"{path}: line {number}: a quote without integer `start` and `end`")
        records.append(record)
    if not records:
        raise GoldError(f"{path}: holds no gold records")
    return records


def read_gold(path: Path, reader: Callable[[Path], T], kind: str, needs: str = "words") -> T:
    """Run a corpus reader over a gold file. A file it cannot parse, one without sentences, one with a
    sentence without words, or (`needs="ents"`) one without a single entity is a GoldError."""
    try:
        result = reader(Path(path))
    except (OSError, UnicodeDecodeError, ValueError, IndexError, KeyError) as err:
        raise GoldError(f"{path}: not a valid {kind} file ({type(err).__name__}: {err})") from err
    sentences = result[0] if isinstance(result, tuple) else result
    if not sentences:
        raise GoldError(f"{path}: holds no {kind} sentences")
    if not all(s.get("words") for s in sentences):
        raise GoldError(f"{path}: not a valid {kind} file (a sentence without tokens)")
    if needs == "ents" and not any(s.get("ents") for s in sentences):
        raise GoldError(f"{path}: not a valid {kind} file (no entity tags in it)")
    return result
