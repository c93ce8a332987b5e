"""Near-duplicate search on word shingles with MinHash and LSH (datasketch), and the two decisions made with it:
which documents are copies of one another (`copies` stage) and which quotes are one statement (`spread`).

Texts become sets of word n-grams (`shingles`), each set a MinHash signature; an LSH index finds the
candidates of a signature without comparing it with every other one, so a run stays linear in the number of
texts. Candidates are then checked on the signatures (documents) or on the exact sets (quotes, which are short).
The stages and `citat evaluate copies|spread` use the same decisions (`is_copy`, `same_statement`).

Imports nothing else of the package.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported where used: datasketch imports scipy, 0.5-1 s at every `citat` start
    from datasketch import MinHash

NUM_PERM = 128
SEED = 1
SIGNATURE_CHUNK = 20_000  # shingles hashed at once (a 512-byte row each: about 10 MB)
SCHEME = "affine32"     # datasketch 2's permutations over 32-bit hash values
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased words of `text`; punctuation, dashes and quotation marks are not words."""
    return _WORD.findall(text.replace("\u00ad", "").lower())


def ngrams(tokens: list[str], n: int) -> Iterator[bytes]:
    """The word n-grams of `tokens` one after the other (a repeated one as often as it occurs)."""
    return (" ".join(tokens[i:i + n]).encode() for i in range(len(tokens) - n + 1))


def shingles(tokens: list[str], n: int) -> set[bytes]:
    """The word n-grams of `tokens` (one shingle of all of them when there are fewer than n)."""
    if len(tokens) < n:
        return {" ".join(tokens).encode()} if tokens else set()
    return set(ngrams(tokens, n))


@functools.cache
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(items: Iterable[bytes]) -> MinHash:
    """The MinHash of a set of shingles (every signature shares one set of permutations), taken in chunks:
    datasketch hashes a batch as one array of NUM_PERM values per shingle, which for a 20 MB document in
    one go peaked at 2.2 GB. A shingle given twice changes nothing (a minimum)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    items = iter(items)
    while chunk := list(itertools.islice(items, SIGNATURE_CHUNK)):
        minhash.update_batch(chunk)
    return minhash


def compact(minhash: MinHash) -> np.ndarray:
    """A signature's values as 32-bit integers (the affine32 scheme's own): 512 bytes for 128 permutations."""
    return minhash.hashvalues.astype(np.uint32, copy=False)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sets estimated from their `compact` signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def overlap(common: int, size_a: int, size_b: int) -> float:
    """|a ∩ b| / min(|a|, |b|) from the counts: 1.0 when one set holds the other (a quote cut short)."""
    return common / min(size_a, size_b) if size_a and size_b else 0.0


def common_hashes(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two `shingle_hashes` arrays share."""
    return len(np.intersect1d(a, b, assume_unique=True))


class UnionFind:
    """Groups of items linked in pairs (`union`), each named by its `find` root."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a, b) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a

    def groups(self) -> dict:
        """root -> members, for every item seen."""
        out: dict = {}
        for item in self.parent:
            out.setdefault(self.find(item), []).append(item)
        return out


# ------------------------------------------------------------------------------------ documents
# Chosen on the tune half of 96 labelled pairs of the regeringen corpus (data/dev/copy-pairs-regeringen.jsonl):
# without the date window Jaccard alone cannot tell a republished text from a template reused for another
# event (the yearly notice, the next ambassador): precision stays below 0.4 at any threshold; within 2 months
# it is 0.67 at recall 0.80 (Jaccard 0.5; 0.2 and 0.3 scored within a pair of it, 0.5 has the best precision).
DOC_SHINGLE = 5
COPY_MIN_JACCARD = 0.5
COPY_MAX_MONTHS = 2
DOC_MIN_WORDS = 25      # shorter texts (a notice, a one-line item) are not compared
_MONTH = re.compile(r"^(\d{4})-(\d{2})")
_UNDATED = 99_999_999


def date_order(date: object) -> int:
    """`2024-03-17` as 20240317 and `2024-03` as 20240300 (the order of the dates), none last: which document of
    a story or a spread came first."""
    if not isinstance(date, str) or not date[:4].isdigit():
        return _UNDATED
    digits = date.replace("-", "")[:8]
    return int(digits.ljust(8, "0")) if digits.isdigit() else _UNDATED


def document_signature(text: str) -> MinHash | None:
    """The MinHash of a document's word 5-grams, or None for a text too short to compare."""
    tokens = words(text)
    if len(tokens) < DOC_MIN_WORDS:
        return None
    return signature(ngrams(tokens, DOC_SHINGLE))     # not a set: a 20 MB text's shingles never all at once


