"""Reporting verbs (`speech_verbs.txt`, `direct_verbs.txt`): written form -> lemma."""

from __future__ import annotations

import functools

from pipeline.lexicon import load


def _forms(name: str) -> dict[str, str]:
    forms: dict[str, str] = {}
    for entry in load(name):
        lemma, *written = entry.split()
        for form in written:
            forms.setdefault(form, lemma)
    return forms


@functools.lru_cache(maxsize=1)
def speech_forms() -> dict[str, str]:
    """Written form -> lemma for every reporting verb of the whitelist."""
    return _forms("speech_verbs")


@functools.lru_cache(maxsize=1)
def direct_forms() -> dict[str, str]:
    """Reporting verbs for direct speech: the whitelist plus `frågar`, `fortsätter`, `tillägger` …"""
    forms = dict(speech_forms())
    for form, lemma in _forms("direct_verbs").items():
        forms.setdefault(form, lemma)
    return forms


@functools.lru_cache(maxsize=1)
def speech_lemmas() -> frozenset[str]:
    """The lemmas of the reporting-verb whitelist (`säga`, `hävda` …), for tokens the model lemmatised."""
    return frozenset(entry.split()[0] for entry in load("speech_verbs"))


# a verb of learned_cues.txt (counted by `citat learn cues` on the tune half of the gold files) is a
# reporting verb when its att/om clause was a gold quote this often and this reliably
LEARNED_MIN_HITS = 1
LEARNED_MIN_PRECISION = 0.6


@functools.lru_cache(maxsize=1)
def learned_cues() -> frozenset[str]:
    """Verb keys (`lemma` or `lemma particle`) whose att/om clause the annotated texts mostly call speech."""
    keys = set()
    for entry in load("learned_cues"):
        key, hits, candidates = entry.split("\t")
        if int(hits) >= LEARNED_MIN_HITS and int(hits) / int(candidates) >= LEARNED_MIN_PRECISION:
            keys.add(key)
    return frozenset(keys)
