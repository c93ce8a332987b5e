"""People rules of round five (issue 14): names the model tagged in part, a quote speaker as evidence for a
one-word name, initials before a common word, and thing words of the lexicons."""

from __future__ import annotations

from test_people import documents, entities, persons, quote, quotes, run

from pipeline.lexicon.names import org_name_words
from pipeline.lexicon.nouns import name_head, org_noun_base


def test_a_model_mention_of_part_of_a_chat_signature_is_the_whole_signature():
    text = "09:41 Lena Ström:Jag byter till Centern.\n\n09:45 Ove Falk:Inte jag.\n\n09:50 Rut:Kanske."
    docs = documents(text)
    out = run(docs, entities(docs, {"Lena": "PER", "Ove": "MISC", "Centern": "ORG"}))
    assert set(persons(out)["name"]) == {"Lena Ström", "Ove Falk", "Rut"}


def test_a_one_word_quote_speaker_tagged_by_the_model_is_a_person():
    docs = documents("Andersén som berättade om loppet: – Det gick tungt i backen.")
    qs = quotes([quote(docs, "d0", "Det gick tungt i backen", "Andersén", speaker="Andersén")])
    out = run(docs, entities(docs, {"Andersén": "PER"}), qs)
    assert persons(out)["name"].tolist() == ["Andersén"]
    assert out["quotes"]["person_id"].notna().all()


def test_the_quote_speaker_name_extends_a_name_the_model_cut():
    docs = documents("– Vi ger inte upp, sade Kim Jae-won, ledare för facket, till NTB.")
    qs = quotes([quote(docs, "d0", "Vi ger inte upp", "Kim Jae-won", speaker="Kim Jae-won")])
    out = run(docs, entities(docs, {"Kim": "PER"}), qs)
    assert persons(out)["name"].tolist() == ["Kim Jae-won"]
    assert out["quotes"].loc[0, "speaker"] == "Kim Jae-won"


def test_a_name_after_a_title_extends_a_name_the_model_cut():
    docs = documents("Mötet öppnades av styrelsens ordförande Tomas Ekdahl Rehnberg, och sedan talade Eva Sund.")
    out = run(docs, entities(docs, {"Tomas Ekdahl": "PER", "Eva Sund": "PER"}))
    assert set(persons(out)["name"]) == {"Tomas Ekdahl Rehnberg", "Eva Sund"}


def test_a_name_after_a_title_is_not_extended_over_a_place_or_a_first_name():
    docs = documents("Det sade ordföranden Tomas Ekdahl Stockholm i går.",
                     "Det sade ordföranden Tomas Ekdahl Maria i går.")
    out = run(docs, entities(docs, {"Tomas Ekdahl": "PER"}))
    assert set(persons(out)["name"]) == {"Tomas Ekdahl"}


def test_an_initial_before_a_common_word_is_no_name():
    docs = documents("Jag röstar nog på M. Bra att valet görs om.", "Boken skrevs av K. Lindqvist.")
    out = run(docs, entities(docs, {"M. Bra": "PER", "K. Lindqvist": "PER"}))
    assert persons(out)["name"].tolist() == ["K. Lindqvist"]


def test_insurances_clinics_and_races_are_no_persons():
    assert name_head("Trafikförsäkringen") == "ORG" and name_head("Försäkringen") == "ORG"
    assert org_noun_base("tandvårdsmottagningen") == "tandvårdsmottagning"
    assert org_noun_base("vårdcentralen") == "vårdcentral"
    assert "tour" in org_name_words()
    docs = documents("Patientförsäkringen har bedömt att skadan är ersättningsgill.",
                     "Hon besökte husläkarmottagningen Kesklinna Perearst i Tartu.",
                     "Han cyklade Tour de Suisse i fjol, berättar Ola Berg.")
    qs = quotes([quote(docs, "d0", "skadan är ersättningsgill", "Patientförsäkringen", speaker="Patientförsäkringen")])
    ents = entities(docs, {"Kesklinna Perearst": "PER", "Tour de Suisse": "PER", "Ola Berg": "PER"})
    assert set(persons(run(docs, ents, qs))["name"]) == {"Ola Berg"}


def test_an_acronym_after_a_title_is_the_employer_not_a_person():
    docs = documents("Nina Ek, ordförande RFSL, och Ola Sten, kanslichef TCO, var där.")
    out = run(docs, entities(docs, {"Nina Ek": "PER", "RFSL": "ORG", "Ola Sten": "PER", "TCO": "ORG"}))
    assert set(persons(out)["name"]) == {"Nina Ek", "Ola Sten"}


def test_a_place_in_the_genitive_after_a_title_stays_a_place():
    docs = documents("I Nairobi träffade statsrådet Kenyas minister för handel, Ruth Wanjiku.")
    out = run(docs, entities(docs, {"Nairobi": "LOC", "Kenyas": "PER", "Ruth Wanjiku": "PER"}))
    assert persons(out)["name"].tolist() == ["Ruth Wanjiku"]


def test_a_name_that_ran_into_the_next_word_ends_before_it():
    docs = documents("Anna Lindqvist är ny minister. I dag besöker Anna Lindqvist Skatteverket i Solna.",
                     "Efter lunch besöker Anna Lindqvist Lunds universitet.")
    out = run(docs, entities(docs, {"Anna Lindqvist Skatteverket": "PER", "Anna Lindqvist Lunds": "PER",
                                    "Anna Lindqvist": "PER"}))
    assert persons(out)["name"].tolist() == ["Anna Lindqvist"]


def test_a_longer_name_the_run_writes_again_or_a_name_in_the_genitive_is_not_cut():
    docs = documents("Eva Kron Lund talade först. Sedan talade Eva Kron Lund igen, och Eva Kron log.",
                     "Hon vårdades på Astrid Lindgrens Barnsjukhus. Astrid Lindgrens böcker läses än.")
    out = run(docs, entities(docs, {"Eva Kron Lund": "PER", "Eva Kron": "PER", "Astrid Lindgrens Barnsjukhus": "PER",
                                    "Astrid Lindgren": "PER"}))
    assert "Eva Kron Lund" in set(persons(out)["name"])
    hospital = out["entities"][out["entities"]["text"] == "Astrid Lindgrens Barnsjukhus"]
    assert hospital["person_id"].isna().all()