def month_number(date: object) -> int | None:
    """`2024-03` or `2024-03-17` as a count of months (None without a date)."""
    match = _MONTH.match(date) if isinstance(date, str) else None
    return int(match.group(1)) * 12 + int(match.group(2)) if match else None


def is_copy(a: np.ndarray, b: np.ndarray, month_a: int | None, month_b: int | None,
            min_jaccard: float = COPY_MIN_JACCARD, max_months: int = COPY_MAX_MONTHS) -> bool:
    """Two documents' `compact` signatures and months: near-duplicates dated at most `max_months` apart (or
    either undated)."""
    close = month_a is None or month_b is None or abs(month_a - month_b) <= max_months
    return close and estimated_jaccard(a, b) >= min_jaccard


# ---------------------------------------------------------------------------------------- quotes
# Chosen on the tune half of 162 labelled candidate pairs of the regeringen corpus
# (data/dev/spread-pairs-regeringen.jsonl): word 3-grams at overlap 0.9 gave F1 0.87 (precision 0.94);
# overlap 0.8 only 0.77 and 0.5 0.55: a shared stock sentence (`Lagändringarna träder i kraft den 1 juli`) is
# no statement travelling. So a quote may be cut anywhere, but changed in a word only when it is long (30+).
QUOTE_SHINGLE = 3
QUOTE_MIN_WORDS = 6
QUOTE_MIN_OVERLAP = 0.9
QUOTE_MIN_COMMON = 3


def quote_shingles(text: str | None) -> set[bytes] | None:
    """The shingles a quote is compared by, or None for a quote too short to travel recognisably."""
    tokens = words(text or "")
    return shingles(tokens, QUOTE_SHINGLE) if len(tokens) >= QUOTE_MIN_WORDS else None


def same_statement(a: set[bytes], b: set[bytes], min_overlap: float = QUOTE_MIN_OVERLAP) -> bool:
    """Whether two quotes' shingles are one statement: (nearly) all of the shorter one is in the other."""
    return shares_enough(len(a & b), len(a), len(b), min_overlap)


def shares_enough(common: int, size_a: int, size_b: int, min_overlap: float = QUOTE_MIN_OVERLAP) -> bool:
    """`same_statement` from the counts: `common` shingles shared by sets of `size_a` and `size_b`."""
    return common >= QUOTE_MIN_COMMON and overlap(common, size_a, size_b) >= min_overlap


def shingle_hashes(items: set[bytes]) -> np.ndarray:
    """A shingle set as sorted 64-bit hashes (8 bytes a shingle instead of a Python bytes object)."""
    return np.unique(np.fromiter((int.from_bytes(hashlib.blake2b(i, digest_size=8).digest(), "little")
                                  for i in items), dtype=np.uint64, count=len(items)))


# ------------------------------------------------------------------------------------- the index

