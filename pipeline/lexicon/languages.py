"""Is a text Swedish? Counted with the function words of language_words.txt."""

from __future__ import annotations

import functools
import re

from pipeline.lexicon import load

WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def _languages() -> dict[str, str]:
    return dict(entry.split(None, 1) for entry in load("language_words"))


def looks_swedish(text: str, sample: int = 20_000) -> bool:
    """False where the text's first `sample` characters hold more than twice as many English function words as
    Swedish ones (and at least 10): a page in English, whose names the Swedish model reads badly (`Russia`,
    `Government`, `Madam Chair`: 52 of the 7,307 regeringen.se texts). True for short or mixed texts."""
    counts = {"sv": 0, "en": 0}
    languages = _languages()
    for word in WORD.findall(text[:sample].lower()):
        language = languages.get(word)
        if language:
            counts[language] += 1
    return not (counts["en"] >= 10 and counts["en"] > 2 * counts["sv"])
