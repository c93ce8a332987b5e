"""`cue_stance`: how the reporting verb frames a quote (neutral, endorsing, distancing, emotive).

A listed cue (`lexicon/cue_stance.txt`) has its class. An unlisted one takes the class whose centroid (the
mean unit vector of its listed lemmas, in the model's floret vectors: every word has one) is nearest in
cosine, if that is at least `MIN_SIMILARITY`; otherwise it is neutral. `citat evaluate stance` leaves each
listed verb out in turn: the centroid was right for 0.61 of the 107 single-word verbs (the 3, 5 and 9 nearest
neighbours' vote for 0.44-0.50; always `neutral` for 0.35).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipeline.lexicon import verbs

MIN_SIMILARITY = 0.2
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
        self._stances: list[str] = []
        rows = []
        for stance in verbs.STANCES if vector_of else ():
            units = [u for lemma, s in self.listed.items() if s == stance and (u := self._vector(lemma)) is not None]
            centroid = _unit(np.mean(units, axis=0)) if units else None
            if centroid is not None:
                self._stances.append(stance)
                rows.append(centroid)
        self._centroids = np.vstack(rows) if rows else None

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
        unit = self._vector(lemma) if self._centroids is not None else None
        if unit is None:
            return "neutral", "default"
        similarity = self._centroids @ unit
        best = int(np.argmax(similarity))
        if similarity[best] < MIN_SIMILARITY:
            return "neutral", "default"
        return self._stances[best], "vectors"


def leave_one_out(vector_of: VectorOf) -> dict:
    """Each listed single-word verb classified by the others: how often the vectors decide it, and how
    often rightly (the figure in the module docstring)."""
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
