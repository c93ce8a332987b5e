"""The annotated files shipped in data/gold hold together: every quote's offsets slice the text to the
quote as written, ids are unique, and no text is in two files (a fresh set must be unread text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation.gold import read_gold_jsonl

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"
OFFSETS = sorted(GOLD.glob("*.offsets.jsonl"))       # texts not shipped: built from ../shared
SHIPPED = sorted(p for p in GOLD.glob("*.jsonl") if p not in OFFSETS
                 and not (GOLD / p.name.replace(".jsonl", ".offsets.jsonl")).exists())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_quote_offsets_slice_the_text_to_the_quote(path):
    for record in read_gold_jsonl(path):
        for quote in record["quotes"]:
            assert 0 <= quote["start"] < quote["end"] <= len(record["text"]), (record["doc_id"], quote)
            assert record["text"][quote["start"]:quote["end"]] == quote["quote"], (record["doc_id"], quote)
            assert quote["kind"] in {"direct", "indirect", "mixed"}


def test_ids_and_texts_are_in_one_file_only():
    seen_ids: dict[str, str] = {}
    seen_texts: dict[str, str] = {}
    assert len(SHIPPED) >= 3
    for path in SHIPPED:
        for record in read_gold_jsonl(path):
            assert record["doc_id"] not in seen_ids, (record["doc_id"], path.name, seen_ids.get(record["doc_id"]))
            assert record["text"] not in seen_texts, (record["doc_id"], path.name, seen_texts.get(record["text"]))
            seen_ids[record["doc_id"]] = seen_texts[record["text"]] = path.name


def test_no_fresh_text_is_in_the_shared_dev_gold():
    shared = GOLD.parents[2] / "shared" / "gold"
    if not shared.is_dir():
        pytest.skip("../shared/gold is not there")
    dev = {r["text"] for p in shared.glob("*.jsonl") for r in read_gold_jsonl(p)}
    dev_ids = {r["doc_id"] for p in shared.glob("*.jsonl") for r in read_gold_jsonl(p)}
    for path in SHIPPED:
        for record in read_gold_jsonl(path):
            assert record["text"] not in dev and record["doc_id"] not in dev_ids, (path.name, record["doc_id"])


def gold_builder():
    """data/gold/build_regeringen_extra.py as a module (it is a script, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_regeringen_extra", GOLD / "build_regeringen_extra.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_offsets_files_rebuild_into_texts_whose_quotes_are_words():
    corpus = GOLD.parents[2] / "shared" / "corpora" / "regeringen" / "regeringen-2014-2024.jsonl.gz"
    if not corpus.exists():
        pytest.skip("../shared/corpora/regeringen is not there")
    module = gold_builder()
    assert {f"{name}.offsets.jsonl" for name in module.NAMES} == {p.name for p in OFFSETS}
    for path in module.build(corpus.parents[2]):
        for record in read_gold_jsonl(path):
            assert all(q["quote"].strip() and q["quote"] == q["quote"].strip() for q in record["quotes"]), path
