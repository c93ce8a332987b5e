"""The `citat` command line: parses options and calls the library; no logic of its own."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from pipeline import export as export_module
from pipeline import report, stages
from pipeline.rundir import RunError
from pipeline.schema import SchemaError

app = typer.Typer(
    help="citat: who is mentioned and who said what in Swedish news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
evaluate_app = typer.Typer(help="Measure accuracy against gold data.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")

RunDir = Annotated[Path, typer.Argument(help="Run directory holding the tables and run.json.")]
Inputs = Annotated[list[Path], typer.Argument(help=".txt files, directories of them, .jsonl, .csv or .parquet.")]
Out = Annotated[Path, typer.Option("--out", "-o", help="Run directory to write.")]
Model = Annotated[str | None, typer.Option(help="spaCy pipeline name or path (default: models/sv_citat).")]
Segmenter = Annotated[
    str,
    typer.Option(
        help="Tokenizer and sentence splitter: spacy, stanza, or auto (stanza where installed with Swedish models)."
    ),
]
StanzaDir = Annotated[str | None, typer.Option(help="Stanza resources folder (with --segmenter stanza).")]
Force = Annotated[bool, typer.Option("--force", help="Redo the stage even if it is up to date.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no info messages.")]
BatchSize = Annotated[int, typer.Option(help="Documents per batch.")]
Shared = Annotated[Path, typer.Option(help="The shared data folder with corpora/ and heldout/.")]
JsonOut = Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON here.")]
Gold = Annotated[Path, typer.Option(help="Gold file.")]


def _setup(quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO, format="%(levelname)s: %(message)s", force=True
    )


def _options(
    inputs=None, model=None, segmenter="auto", stanza_dir=None, force=False, quiet=False, batch_size=200
) -> stages.Options:
    _setup(quiet)
    return stages.Options(
        inputs=list(inputs or []),
        model=model,
        segmenter=segmenter,
        stanza_dir=stanza_dir,
        force=force,
        quiet=quiet,
        batch_size=batch_size,
    )


def _guarded(action):
    """Turn the library's expected errors into one clear message and a non-zero exit code."""
    try:
        return action()
    except stages.NothingToProcess as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    except (RunError, SchemaError, ValueError, FileNotFoundError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from err


@app.command()
def ingest(inputs: Inputs, out: Out, force: Force = False, quiet: Quiet = False) -> None:
    """Read articles into RUN/documents.parquet."""
    options = _options(inputs, force=force, quiet=quiet)
    _guarded(lambda: stages.run_stage("ingest", out, options))


@app.command("segment")
def segment_command(
    run: RunDir,
    model: Model = None,
    segmenter: Segmenter = "auto",
    stanza_dir: StanzaDir = None,
    batch_size: BatchSize = 200,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Paragraphs, sentences and tokens (tags, lemmas, parse) into RUN."""
    options = _options(
        model=model, segmenter=segmenter, stanza_dir=stanza_dir, force=force, quiet=quiet, batch_size=batch_size
    )
    _guarded(lambda: stages.run_stage("segment", run, options))


@app.command("entities")
def entities_command(run: RunDir, batch_size: BatchSize = 200, force: Force = False, quiet: Quiet = False) -> None:
    """Named-entity mentions into RUN/entities.parquet."""
    _guarded(lambda: stages.run_stage("entities", run, _options(force=force, quiet=quiet, batch_size=batch_size)))


@app.command("quotes")
def quotes_command(run: RunDir, batch_size: BatchSize = 200, force: Force = False, quiet: Quiet = False) -> None:
    """Quotes and their speakers into RUN/quotes.parquet."""
    _guarded(lambda: stages.run_stage("quotes", run, _options(force=force, quiet=quiet, batch_size=batch_size)))


@app.command("people")
def people_command(run: RunDir, force: Force = False, quiet: Quiet = False) -> None:
    """Link mentions and speakers to people across the run: RUN/people.parquet."""
    _guarded(lambda: stages.run_stage("people", run, _options(force=force, quiet=quiet)))


@app.command("export")
def export_command(
    run: RunDir,
    to: Annotated[Path | None, typer.Option(help="Folder for the CSV files.")] = None,
) -> None:
    """Write quotes.csv, people.csv and entities.csv (default: RUN/export)."""
    written = _guarded(lambda: export_module.export_run(run, to))
    for path in written.values():
        typer.echo(str(path))


@app.command("run")
def run_command(
    inputs: Inputs,
    out: Out,
    model: Model = None,
    segmenter: Segmenter = "auto",
    stanza_dir: StanzaDir = None,
    batch_size: BatchSize = 200,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Every stage in order, then the CSV export; up-to-date stages are skipped."""
    options = _options(inputs, model, segmenter, stanza_dir, force, quiet, batch_size)
    _guarded(lambda: stages.run_all(out, options))
    _guarded(lambda: export_module.export_run(out))
    if not quiet:
        typer.echo(report.summary(out))


@app.command()
def summary(run: RunDir, top: Annotated[int, typer.Option(help="How many people to list.")] = 10) -> None:
    """Print what a run found: counts, skipped inputs and the most quoted people."""
    typer.echo(_guarded(lambda: report.summary(run, top)))


@app.command()
def train(
    shared: Shared = Path("../shared"),
    out: Annotated[Path, typer.Option(help="Where the model goes.")] = Path("models/sv_citat"),
    work: Annotated[Path, typer.Option(help="Folder for converted corpora.")] = Path("training"),
    seed: int = 0,
    assemble_only: Annotated[bool, typer.Option(
        help="Skip conversion and training; assemble the runs already in WORK/runs.")] = False,
    quiet: Quiet = False,
) -> None:
    """Train the default Swedish pipeline from SHARED/corpora into models/sv_citat."""
    from pipeline import train as train_module

    _setup(quiet)
    scores = train_module.train_models(shared, out, work, seed=seed, quiet=quiet, assemble_only=assemble_only)
    typer.echo(json.dumps(scores, indent=2))


def _write_json(path: Path | None, scores: dict) -> None:
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(scores, indent=2, ensure_ascii=False), encoding="utf-8")


@evaluate_app.command("ud")
def evaluate_ud(
    gold: Gold,
    model: Model = None,
    segmenter: Segmenter = "auto",
    stanza_dir: StanzaDir = None,
    json_out: JsonOut = None,
) -> None:
    """Sentence and token F1, UPOS, lemma, UAS/LAS against a CoNLL-U file."""
    from pipeline import evaluate_models, nlp

    scores = evaluate_models.evaluate_ud(gold, nlp.load_nlp(model, segmenter, stanza_dir))
    typer.echo(evaluate_models.format_scores(scores))
    _write_json(json_out, scores)


@evaluate_app.command("ner")
def evaluate_ner(gold: Gold, model: Model = None, json_out: JsonOut = None) -> None:
    """Span precision, recall and F1 per label against CoNLL-U, .iob2 or `token label` gold."""
    from pipeline import evaluate_models, nlp

    scores = evaluate_models.evaluate_ner(gold, nlp.load_nlp(model))
    typer.echo(evaluate_models.format_scores(scores))
    _write_json(json_out, scores)


GoldRun = Annotated[
    Path | None, typer.Option("--run", help="Score this run instead of running the pipeline on the gold texts.")
]


def _score_gold(
    module_name: str, function: str, gold: Path, run: Path | None, model: str | None, json_out: Path | None
) -> None:
    """Score a run (or a fresh run over the gold texts) with `pipeline.<module_name>.<function>`."""
    import importlib

    from pipeline import evaluation_runs

    module = importlib.import_module(f"pipeline.{module_name}")
    _setup(True)
    tables = _guarded(lambda: evaluation_runs.tables_for_gold(gold, run, model))
    result = getattr(module, function)(gold, tables)
    typer.echo(module.format_report(result))
    _write_json(json_out, result)


@evaluate_app.command("quotes")
def evaluate_quotes(gold: Gold, run: GoldRun = None, model: Model = None, json_out: JsonOut = None) -> None:
    """Quote P/R/F1, speaker accuracy and attribution F1 against gold JSONL."""
    _score_gold("evaluate_quotes", "evaluate_quotes", gold, run, model, json_out)


@evaluate_app.command("people")
def evaluate_people(gold: Gold, run: GoldRun = None, model: Model = None, json_out: JsonOut = None) -> None:
    """Person P/R/F1 and pronoun-speaker accuracy against gold JSONL."""
    _score_gold("evaluate_people", "evaluate_people", gold, run, model, json_out)


@app.command()
def bench(
    shared: Shared = Path("../shared"),
    model: Model = None,
    words: Annotated[int, typer.Option(help="Words of text to process.")] = 50_000,
    repeat: Annotated[int, typer.Option(help="Runs over the text; words_per_s is their median.")] = 1,
    json_out: JsonOut = None,
) -> None:
    """Words per second and peak memory of the whole default pipeline on real text (absabank-imm)."""
    from pipeline import bench as bench_module

    _setup(True)
    result = bench_module.run_benchmark(shared, model=model, max_words=words, repeat=repeat)
    typer.echo(json.dumps(result, indent=2))
    _write_json(json_out, result)


if __name__ == "__main__":
    app()
