"""What the whole run knows about names before any document is analysed: how the model labels each name, the
surnames of its full person names and every form a name is written in (for the genitive rule)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from pipeline.lexicon.names import fold, is_first_name_like, is_known_place
from pipeline.stages.people.mentions import genitive_base, split_mention


@dataclass
class RunNames:
    """Names of the run's entity mentions (folded word tuples, `key`s)."""

    votes: dict[tuple[str, ...], Counter] = field(default_factory=dict)   # key -> label -> mentions
    surnames: set[str] = field(default_factory=set)       # last words of the run's full (multi-word) PER names
    forms: set[tuple[str, ...]] = field(default_factory=set)   # every key as written (genitive `s` kept)
    person_surnames: set[str] = field(default_factory=set)   # surnames of full PER names with a known first name
    full_name_votes: Counter = field(default_factory=Counter)  # surname -> PER mentions of full names ending in it

    @classmethod
    def from_entities(cls, entities: pd.DataFrame) -> RunNames:
        """How often the run labels each name with each label (a genitive `-s` counted under the plain name
        too), the last words of its full person names and the forms names are written in."""
        votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        full_name_votes: Counter = Counter()
        forms: set[tuple[str, ...]] = set()
        for text, label in zip(entities["text"], entities["label"], strict=True):
            if not isinstance(text, str) or not isinstance(label, str):
                continue
            key = tuple(fold(w) for w in split_mention(text).words)
            if not key:
                continue
            forms.add(key)
            votes[key][label] += 1
            if base := genitive_base(key):
                votes[base][label] += 1
            if label == "PER" and len(key) > 1:
                full_name_votes[key[-1]] += 1
        surnames = set(full_name_votes)
        known = {key[-1] for key in forms if len(key) > 1 and key[-1] in surnames and is_first_name_like(key[0])
                 and votes[key]["PER"] and len(key[-1]) > 3 and not is_known_place(key[-1:])
                 and not _mostly_other(votes.get(key[-1:]), full_name_votes[key[-1]])}
        return cls(dict(votes), surnames, forms, known, full_name_votes)

    def has_form(self, key: tuple[str, ...]) -> bool:
        """Is `key` written so somewhere in the run (as a whole name, or a one-word key as the surname of a
        full person name)?"""
        return key in self.forms or (len(key) == 1 and key[0] in self.surnames)


def _mostly_other(votes: Counter | None, full_names: int = 0) -> bool:
    """Does the run label a name alone otherwise (LOC, ORG, MISC) more often than PER, counting the PER mentions
    of the full names that end in it (`full_names`)? Then it is no surname of the run's even where a first
    name stands before it once (`Kristinehamn`: LOC 12 times, PER twice), while `Edholm`, once LOC alone, is
    Lotta Edholm's (PER 307 times)."""
    return bool(votes) and sum(n for label, n in votes.items() if label != "PER") > votes.get("PER", 0) + full_names
