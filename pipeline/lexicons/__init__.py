"""Word lists kept as data files (one entry a line, `#` starts a comment)."""

from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).resolve().parent


@functools.cache
def load(name: str) -> tuple[str, ...]:
    """Entries of `pipeline/lexicons/{name}.txt`, comments and blank lines removed, order kept."""
    lines = (HERE / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(entry for line in lines if (entry := line.split("#", 1)[0].strip()))
