"""The `citat` command line: parses options and calls the library; no logic of its own.

A user error (`pipeline.errors.CitatError`, or a bad option or path that Click rejects) is printed as one
line, `error: …`, with exit code 2; anything else is a bug and shows its traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

try:                                       # typer 0.24 and later carry their own copy of Click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors

from pipeline.errors import CitatError

app = typer.Typer(
    help="citat: who is mentioned and who said what in Swedish news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
evaluate_app = typer.Typer(help="Measure accuracy against gold data.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")


def _print_version(value: bool) -> None:
    if value:
        from pipeline import __version__

        typer.echo(f"citat {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """citat: who is mentioned and who said what in Swedish news."""

RunDir = Annotated[Path, typer.Argument(help="Run directory holding the tables and run.json.")]
Inputs = Annotated[
    list[Path], typer.Argument(exists=True, help=".txt files, directories of them, .jsonl, .csv or .parquet.")
]
Out = Annotated[Path, typer.Option("--out", "-o", help="Run directory to write.")]
Model = Annotated[str | None, typer.Option(help="spaCy pipeline name or path (default: models/sv_citat).")]
Segmenter = Annotated[
    str,
    typer.Option(
        help="Tokenizer and sentence splitter: spacy (fast everywhere), stanza (with --stanza-dir), "
        "or auto (stanza where installed with Swedish models)."
    ),
]
StanzaDir = Annotated[str | None, typer.Option(help="Stanza resources folder (with --segmenter stanza).")]
Force = Annotated[bool, typer.Option("--force", help="Redo the stage even if it is up to date.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q",
                                     help="No progress bar and no info messages (results are still printed).")]
BatchSize = Annotated[int, typer.Option(min=1, help="Documents per batch.")]
Workers = Annotated[int | None, typer.Option(
    min=1, help="Worker processes for the per-document work (default: one per core, as memory allows).")]
Add = Annotated[bool, typer.Option(
    "--add", help="Add the inputs to the run's documents and process only the new ones (see the README).")]
Replace = Annotated[bool, typer.Option(
    "--replace", help="With --add: a known doc_id with new content replaces the old document (else an error).")]
Scheduler = Annotated[str | None, typer.Option(
    help="Address of a running Dask scheduler (tcp://host:8786): the per-document stages run on its workers.")]
Shared = Annotated[Path, typer.Option(exists=True, file_okay=False, help="The shared folder with corpora/.")]
JsonOut = Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON here.")]
Gold = Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Gold file.")]
GoldRun = Annotated[
    Path | None,
    typer.Option("--run", exists=True, file_okay=False, help="Score this run instead of running the pipeline."),
]


def _setup(quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO, format="%(levelname)s: %(message)s", force=True
    )


def user_errors(command: Callable) -> Callable:
    """Print a CitatError as one line and exit with 2; let every other exception through (it is a bug)."""

    @functools.wraps(command)
    def guarded(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except CitatError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(2) from err

    return guarded


def _options(inputs=None, model=None, segmenter="spacy", stanza_dir=None, force=False, quiet=False, batch_size=100,
             workers=None, scheduler=None, add=False, replace=False):
    from pipeline.run import workers as pools
    from pipeline.run.runner import Options

    _setup(quiet)
    return Options(inputs=list(inputs or []), model=model, segmenter=segmenter, stanza_dir=stanza_dir,
                   force=force, quiet=quiet, batch_size=batch_size,
                   workers=workers or pools.default_workers(), scheduler=scheduler, add=add, replace=replace)


def _stage(name: str, run: Path, options) -> None:
    from pipeline.run import runner

    runner.run_stage(name, run, options)


@app.command()
@user_errors
def ingest(inputs: Inputs, out: Out, add: Add = False, replace: Replace = False, force: Force = False,
           quiet: Quiet = False) -> None:
    """Read articles into RUN/documents.parquet (with --add: beside the documents already there)."""
    _stage("ingest", out, _options(inputs, force=force, quiet=quiet, add=add, replace=replace))


@app.command("segment")
@user_errors
def segment_command(
    run: RunDir,
    model: Model = None,
    segmenter: Segmenter = "spacy",
    stanza_dir: StanzaDir = None,
    batch_size: BatchSize = 100,
    workers: Workers = None,
    scheduler: Scheduler = None,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Paragraphs, sentences and tokens (tags, lemmas, parse) into RUN."""
    options = _options(model=model, segmenter=segmenter, stanza_dir=stanza_dir, force=force, quiet=quiet,
                       batch_size=batch_size, workers=workers, scheduler=scheduler)
    _stage("segment", run, options)


