"""Quote rules of round seven (issue 13), written from two more annotated sets of regeringen.se texts
(data/gold/regeringen-tune5, -tune6): a modal before the reporting verb, nouns given by `uttrycka` and `göra`,
the subject of a second main clause, a mistagged verb, coordinated titles and a name in apposition."""

from __future__ import annotations

from test_quotes import quotes_of

from pipeline.stages.quotes.syntax import Word, _tagged_noun


def _one(found, **expected) -> None:
    assert len(found) == 1, found[["speaker", "cue", "quote"]]
    row = found.iloc[0]
    for column, value in expected.items():
        assert row[column] == value, (column, row[column])


def test_a_reporting_verb_after_a_modal_reports():
    _one(quotes_of("Förbundet vill understryka att reformen tar tid."),
         speaker="Förbundet", cue="understryka", quote="reformen tar tid")


def test_an_infinitive_without_a_modal_does_not_report():
    assert quotes_of("Han kommer att säga att det regnar.").empty


def test_a_reporting_noun_given_by_uttrycka_or_gora_is_the_subjects():
    _one(quotes_of("Hon uttryckte förhoppningen att avtalet blir klart i år."),
         speaker_mention="Hon", cue="förhoppningen", quote="avtalet blir klart i år")
    _one(quotes_of("Myndigheten gör bedömningen att riskerna är små."),
         speaker="Myndigheten", quote="riskerna är små")


def test_the_subject_of_a_second_main_clause_speaks():
    _one(quotes_of("Mötet hölls i Bryssel och Finland bedömer att läget är allvarligt."),
         speaker="Finland", quote="läget är allvarligt")
    _one(quotes_of("Sverige och Finland bedömer att läget är allvarligt."), speaker="Sverige och Finland")


def test_a_reporting_verb_tagged_as_a_noun_is_known_by_its_lemma():
    def word(text: str, lemma: str, pos: str) -> Word:
        return Word(1, text, 0, len(text), lemma, pos, "", 0, "ROOT", 0, 0)
    assert _tagged_noun(word("föreslog", "föreslå", "NOUN"))
    assert not _tagged_noun(word("förslaget", "förslag", "NOUN"))
    assert not _tagged_noun(word("föreslog", "föreslå", "VERB"))


def test_a_coordinated_title_resolves_to_the_person_with_it():
    found = quotes_of("– Bygget måste ske hållbart, menar infrastruktur- och bostadsministern.",
                      "Utredningen lämnade sina förslag i går.",
                      "– Det är ett bra underlag, säger infrastruktur- och bostadsminister Maria Berg.")
    assert found["speaker"].tolist() == ["Maria Berg", "Maria Berg"]


def test_the_name_in_apposition_after_a_title_speaks():
    _one(quotes_of("Norges utrikesminister, Kari Lund, höll ett tal och uttryckte att samarbetet är viktigt."),
         speaker="Kari Lund", quote="samarbetet är viktigt")


def test_a_position_is_a_reporting_noun():
    _one(quotes_of("Sveriges position är att kriget måste upphöra."), speaker="Sverige", quote="kriget måste upphöra")


def test_a_role_noun_joined_to_a_name_speaks_together_with_it():
    _one(quotes_of("Regeringen och Centerpartiet föreslår att anslaget höjs."),
         speaker="Regeringen och Centerpartiet", quote="anslaget höjs")


def test_enligt_a_task_or_a_principle_is_no_quote():
    assert quotes_of("Länsstyrelsen ska enligt uppdraget bedöma förutsättningarna.",
                     "Avgiften ska enligt självkostnadsprincipen täcka kostnaden.").empty


def test_the_object_of_a_noun_giving_verb_is_no_speaker():
    found = quotes_of("Hon uttryckte stor oro att barnen far illa.")
    assert "stor oro" not in found["speaker"].fillna("").tolist()
    assert quotes_of("Han uttrycker sig ofta så att ingen förstår.").empty


def test_the_modal_rule_spares_clauses_questions_negations_and_the_future():
    assert quotes_of("Medan bolaget vill hävda att allt är lugnt växer oron.",
                     "Vem kan påstå att skolan fungerar?",
                     "Läkaren ville aldrig bekräfta att patienten var död.",
                     "Ministern ska meddela att hon avgår.").empty


def test_a_list_is_no_apposition():
    found = quotes_of("Regeringen, Moderaterna, Liberalerna och KD vill sänka skatten och menar att det gynnar "
                      "tillväxten.")
    assert found["speaker"].tolist() != ["Moderaterna"]


def test_an_aim_after_a_reporting_noun_is_no_quote():
    assert quotes_of("Lagets position är att vinna serien.").empty
