"""People rules of round seven (issue 14): names whose letters are unlike a person's; group speakers."""

from __future__ import annotations

import pandas as pd
import pytest
from test_people import documents, entities, persons, quote, quotes, run

from pipeline.lexicon.name_ngrams import name_features, person_name_score
from pipeline.stages.people import non_persons


def test_name_features_are_letter_ngrams_and_words():
    features = name_features("Ek Bo")
    assert {"w:ek", "<e", "ek>", "<ek>", "w:bo", "<bo"} <= set(features)
    assert "<ek" in features and "k b" not in features      # no n-gram spans two words


def test_person_names_score_above_place_and_agency_names():
    people = ["Mats Sundberg", "Tomasz Wiśniewski", "Karolina Dąbrowska", "Oyelaran Adebayo"]
    things = ["Västerbygden", "Fjällvägen", "Hälsingland", "Skogsstyrelsen"]
    assert min(map(person_name_score, people)) > 0 > max(map(person_name_score, things))
    assert person_name_score("") == 0.0


@pytest.mark.parametrize("threshold, expected", [(non_persons.UNLIKE_A_PERSON, {"Oyelaran Adebayo"}),
                                                 (-9.0, {"Oyelaran Adebayo", "Tumba Tumba"})])
def test_a_name_unlike_a_persons_without_other_evidence_is_no_person(monkeypatch, threshold, expected):
    monkeypatch.setattr(non_persons, "UNLIKE_A_PERSON", threshold)
    docs = documents("Tumba Tumba växer snabbt. Oyelaran Adebayo leder arbetet där.")
    out = run(docs, entities(docs, {"Tumba Tumba": "PER", "Oyelaran Adebayo": "PER"}))
    assert set(persons(out)["name"]) == expected


def test_a_name_unlike_a_persons_that_says_something_stays_a_person():
    docs = documents("Enligt Oyelaran Adebayo var mötet bra, och Tumba Tumba sade att det var lyckat.")
    out = run(docs, entities(docs, {"Oyelaran Adebayo": "PER", "Tumba Tumba": "PER"}))
    assert persons(out)["name"].tolist() == ["Oyelaran Adebayo", "Tumba Tumba"]


def test_a_one_word_speaker_unlike_a_person_stays_a_person():
    docs = documents("– Vi bygger i år, säger Tumbatumba.")
    qs = quotes([quote(docs, "d0", "Vi bygger i år", "Tumbatumba", speaker="Tumbatumba")])
    out = run(docs, entities(docs, {"Tumbatumba": "PER"}), qs)
    assert persons(out)["name"].tolist() == ["Tumbatumba"]


def test_a_definite_noun_joined_to_a_name_speaks_as_a_group():
    docs = documents("Därför föreslår regeringen och Sverigedemokraterna att anslaget höjs.")
    qs = quotes([quote(docs, "d0", "anslaget höjs", "regeringen och Sverigedemokraterna",
                       speaker="regeringen och Sverigedemokraterna")])
    out = run(docs, entities(docs, {"Sverigedemokraterna": "ORG"}), qs)
    assert out["quotes"].loc[0, "speaker"] == "regeringen och Sverigedemokraterna"
    assert pd.isna(out["quotes"].loc[0, "person_id"])


def test_a_one_word_subject_unlike_a_person_stays_a_person():
    docs = documents("Tullarna som Tumbatumba införde har slagit hårt mot exporten.")
    out = run(docs, entities(docs, {"Tumbatumba": "PER"}))
    assert persons(out)["name"].tolist() == ["Tumbatumba"]


def test_a_soft_hyphen_makes_no_second_entry_and_no_odd_name():
    """regeringen.se writes soft hyphens inside long words (`Säkerhets\xadpolisen`): invisible, so the same name."""
    docs = documents("Säkerhets\u00adpolisen varnar. Säkerhetspolisen har fått nya uppgifter av Anna Lind.")
    out = run(docs, entities(docs, {"Säkerhets\u00adpolisen": "ORG", "Säkerhetspolisen": "ORG", "Anna Lind": "PER"}))
    organisations = out["people"][out["people"]["kind"] == "organisation"]
    assert organisations["name"].tolist() == ["Säkerhetspolisen"]
