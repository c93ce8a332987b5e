from __future__ import annotations

from conftest import documents_from_texts

from pipeline import text
from pipeline.run import schema
from pipeline.stages import segment

TEXT = (
    "Regeringen sänker skatten\n\n"
    "Finansministern presenterade budgeten i går. Den innehåller flera nyheter.\n\n"
    "– Vi sänker skatten för pensionärer, sade hon.\n\n"
    "Ministern talar i riksdagen. Foto: Anna Berg/TT\n"
)


def test_paragraphs_are_blocks_between_blank_lines_with_kinds() -> None:
    paragraphs = text.split_paragraphs(TEXT)
    assert [p.kind for p in paragraphs] == ["headline", "body", "body", "caption"]
    assert TEXT[paragraphs[2].start : paragraphs[2].end] == "– Vi sänker skatten för pensionärer, sade hon."


def test_single_line_breaks_split_paragraphs_when_there_are_no_blank_lines() -> None:
    spans = text.paragraph_spans("Rubrik\nFörsta stycket.\n– Citat, säger hon.")
    assert len(spans) == 3


def test_segment_tables_have_offsets_into_the_document_text(nlp) -> None:
    documents = documents_from_texts({"budget": TEXT})
    tables = segment.segment(documents, nlp)
    for name in ("paragraphs", "sentences", "tokens"):
        schema.validate(tables[name], schema.ALL[name])
    for row in tables["tokens"].itertuples():
        assert TEXT[row.start : row.end] == row.text
    for row in tables["sentences"].itertuples():
        assert TEXT[row.start : row.end] == row.text
    sentences = tables["sentences"]
    assert "Finansministern presenterade budgeten i går." in sentences["text"].tolist()
    assert sentences.groupby("sentence_id")["paragraph_id"].nunique().max() == 1
    tokens = tables["tokens"]
    assert tokens["token_id"].tolist() == list(range(len(tokens)))
    assert tokens["head"].between(0, len(tokens) - 1).all()
