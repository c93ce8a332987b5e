"""Wire copy: documents that are near-duplicates of one another form a story (an agency text reprinted by
several outlets, a press release and its republication).

Each text's word 5-grams become a MinHash signature; an LSH index over the signatures finds, for each
document, the earlier ones that may share `neardup.COPY_MIN_JACCARD` of their shingles, and `neardup.is_copy`
decides (estimated Jaccard, dated at most `neardup.COPY_MAX_MONTHS` apart; the measurement is there). Linked
documents form one story (spanning at most those months), named after its earliest document (by date, then
run order). Only the signatures are kept (512 bytes a document, and 12 bytes for each of its LSH bands), never
the texts.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable

import numpy as np
import pandas as pd

from pipeline import neardup
from pipeline.run import schema
from pipeline.run.registry import stage


@stage("copies", reads=("documents",), writes=("copies",), scope="corpus")
def copies_stage(documents: Iterable[pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The `copies` table: every document's story, the earliest document of it, and how many there are."""
    return {"copies": find_copies(documents)}


def find_copies(documents: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Stories of near-duplicate documents over batches of the documents table (see the module docstring)."""
    index = neardup.BandIndex(neardup.COPY_MIN_JACCARD)
    signatures = neardup.Signatures()
    doc_ids: list[str] = []
    dates = array("l")      # 8 bytes a document, not a Python object
    months = _Months()
    linked = _Stories(months)
    # an exact duplicate joins its first copy's story and stays out of the index, so that a text reprinted
    # thousands of times does not make every query return thousands of candidates
    first_of: dict[tuple[bytes, int | None], int] = {}
    for batch in documents:
        for doc_id, text, date in zip(batch["doc_id"].tolist(), batch["text"].tolist(), batch["date"].tolist(),
                                      strict=True):
            n = len(doc_ids)
            doc_ids.append(doc_id)
            dates.append(neardup.date_order(date))
            months.append(neardup.month_number(date))
            minhash = neardup.document_signature(text)
            if minhash is None:
                continue
            values = neardup.compact(minhash)
            key = (hashlib.sha1(values.tobytes()).digest(), months[n])
            if key in first_of:
                linked.join(first_of[key], n)
                signatures.alias(n, first_of[key])
                continue
            first_of[key] = n
            signatures.add(n, values)
            for other in index.query(values):
                if neardup.is_copy(values, signatures[other], months[n], months[other]):
                    linked.join(other, n)
            index.insert(n, values)
    table = _table(doc_ids, dates, linked, signatures)
    index.close()
    signatures.close()
    return table


class _Stories(neardup.UnionFind):
    """Documents linked into stories, none spanning more than `neardup.COPY_MAX_MONTHS` from its first dated
    document to its last: otherwise a monthly template chains into one story, each notice within the window
    of the next (the "Nya ambassadörer till Sverige" of regeringen, 4 documents over 5 months)."""

    def __init__(self, months: _Months) -> None:
        super().__init__()
        self.months = months
        self.span: dict[int, tuple[int, int]] = {}

    def _span(self, n: int) -> tuple[int, int] | None:
        root = self.find(n)
        month = self.months[n]
        return self.span.get(root, (month, month) if month is not None and root == n else None)

    def join(self, a: int, b: int) -> None:
        if self.find(a) == self.find(b):
            return
        span_a, span_b = self._span(a), self._span(b)
        if span_a and span_b:
            merged = (min(span_a[0], span_b[0]), max(span_a[1], span_b[1]))
            if merged[1] - merged[0] > neardup.COPY_MAX_MONTHS:
                return
        else:
            merged = span_a or span_b
        self.union(a, b)
        if merged:
            self.span[self.find(a)] = merged


class _Months(array):
    """Month numbers by document, None stored as -1 (8 bytes a document)."""

    def __new__(cls):
        return super().__new__(cls, "l")

    def append(self, month: int | None) -> None:
        super().append(-1 if month is None else month)

    def __getitem__(self, n: int) -> int | None:
        month = super().__getitem__(n)
        return None if month < 0 else month


def _table(doc_ids: list[str], dates: array, linked: neardup.UnionFind,
           signatures: neardup.Signatures) -> pd.DataFrame:
    if not doc_ids:
        return schema.empty(schema.COPIES)
    story_of: dict[int, int] = {}     # documents linked to none are their own story (never in `linked`)
    size_of: dict[int, int] = {}
    for members in linked.groups().values():
        first = min(members, key=lambda n: (dates[n], n))
        for n in members:
            story_of[n] = first
        size_of[first] = len(members)
    # column by column, the story of a document alone being itself: one list of references, no row objects
    story = list(doc_ids)
    copy_of: list[str | None] = [None] * len(doc_ids)
    copies = np.ones(len(doc_ids), dtype=np.int64)
    similarity = np.full(len(doc_ids), np.nan)
    for n, first in story_of.items():
        story[n] = doc_ids[first]
        copies[n] = size_of[first]
        if first != n:    # linked documents all have signatures (an exact duplicate: its first copy's)
            copy_of[n] = doc_ids[first]
            similarity[n] = round(neardup.estimated_jaccard(signatures[n], signatures[first]), 3)
    frame = pd.DataFrame({"doc_id": doc_ids, "story_id": story, "copy_of": copy_of, "copies": copies,
                          "similarity": similarity})
    return schema.conform(frame, schema.COPIES)
