"""`cue_stance`: how the reporting verb frames a quote (neutral, endorsing, distancing, emotive).

A listed cue (`lexicon/cue_stance.txt`) has its class. An unlisted one takes the weighted vote of the
`NEIGHBOURS` listed lemmas nearest to it in the model's word vectors (floret: every word has one), if the
nearest is at least `MIN_SIMILARITY` away in cosine; otherwise it is neutral. `citat evaluate stance`
measures the vote by leaving each listed verb out in turn.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipeline.lexicon import verbs

NEIGHBOURS = 3
MIN_SIMILARITY = 0.5
VectorOf = Callable[[str], np.ndarray]


def model_vectors(nlp) -> VectorOf | None:
    """The word vectors of a spaCy pipeline, or None when it has none."""
    vectors = getattr(getattr(nlp, "vocab", None), "vectors", None)
    if vectors is None or vectors.shape[0] == 0 or vectors.shape[1] == 0:
        return None
    return lambda word: np.asarray(nlp.vocab.get_vector(word), dtype=np.float32)


def _unit(vector: np.ndarray) -> np.ndarray | None:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


class StanceFinder:
    """`finder(cue_lemma)` -> (stance, origin): origin is `lexicon`, `vectors` or `default`."""

    def __init__(self, vector_of: VectorOf | None, listed: dict[str, str] | None = None) -> None:
        self.listed = verbs.cue_stances() if listed is None else listed
        self.vector_of = vector_of
        self._decided: dict[str, tuple[str, str]] = {}
        self._lemmas: list[str] = []
        rows = []
        for lemma in self.listed if vector_of else ():
            unit = self._vector(lemma)
            if unit is not None:
                self._lemmas.append(lemma)
                rows.append(unit)
        self._matrix = np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)

    def _vector(self, lemma: str) -> np.ndarray | None:
        assert self.vector_of is not None
        return _unit(np.mean([self.vector_of(word) for word in lemma.split()], axis=0))

    def __call__(self, lemma: str | None) -> tuple[str | None, str | None]:
        if not lemma:
            return None, None
        key = lemma.lower()
        if key in self.listed:
            return self.listed[key], "lexicon"
        if key not in self._decided:
            self._decided[key] = self._nearest(key)
        return self._decided[key]

    def _nearest(self, lemma: str) -> tuple[str, str]:
        unit = self._vector(lemma) if self.vector_of and len(self._lemmas) else None
        if unit is None:
            return "neutral", "default"
        similarity = self._matrix @ unit
        nearest = np.argsort(-similarity)[:NEIGHBOURS]
        if similarity[nearest[0]] < MIN_SIMILARITY:
            return "neutral", "default"
        votes: dict[str, float] = {}
        for row in nearest:
            stance = self.listed[self._lemmas[row]]
            votes[stance] = votes.get(stance, 0.0) + float(similarity[row])
        return max(votes, key=lambda s: (votes[s], -verbs.STANCES.index(s))), "vectors"


def leave_one_out(vector_of: VectorOf) -> dict:
    """Each listed single-word verb classified by the others: how often the vectors decide it, and how
    often rightly (the figure that chose `NEIGHBOURS` and `MIN_SIMILARITY`)."""
    listed = verbs.cue_stances()
    decided = right = 0
    confusion: dict[str, dict[str, int]] = {}
    for lemma, stance in listed.items():
        if " " in lemma:
            continue
        guess, origin = StanceFinder(vector_of, {k: v for k, v in listed.items() if k != lemma})(lemma)
        if origin == "vectors":
            decided += 1
            right += guess == stance
        row = confusion.setdefault(stance, {})
        row[guess] = row.get(guess, 0) + 1
    total = sum(1 for lemma in listed if " " not in lemma)
    return {"verbs": total, "decided_by_vectors": decided, "right_when_decided": right,
            "accuracy_when_decided": round(right / decided, 3) if decided else None,
            "accuracy_all": round(sum(r.get(s, 0) for s, r in confusion.items()) / total, 3), "confusion": confusion}
