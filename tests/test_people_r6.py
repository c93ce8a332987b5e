"""People rules of round six (issue 14), written from an audit of the registry of the whole regeringen corpus:
an organisation's name after a title, English words, surnames the run labels otherwise."""

from __future__ import annotations

import pandas as pd
from test_people import documents, entities, persons, quote, quotes, run

from pipeline.lexicon.nouns import is_english_word, is_head_noun
from pipeline.stages.people.run_names import RunNames


def test_an_organisation_after_a_title_is_no_person():
    docs = documents("I mötet deltog Sara Lind, regiondirektör Region Norrbotten, och docent Luleå Universitet.\n\n"
                     "Senare besökte statsministern Malmö universitet.")
    out = run(docs, entities(docs, {"Sara Lind": "PER", "Region Norrbotten": "PER", "Luleå Universitet": "PER",
                                    "Malmö universitet": "PER"}))
    assert persons(out)["name"].tolist() == ["Sara Lind"]


def test_a_minister_whose_name_ran_into_an_organisation_stays_a_person():
    docs = documents("I dag besökte sjukvårdsminister Aino Berglöv Nyström Region Dalarna.\n\n"
                     "– Vården ska vara nära, säger sjukvårdsminister Aino Berglöv Nyström.")
    out = run(docs, entities(docs, {"Aino Berglöv Nyström Region": "PER", "Aino Berglöv Nyström": "PER"}))
    assert len(out["people"]) == 1 and persons(out)["variants"].tolist() == ["Aino Berglöv Nyström"]


def test_a_name_made_of_english_words_is_no_person():
    docs = documents("Sverige deltar i övningen Cold Harbour och i nätverket Civil Response Mechanism. "
                     "Rapporten Shared Agenda kom i går, och Marit Holm presenterade den.")
    out = run(docs, entities(docs, {"Civil Response Mechanism": "PER", "Shared Agenda": "PER", "Marit Holm": "PER"}))
    assert persons(out)["name"].tolist() == ["Marit Holm"]


def test_a_speaker_whose_surname_is_an_english_word_stays_a_person():
    docs = documents("– Vi har inte bestämt oss än, säger Page.")
    qs = quotes([quote(docs, "d0", "Vi har inte bestämt oss än", "Page", speaker="Page")])
    out = run(docs, entities(docs, {"Page": "PER"}), qs)
    assert persons(out)["name"].tolist() == ["Page"]


def test_a_lower_case_word_is_no_surname_of_the_run():
    docs = documents("Karin Staten ledde mötet.", "Statens energimyndighet har tillsynen. Där arbetar Olle Berg.")
    out = run(docs, entities(docs, {"Karin Staten": "PER", "Olle Berg": "PER"}))
    assert set(persons(out)["name"]) == {"Karin Staten", "Olle Berg"}
    assert persons(out).set_index("name").loc["Karin Staten", "n_docs"] == 1


def test_a_word_the_run_labels_a_place_is_no_surname_even_after_a_first_name():
    ents = pd.DataFrame({"text": ["Maja Kristinestad"] + ["Kristinestad"] * 5 + ["Edholm"] + ["Lotta Edholm"] * 2,
                         "label": ["PER"] + ["LOC"] * 5 + ["LOC", "PER", "PER"]})
    known = RunNames.from_entities(ents).person_surnames
    assert "kristinestad" not in known
    assert "edholm" in known


def test_a_name_the_run_mostly_labels_a_place_is_no_person_despite_a_title():
    text = "Hon har varit ambassadör i Teheran och Kuala Lumpur, chef för enheten i Hanoi."
    others = ["Vi reste till Kuala Lumpur.", "Mötet hölls i Kuala Lumpur.", "Kuala Lumpur är varmt."]
    docs = documents(text, *others)
    ents = pd.concat([entities(docs.iloc[:1], {"Kuala Lumpur": "PER", "Teheran": "LOC", "Hanoi": "LOC"}),
                      entities(docs.iloc[1:], {"Kuala Lumpur": "LOC"})], ignore_index=True)
    out = run(docs, ents)
    assert persons(out).empty


def test_the_word_lists_behind_the_rules():
    assert is_english_word("Response") and is_english_word("team") and not is_english_word("Smith")
    assert is_head_noun("Universitet") and is_head_noun("Högskola") and not is_head_noun("Lindberg")


def test_company_words_and_a_definite_organisation_noun_make_a_name_a_company():
    docs = documents("I går öppnade Apoteket Lindblomman ett lager. Vd för Norrby Foods, Kerstin Ahl, var där.\n\n"
                     "Även Global och Bolaget Tallkotten deltog.")
    out = run(docs, entities(docs, {"Apoteket Lindblomman": "PER", "Norrby Foods": "PER", "Kerstin Ahl": "PER",
                                    "Global": "PER", "Bolaget Tallkotten": "PER"}))
    assert persons(out)["name"].tolist() == ["Kerstin Ahl"]


def test_a_surname_of_the_run_makes_a_name_listed_with_it_a_person():
    docs = documents("Handelsminister Johan Forsmark reser till London.",
                     "Mötet leds av Forsmark och Huddlestone.")
    out = run(docs, entities(docs, {"Johan Forsmark": "PER", "Forsmark": "PER", "Huddlestone": "PER"}))
    assert set(persons(out)["name"]) == {"Johan Forsmark", "Huddlestone"}


def test_a_name_with_a_digit_or_a_river_or_company_head_is_no_person():
    docs = documents("Betänkandet MJU12 Vattenfrågor kom i går. Längs Nedre Ljusnälven ligger Signalkompaniet.")
    out = run(docs, entities(docs, {"MJU12 Vattenfrågor": "PER", "Nedre Ljusnälven": "PER", "Signalkompaniet": "PER"}))
    assert persons(out).empty


def test_english_words_that_are_surnames_stay_people_with_the_runs_evidence():
    docs = documents("Utrikesminister Condoleezza Rice och Jeremy Hunt talade.",
                     "Ett möte med Rice hölls i går. Mötet leds av Hunt och Carl Bildt.",
                     "– Vi ses i morgon, sade Rich Young. Enligt Rich Young är läget lugnt.")
    out = run(docs, entities(docs, {"Condoleezza Rice": "PER", "Jeremy Hunt": "PER", "Rice": "PER",
                                    "Carl Bildt": "PER", "Rich Young": "PER"}))
    people = persons(out).set_index("name")
    assert people.loc["Condoleezza Rice", "n_docs"] == 2 and people.loc["Jeremy Hunt", "n_docs"] == 2
    assert "Rich Young" in people.index


def test_a_surname_that_is_a_bare_head_noun_stays_a_person():
    docs = documents("– Vi vann, säger Ji-sung Park. Utrikesminister Ji-sung Park reser i dag.")
    out = run(docs, entities(docs, {"Ji-sung Park": "PER"}))
    assert persons(out)["name"].tolist() == ["Ji-sung Park"]
