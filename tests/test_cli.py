"""End to end: the `citat` command on data/samples, stage by stage and all at once, and the notebook."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, SHARED

from pipeline.run import store

pytestmark = pytest.mark.slow


def citat(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(f"citat {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = tmp_path_factory.mktemp("demo") / "run"
    citat("run", str(SAMPLES), "--out", str(run), "--quiet")
    return run


def test_help_lists_every_command() -> None:
    out = citat("--help").stdout
    for command in ("ingest", "segment", "entities", "quotes", "people", "export", "run", "train", "evaluate", "bench"):
        assert command in out


def test_run_writes_every_table_and_the_csv_exports(demo_run: Path) -> None:
    for name in ("documents", "paragraphs", "sentences", "tokens", "entities", "quotes", "people", "linked_entities",
                 "linked_quotes"):
        assert store.table_path(demo_run, name).exists(), name
    columns = {
        "quotes": [
            "doc_id",
            "quote_id",
            "kind",
            "quote",
            "start",
            "end",
            "speaker",
            "speaker_mention",
            "cue",
            "relayed_by",
            "person_id",
            "speaker_kind",
            "sentence",
        ],
        "people": ["person_id", "name", "variants", "n_docs", "n_mentions", "n_quotes", "doc_ids"],
        "entities": ["doc_id", "start", "end", "text", "label", "person_id"],
        "documents": ["doc_id", "title", "date", "n_quotes"],
    }
    for name, expected in columns.items():
        with open(demo_run / "export" / f"{name}.csv", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert set(expected) <= set(header), name
    documents = store.read_table(demo_run, "documents")
    assert sorted(documents["doc_id"]) == ["hamnen-varsel", "klimatmote", "kommun-skolor", "putin-minsk"]
    assert documents.set_index("doc_id").loc["putin-minsk", "date"] == "2022-12"


def test_quotes_offsets_point_into_the_documents(demo_run: Path) -> None:
    texts = store.read_table(demo_run, "documents").set_index("doc_id")["text"]
    quotes = store.read_table(demo_run, "quotes")
    assert len(quotes) > 5
    for quote in quotes.itertuples():
        assert texts[quote.doc_id][quote.start : quote.end] == quote.quote


def test_stage_commands_one_by_one_then_a_rerun_skips(tmp_path: Path) -> None:
    run = tmp_path / "run"
    citat("ingest", str(SAMPLES / "kommun-skolor.txt"), "--out", str(run), "-q")
    for stage in ("segment", "entities", "quotes", "people"):
        citat(stage, str(run), "-q")
    citat("export", str(run), "--to", str(tmp_path / "csv"))
    assert (tmp_path / "csv" / "quotes.csv").exists()
    rerun = citat("segment", str(run))
    assert "up to date" in rerun.stderr


def test_nothing_readable_exits_non_zero_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "tom.txt").write_text("", encoding="utf-8")
    result = citat("run", str(tmp_path / "tom.txt"), "--out", str(tmp_path / "run"), "-q", check=False)
    assert result.returncode == 2
    assert "tom.txt: empty file" in result.stderr


def test_a_stage_on_a_missing_run_says_what_to_do(tmp_path: Path) -> None:
    result = citat("quotes", str(tmp_path / "saknas"), check=False)
    assert result.returncode == 2
    assert "no such run directory" in result.stderr and "citat ingest" in result.stderr


@pytest.mark.skipif(not (SHARED / "gold" / "seed-article.jsonl").exists(), reason="needs ../shared")
def test_seed_article_runs_end_to_end(tmp_path: Path) -> None:
    run = tmp_path / "seed"
    citat("run", str(SHARED / "gold" / "seed-article.jsonl"), "--out", str(run), "-q")
    quotes = store.read_table(run, "linked_quotes")
    assert (quotes["speaker"].str.contains("Putin")).sum() >= 5


def _execute_notebook(name: str, env: dict[str, str]) -> list[dict]:
    """Run every cell of notebooks/NAME with the kernel of this environment; returns the code cells' outputs."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(REPO / "notebooks" / name, as_version=4)
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}
        ).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    return outputs


