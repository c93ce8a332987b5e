"""Word knowledge, kept as data: one word list a file (`*.txt` here, one entry a line, `#` starts a comment).

This package is the one place the code reads them:

- `load(name)` gives a list's entries, `words(name)` them lower-cased as a set;
- `lexicon.verbs`: reporting verbs and their lemmas;
- `lexicon.nouns`: titles, role, organisation and place nouns in all their inflections;
- `lexicon.names`: first names and their gender, pronouns, places, news outlets, folding of names.

It imports nothing else of the package. Stages declare which lists they read (`@stage(lexicons=...)`), so
that editing a line re-runs exactly the stages that read that list; `LOADED` records what a process read,
which a test compares with the declarations.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOADED: set[str] = set()


def path(name: str) -> Path:
    return HERE / f"{name}.txt"


def available() -> tuple[str, ...]:
    """Every word list there is."""
    return tuple(sorted(p.stem for p in HERE.glob("*.txt")))


@functools.cache
def load(name: str) -> tuple[str, ...]:
    """Entries of `pipeline/lexicon/{name}.txt`, comments and blank lines removed, order kept."""
    LOADED.add(name)
    lines = path(name).read_text(encoding="utf-8").splitlines()
    return tuple(entry for line in lines if (entry := line.split("#", 1)[0].strip()))


@functools.cache
def words(name: str) -> frozenset[str]:
    """A list's entries, lower-cased."""
    return frozenset(entry.lower() for entry in load(name))


@functools.cache
def word_sequences(name: str) -> tuple[tuple[str, ...], ...]:
    """A list of multi-word entries (`i dag`, `flera gånger`) as lower-cased word tuples, longest first."""
    return tuple(sorted((tuple(e.lower().split()) for e in load(name)), key=len, reverse=True))


def digest(names: tuple[str, ...] | list[str]) -> str:
    """SHA-256 over the named lists' files (for run fingerprints)."""
    sha = hashlib.sha256()
    for name in sorted(names):
        sha.update(name.encode() + b"\0" + path(name).read_bytes() + b"\0")
    return sha.hexdigest()
