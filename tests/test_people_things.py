"""People stage: signs that a name the model tagged PER names a thing (short made-up Swedish examples)."""

from __future__ import annotations

from test_people import documents, entities, persons, quote, quotes, run

from pipeline.stages.people.thing_signs import (
    fragment_of_compounds,
    indefinite_article_before,
    inside_short_title,
    nationality_adjective_first,
    noun_suffix,
    thing_opener,
    used_as_a_word,
)


def test_words_of_a_thing():
    assert fragment_of_compounds(["Tull-"]) and not fragment_of_compounds(["Karl-Erik"])
    assert thing_opener(["Lex", "Sarah"]) and not thing_opener(["Lex"])
    assert nationality_adjective_first(["Norska", "Skogsbolaget"]) and not nationality_adjective_first(["Anna", "Ek"])
    assert noun_suffix("Organisatör") and noun_suffix("Skönhet") and not noun_suffix("Lindqvist")


def test_context_of_a_thing():
    text = 'Teatern satte upp en Tosca i vintras och " Glada Annas visa " i våras; ” Knatten” sjöng.'
    start = text.index("Tosca")
    assert indefinite_article_before(text, start)
    anna = text.index("Annas")
    assert inside_short_title(text, anna, anna + 5)
    knatten = text.index("Knatten")
    assert not inside_short_title(text, knatten, knatten + 7)


def test_things_tagged_as_persons_get_no_person_id():
    docs = documents("Operan bjöd på en Tosca i vintras, säger Eva Holm.",
                     'Kören sjöng " Maria på berget " på konserten.',
                     "Tull- och skatteverket meddelar att Lex Sarah gäller. Chef på Norska Skogsbolaget är Per Ek.",
                     "Organisatör var Stiftelsen X. Föreningen Rädda Sjön Ljusnan svarar.")
    ents = entities(docs, {"Tosca": "PER", "Eva Holm": "PER", "Maria": "PER", "Tull-": "PER", "Lex Sarah": "PER",
                           "Norska Skogsbolaget": "PER", "Per Ek": "PER", "Organisatör": "PER",
                           "Rädda Sjön Ljusnan": "PER"})
    assert set(persons(run(docs, ents))["name"]) == {"Eva Holm", "Per Ek"}


def test_a_coordinated_title_is_no_second_speaker():
    docs = documents("Det är bra, säger EU- och handelsminister Lena Dahl.")
    qs = quotes([quote(docs, "d0", "Det är bra", "EU- och handelsminister Lena Dahl", speaker="EU och Lena Dahl")])
    out = run(docs, entities(docs, {"Lena Dahl": "PER", "EU": "ORG"}), qs)
    assert out["quotes"].loc[0, "speaker"] == "Lena Dahl" and out["quotes"]["person_id"].notna().all()


def test_an_organisation_word_after_the_name_makes_it_a_thing():
    docs = documents("Hon sprang fortast i Golden league i fjol, säger tränaren Eva Lind.")
    out = run(docs, entities(docs, {"Golden": "PER", "Eva Lind": "PER"}))
    assert set(persons(out)["name"]) == {"Eva Lind"}


def test_a_name_spelled_out_is_a_word_not_a_person():
    assert used_as_a_word("Namnet stavas Tindra med ett i.", 14, 20)
    assert not used_as_a_word("I dag skrivs Tova ut från sjukhuset.", 13, 17)
    docs = documents("Förr stavas Tindra med ett y, berättar Ola Berg.", "I dag skrivs Tova ut från sjukhuset.")
    out = run(docs, entities(docs, {"Tindra": "PER", "Tova": "PER", "Ola Berg": "PER"}))
    assert set(persons(out)["name"]) == {"Ola Berg", "Tova"}



def test_a_place_noun_before_a_name_makes_it_a_place():
    from pipeline import api

    text = "Kungaparet besökte flyktinglägret Zaatari tillsammans med statssekreterare Diana Janse."
    assert persons(api.analyse(text))["name"].tolist() == ["Diana Janse"]


def test_a_couple_is_a_group():
    from pipeline.lexicon.nouns import is_group_noun, noun_base, place_nouns

    assert is_group_noun("Kronprinsessparet") and is_group_noun("Kungaparet") and not is_group_noun("Paret")
    assert noun_base("flyktinglägret", place_nouns()) == "flyktingläger"


def test_a_compound_of_a_common_noun_is_no_surname():
    from pipeline.stages.people.thing_signs import common_noun_compound

    assert common_noun_compound("Energifrågan") and common_noun_compound("Montrealprotokollet")
    assert common_noun_compound("Natomedlemmar") and common_noun_compound("Renmarkskommittén")
    for surname in ("Engström", "Westerlund", "Kristersson", "Eriksdotter", "Arlbrandt", "Forssmed", "Christoffer"):
        assert not common_noun_compound(surname), surname


def test_a_page_in_english_keeps_only_names_with_a_sign_of_a_person():
    from pipeline import api
    from pipeline.lexicon.languages import looks_swedish

    text = ("Madam Chair, Honourable Members, this is a statement by Sweden on the situation in the region. "
            "We are concerned by the reports from Geneva and we call on all parties to respect the law. "
            "Prime Minister Anna Lindqvist has said that Sweden will continue to support the people of the region.")
    assert not looks_swedish(text) and looks_swedish("Madam Chair sade att det är bra och att vi ska gå vidare.")
    names = persons(api.analyse(text))["name"].tolist()
    assert "Madam Chair" not in names and "Anna Lindqvist" in names


def test_a_noun_after_a_hyphen_counts_only_in_lower_case():
    from pipeline.lexicon.nouns import matches_noun

    assert matches_noun("AFP-journalist", "role_nouns") and not matches_noun("Lindh-Berg", "place_nouns")