@app.command("entities")
@user_errors
def entities_command(run: RunDir, batch_size: BatchSize = 100, workers: Workers = None, scheduler: Scheduler = None,
                     force: Force = False, quiet: Quiet = False) -> None:
    """Named-entity mentions into RUN/entities.parquet."""
    _stage("entities", run, _options(force=force, quiet=quiet, batch_size=batch_size, workers=workers,
                                   scheduler=scheduler))


@app.command("quotes")
@user_errors
def quotes_command(run: RunDir, batch_size: BatchSize = 100, workers: Workers = None, scheduler: Scheduler = None,
                   force: Force = False, quiet: Quiet = False) -> None:
    """Quotes and their speakers into RUN/quotes.parquet."""
    _stage("quotes", run, _options(force=force, quiet=quiet, batch_size=batch_size, workers=workers,
                                   scheduler=scheduler))


@app.command("people")
@user_errors
def people_command(run: RunDir, batch_size: BatchSize = 100, workers: Workers = None, scheduler: Scheduler = None,
                   force: Force = False, quiet: Quiet = False) -> None:
    """Link mentions and speakers to people across the run: people, linked_entities, linked_quotes."""
    _stage("people", run, _options(force=force, quiet=quiet, batch_size=batch_size, workers=workers,
                                   scheduler=scheduler))


@app.command("copies")
@user_errors
def copies_command(run: RunDir, force: Force = False, quiet: Quiet = False) -> None:
    """Wire copy: near-duplicate documents as stories into RUN/copies.parquet."""
    _stage("copies", run, _options(force=force, quiet=quiet))


@app.command("spread")
@user_errors
def spread_command(run: RunDir, force: Force = False, quiet: Quiet = False) -> None:
    """Quotes that travel between documents: RUN/spread.parquet and RUN/quote_spread.parquet."""
    _stage("spread", run, _options(force=force, quiet=quiet))


@app.command("export")
@user_errors
def export_command(
    run: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Run directory.")],
    to: Annotated[Path | None, typer.Option(help="Folder for the export (replaced as a whole).")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="csv (UTF-8, `,`), excel-csv (BOM, `;`, formulas kept as text), xlsx or parquet.",
    )] = "csv",
) -> None:
    """Write quotes, people, entities, documents and spread (default: RUN/export)."""
    from pipeline import api

    for path in dict.fromkeys(api.export(run, to, format=fmt).values()):
        typer.echo(str(path))


@app.command("show")
@user_errors
def show_command(
    run: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Run directory.")],
    doc_ids: Annotated[list[str] | None, typer.Argument(help="Articles to show (default: all).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the pages (default: RUN/review).")] = None,
) -> None:
    """Write an HTML review: the articles with quotes, speakers, cues and entities marked; open index.html."""
    from pipeline.run import review

    typer.echo(str(review.review_run(run, out, doc_ids)))


@app.command("report")
@user_errors
def report_command(
    run: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Run directory.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML file (default: RUN/report.html).")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many people and organisations to plot.")] = 15,
) -> None:
    """Write one HTML file with plots: who is quoted, the share of women, quotes by kind, month and source."""
    from pipeline.run import summary_report

    typer.echo(str(summary_report.write_report(run, out, top)))


@app.command("run")
@user_errors
def run_command(
    inputs: Inputs,
    out: Out,
    model: Model = None,
    segmenter: Segmenter = "spacy",
    stanza_dir: StanzaDir = None,
    batch_size: BatchSize = 100,
    workers: Workers = None,
    scheduler: Scheduler = None,
    add: Add = False,
    replace: Replace = False,
    force: Force = False,
    quiet: Quiet = False,
) -> None:
    """Every stage in order, then the CSV export; up-to-date stages are skipped. With --add, the inputs
    join the run's documents: only new documents are processed, and people are linked across all."""
    from pipeline import api
    from pipeline.run import report, runner, store

    runner.run_all(out, _options(inputs, model, segmenter, stanza_dir, force, quiet, batch_size, workers, scheduler,
                                 add, replace))
    with store.locked(out):                   # no second citat in RUN while the export is written
        api.export(out)
    typer.echo(report.summary(out))           # the results: printed with --quiet too


@app.command()
@user_errors
def summary(run: RunDir, top: Annotated[int, typer.Option(help="How many people to list.")] = 10) -> None:
    """Print what a run found: counts, skipped inputs and the most quoted people."""
    from pipeline.run import report

    typer.echo(report.summary(run, top))


