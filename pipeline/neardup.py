"""Near-duplicate search on word shingles with MinHash and LSH (datasketch), and the two decisions made with it:
which documents are copies of one another (`copies` stage) and which quotes are one statement (`spread`).

Texts become sets of word n-grams (`shingles`), each set a MinHash signature; an LSH index finds the
candidates of a signature without comparing it with every other one, so a run stays linear in the number of
texts. Candidates are then checked on the signatures (documents) or on the exact sets (quotes, which are short).
The stages and `citat evaluate copies|spread` use the same decisions (`is_copy`, `same_statement`).

Imports nothing else of the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"     # datasketch 2's permutations over 32-bit hash values
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased words of `text`; punctuation, dashes and quotation marks are not words."""
    return _WORD.findall(text.replace("\u00ad", "").lower())


def shingles(tokens: list[str], n: int) -> set[bytes]:
    """The word n-grams of `tokens` (one shingle of all of them when there are fewer than n)."""
    if len(tokens) < n:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + n]).encode() for i in range(len(tokens) - n + 1)}


_TEMPLATE: list[MinHash] = []


def signature(items: Iterable[bytes]) -> MinHash:
    """The MinHash of a set of shingles (every signature shares one set of permutations)."""
    if not _TEMPLATE:
        _TEMPLATE.append(MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME))
    template = _TEMPLATE[0]
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, scheme=SCHEME)
    minhash.update_batch(list(items))
    return minhash


def compact(minhash: MinHash) -> np.ndarray:
    """A signature's values as 32-bit integers (the affine32 scheme's own): 512 bytes for 128 permutations."""
    return minhash.hashvalues.astype(np.uint32, copy=False)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sets estimated from their `compact` signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def overlap(a: set, b: set) -> float:
    """|a ∩ b| / min(|a|, |b|): 1.0 when one set holds the other (a quote cut short)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


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


def document_signature(text: str) -> MinHash | None:
    """The MinHash of a document's word 5-grams, or None for a text too short to compare."""
    tokens = words(text)
    return signature(shingles(tokens, DOC_SHINGLE)) if len(tokens) >= DOC_MIN_WORDS else None


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
    common = len(a & b)
    return common >= QUOTE_MIN_COMMON and common / min(len(a), len(b)) >= min_overlap
