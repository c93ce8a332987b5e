"""Run every stage in memory on a `documents` table: for notebooks, evaluation and tests."""

from __future__ import annotations

import pandas as pd
from spacy.language import Language

from pipeline import entities, segment


def analyse_documents(documents: pd.DataFrame, nlp: Language) -> dict[str, pd.DataFrame]:
    """All tables for `documents`, as a run directory would hold them (without files)."""
    tables = {"documents": documents}
    tables.update(segment.segment(documents, nlp))
    tables["entities"] = entities.extract_entities(documents, tables["tokens"])
    tables.update(_quotes_and_people(tables))
    return tables


def _quotes_and_people(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from pipeline import people, quotes

    found = quotes.extract_quotes(
        tables["documents"], tables["paragraphs"], tables["sentences"], tables["tokens"], tables["entities"]
    )
    return people.link_people(tables["documents"], tables["entities"], found)
