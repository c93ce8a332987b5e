"""Checks of a run's people registry that need no gold: what a user reading `people.csv` would catch at once.

On any run, annotated or not (a whole archive), it counts and lists
- persons whose `name` none of their documents spells, in the nominative or the genitive (`Lloyd J Austin`
  for `Lloyd J. Austin`, two lines of a contact list run together);
- persons with fewer mentions than quotes, or whose `n_docs` is not the number of their `doc_ids`;
- quotes whose speaker is plainly a person (a first name and a surname, or a resolved `han`/`hon`) without
  a `person_id`;
- persons whose titles name more than one ministry (`statsminister` and `försvarsminister` for one man: a
  title read from the next person of a list);
- one-word persons, the kind that is most often no person (`Russia`, `Covax`), for a reader to look at.

`citat evaluate registry RUN` prints them; the issue's targets are zero for the first three.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline import api
from pipeline.errors import RunError
from pipeline.lexicon.names import all_first_names, person_pronouns

EXAMPLES = 12
WHITESPACE = re.compile(r"[ \t\u00a0]+")   # not a line break: two lines of a list are no name


def _spaced(text: str) -> str:
    return WHITESPACE.sub(" ", text)


def _spelled(name: str, texts: list[str]) -> bool:
    """Does one of `texts` write `name` as a word of its own, or its genitive (`Putins`, `SVT:s`)? Any run of
    spaces counts as one (`Ewa\\xa0Thorslund`); `Per K Berg` is not spelled by `Per K Bergström`."""
    pattern = re.compile(r"(?<!\w)" + re.escape(_spaced(name)) + r"(?::?s|[’']s)?(?!\w)")
    return any(pattern.search(text) for text in texts)


def _ministries(titles: object) -> set[str]:
    return {t for t in titles.split("|") if t.endswith("minister") and t != "minister"} if isinstance(titles, str) \
        else set()


def _plainly_a_person(speaker: object, mention: object) -> bool:
    if isinstance(mention, str) and mention.lower() in person_pronouns():
        return True
    if not isinstance(speaker, str) or " och " in speaker:
        return False
    words = speaker.split()
    return 2 <= len(words) <= 4 and words[0] in all_first_names() and all(w[:1].isupper() for w in words)


def check_registry(tables: dict[str, pd.DataFrame]) -> dict:
    """The registry's self-checks (see the module docstring) on the linked tables of a run (`api.read_run`)."""
    people, documents, quotes = tables["people"], tables["documents"], tables.get("quotes", pd.DataFrame())
    texts = {doc_id: _spaced(text) for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True)}
    persons = people[people["kind"] == "person"]
    never, counts, ministries, one_word = [], [], [], []
    for row in persons.itertuples(index=False):
        doc_ids = [d for d in str(row.doc_ids or "").split("|") if d]
        if not _spelled(row.name, [texts[d] for d in doc_ids if d in texts]):
            never.append(row.name)
        if row.n_mentions < row.n_quotes or row.n_docs != len(doc_ids):
            counts.append(f"{row.name} (mentions {row.n_mentions}, quotes {row.n_quotes}, docs {row.n_docs})")
        if len(_ministries(row.titles)) > 1:
            ministries.append(f"{row.name}: {row.titles}")
        if " " not in row.name:
            one_word.append((int(row.n_mentions), row.name))
    unlinked = []
    if len(quotes):
        for q in quotes[quotes["person_id"].isna()].itertuples(index=False):
            if _plainly_a_person(q.speaker, q.speaker_mention):
                unlinked.append(f"{q.doc_id}: {q.speaker} ({q.speaker_mention})")
    return {
        "persons": len(persons),
        "never_spelled": {"n": len(never), "examples": never[:EXAMPLES]},
        "counts_off": {"n": len(counts), "examples": counts[:EXAMPLES]},
        "person_quotes_without_person_id": {"n": len(unlinked), "of_quotes": len(quotes),
                                            "examples": unlinked[:EXAMPLES]},
        "several_ministries": {"n": len(ministries), "examples": ministries[:EXAMPLES]},
        "one_word_persons": {"n": len(one_word),
                             "most_mentioned": [name for _, name in sorted(one_word, key=lambda x: (-x[0], x[1]))
                                                [:EXAMPLES]]},
    }


def check_run(run_dir: Path) -> dict:
    tables = api.read_run(run_dir)
    missing = [name for name in ("documents", "people") if name not in tables]
    if missing:
        raise RunError(f"{run_dir}: has no {' and no '.join(missing)} table; run `citat people` first")
    return check_registry(tables)


def format_checks(result: dict) -> str:
    lines = [f"registry checks: {result['persons']} persons"]
    labels = [("never_spelled", "name spelled in none of their documents (target 0)"),
              ("counts_off", "mentions below quotes, or n_docs off (target 0)"),
              ("person_quotes_without_person_id", "quotes of a plain person without person_id (target 0)"),
              ("several_ministries", "titles with more than one ministry")]
    for key, label in labels:
        part = result[key]
        lines.append(f"  {part['n']:>6}  {label}")
        lines += [f"            {example}" for example in part["examples"]]
    lines.append(f"  {result['one_word_persons']['n']:>6}  one-word persons; most mentioned: "
                 f"{', '.join(result['one_word_persons']['most_mentioned'])}")
    return "\n".join(lines)
