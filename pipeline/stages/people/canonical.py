"""`canonical_name`: the fullest name in one document that a mention refers to (for the other stages)."""

from __future__ import annotations

import pandas as pd

from pipeline.lexicon.names import person_pronouns
from pipeline.lexicon.nouns import org_noun_base, title_base
from pipeline.stages.people.document import DocumentPeople
from pipeline.stages.people.mentions import split_mention

_CACHE: dict[tuple, DocumentPeople] = {}


def _document_people(doc_entities: pd.DataFrame, text: str) -> DocumentPeople:
    key = (text, tuple(zip(doc_entities["start"].tolist(), doc_entities["end"].tolist(),
                           doc_entities["label"].tolist(), strict=True)) if len(doc_entities) else ())
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = DocumentPeople(text, doc_entities)
    return _CACHE[key]


def canonical_name(doc_entities: pd.DataFrame, text: str, mention: str, start: int | None = None) -> str:
    """The fullest PER/ORG name in the document that `mention` refers to.

    `doc_entities`: the entities rows of one document (any columns, needs start, end, label); `text`: that
    document's text. A name, a surname or first name alone, a genitive (`Putins`), title + name
    (`President Putin`, `den ukrainske generalmajoren Andrij Kovaltjuk`), an organisation with its
    description (`tankesmedjan ISW`), an acronym or its expansion give the cluster's name: for a person
    the fullest form (first spelling), for an organisation its most frequent form (`ISW`). With `start`
    (the mention's offset in `text`), a pronoun or role noun there (`han`, `presidenten`, `tankesmedjan`)
    is resolved as `link_people` does. If nothing matches, the mention without leading titles,
    determiners and genitive `s` is returned (a pronoun or an unnamed group is returned unchanged).
    """
    doc = _document_people(doc_entities, text)
    cluster = -1
    if start is not None:
        cluster = doc.cluster_at(start, start + len(mention))
    if cluster < 0:
        cluster = doc.cluster_named(mention)
    if cluster >= 0:
        return doc.clusters[cluster].name
    if mention.strip().lower() in person_pronouns() or title_base(mention.strip(), True) or \
            org_noun_base(mention.strip(), True):
        return mention
    parts = split_mention(mention)
    if not parts.words or not parts.words[0][:1].isupper():
        return mention
    words = list(parts.words)
    if len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss") and len(words) > 1:
        words[-1] = words[-1][:-1]
    return " ".join(words)
