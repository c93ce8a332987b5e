from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.stages import ingest


def test_txt_file_gives_doc_id_from_name_and_moves_date_out_of_text(tmp_path: Path) -> None:
    path = tmp_path / "val-i-stan.txt"
    path.write_text("date 2024-05-02\nValet avgjort\n\nHon vann, säger han.\n", encoding="utf-8")
    documents, problems = ingest.read_documents([path])
    assert problems == []
    row = documents.iloc[0]
    assert row["doc_id"] == "val-i-stan"
    assert row["date"] == "2024-05-02"
    assert row["text"].startswith("Valet avgjort")
    assert row["body_start"] == len("date 2024-05-02\n")


def test_date_prefix_on_the_same_line_as_the_text() -> None:
    assert ingest.split_date_prefix(" date 2022-12 President Putin kom.") == ("2022-12", "President Putin kom.", 14)


def test_directories_are_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "ett.txt").write_text("Ett.", encoding="utf-8")
    (tmp_path / "a" / "b" / "två.txt").write_text("Två.", encoding="utf-8")
    (tmp_path / "a" / "b" / "bild.png").write_bytes(b"\x89PNG")
    documents, problems = ingest.read_documents([tmp_path / "a"])
    assert sorted(documents["doc_id"]) == ["ett", "två"]
    # a file of another kind is not read, but it is named (issue 18, row 13)
    assert [(p.path, p.kind) for p in problems] == [(str(tmp_path / "a" / "b" / "bild.png"), "file")]
    assert "unsupported file type '.png'" in problems[0].problem


def test_jsonl_csv_parquet_with_optional_columns(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"doc_id": "j1", "text": "Hej.", "title": "T"}) + "\n", encoding="utf-8"
    )
    pd.DataFrame({"id": ["c1"], "text": ["Hopp."], "url": ["https://example.org"]}).to_csv(
        tmp_path / "b.csv", index=False
    )
    pd.DataFrame({"id": ["p1"], "text": ["Tjo."], "date": ["2020-01-01"]}).to_parquet(tmp_path / "c.parquet")
    documents, problems = ingest.read_documents([tmp_path])
    assert problems == []
    by_id = documents.set_index("doc_id")
    assert by_id.loc["j1", "title"] == "T"
    assert by_id.loc["c1", "url"] == "https://example.org"
    assert by_id.loc["p1", "date"] == "2020-01-01"


def test_bom_and_windows_line_endings_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("\ufeffRubrik\r\n\r\n– Ja, säger hon.\r\n".encode())
    documents, _ = ingest.read_documents([path])
    assert documents.iloc[0]["text"] == "Rubrik\n\n– Ja, säger hon.\n"


def test_cp1252_text_is_decoded_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "gammal.txt"
    path.write_bytes("Rådet säger att öl är gott – ”ja”.".encode("cp1252"))
    documents, problems = ingest.read_documents([path])
    assert documents.iloc[0]["text"] == "Rådet säger att öl är gott – ”ja”."
    # read, not skipped: the repair is listed (issue 18, row 7)
    assert [(p.kind, p.problem) for p in problems] == [("repaired", "not valid UTF-8, decoded as cp1252: line 1")]
    assert "gammal.txt" in caplog.text and "cp1252" in caplog.text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("tom.txt", b"   \n", "empty file"),
        ("binar.txt", b"\x00\x01\x02PK\x00", "binary file"),
        ("utan.jsonl", json.dumps({"id": "x", "body": "..."}).encode(), "missing a 'text' column"),
        ("trasig.jsonl", b'{"id": "x", "text": ', "not valid JSON"),
        ("bild.docx", b"PK", "unsupported file type"),
    ],
)
def test_bad_inputs_are_skipped_with_a_message_naming_file_and_problem(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    good = tmp_path / "bra.txt"
    good.write_text("En bra text.", encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    documents, problems = ingest.read_documents([good, bad])
    assert documents["doc_id"].tolist() == ["bra"]
    assert len(problems) == 1
    assert problems[0].path == str(bad)
    assert problem in problems[0].problem


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    _, problems = ingest.read_documents([tmp_path / "finns-inte.txt"])
    assert "no such file" in problems[0].problem


def test_duplicate_doc_ids_name_both_sources(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "nyhet.txt").write_text("Först.", encoding="utf-8")
    (tmp_path / "b" / "nyhet.txt").write_text("Sedan.", encoding="utf-8")
    documents, problems = ingest.read_documents([tmp_path / "a", tmp_path / "b"])
    assert documents["text"].tolist() == ["Först."]
    assert "duplicate doc_id 'nyhet'" in problems[0].problem
    assert str(tmp_path / "a" / "nyhet.txt") in problems[0].problem
    assert problems[0].path == str(tmp_path / "b" / "nyhet.txt")
