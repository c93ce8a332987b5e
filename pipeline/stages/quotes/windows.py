"""Very long documents in windows of whole paragraphs, and a batch's tokens sliced by offsets.

The rules keep objects per token (tags, parsed words, the words of every span they look at) and some of
their look-ups grow with the document. A news article is far below `WINDOW_CHARS`, so it is one window
and nothing changes for it; a document of megabytes (a whole archive pasted into one file) is cut into
windows that are processed one after the other, so that memory stays that of one window and the cost
grows linearly with the length. Measured on the 20 MB one-document article of the hardening issue
(`citat run --workers 1`): quotes 641 s and more than 5 GB in one piece.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from pipeline.run import schema
from pipeline.stages.quotes.constants import DASHES, OPEN_MARKS
from pipeline.stages.quotes.document import ParagraphRow
from pipeline.stages.quotes.syntax import Word, parsed, word_columns, words_in, words_of

WHOLE_BATCH = 500_000    # a batch of up to this many tokens is converted to Python lists at once (per window:
                         # 22 s -> 60 s for 20,000 one-paragraph documents, pandas' cost per call)
WINDOW_CHARS = 100_000   # a window is at least this long before it may end (the longest dev text: 6,479)
HARD_LIMIT = 4           # ... and ends, dash or not, at this many times that


def windows(text: str, paragraphs: list[ParagraphRow]) -> Iterator[list[ParagraphRow]]:
    """The paragraphs (in order) in runs of at least `WINDOW_CHARS` characters. A run does not end before
    a paragraph that may go on with the speech before it (a talstreck or quotation mark opens it), unless
    it has grown to `HARD_LIMIT` times the window."""
    run: list[ParagraphRow] = []
    for paragraph in paragraphs:
        if run and _may_end(text, run, paragraph):
            yield run
            run = []
        run.append(paragraph)
    if run:
        yield run


def _may_end(text: str, run: list[ParagraphRow], following: ParagraphRow) -> bool:
    length = int(run[-1].end) - int(run[0].start)
    if length < WINDOW_CHARS:
        return False
    opening = text[int(following.start):int(following.start) + 1]
    return opening not in DASHES + OPEN_MARKS or length >= HARD_LIMIT * WINDOW_CHARS


class BatchTokens:
    """The tokens of a batch, ordered once, sliced per document and window by character offsets: the columns
    of a batch of news are converted to Python lists at once, those of a batch beyond `WHOLE_BATCH` tokens (a
    huge document) window by window, so that only the window at hand is held as Python objects.

    The parsed words (`Word`) are made window by window in both cases: made for the whole batch they lived
    through it, and the garbage collector walked them all again in every full collection (NamedTuples are
    never untracked as plain tuples are): 0.3 of 1.6 ms per regeringen document."""

    def __init__(self, tokens: pd.DataFrame):
        self.parsed = parsed(tokens)
        self.tokens, _, _, self.rows = schema.document_order(tokens, "token_id")
        self.starts = self.tokens["start"].to_numpy(dtype="int64", na_value=-1)
        self._no_tokens = self.tokens.iloc[0:0]
        self._columns = word_columns(self.tokens) if self.parsed and len(self.tokens) <= WHOLE_BATCH else None

    def window(self, doc_id: str, start: int, end: int) -> tuple[pd.DataFrame, list[Word]]:
        """What the rules read of the tokens of `doc_id` that start in [start, end): their rows where there is
        no parse (the tags come from them then), else none and the parsed words."""
        a, b = self.rows.get(doc_id, (0, 0))
        starts = self.starts[a:b]
        a, b = a + int(np.searchsorted(starts, start, "left")), a + int(np.searchsorted(starts, end, "left"))
        if not self.parsed:
            return self.tokens.iloc[a:b], []
        words = words_in(self._columns, a, b) if self._columns is not None else words_of(self.tokens.iloc[a:b])
        return self._no_tokens, words
