"""Quote rules of round eight (issue 13), written from three more annotated sets of regeringen.se texts
(data/gold/regeringen-tune9 … -tune11): a title before a name in an attribution without its comma, a second
title joined by `samt`, a name after a comma that belongs to the title before it, a parenthesis before the
participle, `rekommendera` as a reporting verb and a definite noun in the genitive as the speaker."""

from __future__ import annotations

from test_quotes import quotes_of
from test_quotes_r7 import _one


def test_an_attribution_without_its_comma_may_hold_a_title():
    _one(quotes_of("– Vi vill se över reglerna säger migrationsminister Anna Berg."),
         speaker="Anna Berg", kind="direct", quote="Vi vill se över reglerna")


def test_a_second_title_joined_by_samt_stays_in_the_speaker():
    _one(quotes_of("– Vi växlar upp nu, säger näringsminister samt vice statsminister Eva Lind."),
         speaker="Eva Lind")


def test_a_name_after_a_comma_belongs_to_the_title_before_it():
    _one(quotes_of("– Reglerna öppnar nya möjligheter, säger partiets migrationspolitiska talesperson, Ola Ek."),
         speaker="Ola Ek")


def test_a_parenthesis_before_the_participle_is_no_part_of_the_subject():
    _one(quotes_of("Nu har regeringen därför, genom budgetpropositionen, föreslagit att gränsen tas bort."),
         speaker="regeringen", quote="gränsen tas bort")


def test_rekommendera_reports():
    _one(quotes_of("Utredaren rekommenderar vidare att reglerna skärps."), quote="reglerna skärps")


def test_a_definite_noun_in_the_genitive_speaks_in_the_base_form():
    found = quotes_of("Enligt utredningens förslag ska reglerna skärpas.")
    assert found["speaker"].tolist() == ["utredningen"]


def test_folkratten_is_no_speaker():
    assert quotes_of("Enligt folkrätten får staten inte göra så.").empty
