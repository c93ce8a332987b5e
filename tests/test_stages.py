"""Skipping up-to-date stages, resuming after an interruption, and runs with bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import rundir, segment, stages


def _corpus(tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"art{i}.txt").write_text(f"Rubrik {i}\n\n– Det går bra, säger Karin Ek.\n", encoding="utf-8")
    return folder


def _options(inputs: Path, **kw) -> stages.Options:
    return stages.Options(inputs=[inputs], quiet=True, batch_size=1, **kw)


def test_a_second_run_skips_every_stage(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    stages.run_all(run, _options(inputs), until="entities")
    assert stages.run_all(run, _options(inputs), until="entities") == dict.fromkeys(
        ("ingest", "segment", "entities"), "skipped"
    )
    state = json.loads((run / "run.json").read_text())
    assert state["stages"]["segment"]["rows"]["paragraphs"] == 6
    assert state["stages"]["segment"]["model"]


def test_force_and_changed_inputs_rerun_downstream_stages(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    stages.run_all(run, _options(inputs), until="entities")
    assert stages.run_stage("segment", run, _options(inputs, force=True)) == "ran"
    assert stages.run_stage("entities", run, _options(inputs)) == "ran"
    (inputs / "art9.txt").write_text("Ny text.", encoding="utf-8")
    assert stages.run_all(run, _options(inputs), until="entities") == dict.fromkeys(
        ("ingest", "segment", "entities"), "ran"
    )
    assert rundir.count_rows(rundir.table_path(run, "documents")) == 4


def test_a_deleted_or_changed_table_is_rebuilt(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    stages.run_all(run, _options(inputs), until="entities")
    rundir.table_path(run, "tokens").unlink()
    assert stages.run_stage("segment", run, _options(inputs)) == "ran"
    assert stages.run_stage("entities", run, _options(inputs)) == "ran"


def test_an_interrupted_stage_leaves_no_table_and_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    stages.run_stage("ingest", run, _options(inputs))
    documents_before = rundir.file_sha256(rundir.table_path(run, "documents"))
    real_segment, calls = segment.segment, []

    def dies_on_second_batch(documents, nlp, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_segment(documents, nlp, **kw)

    monkeypatch.setattr(segment, "segment", dies_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        stages.run_stage("segment", run, _options(inputs))
    assert not rundir.table_path(run, "tokens").exists()
    assert not list(run.glob("*.tmp"))
    assert "segment" not in rundir.read_state(run)["stages"]
    assert rundir.file_sha256(rundir.table_path(run, "documents")) == documents_before

    monkeypatch.setattr(segment, "segment", real_segment)
    assert stages.run_stage("ingest", run, _options(inputs)) == "skipped"
    assert stages.run_stage("segment", run, _options(inputs)) == "ran"
    assert rundir.count_rows(rundir.table_path(run, "paragraphs")) == 6


def test_skipped_inputs_are_recorded_and_nothing_readable_is_an_error(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, 1)
    (inputs / "tom.txt").write_text("", encoding="utf-8")
    run = tmp_path / "run"
    stages.run_stage("ingest", run, _options(inputs))
    skipped = rundir.read_state(run)["skipped"]
    assert skipped == [{"path": str(inputs / "tom.txt"), "problem": "empty file"}]

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "tom.txt").write_text("", encoding="utf-8")
    with pytest.raises(stages.NothingToProcess, match="tom.txt: empty file"):
        stages.run_stage("ingest", tmp_path / "run2", _options(empty))


def test_a_stage_without_its_input_names_the_missing_table(tmp_path: Path) -> None:
    with pytest.raises(rundir.RunError, match="documents.parquet does not exist"):
        stages.run_stage("segment", tmp_path / "nothing", stages.Options(quiet=True))


def test_a_corrupt_table_is_reported_with_its_path(tmp_path: Path) -> None:
    inputs, run = _corpus(tmp_path), tmp_path / "run"
    stages.run_stage("ingest", run, _options(inputs))
    rundir.table_path(run, "documents").write_bytes(b"not parquet")
    with pytest.raises(rundir.RunError, match="documents.parquet"):
        rundir.read_table(run, "documents")