@app.command()
@user_errors
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
    from pipeline.model import train as train_module

    _setup(quiet)
    scores = train_module.train_models(shared, out, work, seed=seed, quiet=quiet, assemble_only=assemble_only)
    typer.echo(json.dumps(scores, indent=2))


def _report(text: str, path: Path | None, scores: dict) -> None:
    """Print the report; also write its figures as JSON to `path` when given."""
    typer.echo(text)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(scores, indent=2, ensure_ascii=False), encoding="utf-8")


@evaluate_app.command("ud")
@user_errors
def evaluate_ud(
    gold: Gold,
    model: Model = None,
    segmenter: Segmenter = "spacy",
    stanza_dir: StanzaDir = None,
    json_out: JsonOut = None,
) -> None:
    """Sentence and token F1, UPOS, lemma, UAS/LAS against a CoNLL-U file."""
    from pipeline.evaluation import models
    from pipeline.model.loading import load_nlp

    scores = models.evaluate_ud(gold, load_nlp(model, segmenter, stanza_dir))
    _report(models.format_scores(scores), json_out, scores)


@evaluate_app.command("ner")
@user_errors
def evaluate_ner(gold: Gold, model: Model = None, json_out: JsonOut = None) -> None:
    """Span precision, recall and F1 per label against CoNLL-U, .iob2 or `token label` gold."""
    from pipeline.evaluation import models
    from pipeline.model.loading import load_nlp

    scores = models.evaluate_ner(gold, load_nlp(model))
    _report(models.format_scores(scores), json_out, scores)


GoldFiles = Annotated[list[Path], typer.Option("--gold", exists=True, dir_okay=False,
                                               help="Gold JSONL file; repeat for several.")]
Split = Annotated[str, typer.Option(help="Documents to score: all, tune or test (the fixed dev split).")]


@evaluate_app.command("quotes")
@user_errors
def evaluate_quotes(gold: GoldFiles, run: GoldRun = None, model: Model = None, json_out: JsonOut = None,
                    split: Split = "all",
                    details: Annotated[bool, typer.Option(help="List missed, false and wrong quotes.")] = False,
                    folds: Annotated[int, typer.Option(min=0, help="K-fold cross-validation of the learned cues "
                                                                   "(0: use lexicon/learned_cues.txt).")] = 0,
                    ) -> None:
    """Quote P/R/F1, speaker accuracy and attribution F1 against gold JSONL, per file, in total and by kind."""
    from pipeline.evaluation import quotes
    from pipeline.evaluation.runs import check_split, tables_for_gold

    check_split(split)
    _setup(True)
    if folds:
        from pipeline.learn import cross_validate

        if folds < 2 or split != "all" or run is not None:
            raise CitatError("--folds needs K >= 2, the whole gold files (no --split) and no --run")
        result = cross_validate(gold, folds, model)
        _report(f"{folds}-fold cross-validation of the learned cues\n" + quotes.format_many(result, details),
                json_out, result)
    elif len(gold) == 1 and split == "all":
        result = quotes.evaluate_quotes(gold[0], tables_for_gold(gold[0], run, model))
        _report(quotes.format_report(result), json_out, result)
    else:
        result = quotes.evaluate_many([(g, tables_for_gold(g, run, model)) for g in gold], split)
        _report(quotes.format_many(result, details), json_out, result)


@evaluate_app.command("people")
@user_errors
def evaluate_people(gold: GoldFiles, run: GoldRun = None, model: Model = None, json_out: JsonOut = None,
                    split: Split = "all") -> None:
    """Person P/R/F1 per gold file with the false and missed people, gender accuracy, pronoun-speaker accuracy."""
    from pipeline.evaluation import people
    from pipeline.evaluation.runs import check_split, tables_for_gold

    check_split(split)
    _setup(True)
    if len(gold) == 1:
        result = people.evaluate_people(gold[0], tables_for_gold(gold[0], run, model), split)
        _report(people.format_report(result), json_out, result)
    else:
        result = people.evaluate_many([(g, tables_for_gold(g, run, model)) for g in gold], split)
        _report(people.format_many(result), json_out, result)


@evaluate_app.command("registry")
@user_errors
def evaluate_registry(run: RunDir, json_out: JsonOut = None) -> None:
    """Checks of the people registry that need no gold: names never spelled, counts, unlinked quotes."""
    from pipeline.evaluation import registry

    result = registry.check_run(run)
    _report(registry.format_checks(result), json_out, result)


@evaluate_app.command("copies")
@user_errors
def evaluate_copies(shared: Shared = Path("../shared"), json_out: JsonOut = None) -> None:
    """Wire-copy detection (the copies stage's rule) on the labelled regeringen pairs of data/dev/, by half."""
    _evaluate_pairs("copies", shared, json_out)


