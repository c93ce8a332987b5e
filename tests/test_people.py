"""People stage: mentions linked to persons within and across articles (short made-up Swedish examples).

The blank model has no NER, so the entity tables are built by hand here.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from pipeline.evaluation.people import evaluate_people, format_report, is_reference, names_match
from pipeline.lexicon.nouns import org_noun_base, title_base
from pipeline.run import schema
from pipeline.stages.people import canonical_name, link_people


def documents(*texts: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = [{"doc_id": f"d{n}", "title": None, "date": dates[n] if n < len(dates) else None, "url": None,
             "source": None, "path": "test", "text": text, "body_start": 0} for n, text in enumerate(texts)]
    return schema.conform(pd.DataFrame(rows), schema.DOCUMENTS)


def entities(docs: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Every occurrence of each name (and its genitive) in every document, with the given label."""
    rows = []
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        spans: list[tuple[int, int, str]] = []
        for name in sorted(names, key=len, reverse=True):
            for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"s?(?![\w-])", text):
                if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                    spans.append((m.start(), m.end(), names[name]))
        for n, (s, e, label) in enumerate(sorted(spans)):
            rows.append({"doc_id": doc_id, "mention_id": n, "start": s, "end": e, "text": text[s:e], "label": label,
                         "sentence_id": 0, "token_start": 0, "token_end": 1, "origin": "model",
                         "person_id": None, "entity_id": None})
    if not rows:
        return schema.empty(schema.ENTITIES)
    return schema.conform(pd.DataFrame(rows), schema.ENTITIES)


def quote(doc: pd.DataFrame, doc_id: str, words: str, mention: str, speaker: str | None = None,
          occurrence: int = 0) -> dict:
    text = doc.set_index("doc_id").loc[doc_id, "text"]
    start = text.index(words)
    spans = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(mention) + r"(?!\w)", text)]
    s = spans[occurrence]
    return {"doc_id": doc_id, "quote_id": f"{doc_id}:q{start}", "kind": "direct", "quote": words, "start": start,
            "end": start + len(words), "speaker": speaker, "speaker_mention": mention, "speaker_start": s,
            "speaker_end": s + len(mention), "person_id": None, "cue": "säger", "cue_lemma": "säga",
            "cue_stance": "neutral", "cue_stance_origin": "lexicon", "source": None, "paragraph_id": 0,
            "confidence": 0.9}


def quotes(rows: list[dict]) -> pd.DataFrame:
    return schema.conform(pd.DataFrame(rows), schema.QUOTES) if rows else schema.empty(schema.QUOTES)


