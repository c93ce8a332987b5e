"""The model's own spaCy components (pipeline/components.py)."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import Doc

from pipeline.model.components import (
    LemmaLookup,
    PlaceNames,
    extend_first_names,
    mark_sure_sentence_starts,
    pos_from_relations,
    repair_sentences,
    trim_leading_titles,
)


def _parsed(words: list[str], spaces: list[bool], heads: list[int]) -> Doc:
    """A doc parsed as ``heads`` (absolute indices; a token that is its own head is a root)."""
    deps = ["ROOT" if h == i else "dep" for i, h in enumerate(heads)]
    return Doc(spacy.blank("sv").vocab, words=words, spaces=spaces, heads=heads, deps=deps)


def _sents(doc: Doc) -> list[str]:
    return [s.text.strip() for s in doc.sents]


def test_sentence_starting_with_a_comma_joins_the_previous_one():
    # the parser split "Barnen leker | , och vi tittar på ."
    words = ["Barnen", "leker", ",", "och", "vi", "tittar", "på", "."]
    spaces = [True, False, True, True, True, True, False, False]
    doc = repair_sentences(_parsed(words, spaces, [1, 1, 5, 5, 5, 5, 5, 5]))
    assert _sents(doc) == ["Barnen leker, och vi tittar på."]
    assert doc[5].head.i == 1 and doc[5].dep_ == "parataxis"


def test_glued_closing_quote_moves_to_the_previous_sentence():
    # "Han sa: 'Lyd.' Ett råd ." split before the closing quote
    words = ["Han", "sa", ":", "'", "Lyd", ".", "'", "Ett", "råd", "."]
    spaces = [True, False, True, False, False, False, True, True, False, False]
    doc = repair_sentences(_parsed(words, spaces, [1, 1, 1, 4, 1, 4, 8, 8, 8, 8]))
    assert _sents(doc) == ["Han sa: 'Lyd.'", "Ett råd."]


def test_lower_case_start_after_a_non_final_word_joins():
    words = ["Den", "dag", "du", "blir", "sjuk", ".", "Nästa", "mening", "."]
    spaces = [True, True, True, True, False, True, True, False, False]
    # split after "dag"; a real boundary before "Nästa"
    doc = repair_sentences(_parsed(words, spaces, [1, 1, 3, 3, 3, 3, 7, 7, 7]))
    assert _sents(doc) == ["Den dag du blir sjuk.", "Nästa mening."]


def test_proper_name_after_a_word_on_the_same_line_joins():
    # the parser split the name "Kajsa | Ohrlanders"
    words = ["Mot", "Kajsa", "Ohrlanders", "intervjuer", "."]
    spaces = [True, True, True, False, False]
    doc = _parsed(words, spaces, [0, 0, 3, 3, 3])
    for token, pos in zip(doc, ["ADP", "PROPN", "PROPN", "NOUN", "PUNCT"], strict=True):
        token.pos_ = pos
    assert _sents(repair_sentences(doc)) == ["Mot Kajsa Ohrlanders intervjuer."]


def test_heading_run_into_the_text_is_not_joined():
    # a heading without a full stop, then the text: "… som ideal | Vi kan …"
    words = ["Familjen", "som", "ideal", "Vi", "kan", "angripa", "den", "."]
    spaces = [True, True, True, True, True, True, False, False]
    doc = _parsed(words, spaces, [0, 2, 0, 5, 5, 5, 5, 5])
    for token, pos in zip(doc, ["NOUN", "ADP", "NOUN", "PRON", "AUX", "VERB", "PRON", "PUNCT"], strict=True):
        token.pos_ = pos
    assert _sents(repair_sentences(doc)) == ["Familjen som ideal", "Vi kan angripa den."]


def _starts(text: str) -> list[str]:
    doc = mark_sure_sentence_starts(spacy.blank("sv")(text))
    return [t.text for t in doc[1:] if t.is_sent_start]


def test_capitalised_word_after_a_final_mark_is_a_sure_sentence_start():
    assert _starts("Är kvinnan på väg hem? Börjar hennes jobb nu!") == ["Börjar"]
    assert _starts("Det var ett hinder.' Rabins data kunde inte svara.") == ["Rabins"]
    assert _starts("Han kom till USA. – Det är bra, sade han.") == ["–"]


def test_abbreviations_initials_and_lower_case_are_no_sure_sentence_starts():
    assert _starts("Hon mötte dr. Berg och A. I. Rabin i St. Petersburg.") == []
    assert _starts("Det gällde 15 procent. år 1970 var det fler.") == []
    assert _starts("Det var slut.\nNästa stycke.") == []  # line breaks are left to the parser


def test_real_boundaries_are_kept():
    words = ["Hon", "kom", ".", "och", "sedan", "?", "\n", "nej"]
    spaces = [True, False, True, True, False, False, False, False]
    doc = repair_sentences(_parsed(words, spaces, [1, 1, 1, 4, 4, 4, 4, 7]))
    assert len(_sents(doc)) == 3  # lower case after "." and after a line break start sentences


def test_lemma_rules_apply_by_form_and_tag_and_lower_case_common_words():
    from pipeline.model.components import LemmaRules

    rules = LemmaRules([[["sin", "sitt", "sina"], ["PRON"], "sig"], [["t.ex."], [], "till_exempel"]])
    words = ["Kvinnorna", "tog", "sina", "barn", "t.ex.", "SVT", "Lund"]
    doc = Doc(spacy.blank("sv").vocab, words=words,
              pos=["NOUN", "VERB", "PRON", "NOUN", "ADV", "PROPN", "PROPN"],
              lemmas=["Kvinna", "ta", "sin", "barn", "t.ex.", "SVT", "Lund"])
    rules(doc)
    assert [t.lemma_ for t in doc] == ["kvinna", "ta", "sig", "barn", "till_exempel", "SVT", "Lund"]


def test_sentence_initial_name_coordinated_with_a_name_gets_its_type():
    from spacy.tokens import Span

    from pipeline.model.components import coordinated_names

    words = ["Putin", "och", "Lukasjenko", "möttes", ".", "Den", "och", "Minsk", "."]
    doc = Doc(spacy.blank("sv").vocab, words=words, sent_starts=[1, 0, 0, 0, 0, 1, 0, 0, 0])
    doc.ents = [Span(doc, 2, 3, label="PER"), Span(doc, 7, 8, label="LOC")]
    coordinated_names(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Putin", "PER"), ("Lukasjenko", "PER"), ("Minsk", "LOC")]


def test_lemma_lookup_replaces_unknown_lemmas_only(tmp_path):
    nlp = spacy.blank("sv")
    lookup = LemmaLookup(pos=["NOUN", "VERB"])
    lookup.set_tables({"mannens": "man", "flickorna": "flicka", "husen": "hus", "sprang": "springa"},
                      known_lemmas=["lek"])
    assert lookup.lookup("Flickorna") == "flicka" and lookup.lookup("okänt") is None

    def lemmatise(component, words, pos, lemmas):
        doc = Doc(nlp.vocab, words=words, pos=pos, lemmas=lemmas)
        return [t.lemma_ for t in component(doc)]

    words = ["Mannens", "flickorna", "husen", "lekar", "sprang", "husen"]
    pos = ["NOUN", "NOUN", "NOUN", "NOUN", "VERB", "ADJ"]
    predicted = ["mann", "flicka", "hus", "lek", "sprang", "husen"]
    expected = ["man", "flicka", "hus", "lek", "springa", "husen"]  # known lemmas and other POS stay
    assert lemmatise(lookup, words, pos, predicted) == expected

    lookup.to_disk(tmp_path / "lookup")
    reloaded = LemmaLookup(pos=["NOUN", "VERB"]).from_disk(tmp_path / "lookup")
    assert lemmatise(reloaded, words, pos, predicted) == expected


def test_pos_follows_the_relation_for_auxiliaries_and_determiners():
    # "Han har en bil som är ny och de vet vilken" as tagged and parsed
    words = ["Han", "har", "en", "bil", "som", "är", "ny", "och", "de", "vet", "vilken", "bil"]
    heads = [1, 1, 3, 1, 6, 6, 3, 9, 9, 1, 11, 9]
    deps = ["nsubj", "ROOT", "det", "obj", "nsubj", "cop", "acl:relcl", "cc", "nsubj", "conj", "det", "obj"]
    pos = ["PRON", "AUX", "DET", "NOUN", "PRON", "VERB", "ADJ", "CCONJ", "DET", "VERB", "PRON", "NOUN"]
    doc = Doc(spacy.blank("sv").vocab, words=words, heads=heads, deps=deps, pos=pos)
    doc = pos_from_relations(doc)
    assert [t.pos_ for t in doc] == ["PRON", "VERB", "DET", "NOUN", "PRON", "AUX", "ADJ", "CCONJ", "PRON",
                                     "VERB", "DET", "NOUN"]
    unparsed = Doc(spacy.blank("sv").vocab, words=["Han", "har"], pos=["PRON", "AUX"])
    assert [t.pos_ for t in pos_from_relations(unparsed)] == ["PRON", "AUX"]


def test_titles_at_the_start_of_a_person_are_trimmed():
    words = ["ECB-chefen", "Mario", "Draghi", "mötte", "Kung", "Carl", "XVI", "Gustaf", "och", "Svenska", "Dagbladet"]
    doc = Doc(spacy.blank("sv").vocab, words=words,
              ents=["B-PER", "I-PER", "I-PER", "O", "B-PER", "I-PER", "I-PER", "I-PER", "O", "B-ORG", "I-ORG"])
    doc = trim_leading_titles(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Mario Draghi", "PER"), ("Carl XVI Gustaf", "PER"),
                                                      ("Svenska Dagbladet", "ORG")]
    alone = trim_leading_titles(Doc(spacy.blank("sv").vocab, words=["Presidenten"], ents=["B-PER"]))
    assert [e.text for e in alone.ents] == ["Presidenten"]  # a one-word entity is left to people.py


def test_a_name_after_a_person_title_is_a_person_unless_a_place():
    words = ["enligt", "operans", "vd", "Stilla", "Sieg", "och", "talespersonen", "Stockholm"]
    doc = Doc(spacy.blank("sv").vocab, words=words, ents=["O", "O", "O", "B-ORG", "I-ORG", "O", "O", "B-LOC"])
    doc = trim_leading_titles(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Stilla Sieg", "PER"), ("Stockholm", "LOC")]


def test_a_person_cut_after_the_first_name_takes_the_surname():
    words = ["säger", "kulturminister", "Jakob", "Strandqvist", "i", "Lund", "och", "Marcus", "Eriksdotter-Hall",
             "hälsade", "Anna", "Stockholm", "och", "Eva", "Plats"]
    ents = ["O", "O", "B-PER", "O", "O", "B-LOC", "O", "B-PER", "O", "O", "B-PER", "O", "O", "B-PER", "O"]
    doc = extend_first_names(Doc(spacy.blank("sv").vocab, words=words, ents=ents))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Jakob Strandqvist", "PER"), ("Lund", "LOC"), ("Marcus Eriksdotter-Hall", "PER"),
        ("Anna", "PER"), ("Eva", "PER")]      # a listed place and a common word are no surnames


def test_a_typographic_apostrophe_stays_inside_a_name():
    nlp = spacy.load(Path(__file__).resolve().parents[1] / "models" / "sv_citat")
    assert [t.text for t in nlp.tokenizer("Sara O’Neill och Rui D’Souza sa ’nej’.")] == [
        "Sara", "O’Neill", "och", "Rui", "D’Souza", "sa", "’", "nej", "’", "."]
    words = ["enligt", "Sara", "O’Neill", "i", "Lund"]
    doc = extend_first_names(Doc(spacy.blank("sv").vocab, words=words, ents=["O", "B-PER", "O", "O", "B-LOC"]))
    assert [(e.text, e.label_) for e in doc.ents] == [("Sara O’Neill", "PER"), ("Lund", "LOC")]


def test_listed_place_names_the_ner_missed_become_loc():
    places = PlaceNames()
    places.set_names(["Ostrava", "Porto", "Portos", "Nya Zeeland", "Pinto", "Stockholm"])
    words = ["Putin", "for", "från", "Ostrava", "till", "Nya", "Zeeland", "via", "Portos", "hamn", "och", "Porto",
             "Alegre", ".", "Jack", "Pinto", "såg", "Stockholm", "Eagles", ".", "I", "Porto", "regnar", "det"]
    ents = ["B-PER", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "B-LOC", "I-LOC", "O", "O", "O", "O", "O",
            "O", "O", "O", "O", "O", "O"]
    doc = places(Doc(spacy.blank("sv").vocab, words=words, ents=ents))
    # Porto Alegre was found by the NER; Pinto follows a first name, Stockholm precedes a team name
    assert [(e.text, e.label_) for e in doc.ents] == [("Putin", "PER"), ("Ostrava", "LOC"), ("Nya Zeeland", "LOC"),
                                                      ("Portos", "LOC"), ("Porto Alegre", "LOC"), ("Porto", "LOC")]


def test_a_whole_article_keeps_its_paragraphs_as_the_cli_does():
    """`spacy.load` + `nlp(article)`, as a spaCy user would: no sentence and no entity crosses a blank line,
    and the headline's entities are those of the headline alone (what `citat segment` feeds the model)."""
    import re
    from pathlib import Path

    nlp = spacy.load(Path(__file__).resolve().parents[1] / "models" / "sv_citat")
    samples = sorted((Path(__file__).resolve().parents[1] / "data" / "samples").glob("*.txt"))
    for path in samples:
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        for sentence in doc.sents:
            assert not re.search(r"\n[ \t]*\n", sentence.text.strip()), (path.name, sentence.text)
        for ent in doc.ents:
            assert "\n" not in ent.text, (path.name, ent.text)
        body = text[len(text) - len(text.lstrip()):]
        headline_end = len(text) - len(body) + body.index("\n\n")
        alone = nlp(text[:headline_end])
        assert [(e.start_char, e.text, e.label_) for e in doc.ents if e.end_char <= headline_end] == \
            [(e.start_char, e.text, e.label_) for e in alone.ents], path.name
    # the NER alone runs these across the blank line (`Transportstyrelsen\n\nFler` ORG), the parser the list
    joined = nlp("Det meddelar Transportstyrelsen\n\nFler nyheter om trafiken")
    assert [e.text for e in joined.ents] == ["Transportstyrelsen", "Fler"] or \
        [e.text for e in joined.ents] == ["Transportstyrelsen"]
    # nor across one line break: two lines of a contact list are two people
    contacts = nlp("Kontakt\nEbba Gustavsson\nCaroline Opsahl\nPressekreterare")
    assert all("\n" not in e.text for e in contacts.ents)
    listed = nlp("Bakgrund\n\n* Förslaget gäller alla kommuner\n\n* Det träder i kraft 2025")
    assert [s.text.strip() for s in listed.sents] == ["Bakgrund", "* Förslaget gäller alla kommuner",
                                                       "* Det träder i kraft 2025"]
