"""Skipping up-to-date stages, resuming after an interruption, and runs with bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import NothingToProcess, RunError
from pipeline.run import runner, store
from pipeline.stages import segment


def _corpus(tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"art{i}.txt").write_text(f"Rubrik {i}\n\n– Det går bra, säger Karin Ek.\n", encoding="utf-8")
    return folder


def _options(inputs: Path, **kw) -> runner.Options:
    return runner.Options(inputs=[inputs], quiet=True, batch_size=1, **kw)


def test_a_second_run_skips_every_stage(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_all(run, _options(inputs), until="entities")
    assert runner.run_all(run, _options(inputs), until="entities") == dict.fromkeys(
        ("ingest", "segment", "entities"), "skipped"
    )
    state = json.loads((run / "run.json").read_text())
    assert state["stages"]["segment"]["rows"]["paragraphs"] == 6
    assert state["stages"]["segment"]["model"]


def test_force_and_changed_inputs_rerun_downstream_stages(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_all(run, _options(inputs), until="entities")
    assert runner.run_stage("segment", run, _options(inputs, force=True)) == "ran"
    # the same tokens again: what entities reads has not changed, so it stays up to date
    assert runner.run_stage("entities", run, _options(inputs)) == "skipped"
    (inputs / "art9.txt").write_text("Ny text.", encoding="utf-8")
    assert runner.run_all(run, _options(inputs), until="entities") == dict.fromkeys(
        ("ingest", "segment", "entities"), "ran"
    )
    assert store.count_rows(store.table_path(run, "documents")) == 4


def test_a_deleted_or_changed_table_is_rebuilt(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_all(run, _options(inputs), until="entities")
    store.table_path(run, "tokens").unlink()
    assert runner.run_stage("segment", run, _options(inputs)) == "ran"
    store.write_table(run, "entities", store.read_table(run, "entities").iloc[:1])
    assert runner.run_stage("entities", run, _options(inputs)) == "ran"
    assert store.count_rows(store.table_path(run, "entities")) > 1


def test_an_interrupted_stage_leaves_no_table_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_stage("ingest", run, _options(inputs))
    documents_before = store.file_sha256(store.table_path(run, "documents"))
    real_segment, calls = segment.segment, []

    def dies_on_second_batch(documents, nlp, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_segment(documents, nlp, **kw)

    monkeypatch.setattr(segment, "segment", dies_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        runner.run_stage("segment", run, _options(inputs))
    assert not store.table_path(run, "tokens").exists()
    assert not list(run.glob("*.tmp"))
    assert "segment" not in store.read_state(run)["stages"]
    assert store.file_sha256(store.table_path(run, "documents")) == documents_before

    monkeypatch.setattr(segment, "segment", real_segment)
    assert runner.run_stage("ingest", run, _options(inputs)) == "skipped"
    assert runner.run_stage("segment", run, _options(inputs)) == "ran"
    assert store.count_rows(store.table_path(run, "paragraphs")) == 6


def test_skipped_inputs_are_recorded_and_nothing_readable_is_an_error(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, 1)
    (inputs / "tom.txt").write_text("", encoding="utf-8")
    run = tmp_path / "run"
    runner.run_stage("ingest", run, _options(inputs))
    skipped = store.read_state(run)["skipped"]
    assert skipped == [{"path": str(inputs / "tom.txt"), "problem": "empty file"}]

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "tom.txt").write_text("", encoding="utf-8")
    with pytest.raises(NothingToProcess, match="tom.txt: empty file"):
        runner.run_stage("ingest", tmp_path / "run2", _options(empty))


def test_a_stage_without_its_input_names_the_missing_table(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="nothing: no such run directory"):
        runner.run_stage("segment", tmp_path / "nothing", runner.Options(quiet=True))
    assert not (tmp_path / "nothing").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(RunError, match="documents.parquet does not exist: run `citat ingest` first"):
        runner.run_stage("segment", tmp_path / "empty", runner.Options(quiet=True))


def test_a_corrupt_table_is_reported_with_its_path(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_stage("ingest", run, _options(inputs))
    store.table_path(run, "documents").write_bytes(b"not parquet")
    with pytest.raises(RunError, match="documents.parquet"):
        store.read_table(run, "documents")


SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def _digests(run: Path) -> dict[str, str]:
    return {path.stem: store.file_sha256(path) for path in sorted(run.glob("*.parquet"))}


@pytest.mark.slow
def test_people_twice_gives_identical_tables_and_leaves_entities_and_quotes_as_written(tmp_path: Path) -> None:
    run = tmp_path / "run"
    runner.run_all(run, runner.Options(inputs=[SAMPLES], quiet=True))
    before = _digests(run)
    for _ in range(2):
        assert runner.run_stage("people", run, runner.Options(quiet=True, force=True)) == "ran"
        assert _digests(run) == before
    assert runner.run_stage("quotes", run, runner.Options(quiet=True, force=True)) == "ran"
    assert _digests(run) == before
    assert "person_id" not in store.read_table(run, "entities").columns
    assert store.read_table(run, "linked_entities")["person_id"].notna().any()
    assert store.read_table(run, "linked_quotes")["person_id"].notna().any()


def test_a_changed_word_list_reruns_the_stages_that_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import shutil

    from pipeline import lexicon

    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_all(run, _options(inputs))
    copy = tmp_path / "lexicon"
    shutil.copytree(lexicon.HERE, copy)
    monkeypatch.setattr(lexicon, "HERE", copy)
    assert set(runner.run_all(run, _options(inputs)).values()) == {"skipped"}
    with open(copy / "speech_verbs.txt", "a", encoding="utf-8") as handle:
        handle.write("påminna påminner påminde\n")
    assert runner.run_all(run, _options(inputs)) == {
        "ingest": "skipped", "segment": "skipped", "entities": "skipped", "quotes": "ran", "people": "ran",
        "copies": "skipped", "spread": "skipped"}      # linked_quotes came out the same: nothing for spread to redo
    with open(copy / "outlet_words.txt", "a", encoding="utf-8") as handle:
        handle.write("Nyheter\n")
    with caplog.at_level("INFO", logger="pipeline.run.runner"):
        outcome = runner.run_all(run, _options(inputs))
    assert outcome["entities"] == "ran" and outcome["quotes"] == "ran" and outcome["segment"] == "skipped"
    assert "entities: running (changed: lexicons)" in caplog.text


def test_changed_stage_code_reruns_that_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.run import fingerprint

    inputs, run = _corpus(tmp_path), tmp_path / "run"
    runner.run_all(run, _options(inputs))
    real = fingerprint.code_digest
    monkeypatch.setattr(fingerprint, "code_digest",
                        lambda modules: real(modules) + ("edited" if "pipeline.stages.quotes" in modules else ""))
    outcome = runner.run_all(run, _options(inputs))
    assert outcome["quotes"] == "ran"
    assert outcome["ingest"] == outcome["segment"] == outcome["entities"] == "skipped"
    # the same quotes as before: people, which reads them, has nothing new to do
    assert outcome["people"] == "skipped"


@pytest.mark.slow
def test_a_changed_file_of_the_model_reruns_segment(tmp_path: Path) -> None:
    import shutil

    from pipeline.model.loading import DEFAULT_MODEL_DIR

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    options = _options(inputs, model=str(model))
    runner.run_all(run, options, until="entities")
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["description"] += " (retrained in place)"
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert runner.run_all(run, options, until="entities") == {
        "ingest": "skipped", "segment": "ran", "entities": "skipped"}
    assert "model" in store.read_state(run)["stages"]["segment"]["parts"]


@pytest.mark.slow
def test_analyse_in_memory_gives_the_tables_of_a_run(tmp_path: Path) -> None:
    import pandas as pd

    from pipeline import analyse, read_run

    run = tmp_path / "run"
    runner.run_all(run, runner.Options(inputs=[SAMPLES], quiet=True, segmenter="spacy"))
    on_disk = read_run(run)
    in_memory = analyse(on_disk["documents"])
    assert set(in_memory) == set(on_disk)
    for name, table in on_disk.items():
        pd.testing.assert_frame_equal(in_memory[name], table, obj=name)
    assert (in_memory["quotes"]["speaker"] == "Putin").sum() >= 5