def run(docs: pd.DataFrame, ents: pd.DataFrame, qs: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    qs = qs if qs is not None else schema.empty(schema.QUOTES)
    out = link_people(docs, ents, qs)
    schema.validate(out["people"], schema.PEOPLE)
    schema.validate(out["entities"], schema.ENTITIES)
    schema.validate(out["quotes"], schema.QUOTES)
    # the stage reads the documents batch by batch: one document a batch links the same way
    batched = link_people((docs.iloc[i:i + 1] for i in range(len(docs))), ents, qs)
    for table, frame in out.items():
        pd.testing.assert_frame_equal(batched[table], frame)
    return out


def ids_of(out: dict[str, pd.DataFrame], doc_id: str = "d0") -> dict[str, str]:
    e = out["entities"]
    e = e[e["doc_id"] == doc_id]
    return dict(zip(e["text"], e["person_id"].where(e["label"] == "PER", e["entity_id"]), strict=True))


def persons(out: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The person rows of the registry (it also holds organisations and places)."""
    return out["people"][out["people"]["kind"] == "person"]


def person(out: dict[str, pd.DataFrame], name: str) -> pd.Series:
    rows = out["people"][out["people"]["name"] == name]
    assert len(rows) == 1, out["people"][["name", "variants"]]
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------- within a document

def test_full_name_and_surname_are_one_person():
    docs = documents("Karin Holmqvist leder utredningen. Enligt Holmqvist är läget allvarligt.")
    out = run(docs, entities(docs, {"Karin Holmqvist": "PER", "Holmqvist": "PER"}))
    ids = ids_of(out)
    assert ids["Karin Holmqvist"] == ids["Holmqvist"]
    row = person(out, "Karin Holmqvist")
    assert row["variants"] == "Holmqvist" and row["n_mentions"] == 2 and row["n_docs"] == 1


def test_a_name_tagged_per_in_most_of_its_mentions_is_a_person_where_tagged_otherwise():
    text = ("Oppositionsledaren Tsikhanouski talade i Vilnius. Enligt Tsikhanouski är valet riggat, säger hon. "
            "Tsikhanouskis parti växer.\n\nTsikhanouski och Vilnius i bild. Foto: TT\n\nVilnius ligger nära gränsen.")
    docs = documents(text)
    ents = entities(docs, {"Tsikhanouski": "PER", "Vilnius": "LOC"})
    caption = (ents["text"] == "Tsikhanouski") & (ents["start"] > text.index("\n"))
    ents.loc[caption, "label"] = "LOC"                 # as the model tagged a short caption
    out = run(docs, ents)
    linked = out["entities"].set_index("start")
    assert linked.loc[int(ents.loc[caption, "start"].iloc[0]), "person_id"] == person(out, "Tsikhanouski")["person_id"]
    assert out["people"].set_index("name").loc["Vilnius", "kind"] == "place"   # a listed place keeps LOC


def test_genitive_joins_the_name():
    docs = documents("Per Sundin kom i går. Sundins förslag fick stöd i styrelsen.")
    out = run(docs, entities(docs, {"Per Sundin": "PER", "Sundin": "PER"}))
    ids = ids_of(out)
    assert ids["Sundins"] == ids["Per Sundin"]
    assert len(out["people"]) == 1


def test_genitive_s_goes_only_where_the_plain_form_occurs_in_the_run():
    docs = documents("Under domaren Lena Forsbergs ledning gick förhandlingen snabbt.",
                     "Lena Forsberg dömde i fallet.")
    out = run(docs, entities(docs, {"Lena Forsberg": "PER"}))
    row = person(out, "Lena Forsberg")                   # the plain form is in another document of the run
    assert "domare" in row["titles"].split("|") and row["n_docs"] == 2


def test_a_name_that_ends_in_s_keeps_it():
    docs = documents("Markus ringde i går. Joe Louis boxades. Miles Davis spelade trumpet i Paris.",
                     "Stefan Ingves förslag fick stöd. Serena Williams seger var väntad.",
                     "Det är oklart om Peter Mangs befunnit sig där. Lisa Jonas likaså.",
                     "Putins tal var kort. Vladimir Putin reste sedan hem.")
    ents = entities(docs, {"Markus": "PER", "Joe Louis": "PER", "Miles Davis": "PER", "Stefan Ingves": "PER",
                           "Serena Williams": "PER", "Peter Mangs": "PER", "Lisa Jonas": "PER", "Putins": "PER",
                           "Vladimir Putin": "PER"})
    names = set(persons(run(docs, ents))["name"])
    assert {"Markus", "Joe Louis", "Miles Davis", "Stefan Ingves", "Serena Williams", "Peter Mangs", "Lisa Jonas",
            "Vladimir Putin"} == names


def test_genitive_of_a_full_name_before_a_noun_or_of_a_surname_of_the_run_goes():
    docs = documents("Advokaten tog upp Anders Holmbergs alibi i rätten.",
                     "Nils Carlsons dotter Eva Carlson säger nej.",
                     "Det var Karin Åkesons andra seger i rad.")
    ents = entities(docs, {"Anders Holmberg": "PER", "Nils Carlson": "PER", "Eva Carlson": "PER",
                           "Karin Åkeson": "PER"})
    assert set(persons(run(docs, ents))["name"]) == {"Anders Holmberg", "Nils Carlson", "Eva Carlson", "Karin Åkeson"}


def test_genitive_of_a_full_name_goes_when_the_full_name_occurs():
    docs = documents("Nils Carlsons förslag fick stöd.", "Nils Carlson talade på mötet.")
    out = run(docs, entities(docs, {"Nils Carlson": "PER"}))
    assert persons(out)["name"].tolist() == ["Nils Carlson"] and person(out, "Nils Carlson")["n_docs"] == 2


def test_title_and_name():
    docs = documents("Utrikesministern Olof Grahn reste till Oslo. Minister Grahn träffade sin kollega där.")
    out = run(docs, entities(docs, {"Utrikesministern Olof Grahn": "PER", "Minister Grahn": "PER"}))
    ids = ids_of(out)
    assert ids["Utrikesministern Olof Grahn"] == ids["Minister Grahn"]
    row = person(out, "Olof Grahn")
    assert set(row["titles"].split("|")) >= {"utrikesminister", "minister"}


def test_pronoun_refers_back_and_sets_gender():
    text = ("Sara Wu öppnade mötet.\n\n– Vi har en plan, säger hon.\n\n"
            "Kim Nyberg var också där. Han sade att arbetet går bra.")
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Vi har en plan", "hon"),
                 quote(docs, "d0", "arbetet går bra", "Han")])
    out = run(docs, entities(docs, {"Sara Wu": "PER", "Kim Nyberg": "PER"}), qs)
    q = out["quotes"].set_index("speaker_mention")
    assert q.loc["hon", "speaker"] == "Sara Wu" and q.loc["Han", "speaker"] == "Kim Nyberg"
    assert person(out, "Sara Wu")["gender"] == "female"            # from the first-name list
    assert person(out, "Kim Nyberg")["gender"] == "male"            # Kim is both: from `Han`
    assert person(out, "Sara Wu")["n_mentions"] == 2
    assert person(out, "Sara Wu")["n_quotes"] == 1


def test_pronoun_skips_a_person_of_the_other_gender():
    text = "Eva Lund ringde till Johan Berglund. Senare sade hon att samtalet var kort."
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "samtalet var kort", "hon")])
    out = run(docs, entities(docs, {"Eva Lund": "PER", "Johan Berglund": "PER"}), qs)
    assert out["quotes"].loc[0, "speaker"] == "Eva Lund"


def test_pronoun_after_a_common_noun_is_left_alone():
    text = "Tomas Ek talade. En äldre kvinna föll sedan hon hade halkat."
    docs = documents(text)
    out = run(docs, entities(docs, {"Tomas Ek": "PER"}))
    assert person(out, "Tomas Ek")["n_mentions"] == 1


def test_role_noun_refers_to_the_person_with_that_title():
    text = ("President Aliyev landade i Baku. Där väntade Tomas Berg.\n\n"
            "Presidenten menade att samtalen var viktiga.")
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "samtalen var viktiga", "Presidenten", speaker="Presidenten")])
    out = run(docs, entities(docs, {"President Aliyev": "PER", "Tomas Berg": "PER"}), qs)
    q = out["quotes"].iloc[0]
    assert q["speaker"] == "Aliyev"
    assert q["person_id"] == person(out, "Aliyev")["person_id"]
    assert "Presidenten" in person(out, "Aliyev")["variants"].split("|")


def test_first_name_alone_joins_the_full_name():
    docs = documents("Hamid Osman kom hit i fjol. Vi hälsade på Hamid i helgen.")
    out = run(docs, entities(docs, {"Hamid Osman": "PER", "Hamid": "PER"}))
    assert len(set(ids_of(out).values())) == 1


def test_spelling_variants_with_other_letters_are_one_person():
    docs = documents("Søren Dahl skrev inlägget. Sören Dahl har skrivit liknande förr.")
    out = run(docs, entities(docs, {"Søren Dahl": "PER", "Sören Dahl": "PER"}))
    assert len(out["people"]) == 1 and out["people"].loc[0, "name"] == "Søren Dahl"


def test_organisation_acronym_and_description():
    text = ("Enligt tankesmedjan NPI, Nordic Policy Institute, växer handeln. NPI bedömer att den fortsätter.\n\n"
            "Det är osannolikt att den minskar, enligt tankesmedjan.")
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Det är osannolikt att den minskar", "tankesmedjan", occurrence=1)])
    out = run(docs, entities(docs, {"NPI": "ORG", "Nordic Policy Institute": "ORG"}), qs)
    ids = ids_of(out)
    assert ids["NPI"] == ids["Nordic Policy Institute"] and ids["NPI"].startswith("o")
    q = out["quotes"].iloc[0]
    assert q["speaker"] == "NPI" and q["person_id"] == ids["NPI"]
    assert persons(out).empty                                        # organisations are no people ...
    org = out["people"].set_index("person_id").loc[ids["NPI"]]      # ... but have a row of their own
    assert org["kind"] == "organisation" and org["name"] == "NPI" and org["n_quotes"] == 1
    assert "tankesmedja" in org["titles"].split("|") and pd.isna(org["gender"])


def test_places_get_an_entity_id():
    docs = documents("Ministern besökte Lund. I Lunds domkyrka var det fullt.")
    out = run(docs, entities(docs, {"Lund": "LOC"}))
    e = out["entities"]
    assert e["entity_id"].nunique() == 1 and e["entity_id"].iloc[0].startswith("l")


# ---------------------------------------------------------------------------------------- across documents

def test_same_full_name_across_documents_is_one_person_with_stable_id():
    docs = documents("Maja Lind vann loppet.", "Igår intervjuades Maja Lind. Lind var nöjd.",
                     dates=("2023-01-05", "2023-03-01"))
    ents = entities(docs, {"Maja Lind": "PER", "Lind": "PER"})
    out = run(docs, ents)
    row = person(out, "Maja Lind")
    assert row["n_docs"] == 2 and row["n_mentions"] == 3
    assert (row["first_date"], row["last_date"]) == ("2023-01-05", "2023-03-01")
    assert re.fullmatch(r"p[0-9a-f]{10}", row["person_id"])
    again = run(docs, ents)
    assert again["people"]["person_id"].tolist() == out["people"]["person_id"].tolist()


def test_bare_surname_joins_the_only_full_name_in_the_corpus():
    docs = documents("Olle Strand talade i riksdagen.", "Strand fick hård kritik.")
    out = run(docs, entities(docs, {"Olle Strand": "PER", "Strand": "PER"}))
    assert ids_of(out, "d0")["Olle Strand"] == ids_of(out, "d1")["Strand"]
    assert person(out, "Olle Strand")["n_docs"] == 2


def test_ambiguous_surname_stays_apart():
    docs = documents("Erik Falk leder klubben.", "Maria Falk är ny domare.", "Falk kommenterade beslutet.")
    out = run(docs, entities(docs, {"Erik Falk": "PER", "Maria Falk": "PER", "Falk": "PER"}))
    erik, maria, bare = ids_of(out, "d0")["Erik Falk"], ids_of(out, "d1")["Maria Falk"], ids_of(out, "d2")["Falk"]
    assert len({erik, maria, bare}) == 3
    assert person(out, "Maria Falk")["gender"] == "female" and person(out, "Erik Falk")["gender"] == "male"


# ---------------------------------------------------------------------------------------- photo credits

def test_photographer_credit_is_a_person_but_no_antecedent():
    text = ("Statsministern Ulla Berg talade i Umeå.\n\nBerg på scenen. Foto: Lars Nordin/TT\n\n"
            "Han sade att det var en fin dag.")
    docs = documents(text)
    out = run(docs, entities(docs, {"Statsministern Ulla Berg": "PER", "Berg": "PER"}))
    row = person(out, "Lars Nordin")
    assert row["titles"] == "fotograf" and row["n_mentions"] == 1
    added = out["entities"][out["entities"]["origin"] == "credit"]
    assert added["text"].tolist() == ["Lars Nordin"] and added["person_id"].iloc[0] == row["person_id"]
    assert person(out, "Ulla Berg")["n_mentions"] == 2               # `Han` is neither Berg nor Nordin


def test_photographer_tagged_by_the_model_gets_the_title():
    text = "Ulla Berg talar. Foto: Anders Wiklöf/AFP"
    docs = documents(text)
    out = run(docs, entities(docs, {"Ulla Berg": "PER", "Anders Wiklöf": "PER", "AFP": "ORG"}))
    assert person(out, "Anders Wiklöf")["titles"] == "fotograf"
    assert (out["entities"]["origin"] == "credit").sum() == 0


# ---------------------------------------------------------------------------------------- edges and helpers

def test_empty_tables():
    out = run(schema.empty(schema.DOCUMENTS), schema.empty(schema.ENTITIES), schema.empty(schema.QUOTES))
    assert all(t.empty for t in out.values())
    docs = documents("Inga namn här alls.")
    out = run(docs, schema.empty(schema.ENTITIES), schema.empty(schema.QUOTES))
    assert out["people"].empty and out["entities"].empty


def test_unnamed_group_speaker_keeps_its_words():
    docs = documents("Föräldrarna tror att det handlar om mörkläggning. Anna Ek håller inte med.")
    qs = quotes([quote(docs, "d0", "det handlar om mörkläggning", "Föräldrarna", speaker="föräldrarna")])
    out = run(docs, entities(docs, {"Anna Ek": "PER"}), qs)
    q = out["quotes"].iloc[0]
    assert pd.isna(q["person_id"]) and q["speaker"] == "föräldrarna"


def test_canonical_name():
    text = ("Den ukrainske generalmajoren Ivan Petrenko talade. Petrenkos besked var tydligt, enligt Petrenko. "
            "Tankesmedjan NPI, Nordic Policy Institute, håller med. Han sade att det blir svårt.")
    docs = documents(text)
    ents = entities(docs, {"Ivan Petrenko": "PER", "Petrenko": "PER", "NPI": "ORG",
                           "Nordic Policy Institute": "ORG"})
    assert canonical_name(ents, text, "Petrenko") == "Ivan Petrenko"
    assert canonical_name(ents, text, "Petrenkos") == "Ivan Petrenko"
    assert canonical_name(ents, text, "generalmajoren Petrenko") == "Ivan Petrenko"
    assert canonical_name(ents, text, "Den ukrainske generalmajoren Ivan Petrenko") == "Ivan Petrenko"
    assert canonical_name(ents, text, "Nordic Policy Institute") == "NPI"
    assert canonical_name(ents, text, "tankesmedjan NPI") == "NPI"
    assert canonical_name(ents, text, "Han", start=text.index("Han sade")) == "Ivan Petrenko"
    assert canonical_name(ents, text, "han") == "han"
    assert canonical_name(ents, text, "President Okänd") == "Okänd"


def test_title_and_organisation_nouns():
    assert title_base("presidenten") == "president"
    assert title_base("generalmajoren") == "generalmajor"
    assert title_base("försvarsministrar") == "försvarsminister"
    assert title_base("riksåklagaren", definite_only=True) == "riksåklagare"
    assert title_base("president", definite_only=True) is None
    assert title_base("Morgan") is None and title_base("bordet") is None
    assert org_noun_base("järnvägsfacket", definite_only=True) == "järnvägsfack"
    assert org_noun_base("tankesmedjan") == "tankesmedja"


# ---------------------------------------------------------------------------------------- evaluation

def test_evaluation_matching(tmp_path):
    assert names_match("Vladimir Putin", "putin") and names_match("Putin", "Putin")
    assert not names_match("Erik Falk", "Erik Lund") and not names_match(None, "Falk")
    assert is_reference("han", "Olle Strand") and is_reference("Presidenten", "Aliyev")
    assert is_reference("tankesmedjan", "NPI")
    assert not is_reference("Strand", "Olle Strand") and not is_reference("ryska nyhetsbyrån Tass", "Tass")

    text = "Maja Lind vann.\n\n– Det var kul, säger hon.\n\nLind i mål. Foto: Pelle Ek/TT"
    gold = {"doc_id": "d0", "text": text,
            "quotes": [{"kind": "direct", "quote": "Det var kul", "start": text.index("Det var kul"),
                        "end": text.index("Det var kul") + len("Det var kul"), "speaker": "Maja Lind",
                        "speaker_mention": "hon", "cue": "säger", "source": "", "optional": False}],
            "people": [{"name": "Maja Lind", "variants": []}, {"name": "Pelle Ek", "variants": []},
                       {"name": "Stina Ek", "variants": []}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Det var kul", "hon")])
    tables = run(docs, entities(docs, {"Maja Lind": "PER", "Lind": "PER"}), qs)
    tables["documents"] = docs
    report = evaluate_people(path, tables)
    json.dumps(report)
    article = report["articles"][0]
    assert (article["tp"], article["fp"], article["fn"]) == (2, 0, 1)   # Pelle Ek matches, Stina Ek not
    assert article["missed"] == ["Stina Ek"]
    assert report["people"]["recall"] == pytest.approx(2 / 3, abs=1e-3)
    ref = report["reference_speakers"]
    assert (ref["n_gold"], ref["n_found"], ref["n_correct"]) == (1, 1, 1)
    assert "F1" in format_report(report)


# ---------------------------------------------------------------------------------------- model mistakes

def test_name_after_a_person_title_is_a_person_whatever_the_model_said():
    text = "Hon är dotter till den förre diktatorn Kim Sung-ho. Lee Min-ji, president i landet, talade."
    docs = documents(text)
    ents = entities(docs, {"Kim Sung-ho": "ORG", "Lee Min-ji": "LOC"})
    out = run(docs, ents)
    assert set(out["people"]["name"]) == {"Kim Sung-ho", "Lee Min-ji"}
    assert set(out["entities"]["label"]) == {"PER"}
    assert person(out, "Kim Sung-ho")["titles"] == "diktator"


def test_full_name_after_a_title_is_added_when_the_model_missed_it():
    text = "– Vi ger inte upp, sade föräldrarnas talesperson Felipe de la Cruz i går."
    docs = documents(text)
    out = run(docs, schema.empty(schema.ENTITIES))
    row = person(out, "Felipe de la Cruz")
    assert row["titles"] == "talesperson"
    added = out["entities"]
    assert added["origin"].tolist() == ["title"] and added["text"].tolist() == ["Felipe de la Cruz"]


def test_organisation_after_an_organisation_noun_is_added_with_its_other_mentions():
    text = "Enligt tankesmedjan NPI växer handeln.\n\nNPI bedömer att den fortsätter, skriver tankesmedjan."
    docs = documents(text)
    out = run(docs, schema.empty(schema.ENTITIES))
    e = out["entities"]
    assert e["text"].tolist() == ["NPI", "NPI"] and set(e["label"]) == {"ORG"} and e["entity_id"].nunique() == 1
    assert persons(out).empty


def test_places_and_credit_agencies_tagged_as_people_are_dropped():
    text = ("Joakim Ek reste till Minsk. Samtalen i Belarus drog ut på tiden, och Belarus lovade svar.\n\n"
            "Ek vid mötet. Foto: Kremlin Pool Photo/AP")
    docs = documents(text)
    ents = entities(docs, {"Joakim Ek": "PER", "Ek": "PER", "Belarus": "PER", "Minsk": "LOC",
                           "Kremlin Pool Photo": "PER", "AP": "ORG"})
    out = run(docs, ents)
    assert persons(out)["name"].tolist() == ["Joakim Ek"]
    places = out["people"][out["people"]["kind"] == "place"]
    assert set(places["name"]) == {"Minsk", "Belarus"} and places.set_index("name").loc["Belarus", "n_mentions"] == 2
    labels = dict(zip(out["entities"]["text"], out["entities"]["label"], strict=True))
    assert labels["Belarus"] == "LOC" and labels["Kremlin Pool Photo"] == "ORG"
    assert out["entities"].set_index("text").loc["Minsk", "entity_id"].startswith("l")


def test_one_word_name_without_any_sign_of_a_person_is_dropped():
    text = "Följ oss på Facebook och Linkedin. Anna Berg, professor, och Lukasjenko talade. Lukasjenko säger nej."
    docs = documents(text)
    out = run(docs, entities(docs, {"Linkedin": "PER", "Anna Berg": "PER", "Lukasjenko": "PER"}))
    assert set(out["people"]["name"]) == {"Anna Berg", "Lukasjenko"}       # Lukasjenko: a reporting verb


def test_first_and_middle_name_join_the_full_name():
    docs = documents("Wol San Liem leder enheten. Enligt Wol San är läget lugnt.")
    out = run(docs, entities(docs, {"Wol San Liem": "PER", "Wol San": "PER"}))
    assert len(out["people"]) == 1 and out["people"].loc[0, "n_mentions"] == 2


def test_a_one_word_speaker_the_model_missed_is_a_person():
    docs = documents("Men Tjäder menar att avtalet håller.", "Enligt Förvaltningsrätten saknas grund för beslutet.",
                     "Gruppen menar att avtalet håller.")
    qs = quotes([quote(docs, "d0", "avtalet håller", "Tjäder", speaker="Tjäder"),
                 quote(docs, "d1", "saknas grund för beslutet", "Förvaltningsrätten", speaker="Förvaltningsrätten"),
                 quote(docs, "d2", "avtalet håller", "Gruppen", speaker="Gruppen")])
    out = run(docs, entities(docs, {}), qs)
    assert persons(out)["name"].tolist() == ["Tjäder"]
    assert out["quotes"]["person_id"].notna().tolist() == [True, False, False]


def test_a_speaker_naming_two_organisations_gets_no_id():
    text = "Både FN-organet ILO och förbundet ITF kräver att regeringen backar."
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "regeringen backar", "Både FN-organet ILO och förbundet ITF",
                       speaker="ILO och ITF")])
    out = run(docs, entities(docs, {"ILO": "ORG", "ITF": "ORG"}), qs)
    assert pd.isna(out["quotes"].loc[0, "person_id"]) and out["quotes"].loc[0, "speaker"] == "ILO och ITF"


# ---------------------------------------------------------------------------------------- quote speakers

def test_extractor_speaker_name_is_kept_over_this_stages_pronoun_guess():
    # The model missed `Putin`; the extractor resolved `han` to him: keep it rather than guess Sjojgu.
    text = "Sergej Sjojgu var med. Putin talade länge.\n\n– Vi är eniga, sade han."
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Vi är eniga", "han", speaker="Putin")])
    out = run(docs, entities(docs, {"Sergej Sjojgu": "PER"}), qs)
    q = out["quotes"].iloc[0]
    assert q["speaker"] == "Putin" and pd.isna(q["person_id"])


def test_pronoun_resolved_by_the_extractor_to_a_place_is_corrected():
    text = "Olga Petrova besökte Belarus i går.\n\n– Vi är eniga, sade hon."
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Vi är eniga", "hon", speaker="Belarus")])
    out = run(docs, entities(docs, {"Olga Petrova": "PER", "Belarus": "LOC"}), qs)
    q = out["quotes"].iloc[0]
    assert q["speaker"] == "Olga Petrova" and q["person_id"] == person(out, "Olga Petrova")["person_id"]


def test_full_name_found_only_by_the_quote_extractor_becomes_a_person():
    text = "– Det är viktigt, säger Lisa Johansson, som bor i området. Johansson har bott här länge."
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Det är viktigt", "Lisa Johansson", speaker="Lisa Johansson")])
    out = run(docs, schema.empty(schema.ENTITIES), qs)
    row = person(out, "Lisa Johansson")
    assert row["n_mentions"] == 2 and row["n_quotes"] == 1 and row["gender"] == "female"
    assert set(out["entities"]["origin"]) == {"speaker"}


def test_role_noun_tagged_by_the_model_gets_the_person_id():
    text = "President Aliyev kom till Baku.\n\nPresidenten sade att samtalen var goda."
    docs = documents(text)
    ents = entities(docs, {"President Aliyev": "PER", "Presidenten": "PER"})
    out = run(docs, ents)
    ids = ids_of(out)
    assert ids["Presidenten"] == ids["President Aliyev"] == person(out, "Aliyev")["person_id"]


def test_pronoun_prefers_the_subject_of_the_sentence_before():
    text = "Park Min-ho träffade Lee Jae-sung i Seoul i går. Han sade att mötet var bra."
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "mötet var bra", "Han")])
    out = run(docs, entities(docs, {"Park Min-ho": "PER", "Lee Jae-sung": "PER"}), qs)
    assert out["quotes"].loc[0, "speaker"] == "Park Min-ho"


def test_a_name_the_model_split_or_cut_is_joined():
    text = "Upphovsmannen Jørgen Bach startade sidan. Senare skrev Jörgen Bach ett nytt inlägg."
    docs = documents(text)
    ents = entities(docs, {"Bach": "PER", "Jörgen": "PER"})          # `Jørgen` untagged, `Jörgen` + `Bach` split
    out = run(docs, ents)
    assert out["people"]["name"].tolist() == ["Jørgen Bach"]
    assert out["entities"]["person_id"].nunique() == 1 and out["entities"]["person_id"].notna().all()


def test_places_named_after_someone_and_buildings_are_no_people():
    text = "Utställningen visas på Prins Eugens Waldemarsudde. Fikat sker på Espresso House Konserthuset."
    docs = documents(text)
    out = run(docs, entities(docs, {"Prins Eugens Waldemarsudde": "PER", "Espresso House Konserthuset": "PER"}))
    assert persons(out).empty
    assert set(out["entities"]["label"]) == {"LOC"}


# ------------------------------------------------------------------------- person or not, with evidence

def kinds(out: dict[str, pd.DataFrame]) -> dict[str, str]:
    return dict(zip(out["people"]["name"], out["people"]["kind"], strict=True))


def test_registry_holds_organisations_and_places_after_the_persons():
    text = "Anna Berg på Skolverket reste till Oslo. Skolverket säger att Anna Berg kommer tillbaka."
    docs = documents(text)
    out = run(docs, entities(docs, {"Anna Berg": "PER", "Skolverket": "PER", "Oslo": "LOC"}))
    people = out["people"]
    assert people["kind"].tolist() == ["person", "organisation", "place"]
    assert kinds(out) == {"Anna Berg": "person", "Skolverket": "organisation", "Oslo": "place"}
    assert people.set_index("name").loc["Skolverket", "person_id"].startswith("o")
    assert people.set_index("name").loc["Oslo", "n_mentions"] == 1


@pytest.mark.parametrize(("text", "name", "label"), [
    ("I dag röstade S och M nej. S säger att förslaget är dåligt.", "S", "ORG"),           # party abbreviations
    ("Afghanerna har flytt kriget. Afghanerna berättar om resan.", "Afghanerna", "MISC"),  # a people in the plural
    ("Ukrainakrisen fortsätter. Ukrainakrisen har pågått länge.", "Ukrainakrisen", "MISC"),  # an event
    ("Tillväxtverket meddelar att stödet ökar. Tillväxtverket säger att det är bra.", "Tillväxtverket", "ORG"),
    ("Pekingplattformen antogs 1995. Enligt Pekingplattformen ska kvinnor delta.", "Pekingplattformen", "MISC"),
    ("Ministern reste till Benin. Benin har nära band till Frankrike.", "Benin", "LOC"),   # more_places.txt
    ("Samtal om Global Compact hölls. Global Compact väntas antas.", "Global Compact", "ORG"),  # organisation words
    ("Digisam startade 2013. Se digisam.se för mer.", "Digisam", "ORG"),                 # its web address
    ("Extra kapitalkrav infördes. Kraven blev extra höga.", "Extra", "MISC"),             # a common word
    ("Under ledning av Svenska kyrkan hölls mötet.", "Svenska kyrkan", "ORG"),            # a common noun in it
    ("Ambassadören har varit i Phnom Penh. Hon talar khmer.", "Phnom Penh", "LOC"),      # after `i`
])
def test_what_says_organisation_place_event_or_group_is_no_person(text, name, label):
    docs = documents(text)
    out = run(docs, entities(docs, {name: "PER"}))
    assert persons(out).empty, persons(out)
    labels = set(out["entities"][out["entities"]["text"].str.startswith(name.split()[0])]["label"])
    assert labels == {label}


def test_a_name_the_run_mostly_tags_org_is_no_person():
    docs = documents("Novia växer. Novia anställer fler.", "Novia anställer 40 personer i år.",
                     "Novia säger att vinsten steg.")
    ents = entities(docs, {"Novia": "ORG"})
    ents.loc[ents.index[0], "label"] = "PER"                   # one PER among four ORG mentions
    assert persons(run(docs, ents)).empty


def test_a_first_name_a_title_or_a_reporting_verb_keep_a_person():
    text = "Lukasjenko säger nej. Professor Okonkwo svarar. Elin kom sent."
    docs = documents(text)
    out = run(docs, entities(docs, {"Lukasjenko": "PER", "Okonkwo": "PER", "Elin": "PER"}))
    assert set(persons(out)["name"]) == {"Lukasjenko", "Okonkwo", "Elin"}


def test_forms_of_address_and_nouns_before_a_name_are_no_part_of_it():
    text = "H.E. Mr David Cairns, Storbritannien, överlämnade sina papper. Nationalekonomen Andreas Bergh höll med."
    docs = documents(text)
    out = run(docs, entities(docs, {"H.E. Mr David Cairns": "PER", "Nationalekonomen Andreas Bergh": "PER"}))
    assert set(persons(out)["name"]) == {"David Cairns", "Andreas Bergh"}


def test_a_reporting_verb_with_a_subject_of_its_own_is_no_evidence():
    text = "– Vi blir en pålitlig Natoallierad, säger Tobias Billström."
    docs = documents(text)
    out = run(docs, entities(docs, {"Natoallierad": "PER", "Tobias Billström": "PER"}))
    assert persons(out)["name"].tolist() == ["Tobias Billström"]


def test_chat_signatures_are_people():
    text = "10:07 Stefan:Jag röstade på SD.\n\n10:08 GJ:Kommer att byta parti.\n\n10:10 Marcus Olsson:Sköt inte SD sig?"
    docs = documents(text)
    out = run(docs, entities(docs, {"Marcus Olsson:Sköt": "PER", "SD": "ORG"}))
    assert set(persons(out)["name"]) == {"Stefan", "GJ", "Marcus Olsson"}
    assert set(out["entities"]["origin"]) == {"model", "signature"}


# ---------------------------------------------------------------------------------------- names and linking

def test_particles_the_model_left_out_join_the_name():
    text = "Statsministern tar emot Ursula von der Leyen. Senare talade Ursula von der Leyen."
    docs = documents(text)
    out = run(docs, entities(docs, {"Ursula von": "PER", "Leyen": "LOC"}))
    assert persons(out)["name"].tolist() == ["Ursula von der Leyen"]
    assert set(out["entities"]["label"]) == {"PER"} and out["entities"]["person_id"].nunique() == 1
    assert "place" not in set(out["people"]["kind"])


def test_a_slip_in_a_first_name_is_the_same_person():
    text = "Regeringen har utsett Ann-Cathrine Wikström. Ann-Catrine Wikström är i dag stabschef."
    docs = documents(text)
    out = run(docs, entities(docs, {"Ann-Cathrine Wikström": "PER", "Ann-Catrine Wikström": "PER"}))
    row = person(out, "Ann-Cathrine Wikström")
    assert len(persons(out)) == 1 and row["variants"] == "Ann-Catrine Wikström" and row["gender"] == "female"


def test_a_two_word_surname_joins_the_only_full_name_of_the_run():
    docs = documents("Anna Kinberg Batra talade i går.", "Han kritiserade Kinberg Batra hårt.", "Batra svarade.")
    out = run(docs, entities(docs, {"Anna Kinberg Batra": "PER", "Kinberg Batra": "PER", "Batra": "PER"}))
    assert persons(out)["name"].tolist() == ["Anna Kinberg Batra"]
    row = person(out, "Anna Kinberg Batra")
    assert row["n_docs"] == 3 and row["doc_ids"] == "d0|d1|d2" and row["gender"] == "female"


def test_a_surname_of_a_known_person_is_that_person_where_the_model_missed_it():
    docs = documents("Stefan Löfven talade i riksdagen.",
                     "Jag är besviken på Löfven och hans sätt. Med Löfven som ledare.")
    ents = entities(docs, {"Stefan Löfven": "PER"})
    ents = pd.concat([ents, entities(docs.iloc[1:], {"Löfven och": "LOC"})], ignore_index=True)
    ents.loc[ents["text"] == "Löfven och", ["end", "text"]] = [ents["start"].iloc[-1] + 6, "Löfven"]
    out = run(docs, schema.conform(ents, schema.ENTITIES))
    assert persons(out)["name"].tolist() == ["Stefan Löfven"]
    row = person(out, "Stefan Löfven")
    assert row["n_docs"] == 2 and row["n_mentions"] == 4                     # the added `Löfven`, `hans`
    assert set(out["entities"]["origin"]) == {"model", "surname"}


# ------------------------------------------------------------------------------------ counts that add up

def test_counts_add_up_and_every_person_quote_has_an_id():
    text = ("– Vi börjar nu, säger Lina Ek.\n\n– Det blir bra.\n\n– Och snabbt.\n\n"
            "Under domaren Murillo Karams ledning gick det fort.")
    docs = documents(text)
    qs = quotes([quote(docs, "d0", "Vi börjar nu", "Lina Ek", "Lina Ek"),
                 {**quote(docs, "d0", "Det blir bra", "Lina Ek", "Lina Ek"), "speaker_mention": None,
                  "speaker_start": None, "speaker_end": None},
                 {**quote(docs, "d0", "Och snabbt", "Lina Ek", "Lina Ek"), "speaker_mention": None,
                  "speaker_start": None, "speaker_end": None},
                 {**quote(docs, "d0", "Murillo", "Murillo", "Murillo Karam"), "speaker_mention": None,
                  "speaker_start": None, "speaker_end": None}])
    out = run(docs, entities(docs, {"Lina Ek": "PER", "Murillo Karams": "PER"}), qs)
    row = person(out, "Lina Ek")
    assert row["n_quotes"] == 3 and row["n_mentions"] == 3          # one name, two continued dash quotes
    assert (out["people"]["n_mentions"] >= out["people"]["n_quotes"]).all()
    assert out["quotes"]["person_id"].notna().all()
    assert person(out, "Murillo Karam")["titles"] == "domare"


def test_role_is_the_title_used_most_often():
    text = ("Ministern Eva Ström kom. Minister Ström talade. Ministern lyssnade.\n\n"
            "Eva Ström, ordförande i styrelsen, gick.")
    docs = documents(text)
    out = run(docs, entities(docs, {"Ministern Eva Ström": "PER", "Minister Ström": "PER", "Eva Ström": "PER"}))
    row = person(out, "Eva Ström")
    assert row["role"] == "minister" and set(row["titles"].split("|")) == {"minister", "ordförande"}


def test_a_title_before_the_next_name_is_not_an_apposition():
    text = "Där fanns statsminister Eva Ström, utrikesminister Per Lind och Kim Berg, ordförande i rådet."
    docs = documents(text)
    out = run(docs, entities(docs, {"Eva Ström": "PER", "Per Lind": "PER", "Kim Berg": "PER"}))
    assert person(out, "Eva Ström")["titles"] == "statsminister"
    assert person(out, "Per Lind")["titles"] == "utrikesminister"
    assert person(out, "Kim Berg")["titles"] == "ordförande"


def test_a_title_on_the_line_before_is_not_the_next_persons():
    docs = documents("Deltar gör:\nEva Lind, finansminister\nPer Berg, justitieminister\nKim Ek, skolminister")
    out = run(docs, entities(docs, {"Eva Lind": "PER", "Per Berg": "PER", "Kim Ek": "PER"}))
    assert [person(out, n)["titles"] for n in ("Eva Lind", "Per Berg", "Kim Ek")] == \
        ["finansminister", "justitieminister", "skolminister"]


def test_titles_at_line_ends_and_before_organisations():
    docs = documents("Eva Lind, finansminister \nPer Berg, justitieminister\n\n"
                     "Kim Ek, ordförande Svenska kyrkan, talade.")
    out = run(docs, entities(docs, {"Eva Lind": "PER", "Per Berg": "PER", "Kim Ek": "PER"}))
    assert [person(out, n)["titles"] for n in ("Eva Lind", "Per Berg", "Kim Ek")] == \
        ["finansminister", "justitieminister", "ordförande"]


def test_a_name_after_a_work_or_product_noun_is_no_person():
    docs = documents("Informationen finns i appen Resa Smart. Resa Smart laddas ned gratis. Anna Lind sade det.")
    out = run(docs, entities(docs, {"Resa Smart": "PER", "Anna Lind": "PER"}))
    assert persons(out)["name"].tolist() == ["Anna Lind"]


def test_a_sentence_final_initial_loses_the_sentences_full_stop():
    docs = documents("Vi mötte Per X. Han talade länge. Sedan kom Per X igen.")
    out = run(docs, entities(docs, {"Per X.": "PER", "Per X": "PER"}))
    assert persons(out)["name"].tolist() == ["Per X"]


def test_initials_keep_their_full_stops():
    docs = documents("Anna K. Lind talade. Sedan kom H.R. Berg.")
    out = run(docs, entities(docs, {"Anna K. Lind": "PER", "H.R. Berg": "PER"}))
    assert set(persons(out)["name"]) == {"Anna K. Lind", "H.R. Berg"}


def test_gender_from_first_names_else_pronouns_else_unknown():
    text = ("Anna Berg kom. Hon log.\n\nOkonkwo Abara kom. Han log. Han gick.\n\n"
            "Chidi Eze och Robin Lo kom.")
    docs = documents(text)
    out = run(docs, entities(docs, {"Anna Berg": "PER", "Okonkwo Abara": "PER", "Chidi Eze": "PER",
                                    "Robin Lo": "PER"}))
    genders = dict(zip(persons(out)["name"], persons(out)["gender"], strict=True))
    assert genders == {"Anna Berg": "female", "Okonkwo Abara": "male", "Chidi Eze": "unknown",
                       "Robin Lo": "unknown"}


def test_evaluation_reports_gender_and_several_files(tmp_path):
    from pipeline.evaluation.people import evaluate_many, format_many, gold_genders

    text = "Maja Lind vann. Hon var glad.\n\n– Det var kul, säger Kim Ek till Maja Lind, säger han."
    gold = {"doc_id": "d0", "text": text, "quotes": [],
            "people": [{"name": "Maja Lind", "variants": ["Lind"]}, {"name": "Kim Ek", "variants": []}]}
    assert gold_genders(gold) == {"Maja Lind": "female"}           # `, säger han` names a speaker of its own
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    docs = documents(text)
    tables = run(docs, entities(docs, {"Maja Lind": "PER", "Kim Ek": "PER"}))
    tables["documents"] = docs
    report = evaluate_many([(path, tables), (path, tables)])
    assert report["people"]["tp"] == 4 and report["gender"]["n_correct"] == 2 and report["gender"]["accuracy"] == 1
    assert "total" in format_many(report) and "gender: 1/1 correct" in format_many(report)


@pytest.mark.parametrize(("text", "name"), [
    ("Bäckman anlände senare då han kallats in.", "Bäckman"),                      # a pronoun after it
    ("Praet tar över efter Jürgen Stark.", "Praet"),                               # a finite verb at a sentence start
    ("Nominerade: Alina Devecerski, Laleh och Linnea Henriksson.", "Laleh"),        # listed with full person names
    ("Baronettiteln gick till sonen Mark, som alltid stod nära.", "Mark"),          # a kinship noun before
])
def test_signs_of_a_person_for_a_one_word_name(text, name):
    docs = documents(text)
    ents = entities(docs, {name: "PER", "Jürgen Stark": "PER", "Alina Devecerski": "PER", "Linnea Henriksson": "PER"})
    assert name in set(persons(run(docs, ents))["name"])


def test_a_capitalised_common_word_at_a_sentence_start_is_no_sign():
    docs = documents("Effektivare krishantering behövs. Ya me canse del miedo, ropade de.")
    out = run(docs, entities(docs, {"Effektivare": "PER", "Ya": "PER"}))
    assert persons(out).empty


def test_the_span_index_and_the_coverage_mask_answer_as_a_pass_over_all_spans() -> None:
    import random
    from types import SimpleNamespace

    from pipeline.stages.people.document import _SpanIndex
    from pipeline.stages.people.mention_fixes import Taken

    rng = random.Random(16)
    spans = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 2000) for _ in range(300))]
    index = _SpanIndex([SimpleNamespace(start=s, end=e) for s, e in spans])
    taken = Taken(2100, spans)
    for _ in range(500):
        start = rng.randint(0, 2050)
        end = start + rng.randint(1, 40)
        expected = sorted((s, e) for s, e in spans if s < end and start < e)
        assert sorted((i.start, i.end) for i in index.overlapping(start, end)) == expected
        assert taken.overlaps(start, end) == bool(expected)


# ------------------------------------------------------------------------------- people known by context

def test_a_handle_after_signaturen_is_a_person_in_any_case():
    docs = documents("Det var inte lätt.” Signaturen fjällräven berättar att han fick höra mycket:” Ni är galna.”")
    row = person(run(docs, entities(docs, {})), "fjällräven")
    assert row["gender"] == "male"                   # `han` between the quotes: the line opened inside a quote


def test_a_quoted_nickname_after_an_inverted_reporting_verb_is_a_person():
    docs = documents("Det var en tung säsong, säger ”Bamsen” efter matchen.", "Han säger ”Nej” till allt.")
    out = run(docs, entities(docs, {}))
    assert set(persons(out)["name"]) == {"Bamsen"}


def test_a_name_in_apposition_to_a_noun_for_a_person_is_a_person():
    docs = documents("En tredje läsare, Vildkatt, tycker att skolan borde börja senare.")
    out = run(docs, entities(docs, {"Vildkatt": "MISC"}))
    assert set(persons(out)["name"]) == {"Vildkatt"}


def test_a_name_listed_with_a_surname_of_the_run_is_a_person():
    docs = documents("Stefan Lindkvist leder partiet.", "Alla från Berglöv till Lindkvist håller med.")
    out = run(docs, entities(docs, {"Stefan Lindkvist": "PER", "Berglöv": "PER", "Lindkvist": "LOC"}))
    assert set(persons(out)["name"]) == {"Stefan Lindkvist", "Berglöv"}


def test_a_pronoun_speaker_is_the_one_this_stage_resolves_it_to():
    docs = documents("Det var Olof Ruths, rådgivare till ministern Karl Sand, budskap i går. Ruth inledde med "
                     "att säga att skolan är viktig.\n\n– Vi måste satsa mer, sade han.")
    qs = quotes([quote(docs, "d0", "Vi måste satsa mer", "han", speaker="Karl Sand")])
    out = run(docs, entities(docs, {"Olof Ruth": "PER", "Ruth": "PER", "Karl Sand": "PER"}), qs)
    assert out["quotes"].loc[0, "speaker"] == "Olof Ruth"
    assert out["quotes"].loc[0, "person_id"] == person(out, "Olof Ruth")["person_id"]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Medier i Norrland rapporterar att bron har stängts.", "Medier i Norrland"),
    ("Trafikverkets presstjänst uppger att bron har stängts.", "Trafikverkets presstjänst"),
    ("Statsminister Ulf Kristersson säger att inget är bestämt.", "Ulf Kristersson"),
    ("Kamala Harris i Washington säger att avtalet är klart.", "Kamala Harris"),
    ("Ordföranden i Vänsterpartiet Nooshi Dadgostar säger att förslaget är dåligt.", "Nooshi Dadgostar"),
    ("Jonas Sjöstedt och hans fru säger att de flyttar.", "Jonas Sjöstedt"),
])
def test_a_name_inside_the_speakers_phrase_is_the_speaker_only_where_it_heads_it(text, speaker):
    from pipeline import api

    quotes = api.analyse(text)["quotes"]
    assert quotes["speaker"].tolist() == [speaker]


def test_a_common_word_before_a_speakers_name_is_no_part_of_it():
    from pipeline import api

    tables = api.analyse("Utöver Gudmund Erling deltog biskopen. Han sade att mötet var bra.")
    quote = tables["quotes"].iloc[0]
    assert quote["speaker"] == "Gudmund Erling" and isinstance(quote["person_id"], str)
