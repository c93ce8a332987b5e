"""Overlapping character spans as properly nested HTML, for the review pages.

Quotes, speaker mentions, cues and entity mentions overlap in every way (an entity inside a quote, a
speaker mention that is an entity, a quote that starts inside an entity). HTML needs nesting, so where a
span ends inside another, the inner ones are closed and opened again after it; `reopen` is the opening
tag of such a continuation (without the element's `id`); `after` is written once, inside the span at its
real end (displaCy's entity label), `tail` once right after it (the speaker tag beside a quote).
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    open: str                 # the opening tag of the first fragment
    close: str                # the closing tag
    reopen: str = ""          # the opening tag of a continuation fragment (default: `open`)
    after: str = ""           # markup written inside the span right before its real end
    tail: str = ""            # markup written right after the span's real end (outside it)
    rank: int = 0             # which span goes outside when two start together: lower = outer

    @property
    def again(self) -> str:
        return self.reopen or self.open


def escape_text(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def render(text: str, spans: list[Span], offset: int = 0) -> str:
    """`text` (which starts at character `offset` of the document) as HTML with `spans` marked.

    Spans are clipped to the text; empty ones are dropped.
    """
    end_of_text = offset + len(text)
    spans = [s for s in spans if s.start < end_of_text and s.end > offset and s.end > s.start]
    clipped = [(max(s.start, offset), min(s.end, end_of_text), s) for s in spans]
    points = sorted({offset, end_of_text} | {a for a, _, _ in clipped} | {b for _, b, _ in clipped})
    starting: dict[int, list[tuple[int, int, Span]]] = {}
    for item in clipped:
        starting.setdefault(item[0], []).append(item)
    out: list[str] = []
    stack: list[tuple[int, int, Span]] = []
    for here, following in zip(points, points[1:] + [None], strict=True):
        # close every span that ends here, and those opened inside it (they are opened again below)
        ending = [i for i, (_, b, _) in enumerate(stack) if b == here]
        reopen: list[tuple[int, int, Span]] = []
        if ending:
            lowest = ending[0]
            for item in reversed(stack[lowest:]):
                _, b, span = item
                if b == here:
                    real = span.end == here
                    out.append((span.after if real else "") + span.close + (span.tail if real else ""))
                else:
                    out.append(span.close)
                    reopen.insert(0, item)
            del stack[lowest:]
        for item in reopen:
            out.append(item[2].again)
            stack.append(item)
        if following is None:
            break
        for item in sorted(starting.get(here, []), key=lambda i: (i[2].rank, -i[1])):
            out.append(item[2].open if item[2].start == here else item[2].again)
            stack.append(item)
        out.append(escape_text(text[here - offset:following - offset]))
    return "".join(out)