@evaluate_app.command("spread")
@user_errors
def evaluate_spread(shared: Shared = Path("../shared"), json_out: JsonOut = None) -> None:
    """Quote spread (the spread stage's same-statement rule) on the labelled regeringen pairs of data/dev/."""
    _evaluate_pairs("spread", shared, json_out)


def _evaluate_pairs(what: str, shared: Path, json_out: Path | None) -> None:
    from pipeline.evaluation import spread

    result = spread.evaluate_copies(shared) if what == "copies" else spread.evaluate_spread(shared)
    _report(spread.format_scores(result), json_out, result)


@evaluate_app.command("stance")
@user_errors
def evaluate_stance(model: Model = None, json_out: JsonOut = None) -> None:
    """The word-vector class of unlisted cues, each verb of cue_stance.txt left out in turn."""
    from pipeline.model.loading import load_nlp
    from pipeline.stages.quotes.stance import leave_one_out, model_vectors

    vectors = model_vectors(load_nlp(model))
    if vectors is None:
        raise CitatError(f"{model or 'the default model'}: has no word vectors")
    result = leave_one_out(vectors)
    _report(json.dumps(result, indent=2, ensure_ascii=False), json_out, result)


learn_app = typer.Typer(help="Learn the data-driven parts of the rules from gold files.", no_args_is_help=True)
app.add_typer(learn_app, name="learn")


@learn_app.command("cues")
@user_errors
def learn_cues(gold: GoldFiles, model: Model = None, split: Split = "tune") -> None:
    """Count which verbs report speech (their att/om clause is a gold quote) into pipeline/lexicon/learned_cues.txt."""
    from pipeline.evaluation.runs import check_split
    from pipeline.learn import learn_cues as learn

    check_split(split)
    _setup(True)
    path, counts = learn(gold, split, model)
    hits = sum(n for (_, what), n in counts.items() if what == "hit")
    typer.echo(f"{path}: {len({k for k, _ in counts})} verbs, {hits} hits")


@app.command()
@user_errors
def bench(
    shared: Shared = Path("../shared"),
    model: Model = None,
    words: Annotated[int, typer.Option(min=1, help="Words of text to process.")] = 50_000,
    repeat: Annotated[int, typer.Option(min=1, help="Runs over the text; words_per_s is their median.")] = 1,
    json_out: JsonOut = None,
    whole: Annotated[bool, typer.Option("--whole", help="The bare model, then `citat run` with each --workers, "
                                        "on the same documents.")] = False,
    corpus: Annotated[str, typer.Option(help="With --whole: regeringen or absabank.")] = "regeringen",
    documents: Annotated[int | None, typer.Option(min=1, help="With --whole: the first N documents.")] = None,
    repeat_to: Annotated[int | None, typer.Option(
        min=1, help="With --whole: repeat the documents (new ids) up to this many.")] = None,
    workers: Annotated[list[int] | None, typer.Option(
        min=1, help="With --whole: worker counts to run (repeatable; default 1 and 2).")] = None,
    batch_size: BatchSize = 100,
    baseline: Annotated[bool, typer.Option(help="With --whole: also time the bare model.")] = True,
) -> None:
    """Words per second and peak memory: of the spaCy pipeline on absabank-imm text, or with --whole of
    the whole run against the bare model."""
    if whole:
        from pipeline.run import bench as whole_bench

        _setup(True)
        report = whole_bench.run_whole_benchmark(shared, corpus, documents, repeat_to, tuple(workers or (1, 2)),
                                                 model, batch_size, baseline)
        _report(whole_bench.format_whole(report), json_out, report)
        return
    from pipeline.model import bench as bench_module

    _setup(True)
    result = bench_module.run_benchmark(shared, model=model, max_words=words, repeat=repeat)
    _report(json.dumps(result, indent=2), json_out, result)


def main(argv: list[str] | None = None) -> int:
    """The console script: Click's own usage errors (a missing file, a bad option) as one line, exit code 2."""
    try:
        code = app(args=argv, standalone_mode=False)
    except click_errors.NoArgsIsHelpError:      # the help has been printed
        return 2
    except click_errors.UsageError as err:
        hint = f" (see `{err.ctx.command_path} --help`)" if err.ctx else ""
        typer.echo(f"error: {err.format_message()}{hint}", err=True)
        return 2
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        return 1
    except click_errors.ClickException as err:
        typer.echo(f"error: {err.format_message()}", err=True)
        return err.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
