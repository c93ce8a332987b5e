"""First-name gender: by spelling before folding, and from the common names of first_names.txt."""

from __future__ import annotations

from test_people import documents, entities, persons, run

from pipeline.lexicon.names import is_first_name, name_gender


def test_first_name_gender_by_spelling_and_from_the_common_names():
    assert name_gender("Ola") == "male" and name_gender("Óla") == "female"      # not one name once folded
    assert name_gender("Olof") == "male" and name_gender("OLOF") == "male"
    assert name_gender("Bo") == "male" and is_first_name("Bo")                  # first_names.txt counts too
    assert name_gender("Janne") == "male" and name_gender("Lotten") == "female"
    docs = documents("Olof Ek leder arbetet. Bo Sten är ny ordförande.")
    out = run(docs, entities(docs, {"Olof Ek": "PER", "Bo Sten": "PER"}))
    found = persons(out)
    assert dict(zip(found["name"], found["gender"], strict=True)) == {"Olof Ek": "male", "Bo Sten": "male"}
