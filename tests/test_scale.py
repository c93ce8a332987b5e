"""Workers, partitions, Dask and incremental runs: the same tables however a run is made (issue 16)."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, SAMPLES, SHARED

from pipeline.errors import InputError
from pipeline.run import incremental, partitions, runner, store, workers

REGERINGEN = SHARED / "corpora" / "regeringen" / "regeringen-2014-2024.jsonl.gz"


def _tables(run: Path) -> dict[str, pd.DataFrame]:
    return {path.stem: store.read_table(run, path.stem) for path in sorted(run.glob("*.parquet"))}


def assert_same_tables(run: Path, reference: Path, ignore: tuple[str, ...] = ()) -> None:
    ours, theirs = _tables(run), _tables(reference)
    assert set(ours) == set(theirs)
    for name, frame in theirs.items():
        columns = [c for c in frame.columns if c not in ignore]
        pd.testing.assert_frame_equal(ours[name][columns], frame[columns], obj=name)


def _articles(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


ARTICLES = {
    "a1": "Hamnen stänger\n\nKarin Ek, vd för Hamnbolaget, säger att hamnen stänger i höst.\n\n"
          "– Vi har inget val, säger hon.",
    "a2": "Skolan byggs om\n\nEnligt kommunen byggs skolan om. Lars Holm menar att det tar två år.",
    "a3": "Tåget var sent\n\n”Det blev fel i signalsystemet”, sade Anna Berg på Trafikverket till TT.",
    "a4": "Priserna stiger\n\nPutin sade i går att priserna stiger. Han lovade att lönerna följer med.",
}


def _regeringen(path: Path, count: int) -> Path:
    with gzip.open(REGERINGEN, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in itertools.islice(handle, count)]
    path.write_text("".join(json.dumps({k: r[k] for k in ("id", "text", "date", "title")}, ensure_ascii=False) + "\n"
                            for r in rows), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------ partitions

def test_partitions_merge_in_their_order_whatever_order_they_were_written_in(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    parts = partitions.Partitions(run, "quotes", ("paragraphs",), "k1")
    parts.open()
    batches = {n: [f"d{2 * n}", f"d{2 * n + 1}"] for n in range(3)}
    for n in (2, 0, 1):
        frame = pd.DataFrame({"doc_id": batches[n], "paragraph_id": [0, 0], "start": [0, 0], "end": [2, 2],
                              "text": ["ab", "cd"], "kind": ["body", "body"]})
        parts.write(n, batches[n], [{"paragraphs": frame}])
    assert parts.is_done(1, batches[1]) and not parts.is_done(1, ["d2", "x"])
    parts.merge(run, 3)
    assert store.read_table(run, "paragraphs")["doc_id"].tolist() == [f"d{n}" for n in range(6)]
    assert not (run / partitions.PARTS_DIR).exists()


def test_parts_of_another_fingerprint_are_removed(tmp_path: Path) -> None:
    old = partitions.Partitions(tmp_path, "segment", ("tokens",), "old")
    old.open()
    (old.folder / "000000.done").write_text("x")
    partitions.Partitions(tmp_path, "segment", ("tokens",), "new").open()
    assert not old.folder.exists()


def test_a_stage_stopped_mid_way_keeps_its_finished_partitions(tmp_path: Path, monkeypatch) -> None:
    articles = _articles(tmp_path / "in", ARTICLES)
    reference = tmp_path / "reference"
    runner.run_all(reference, runner.Options(inputs=[articles], quiet=True, batch_size=1))
    run = tmp_path / "run"
    runner.run_all(run, runner.Options(inputs=[articles], quiet=True, batch_size=1), until="entities")
    real, calls = partitions.Partitions.write, []

    def dying(self, index, doc_ids, parts):
        calls.append(index)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed")
        real(self, index, doc_ids, parts)

    monkeypatch.setattr(partitions.Partitions, "write", dying)
    with pytest.raises(KeyboardInterrupt):
        runner.run_stage("quotes", run, runner.Options(quiet=True, batch_size=1))
    monkeypatch.undo()
    redone = []
    monkeypatch.setattr(partitions.Partitions, "write",
                        lambda self, index, ids, parts: redone.append(index) or real(self, index, ids, parts))
    runner.run_all(run, runner.Options(inputs=[articles], quiet=True, batch_size=1))
    assert sorted(redone) == [2, 3]               # 0 and 1 were done before the stop
    assert store.read_state(run)["stages"]["quotes"]["partitions"] == {"total": 4, "kept": 2}
    assert_same_tables(run, reference)


# ------------------------------------------------------------------------------------ workers

def test_the_default_number_of_workers_is_at_least_one() -> None:
    assert 1 <= workers.default_workers() <= 1024


@pytest.mark.slow
def test_two_worker_processes_give_the_tables_of_one_process(tmp_path: Path) -> None:
    articles = _articles(tmp_path / "in", ARTICLES)
    one, two = tmp_path / "one", tmp_path / "two"
    runner.run_all(one, runner.Options(inputs=[SAMPLES, articles], quiet=True, batch_size=2))
    runner.run_all(two, runner.Options(inputs=[SAMPLES, articles], quiet=True, batch_size=2, workers=2))
    assert_same_tables(two, one)
    assert store.read_state(two)["stages"]["segment"]["workers"] == 2


@pytest.mark.slow
def test_a_run_killed_mid_way_resumes_without_redoing_finished_partitions(tmp_path: Path) -> None:
    if not REGERINGEN.exists():
        pytest.skip(f"needs {REGERINGEN}")
    corpus = _regeringen(tmp_path / "reg.jsonl", 160)
    run, reference = tmp_path / "run", tmp_path / "reference"
    code = ("import sys; from pathlib import Path; from pipeline.run import runner\n"
            "if __name__ == '__main__':\n"
            "    runner.run_all(Path(sys.argv[2]), runner.Options(inputs=[Path(sys.argv[1])], quiet=True, "
            "batch_size=20, workers=2))")
    process = subprocess.Popen([sys.executable, "-c", code, str(corpus), str(run)], cwd=REPO, start_new_session=True)
    deadline = time.monotonic() + 240
    while len(list(run.glob(".parts/segment/*/*.done"))) < 2 and time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)                   # the run and its workers
    process.wait()
    assert process.returncode == -signal.SIGKILL
    runner.run_all(run, runner.Options(inputs=[corpus], quiet=True, batch_size=20, workers=2))
    assert store.read_state(run)["stages"]["segment"]["partitions"]["kept"] >= 2
    runner.run_all(reference, runner.Options(inputs=[corpus], quiet=True, batch_size=20))
    assert_same_tables(run, reference)


@pytest.mark.slow
def test_a_local_dask_cluster_gives_the_tables_of_one_process(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    if not REGERINGEN.exists():
        pytest.skip(f"needs {REGERINGEN}")
    inputs = [SAMPLES, _regeringen(tmp_path / "reg.jsonl", 300)]
    one, cluster_run = tmp_path / "one", tmp_path / "dask"
    runner.run_all(one, runner.Options(inputs=inputs, quiet=True, batch_size=50))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        options = runner.Options(inputs=inputs, quiet=True, batch_size=50, scheduler=cluster.scheduler_address)
        runner.run_all(cluster_run, options)
    assert_same_tables(cluster_run, one)
    assert store.read_state(cluster_run)["stages"]["quotes"]["workers"] == 2


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from pipeline.errors import CitatError

    with pytest.raises(CitatError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        workers.DaskPool("tcp://127.0.0.1:9", timeout="1s")


# ------------------------------------------------------------------------------------ incremental runs

def test_added_documents_give_the_tables_of_a_run_of_them_all(tmp_path: Path) -> None:
    first = _articles(tmp_path / "day1", {k: ARTICLES[k] for k in ("a1", "a2")})
    second = _articles(tmp_path / "day2", {k: ARTICLES[k] for k in ("a3", "a4")})
    run, reference = tmp_path / "run", tmp_path / "reference"
    runner.run_all(run, runner.Options(inputs=[first], quiet=True))
    outcome = runner.run_all(run, runner.Options(inputs=[second], quiet=True, add=True))
    assert outcome == {"ingest": "ran", "segment": "ran", "entities": "ran", "quotes": "ran", "people": "ran",
                       "copies": "ran", "spread": "ran"}
    state = store.read_state(run)
    assert state["stages"]["segment"]["extended"] == 2
    assert state["stages"]["ingest"]["additions"][-1] == dict(state["stages"]["ingest"]["additions"][-1],
                                                              added=2, replaced=0, unchanged=0)
    runner.run_all(reference, runner.Options(inputs=[first, second], quiet=True))
    assert_same_tables(run, reference, ignore=("path",))
    again = runner.run_all(run, runner.Options(inputs=[second], quiet=True, add=True))
    assert set(again.values()) == {"skipped"}                  # same ids, same content: nothing to do


def test_a_known_id_with_new_content_is_an_error_unless_replaced(tmp_path: Path) -> None:
    first = _articles(tmp_path / "day1", {k: ARTICLES[k] for k in ("a1", "a2", "a3")})
    changed = _articles(tmp_path / "day2", {"a2": ARTICLES["a2"].replace("två år", "tre år"), "a4": ARTICLES["a4"]})
    run = tmp_path / "run"
    runner.run_all(run, runner.Options(inputs=[first], quiet=True))
    before = {path.name: store.file_sha256(path) for path in run.glob("*.parquet")}
    with pytest.raises(InputError, match=r"day2/a2.txt: 1 document\(s\) already in the run have new content \('a2'\)"):
        runner.run_all(run, runner.Options(inputs=[changed], quiet=True, add=True))
    assert {path.name: store.file_sha256(path) for path in run.glob("*.parquet")} == before
    runner.run_all(run, runner.Options(inputs=[changed], quiet=True, add=True, replace=True))
    documents = store.read_table(run, "documents")
    assert documents["doc_id"].tolist() == ["a1", "a3", "a2", "a4"]
    assert "tre år" in documents["text"].iloc[2]
    reference_input = tmp_path / "all.jsonl"
    reference_input.write_text("".join(json.dumps({"id": d, "text": t}, ensure_ascii=False) + "\n"
                                       for d, t in zip(documents["doc_id"], documents["text"], strict=True)))
    reference = tmp_path / "reference"
    runner.run_all(reference, runner.Options(inputs=[reference_input], quiet=True))
    assert_same_tables(run, reference, ignore=("path",))


def test_a_stage_whose_code_changed_runs_again_over_everything_after_an_addition(tmp_path: Path) -> None:
    run = tmp_path / "run"
    runner.run_all(run, runner.Options(inputs=[_articles(tmp_path / "day1", {"a1": ARTICLES["a1"]})], quiet=True))
    runner.run_all(run, runner.Options(inputs=[_articles(tmp_path / "day2", {"a2": ARTICLES["a2"]})], quiet=True,
                                       add=True), until="ingest")
    state = store.read_state(run)
    declared = runner.stages()["segment"]
    parts = runner.fingerprint_parts(declared, state, runner.Options())
    assert incremental.extension_of(declared, state, parts, run) == incremental.Extension((), 1)
    assert incremental.extension_of(declared, state, dict(parts, code="other"), run) is None


def test_sorting_new_documents_by_what_the_run_has() -> None:
    old = incremental.content_digests(pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "title": [None, "T"],
                                                    "date": [None, None], "url": [None, None],
                                                    "source": [None, None], "body_start": [0, 0]}))
    new = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["x", "y2", "z"], "title": [None, "T", None],
                        "date": [None] * 3, "url": [None] * 3, "source": [None] * 3, "body_start": [0] * 3,
                        "path": ["n.jsonl"] * 3})
    appended, replaced, unchanged = incremental.sort_new(new, old, replace=True)
    assert appended["doc_id"].tolist() == ["b", "c"] and replaced == ["b"] and unchanged == 1
    with pytest.raises(InputError, match="n.jsonl: 1 document"):
        incremental.sort_new(new, old, replace=False)


def test_an_addition_stopped_before_its_table_is_in_place_is_finished(tmp_path: Path, monkeypatch) -> None:
    first = _articles(tmp_path / "day1", {"a1": ARTICLES["a1"]})
    second = _articles(tmp_path / "day2", {"a2": ARTICLES["a2"]})
    run, reference = tmp_path / "run", tmp_path / "reference"
    runner.run_all(run, runner.Options(inputs=[first], quiet=True))
    real = incremental.os.replace

    def stopped(source, target):
        if Path(source).name == "documents.pending.parquet":
            raise KeyboardInterrupt("killed")
        real(source, target)

    monkeypatch.setattr(incremental.os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        runner.run_all(run, runner.Options(inputs=[second], quiet=True, add=True))
    monkeypatch.undo()
    runner.run_all(run, runner.Options(inputs=[second], quiet=True, add=True))
    runner.run_all(reference, runner.Options(inputs=[first, second], quiet=True))
    assert_same_tables(run, reference, ignore=("path",))
    assert not incremental.pending_path(run).exists()


def test_an_addition_to_a_changed_documents_table_and_odd_options_are_refused(tmp_path: Path) -> None:
    from pipeline.errors import RunError

    run = tmp_path / "run"
    day1 = _articles(tmp_path / "day1", {"a1": ARTICLES["a1"]})
    runner.run_all(run, runner.Options(inputs=[day1], quiet=True), until="ingest")
    with pytest.raises(InputError, match="--replace goes with --add"):
        runner.run_stage("ingest", run, runner.Options(inputs=[day1], quiet=True, replace=True))
    store.write_table(run, "documents", store.read_table(run, "documents").head(0))
    with pytest.raises(RunError, match="documents.parquet: missing, damaged or changed"):
        runner.run_stage("ingest", run, runner.Options(inputs=[day1], quiet=True, add=True))


def test_a_worker_that_dies_is_one_run_error() -> None:
    from pipeline.errors import RunError

    pool = workers.LocalPool(1)
    try:
        with pytest.raises(RunError, match="a worker process died"):
            list(workers.in_order(pool, [(0, (3,))], os._exit))
    finally:
        pool.close()


def test_documents_from_a_row_on_come_in_whole_batches(tmp_path: Path) -> None:
    from conftest import documents_from_texts

    run = tmp_path / "run"
    run.mkdir()
    documents = documents_from_texts({f"d{n}": f"Text {n}." for n in range(23)})
    with store.table_writer(run, "documents") as write:
        for start in range(0, 23, 5):                        # row groups of five
            write(documents.iloc[start : start + 5])
    batches = [b["doc_id"].tolist() for b in store.iter_documents(run, 4, skip=7)]
    assert batches == [[f"d{n}" for n in range(s, min(s + 4, 23))] for s in range(7, 23, 4)]
    reader = store.TableReader(run, "documents", [f"d{n}" for n in range(23)])
    reader.skip_to({"d12", "d13"})
    assert reader.take(["d12", "d13"])["doc_id"].tolist() == ["d12", "d13"]