def _images(outputs: list[dict]) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs)


def test_notebook_executes_on_a_run(demo_run: Path) -> None:
    outputs = _execute_notebook("explore_run.ipynb", {"CITAT_RUN": str(demo_run)})
    assert _images(outputs) >= 1                                # the plot is shown inline
    assert any('class="quote' in o.get("data", {}).get("text/html", "") for o in outputs)     # show(...)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpora" / "regeringen").exists(), reason="needs ../shared/corpora/regeringen")
def test_regeringen_notebook_plots_who_is_quoted() -> None:
    outputs = _execute_notebook("regeringen_speakers.ipynb", {
        "CITAT_REGERINGEN": str(SHARED / "corpora" / "regeringen"), "CITAT_SAMPLE": "150"})
    assert _images(outputs) >= 2                                # top speakers and the share of women over time


def _one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_user_errors_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    run = tmp_path / "run"
    citat("ingest", str(SAMPLES / "kommun-skolor.txt"), "--out", str(run), "-q")
    bad_gold = tmp_path / "trasig.jsonl"
    bad_gold.write_text('{"id": "a", "text": "Hej."}\nnot json\n', encoding="utf-8")
    bad_conllu = tmp_path / "trasig.conllu"
    bad_conllu.write_text("inte conllu\n", encoding="utf-8")
    a_file = tmp_path / "en-fil"
    a_file.write_text("x", encoding="utf-8")
    (tmp_path / "tom-state").mkdir()
    (tmp_path / "tom-state" / "run.json").write_text("{}", encoding="utf-8")
    cases = [
        (("run", str(SAMPLES), "--out", str(a_file)), ("en-fil", "is a file, not a run directory")),
        (("run", str(SAMPLES), "--out", str(tmp_path / "tom-state")), ("run.json", "not a run.json of citat")),
        (("run", str(tmp_path / "saknas.txt"), "--out", str(tmp_path / "r")), ("saknas.txt", "does not exist")),
        (("segment", str(run), "--model", str(tmp_path / "ingen-modell")), ("ingen-modell", "no such model directory")),
        (("segment", str(run), "--model", "sv_ingen_modell"), ("sv_ingen_modell", "cannot load")),
        (("segment", str(run), "--segmenter", "nej"), ("unknown segmenter",)),
        (("quotes", str(tmp_path / "ingen-körning")), ("no such run directory",)),
        (("summary", str(tmp_path / "ingen-körning")), ("no run here",)),
        (("export", str(tmp_path / "ingen-körning")), ("does not exist",)),
        (("export", str(run)), ("linked_quotes.parquet does not exist",)),
        (("evaluate", "quotes", "--gold", str(bad_gold)), ("trasig.jsonl", "line 2 is not valid JSON")),
        (("evaluate", "people", "--gold", str(tmp_path / "ingen.jsonl")), ("ingen.jsonl", "does not exist")),
        (("evaluate", "ner", "--gold", str(tmp_path / "ingen.iob2")), ("ingen.iob2", "does not exist")),
        (("evaluate", "ud", "--gold", str(bad_conllu)), ("trasig.conllu", "not a valid CoNLL-U file")),
        (("bench", "--shared", str(tmp_path / "ingen-shared")), ("ingen-shared", "does not exist")),
        (("train", "--shared", str(tmp_path / "ingen-shared")), ("ingen-shared", "does not exist")),
    ]
    for args, words in cases:
        _one_line_error(citat(*args, check=False), *words)


def test_a_bug_is_no_user_error_and_keeps_its_traceback() -> None:
    import typer

    from pipeline.cli import user_errors
    from pipeline.errors import RunError

    @user_errors
    def buggy() -> None:
        raise ValueError("a bug")

    @user_errors
    def user() -> None:
        raise RunError("runs/x: no run here")

    with pytest.raises(ValueError, match="a bug"):
        buggy()
    with pytest.raises(typer.Exit) as exit_info:
        user()
    assert exit_info.value.exit_code == 2
