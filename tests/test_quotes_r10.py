"""Quote and speaker rules of round ten (issue 13), written from the misses of the regeringen and SUC tune
texts: a coordinated second reporting verb that is a learned cue (`och föreslår att`) or has a few words
before its `att` ends the first quote and opens its own, a list of names ending in a common noun is one
speaker, and a conjunction that opens the sentence is not part of the speaker."""

from __future__ import annotations

from test_quotes import quotes_of


def _rows(found) -> list[tuple[str, str, str]]:
    return [(r.speaker, r.cue, r.quote) for r in found.itertuples(index=False)]


def test_a_coordinated_learned_cue_opens_a_second_quote():
    assert _rows(quotes_of("Kommissionen bedömer att reglerna är för svaga och föreslår att tillsynen skärps.")) == [
        ("Kommissionen", "bedömer", "reglerna är för svaga"), ("Kommissionen", "föreslår", "tillsynen skärps")]


def test_a_coordinated_reporting_verb_may_have_words_before_its_att():
    assert _rows(quotes_of("Styrelsen menar att planen är klar men hävdar samtidigt att pengarna saknas.")) == [
        ("Styrelsen", "menar", "planen är klar"), ("Styrelsen", "hävdar", "pengarna saknas")]


def test_an_object_between_the_second_verb_and_att_still_splits():
    found = quotes_of("Myndigheten anser att lagen är otydlig och rekommenderar bland annat regeringen att "
                      "se över den.")
    assert found["quote"].tolist()[0] == "lagen är otydlig"
    assert len(found) == 2


def test_a_coordinated_verb_without_att_keeps_the_quote_whole():
    found = quotes_of("Rektorn säger att eleverna trivs och lär sig mycket.")
    assert found["quote"].tolist() == ["eleverna trivs och lär sig mycket"]


def test_a_list_of_names_ending_in_a_common_noun_is_one_speaker():
    found = quotes_of("Norge, Danmark och flera andra länder menar att avtalet håller.")
    assert found["speaker"].tolist() == ["Norge, Danmark och flera andra länder"]


def test_a_conjunction_opening_the_sentence_is_not_the_speaker():
    found = quotes_of("Och läraren, som hade sett allt, trodde, att eleven ljög.")
    assert found["speaker"].tolist() == ["läraren"]
