"""Which verbs report speech, learned from annotated texts instead of written by hand.

Every verb with an `att`/`om` clause after it is a candidate (`syntax._complement`); a candidate is a hit
when a gold indirect or mixed quote covers its clause (IoU >= 0.5). `citat learn cues` counts both per
verb (lemma and particle: `slå fast`) over the gold files' `tune` half and writes
`pipeline/lexicon/learned_cues.txt`; the quotes stage takes a verb as a reporting verb when the
whitelist has it or when it was a hit often and reliably enough there (`LEARNED_MIN_HITS`,
`LEARNED_MIN_PRECISION` in `pipeline.lexicon.verbs`). The `test` half stays for measuring.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.lexicon import path as lexicon_path
from pipeline.stages.quotes.syntax import Tree, _complement, can_report, clause_span, verb_key, words_by_document

LEARNED_FILE = "learned_cues"


def clause_candidates(tokens: pd.DataFrame) -> list[tuple[str, str, int, int]]:
    """(doc_id, verb key, clause start, clause end) for every verb with an att/om clause after it."""
    out = []
    for doc_id, words in words_by_document(tokens).items():
        tree = Tree(words)
        for verb in tree.words:
            complement = _complement(tree, verb) if can_report(verb) else None
            if complement:
                out.append((str(doc_id), verb_key(tree, verb), *clause_span(tree, *complement)))
    return out


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def count_cues(tokens: pd.DataFrame, gold: dict[str, list[tuple[int, int, bool]]]) -> Counter:
    """Counter of (key, 'hit'|'candidate'); `gold`: doc_id -> (start, end, optional) of indirect/mixed quotes
    in document-text offsets; candidates covering an optional quote count neither way."""
    counts: Counter = Counter()
    for doc_id, key, start, end in clause_candidates(tokens[tokens["doc_id"].isin(list(gold))]):
        spans = gold.get(doc_id, [])
        best = max(spans, key=lambda g: _iou((start, end), (g[0], g[1])), default=None)
        if best is not None and _iou((start, end), (best[0], best[1])) >= 0.5:
            if best[2]:
                continue
            counts[(key, "hit")] += 1
        counts[(key, "candidate")] += 1
    return counts


def write_learned(counts: Counter, sources: list[str], path: Path | None = None) -> Path:
    """The counts as a word list (key, hits, candidates), most hits first."""
    path = path or lexicon_path(LEARNED_FILE)
    keys = sorted({k for k, _ in counts}, key=lambda k: (-counts[(k, "hit")], k))
    lines = ["# Verbs with an att/om clause: how often the clause was a gold quote (hits) of how often the",
             "# verb took one (candidates), counted by `citat learn cues` on the tune half of: " + ", ".join(sources),
             "# key\thits\tcandidates"]
    lines += [f"{k}\t{counts[(k, 'hit')]}\t{counts[(k, 'candidate')]}" for k in keys if counts[(k, "hit")]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
