"""`citat evaluate registry`: the people registry's checks that need no gold."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.errors import RunError
from pipeline.evaluation.registry import check_registry, check_run, format_checks


def _tables(people: list[dict], quotes: list[dict]) -> dict[str, pd.DataFrame]:
    documents = pd.DataFrame({"doc_id": ["d1", "d2"],
                              "text": ["Statsminister Eva Lind och Per K. Berg.\nKontakt\nAnna Ek\nOla Ek",
                                       "Eva Linds tal. Covax. Mia Holms bok. Anna Bergström."]})
    base = {"kind": "person", "titles": None, "n_mentions": 1, "n_quotes": 0, "n_docs": 1}
    return {"documents": documents, "people": pd.DataFrame([{**base, **p} for p in people]),
            "quotes": pd.DataFrame(quotes, columns=["doc_id", "speaker", "speaker_mention", "person_id"])}


def test_registry_checks_find_what_a_reader_would(tmp_path):
    tables = _tables(
        [{"name": "Eva Lind", "doc_ids": "d1|d2", "n_docs": 2, "titles": "statsminister|utrikesminister"},
         {"name": "Per K Berg", "doc_ids": "d1"},                        # the initial's full stop lost
         {"name": "Anna Ek Ola Ek", "doc_ids": "d1"},                    # two lines of a list
         {"name": "Covax", "doc_ids": "d2", "n_mentions": 1, "n_quotes": 2},
         {"name": "Per K. Berg", "doc_ids": "d1"},
         {"name": "Mia Holm", "doc_ids": "d2"},                          # in the genitive only
         {"name": "Anna Berg", "doc_ids": "d2"}],                        # only inside `Anna Bergström`
        [{"doc_id": "d1", "speaker": "Per K. Berg", "speaker_mention": "Per K. Berg", "person_id": None},
         {"doc_id": "d1", "speaker": "regeringen", "speaker_mention": "regeringen", "person_id": None},
         {"doc_id": "d2", "speaker": "Eva Lind", "speaker_mention": "hon", "person_id": "p1"}])
    result = check_registry(tables)
    assert result["persons"] == 7
    assert result["never_spelled"]["examples"] == ["Per K Berg", "Anna Ek Ola Ek", "Anna Berg"]
    assert result["counts_off"]["n"] == 1 and result["counts_off"]["examples"][0].startswith("Covax")
    assert result["person_quotes_without_person_id"]["n"] == 1            # the organisation is no person
    assert result["several_ministries"]["n"] == 1
    assert result["one_word_persons"]["most_mentioned"] == ["Covax"]
    with pytest.raises(RunError):
        check_run(tmp_path)
    assert "never_spelled" not in format_checks(result) and "(target 0)" in format_checks(result)
