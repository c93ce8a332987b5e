"""The one fixed split of the development gold: rules are written on `tune`, figures reported on `test`.

A document's half is the parity of the MD5 of its doc_id, so the split is the same on every machine,
for every file, and for documents added later.
"""

from __future__ import annotations

import hashlib

SPLITS = ("all", "tune", "test")


def bucket(doc_id: str, k: int) -> int:
    """Which of `k` parts a document falls in, by the MD5 of its doc_id (folds of cross-validation too)."""
    return int(hashlib.md5(str(doc_id).encode("utf-8")).hexdigest(), 16) % k


def split_of(doc_id: str) -> str:
    return "tune" if bucket(doc_id, 2) == 0 else "test"


def in_split(doc_id: str, split: str) -> bool:
    return split == "all" or split_of(doc_id) == split