class _Spill:
    """A temporary folder for arrays that are memory-mapped back (deleted with the object or on `close`)."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory | None = None
        self._count = 0

    def keep(self, array: np.ndarray) -> np.ndarray:
        """`array` written to disk and mapped back read-only: the OS pages it in and out, not the heap."""
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="citat-neardup-")
        self._count += 1
        path = Path(self._folder.name) / f"{self._count}.npy"
        np.save(path, array)
        return np.load(path, mmap_mode="r")

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


class BandIndex:
    """LSH over `compact` signatures, in NumPy arrays: datasketch's banding (its optimal bands x rows for the
    threshold) with each band hashed to 64 bits and kept in sorted runs (`key`, `id`) that merge as they grow.

    datasketch's `MinHashLSH` keeps a Python set per band value and the band bytes per key: about 9 KB a
    document at 25 bands (measured on 20,000 regeringen and riksdagen texts); here a band costs 12 bytes, and
    a run of `SPILL` bands or more is written to a temporary file and memory-mapped, so that the heap stays
    flat however many documents there are (runs stop merging at `MAX_MERGE` bands).
    """

    BUFFER = 2048
    SPILL = 1 << 18        # 3 MB of bands, about 10,000 documents
    MAX_MERGE = 1 << 22    # 48 MB

    def __init__(self, threshold: float, num_perm: int = NUM_PERM) -> None:
        from datasketch.lsh import _optimal_param

        self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self._salt = np.arange(1, self.bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        self._buffer: dict[int, list[int]] = {}
        self._buffered = 0
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._spill = _Spill()

    def band_keys(self, values: np.ndarray) -> np.ndarray:
        """One 64-bit key per band of a signature (FNV-style over the band's values, salted by the band)."""
        table = values[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        keys = self._salt.copy()
        with np.errstate(over="ignore"):
            for column in range(self.rows):
                keys = (keys ^ table[:, column]) * np.uint64(0x100000001B3)
        return keys

    def query(self, values: np.ndarray) -> set[int]:
        """Ids inserted before that share at least one band with `values`."""
        keys = self.band_keys(values)
        found: set[int] = set()
        for key in keys.tolist():
            found.update(self._buffer.get(key, ()))
        for run_keys, run_ids in self._runs:
            left = np.searchsorted(run_keys, keys, side="left")
            right = np.searchsorted(run_keys, keys, side="right")
            for start, end in zip(left.tolist(), right.tolist(), strict=True):
                if end > start:
                    found.update(run_ids[start:end].tolist())
        return found

    def insert(self, item: int, values: np.ndarray) -> None:
        for key in self.band_keys(values).tolist():
            self._buffer.setdefault(key, []).append(item)
        self._buffered += 1
        if self._buffered >= self.BUFFER:
            self._flush()

    def _flush(self) -> None:
        keys = np.fromiter((k for k, ids in self._buffer.items() for _ in ids), dtype=np.uint64)
        ids = np.fromiter((i for ids in self._buffer.values() for i in ids), dtype=np.int64)
        self._buffer, self._buffered = {}, 0
        runs = [*self._runs, (keys, ids)]
        # merge the newest runs while a run is at least as long as the one before it (a binary counter)
        while len(runs) > 1 and len(runs[-1][0]) >= len(runs[-2][0]) and \
                len(runs[-1][0]) + len(runs[-2][0]) <= self.MAX_MERGE:
            (a_keys, a_ids), (b_keys, b_ids) = runs[-2], runs[-1]
            runs[-2:] = [(np.concatenate([a_keys, b_keys]), np.concatenate([a_ids, b_ids]))]
        last_keys, last_ids = runs[-1]
        order = np.argsort(last_keys, kind="stable")
        last_keys, last_ids = last_keys[order], last_ids[order].astype(np.int32)
        if len(last_keys) >= self.SPILL:
            last_keys, last_ids = self._spill.keep(last_keys), self._spill.keep(last_ids)
        runs[-1] = (last_keys, last_ids)
        self._runs = runs

    def close(self) -> None:
        """Delete the spilled runs (also done when the index is collected)."""
        self._runs = []
        self._spill.close()


class Signatures:
    """`compact` signatures by item number, in blocks of one NumPy matrix each (no object per signature); a
    full block beyond the first `IN_MEMORY` is written to a temporary file and memory-mapped."""

    BLOCK = 4096
    IN_MEMORY = 4

    def __init__(self) -> None:
        self._blocks: list[np.ndarray] = []
        self._row_of = array("q")       # item -> row, -1 for none: 8 bytes an item
        self._rows = 0
        self._spill = _Spill()

    def close(self) -> None:
        self._blocks = []
        self._spill.close()

    def add(self, item: int, values: np.ndarray) -> None:
        row = self._rows
        self._rows += 1
        if row % self.BLOCK == 0:
            if len(self._blocks) >= self.IN_MEMORY:
                self._blocks[-1] = self._spill.keep(self._blocks[-1])
            self._blocks.append(np.zeros((self.BLOCK, len(values)), dtype=np.uint32))
        self._blocks[-1][row % self.BLOCK] = values
        self._set(item, row)

    def alias(self, item: int, same_as: int) -> None:
        """`item` has the signature of `same_as` (an exact duplicate), without a row of its own."""
        self._set(item, self._row_of[same_as])

    def _set(self, item: int, row: int) -> None:
        if item >= len(self._row_of):
            self._row_of.extend([-1] * (item + 1 - len(self._row_of)))
        self._row_of[item] = row

    def __getitem__(self, item: int) -> np.ndarray:
        row = self._row_of[item]
        if row < 0:
            raise KeyError(item)
        return self._blocks[row // self.BLOCK][row % self.BLOCK]
