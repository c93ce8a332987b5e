"""Quote and speaker rules of round nine (issues 13 and 14), written from 360 annotated SUC 3.0 sentences of
several genres (data/gold/suc-sentences-tune, -tune2) and the regeringen tune texts: a complement clause without
`att`, a particle verb the tagger missed (`lyfte fram att`), `så` + adjective
+ `att` as a consequence, an attribution pronoun that is not someone its own speech names, and a speaker
described with a preposition before the name."""

from __future__ import annotations

from test_people import documents, entities, quote, quotes, run
from test_quotes import quotes_of
from test_quotes_r7 import _one


def test_a_complement_clause_without_att_is_a_quote():
    _one(quotes_of("Hon tycker det är fel att skolan stänger."),
         speaker="Hon", cue="tycker", quote="det är fel att skolan stänger")


def test_tycka_om_is_no_reporting():
    assert quotes_of("Hon tycker om att simma.").empty


def test_so_and_an_adjective_before_att_make_a_consequence():
    assert quotes_of("Hon sade det så tydligt att alla förstod.").empty


def test_an_attribution_pronoun_is_not_someone_its_speech_names():
    docs = documents("Erik Berg kom in.\n\n– Vi har talat med Anders Ek, säger han.")
    qs = quotes([quote(docs, "d0", "Vi har talat med Anders Ek", "han")])
    out = run(docs, entities(docs, {"Erik Berg": "PER", "Anders Ek": "PER"}), qs)
    assert out["quotes"]["speaker"].tolist() == ["Erik Berg"]


def test_a_name_after_a_preposition_does_not_speak_for_the_described_speaker():
    docs = documents("– Det är bra, säger ordföranden för Bygdens vänner.")
    speaker = "ordföranden för Bygdens vänner"
    qs = quotes([quote(docs, "d0", "Det är bra", speaker, speaker=speaker)])
    out = run(docs, entities(docs, {"Bygdens vänner": "ORG"}), qs)
    assert out["quotes"]["speaker"].tolist() == [speaker]
    assert out["quotes"]["person_id"].isna().all()


def test_a_particle_verb_the_tagger_missed_reports_by_its_written_form():
    _one(quotes_of("Ministern lyfte fram att skolan behöver fler lärare."),
         speaker="Ministern", quote="skolan behöver fler lärare")


def test_a_speaker_between_verb_and_particle_is_kept_and_the_particle_dropped():
    _one(quotes_of("I efterhand talar myndigheten om att fler kunde ha räddats."),
         speaker="myndigheten", quote="fler kunde ha räddats")
