"""What users hand on and look at: the export formats, the HTML review (in a real headless browser), the
report, the Python API (`show`), `--version` and `-q`.

The browser tests need Debian's `chromium` (`.ci/run` installs it): without it they are skipped, except
under CI (`CI=true`), where they fail. `CITAT_SCREENSHOTS=docs` also writes the README's screenshots
(docs/review.png, docs/report.png).
"""

from __future__ import annotations

import csv
import errno
import html.parser
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, SAMPLES

from pipeline import cli
from pipeline.run import export, review, spans, summary_report, views

HOSTILE = {"doc_id": "=cmd|' /C calc'!A0", "title": '=HYPERLINK("http://evil.example/","klicka")',
           "source": "@SUM(A1)", "speaker": "+1+1", "tab": "\tcmd", "minus": "-2+3"}


# ------------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """A run over data/samples given as JSONL with title, url and source, made with `citat run -q`."""
    folder = tmp_path_factory.mktemp("outputs")
    lines = []
    for n, path in enumerate(sorted(SAMPLES.glob("*.txt"))):
        lines.append(json.dumps({"id": path.stem, "title": f"Rubrik {path.stem}", "url": f"https://example.se/{n}",
                                 "source": "TT" if n % 2 else "Exempelbladet",
                                 "text": path.read_text(encoding="utf-8")}, ensure_ascii=False))
    (folder / "samples.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = folder / "run"
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(folder / "samples.jsonl"), "--out",
                             str(run), "-q"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return run, result


@pytest.fixture(scope="module")
def run_dir(demo: tuple[Path, subprocess.CompletedProcess]) -> Path:
    return demo[0]


@pytest.fixture(scope="module")
def tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    return views.read_tables(run_dir)


def hostile_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The run's tables with cells a spreadsheet would run as formulas (issue 18, row 10)."""
    out = {name: frame.copy() for name, frame in tables.items()}
    first = out["documents"]["doc_id"].iloc[0]
    for frame in out.values():
        if "doc_id" in frame.columns:
            frame["doc_id"] = frame["doc_id"].replace(first, HOSTILE["doc_id"])
    out["documents"]["title"] = out["documents"]["title"].astype(object)
    out["documents"].loc[0, ["title", "source"]] = [HOSTILE["title"], HOSTILE["source"]]
    out["quotes"].loc[0, ["speaker", "cue"]] = [HOSTILE["speaker"], HOSTILE["tab"]]
    out["people"].loc[0, "name"] = HOSTILE["minus"]
    return out


# -------------------------------------------------------------------------------------- export

@pytest.mark.slow
def test_quotes_export_gains_article_speaker_kind_role_and_sentence(tables: dict[str, pd.DataFrame]) -> None:
    quotes = views.quotes_view(tables)
    for column in ("title", "date", "url", "article_source", "speaker_kind", "speaker_role", "sentence", "relayed_by"):
        assert column in quotes.columns, column
    assert "source" not in quotes.columns                    # the outlet is `relayed_by`, not the article's source
    assert set(quotes["speaker_kind"]) <= set(views.KINDS)
    putin = quotes[quotes["speaker"] == "Putin"]
    assert (putin["speaker_kind"] == "person").all() and (putin["speaker_role"] == "president").all()
    assert "Reuters" in set(putin["relayed_by"].dropna())
    assert set(quotes.loc[quotes["speaker"] == "ISW", "speaker_kind"]) == {"organisation"}
    assert set(quotes.loc[quotes["speaker"] == "Andra", "speaker_kind"]) == {"group"}
    assert quotes["title"].str.startswith("Rubrik ").all() and quotes["url"].str.startswith("https://").all()
    assert set(quotes["article_source"]) <= {"TT", "Exempelbladet"}
    with_sentence = quotes.dropna(subset=["sentence"])
    assert len(with_sentence) == len(quotes)
    assert all(q.quote in q.sentence for q in with_sentence.itertuples())


@pytest.mark.slow
def test_people_export_lists_the_articles_of_each_person(tables: dict[str, pd.DataFrame]) -> None:
    people = views.people_view(tables).set_index("name")
    assert people.loc["Putin", "doc_ids"] == "putin-minsk"
    assert people.loc["Eva Sandberg", "doc_ids"] == "klimatmote"
    documents = views.documents_view(tables)
    assert "text" not in documents.columns
    assert documents["n_quotes"].sum() == len(tables["quotes"])
    assert (documents["n_direct"] + documents["n_indirect"] + documents["n_mixed"] == documents["n_quotes"]).all()


@pytest.mark.slow
def test_columns_the_people_table_already_has_are_used_not_recomputed(tables: dict[str, pd.DataFrame]) -> None:
    people = tables["people"].assign(kind="group", role="talesperson", doc_ids="från-tabellen")
    extended = {**tables, "people": people}
    quotes = views.quotes_view(extended)
    linked = quotes["person_id"].isin(people["person_id"])
    assert (quotes.loc[linked, "speaker_kind"] == "group").all()
    assert (quotes.loc[linked, "speaker_role"] == "talesperson").all()
    assert (views.people_view(extended)["doc_ids"] == "från-tabellen").all()


@pytest.mark.slow
def test_every_format_is_written(run_dir: Path, tmp_path: Path) -> None:
    for fmt in export.FORMATS:
        written = export.export_run(run_dir, tmp_path / fmt, fmt)
        assert set(written) == {"quotes", "people", "entities", "documents", "spread"}
        assert all(path.exists() for path in written.values()), fmt
    parquet = pd.read_parquet(tmp_path / "parquet" / "documents.parquet")
    assert "text" in parquet.columns                          # the Parquet export keeps the article text
    assert "relayed_by" in pd.read_parquet(tmp_path / "parquet" / "quotes.parquet").columns
    with open(tmp_path / "csv" / "quotes.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:4] == ["doc_id", "quote_id", "kind", "quote"] and "relayed_by" in header


@pytest.mark.slow
def test_plain_csv_is_byte_faithful_and_excel_csv_keeps_formulas_as_text(tables: dict, tmp_path: Path) -> None:
    hostile = hostile_tables(tables)
    export.export_tables(hostile, tmp_path / "plain", "csv")
    export.export_tables(hostile, tmp_path / "excel", "excel-csv")
    raw = (tmp_path / "plain" / "documents.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.startswith(b"doc_id,title,")
    plain = pd.read_csv(tmp_path / "plain" / "documents.csv", dtype=str, keep_default_na=False)
    assert plain.loc[0, "doc_id"] == HOSTILE["doc_id"] and plain.loc[0, "title"] == HOSTILE["title"]
    raw = (tmp_path / "excel" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdoc_id;title;") and b"\r\n" in raw
    rows = {}
    for name in ("documents", "quotes", "people", "entities"):
        text = (tmp_path / "excel" / f"{name}.csv").read_text(encoding="utf-8-sig")
        rows[name] = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows["documents"][0]["doc_id"] == "'" + HOSTILE["doc_id"]
    assert rows["documents"][0]["title"] == "'" + HOSTILE["title"]
    assert rows["documents"][0]["source"] == "'" + HOSTILE["source"]
    assert rows["quotes"][0]["speaker"] == "'" + HOSTILE["speaker"] and rows["quotes"][0]["cue"] == "'" + HOSTILE["tab"]
    assert any(r["name"] == "'" + HOSTILE["minus"] for r in rows["people"])
    for name, records in rows.items():                      # no cell at all that a spreadsheet would run
        for record in records:
            assert not any(v.startswith(export.FORMULA_STARTS) for v in record.values()), (name, record)
    assert "," in rows["quotes"][0]["confidence"]              # the decimal comma of a Swedish Excel


@pytest.mark.slow
def test_xlsx_has_a_sheet_per_table_frozen_header_filters_widths_and_no_formula(tables: dict, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    export.export_tables(hostile_tables(tables), tmp_path, "xlsx")
    book = openpyxl.load_workbook(tmp_path / export.WORKBOOK)
    assert book.sheetnames == ["quotes", "people", "entities", "documents", "spread"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        for row in sheet.iter_rows():
            assert not any(cell.data_type == "f" for cell in row), sheet.title
    documents = book["documents"]
    assert documents["A2"].value == HOSTILE["doc_id"] and documents["A2"].data_type == "s"
    assert documents["B2"].value == HOSTILE["title"] and documents["B2"].data_type == "s"
    quotes = book["quotes"]
    header = [c.value for c in quotes[1]]
    quote_column = openpyxl.utils.get_column_letter(header.index("quote") + 1)
    assert quotes.column_dimensions[quote_column].width > 30
    assert isinstance(quotes.cell(2, header.index("start") + 1).value, int)


@pytest.mark.slow
def test_the_export_is_a_set_a_failure_leaves_the_previous_one_whole(run_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "export"
    export.export_run(run_dir, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    calls = []

    def crash_on_people(frame: pd.DataFrame, path: Path) -> None:
        calls.append(path.name)
        if path.name == "people.csv":
            raise RuntimeError("killed half-way")
        path.write_text("new", encoding="utf-8")

    monkeypatch.setitem(export.WRITERS, "csv", crash_on_people)
    with pytest.raises(RuntimeError):
        export.export_run(run_dir, target)
    assert calls[:2] == ["quotes.csv", "people.csv"]         # a new quotes.csv was written, but not put in place
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]       # no temporary folder left


@pytest.mark.slow
def test_disk_full_is_one_line_naming_the_file_and_leaves_no_temporary_file(run_dir: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch,
                                                                            capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "delning"
    export.export_run(run_dir, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def disk_full(frame: pd.DataFrame, path: Path) -> None:
        with open(path, "wb") as handle:
            handle.write(b"doc_id,quote")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setitem(export.WRITERS, "csv", disk_full)
    assert cli.main(["export", str(run_dir), "--to", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert str(target / "quotes.csv") in err[0] and "No space left on device" in err[0]
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["delning"]


@pytest.mark.slow
def test_export_paths_a_user_gets_wrong_are_one_line_errors(run_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture) -> None:
    a_file = tmp_path / "en-fil"
    a_file.write_text("x", encoding="utf-8")
    mine = tmp_path / "mina-filer"
    mine.mkdir()
    (mine / "anteckningar.docx").write_text("viktigt", encoding="utf-8")
    cases = [(["--to", str(a_file / "under")], ("en-fil", "is a file")),
             (["--to", "/proc/citat-export"], ("/proc", "cannot create")),
             (["--to", str(a_file)], ("en-fil", "is a file")),
             (["--to", str(mine)], ("mina-filer", "anteckningar.docx")),
             (["--format", "pdf"], ("unknown export format 'pdf'",))]
    for args, words in cases:
        assert cli.main(["export", str(run_dir), *args]) == 2, args
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and all(w in err[0] for w in words), (args, err)
    assert (mine / "anteckningar.docx").read_text(encoding="utf-8") == "viktigt"     # left alone


# ------------------------------------------------------------------------------ spans and pages

class _Tags(html.parser.HTMLParser):
    """Checks nesting and collects the text of each quote (entity labels and tags left out)."""

    VOID = {"br", "meta", "img", "hr", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.quote_text: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.classes.append(attributes.get("class") or "")
        if attributes.get("data-quote-id"):
            self.kinds[attributes["data-quote-id"]] = attributes.get("data-kind", "")
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, (tag, self.stack[-3:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any("label" in (a.get("class") or "").split() for _, a in self.stack):
            return
        for _, attributes in self.stack:
            if "quote" in (attributes.get("class") or "").split():
                key = attributes["data-q"]
                self.quote_text[key] = self.quote_text.get(key, "") + data


def test_overlapping_spans_nest_and_keep_the_text() -> None:
    text = "Presidenten Putin sade att det regnar i Minsk."
    marks = [spans.Span(0, 17, "<a>", "</a>"), spans.Span(12, 46, '<mark class="quote" data-q="q">', "</mark>"),
             spans.Span(12, 17, "<i>", "</i>", after='<span class="label">PER</span>', rank=2),
             spans.Span(40, 45, "<b>", "</b>"), spans.Span(0, 11, "<u>", "</u>", tail="<sup>x</sup>")]
    rendered = spans.render(text, marks)
    parser = _Tags()
    parser.feed(f"<div>{rendered}</div>")
    assert not parser.stack
    assert parser.quote_text["q"] == text[12:46]
    assert rendered.count("PER") == 1 and rendered.count("<sup>x</sup>") == 1


def test_page_names_are_safe_whatever_the_doc_id() -> None:
    for doc_id in ("putin-minsk", HOSTILE["doc_id"], "../../etc/passwd", "a/b", "ö" * 200):
        name = review.page_name(doc_id)
        assert "/" not in name and name.endswith(".html") and len(name) < 90
    assert review.page_name("a/b") != review.page_name("a-b")


@pytest.mark.slow
def test_review_pages_mark_every_quote_speaker_cue_and_entity(run_dir: Path, tables: dict, tmp_path: Path) -> None:
    index = review.review_run(run_dir, tmp_path / "review")
    names = {p.name for p in (tmp_path / "review").iterdir()}
    assert {"index.html", "people.html", review.page_name("putin-minsk")} <= names
    page = (tmp_path / "review" / review.page_name("putin-minsk")).read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    quotes = tables["quotes"][tables["quotes"]["doc_id"] == "putin-minsk"]
    assert parser.kinds == dict(zip(quotes["quote_id"], quotes["kind"], strict=True))
    for q in quotes.itertuples():
        assert parser.quote_text[review.anchor(q.quote_id)] == q.quote, q.quote_id
    entities = tables["entities"][tables["entities"]["doc_id"] == "putin-minsk"]
    assert sum("entity" in c.split() for c in parser.classes) >= len(entities)
    assert sum(c == "speaker" for c in parser.classes) >= quotes["speaker_start"].notna().sum() - 2
    assert sum(c == "cue" for c in parser.classes) >= 0.8 * len(quotes)
    for name in names:                                          # self-contained: nothing from the network
        content = (tmp_path / "review" / name).read_text(encoding="utf-8")
        assert "<link" not in content and "src=\"http" not in content and "<script src" not in content
    people = (tmp_path / "review" / "people.html").read_text(encoding="utf-8")
    assert f'{review.page_name("putin-minsk")}#{review.anchor("putin-minsk:q3")}' in people
    assert index.read_text(encoding="utf-8").count("<tr>") == 1 + len(tables["documents"])


@pytest.mark.slow
def test_show_for_jupyter_and_its_errors(run_dir: Path, tables: dict) -> None:
    from pipeline import API, show

    assert "show" in API
    shown = show(tables, "klimatmote")
    inline = shown._repr_html_()
    assert inline.startswith("<style>") and 'data-kind="mixed"' in inline and "Naturskyddsföreningen" in inline
    assert "<html" in shown.html()
    assert show(run_dir, "klimatmote").doc_ids == ["klimatmote"]
    with pytest.raises(Exception, match="no document 'finns-inte'"):
        show(tables, "finns-inte")


@pytest.mark.slow
def test_report_has_every_plot_inline(run_dir: Path, tmp_path: Path) -> None:
    out = summary_report.write_report(run_dir, tmp_path / "report.html")
    content = out.read_text(encoding="utf-8")
    for section in ("people", "organisations", "women", "kinds", "months", "sources", "stance-gender",
                    "stance-source", "spread"):
        assert f'<section id="{section}">' in content, section
    assert content.count('src="data:image/png;base64,') == 8      # the samples share no quote: no spread plot
    assert "src=\"http" not in content and "<link" not in content
    assert "Putin" in content and "Exempelbladet" in content and "2022-12" in content
    share = summary_report.women_share(views.quotes_view(views.read_tables(run_dir)), views.read_tables(run_dir)
                                       ["people"])
    assert 0 < share.loc["share female", "people"] < 1


# ------------------------------------------------------------------------------ in a real browser

def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); the browser tests need it")


def _browser(url: str, profile: Path, *flags: str) -> subprocess.CompletedProcess:
    command = [_chromium(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", *flags, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _screenshot(url: str, png: Path, profile: Path, size: str) -> None:
    result = _browser(url, profile, f"--screenshot={png}", f"--window-size={size}")
    assert png.exists() and png.stat().st_size > 10_000, result.stderr[-2000:]
    target = os.environ.get("CITAT_SCREENSHOTS")
    if target:                                   # the README's screenshots, made small (a 64-colour palette)
        from PIL import Image

        destination = (REPO / target if not Path(target).is_absolute() else Path(target)) / png.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        Image.open(png).convert("RGB").quantize(64).save(destination, optimize=True)
        assert destination.stat().st_size < 300_000


@pytest.mark.slow
def test_review_page_in_a_headless_browser(run_dir: Path, tables: dict, tmp_path: Path) -> None:
    review.review_run(run_dir, tmp_path / "review", ["putin-minsk", "klimatmote"])
    page = (tmp_path / "review" / review.page_name("putin-minsk")).as_uri()
    dom = _browser(page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0 and "<article" in dom.stdout, dom.stderr[-2000:]
    parser = _Tags()
    parser.feed(dom.stdout)
    quotes = tables["quotes"][tables["quotes"]["doc_id"] == "putin-minsk"]
    assert parser.kinds == dict(zip(quotes["quote_id"], quotes["kind"], strict=True))
    assert {"direct", "indirect", "mixed"} <= set(parser.kinds.values())
    assert parser.quote_text[review.anchor(quotes["quote_id"].iloc[0])] == quotes["quote"].iloc[0]
    _screenshot(page, tmp_path / "review.png", tmp_path / "profile", "1100,900")


@pytest.mark.slow
def test_report_in_a_headless_browser(run_dir: Path, tmp_path: Path) -> None:
    out = summary_report.write_report(run_dir, tmp_path / "report.html")
    dom = _browser(out.as_uri(), tmp_path / "profile", "--dump-dom")
    assert dom.stdout.count("<img") == 8, dom.stderr[-2000:]
    _screenshot(out.as_uri(), tmp_path / "report.png", tmp_path / "profile", "1300,1150")


# --------------------------------------------------------------------------------- the command line

def test_version_and_short_help(capsys: pytest.CaptureFixture) -> None:
    from pipeline import __version__

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"citat {__version__}" == "citat 0.1.0"
    assert cli.main(["export", "-h"]) == 0
    assert "--format" in capsys.readouterr().out


@pytest.mark.slow
def test_quiet_run_hides_info_but_prints_the_summary(demo: tuple[Path, subprocess.CompletedProcess]) -> None:
    _, result = demo
    assert "most quoted:" in result.stdout and "Putin" in result.stdout
    assert "INFO" not in result.stderr


@pytest.mark.slow
def test_show_and_report_commands(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["show", str(run_dir), "klimatmote", "--out", str(tmp_path / "r")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "r" / "index.html")
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["doc-klimatmote.html", "index.html", "people.html"]
    assert cli.main(["show", str(run_dir), "nej", "--out", str(tmp_path / "r")]) == 2
    assert "no document 'nej'" in capsys.readouterr().err
    assert cli.main(["report", str(run_dir), "--out", str(tmp_path / "rapport.html")]) == 0
    assert (tmp_path / "rapport.html").stat().st_size > 20_000


def test_the_package_exports_the_api_lazily_and_keeps_pipeline_run_the_run_machinery() -> None:
    import pipeline
    from pipeline import analyse, api, export, read_run, show

    assert (analyse, read_run, show, export) == (api.analyse, api.read_run, api.show, api.export)
    import pipeline.run.store  # noqa: F401

    assert pipeline.run.store.table_path("r", "quotes").name == "quotes.parquet"
    with pytest.raises(AttributeError):
        pipeline.no_such_thing  # noqa: B018
