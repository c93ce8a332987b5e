"""Reporting verbs (`speech_verbs.txt`, `direct_verbs.txt`): written form -> lemma."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

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


@functools.lru_cache(maxsize=1)
def particle_speech_verbs() -> frozenset[str]:
    """Reporting verbs with a particle (`slå fast`, `komma fram`), keyed as the parse's `lemma particle`."""
    return frozenset(entry.lower() for entry in load("particle_speech_verbs"))


@functools.lru_cache(maxsize=1)
def particle_speech_forms() -> dict[str, frozenset[str]]:
    """Written form -> the particles that make it a reporting verb (`lyfte` -> {fram}), from
    `particle_speech_forms.txt`."""
    out: dict[str, set[str]] = {}
    for entry in load("particle_speech_forms"):
        verb, _, forms = entry.partition(":")
        particle = verb.split()[-1]
        for form in forms.split():
            out.setdefault(form, set()).add(particle)
    return {form: frozenset(particles) for form, particles in out.items()}


# a verb of learned_cues.txt (counted by `citat learn cues` on the tune half of the gold files) is a
# reporting verb when its att/om clause was a gold quote this often and this reliably
LEARNED_MIN_HITS = 1
LEARNED_MIN_PRECISION = 0.6


_LEARNED_OVERRIDE: list[frozenset[str]] = []


def learned_cues() -> frozenset[str]:
    """Verb keys (`lemma` or `lemma particle`) whose att/om clause the annotated texts mostly call speech."""
    return _LEARNED_OVERRIDE[-1] if _LEARNED_OVERRIDE else _learned_from_file()


def select_learned(counts: dict[str, tuple[int, int]]) -> frozenset[str]:
    """The keys that count as reporting verbs, from key -> (hits, candidates)."""
    return frozenset(key for key, (hits, candidates) in counts.items()
                     if hits >= LEARNED_MIN_HITS and hits / candidates >= LEARNED_MIN_PRECISION)


@functools.lru_cache(maxsize=1)
def _learned_from_file() -> frozenset[str]:
    counts = {}
    for entry in load("learned_cues"):
        key, hits, candidates = entry.split("\t")
        counts[key] = (int(hits), int(candidates))
    return select_learned(counts)


@contextlib.contextmanager
def learned_cues_as(keys: frozenset[str]) -> Iterator[None]:
    """Use `keys` instead of learned_cues.txt (cross-validation learns them anew for every fold)."""
    _LEARNED_OVERRIDE.append(keys)
    try:
        yield
    finally:
        _LEARNED_OVERRIDE.pop()


STANCES = ("neutral", "endorsing", "distancing", "emotive")


@functools.lru_cache(maxsize=1)
def cue_stances() -> dict[str, str]:
    """Cue lemma (`säga`, `slå fast`) -> how it frames the quote: one of `STANCES` (`cue_stance.txt`)."""
    stances: dict[str, str] = {}
    for entry in load("cue_stance"):
        *lemma, stance = entry.split()
        if stance not in STANCES:
            raise ValueError(f"cue_stance.txt: {entry!r}: the class must be one of {', '.join(STANCES)}")
        stances[" ".join(lemma).lower()] = stance
    return stances
