"""Marks and closed word classes that several of the quote rules share."""

from __future__ import annotations

from pipeline.lexicon import load

DASHES = "–—―-−"     # the minus sign (U+2212) too: regeringen.se opens speech with it
OPEN_MARKS = "”“»\""
CLOSE_MARKS = "”«»\""
PARTICLES = frozenset(load("name_particles"))
CONJUNCTIONS = {"men", "och", "så", "samtidigt", "dessutom", "däremot"}
EXPLETIVES = {"det", "detta", "som", "vilket", "vilka", "man", "här", "där", "den", "dessa"}
RELATIVES = {"som", "vars", "vilka", "vilken", "vilket", "där"}
PREPOSITIONS = {"på", "för", "om", "med", "av", "till", "över", "i", "vid", "under", "från", "mot", "efter", "inför"}
FIRST_PERSON = {"jag", "vi", "mig", "oss", "min", "mitt", "mina", "vår", "vårt", "våra"}
# in running text `jag`/`vi` is the writer of an opinion piece, not a quoted speaker
NOT_SPEAKERS = FIRST_PERSON | {"du", "ni", "man", "att", "om", "när", "eftersom", "ingen", "inget", "inga"}
NUMBER_WORDS = {"en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv", "tjugo",
                "hundra", "tusen", "båda", "bägge", "både"}
DETERMINERS = {"den", "det", "de", "en", "ett", "denna", "detta", "dessa", "sin", "sitt", "sina"}
