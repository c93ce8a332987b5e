from __future__ import annotations

import pandas as pd
from conftest import documents_from_texts

from pipeline.run import schema
from pipeline.stages import entities, segment


def _tokens_with_tags(nlp, text: str, tags: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tokens of `text` with the model's NER replaced by `tags` ({token text: label}) for a controlled test."""
    documents = documents_from_texts({"d": text})
    tokens = segment.segment(documents, nlp)["tokens"]
    tokens["ent_type"] = tokens["text"].map(lambda t: tags.get(t, "")).astype("string")
    tokens["ent_iob"] = tokens["ent_type"].map(lambda t: "B" if t else "O").astype("string")
    return documents, tokens


def test_outlets_are_org_and_surnames_repeat_as_per(nlp) -> None:
    text = "Anna Lind talade i Minsk, skriver Reuters. Senare sade Lind att hon var nöjd. Linds tal var kort."
    documents, tokens = _tokens_with_tags(nlp, text, {"Anna": "PER", "Minsk": "LOC"})
    tokens.loc[tokens["text"] == "Lind", "ent_iob"] = ["I", "O"]
    tokens.loc[tokens["text"] == "Lind", "ent_type"] = ["PER", ""]
    table = entities.extract_entities(documents, tokens)
    schema.validate(table, schema.ENTITIES)
    found = {(row.text, row.label, row.origin) for row in table.itertuples()}
    assert ("Anna Lind", "PER", "model") in found
    assert ("Minsk", "LOC", "model") in found
    assert ("Reuters", "ORG", "lexicon") in found
    assert ("Lind", "PER", "document") in found
    assert ("Linds", "PER", "document") in found
    for row in table.itertuples():
        assert text[row.start : row.end] == row.text


def test_outlet_list_overrides_a_wrong_model_label(nlp) -> None:
    documents, tokens = _tokens_with_tags(nlp, "Det uppger AFP.", {"AFP": "PER"})
    table = entities.extract_entities(documents, tokens)
    assert table[["text", "label"]].values.tolist() == [["AFP", "ORG"]]


def test_a_name_ending_in_a_media_word_is_an_outlet_not_a_person(nlp) -> None:
    text = "Det skriver Vetlanda Tidning."
    documents, tokens = _tokens_with_tags(nlp, text, {"Vetlanda": "PER", "Tidning": "PER"})
    tokens.loc[tokens["text"] == "Tidning", "ent_iob"] = "I"
    table = entities.extract_entities(documents, tokens)
    assert table[["text", "label"]].values.tolist() == [["Vetlanda Tidning", "ORG"]]


def test_a_person_name_takes_in_lower_case_name_particles(nlp) -> None:
    text = "Talespersonen Juan de la Vega och Anna von Berg kom."
    documents, tokens = _tokens_with_tags(nlp, text, {"Juan": "PER", "Anna": "PER"})
    table = entities.extract_entities(documents, tokens)
    assert table["text"].tolist() == ["Juan de la Vega", "Anna von Berg"]
    assert table["token_end"].tolist() == [5, 9]


def test_an_acronym_tagged_as_a_person_is_an_organisation(nlp) -> None:
    documents, tokens = _tokens_with_tags(nlp, "Strejken leds av SKFU i Seoul.", {"SKFU": "PER", "Seoul": "LOC"})
    table = entities.extract_entities(documents, tokens)
    assert table[["text", "label"]].values.tolist() == [["SKFU", "ORG"], ["Seoul", "LOC"]]
