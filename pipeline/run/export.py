"""The export of a run for colleagues: quotes, people, entities, documents and spread (the statements that travel
between articles) as CSV, Excel CSV, xlsx or Parquet.

- `csv`: UTF-8 without BOM, `,`, `\\n`; every cell exactly as in the tables (byte-faithful, for programs).
- `excel-csv`: what Excel opens right in a Swedish locale: UTF-8 with BOM, `;`, decimal comma, `\\r\\n`; a text
  cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that it stays text (OWASP's advice
  against CSV injection).
- `xlsx`: one workbook `citat.xlsx`, a sheet per table, header frozen, autofilter, column widths from the
  content; every text is a string cell, never a formula.
- `parquet`: the same tables with their dtypes; `documents` also holds the full `text`.

The CSV and xlsx `documents` carry no article text (a spreadsheet cell holds at most 32,767 characters); the
quotes carry the sentence around each quote instead.

An export is written as a set: into a temporary folder beside the target, which then replaces the target
folder, so that an export that fails half-way leaves the previous one whole (never a new quotes.csv beside an
old people.csv). A folder that holds files a citat export does not write is left alone (an error).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.errors import CitatError
from pipeline.run import views

FORMATS = ("csv", "excel-csv", "xlsx", "parquet")
TABLES = ("quotes", "people", "entities", "documents", "spread")
WORKBOOK = "citat.xlsx"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
XLSX_ROW_LIMIT = 1_048_576
KNOWN_FILES = {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {WORKBOOK}


class ExportError(CitatError):
    """The export cannot be written where it was asked to go."""


# ------------------------------------------------------------------------------------- escaping

def spreadsheet_safe(value: object) -> object:
    """A text a spreadsheet would run as a formula, made to stay text with a leading `'` (others unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object]


def excel_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of the frame through `spreadsheet_safe`."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(spreadsheet_safe, na_action="ignore").astype(out[column].dtype)
    return out


# -------------------------------------------------------------------------------------- writers

def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _write_excel_csv(frame: pd.DataFrame, path: Path) -> None:
    excel_safe_frame(frame).to_csv(path, index=False, sep=";", decimal=",", encoding="utf-8-sig",
                                   lineterminator="\r\n")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def _column_width(frame: pd.DataFrame, column: str) -> float:
    """Wide enough for the header and most values (the 90th percentile of the first rows), at most 60."""
    sample = frame[column].head(2000).dropna().astype(str).str.len()
    typical = float(sample.quantile(0.9)) if len(sample) else 0.0
    return min(max(len(str(column)) + 2, typical + 1, 6), 60)


def _write_sheet(workbook, name: str, frame: pd.DataFrame) -> None:
    sheet = workbook.add_worksheet(name)
    header = workbook.add_format({"bold": True, "bg_color": "#E8E8E8", "bottom": 1})
    columns = list(frame.columns)
    for c, column in enumerate(columns):
        sheet.set_column(c, c, _column_width(frame, column))
        sheet.write_string(0, c, str(column), header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))
    values = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    for r, row in enumerate(values, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                text = str(value)
                if len(text) > XLSX_CELL_LIMIT:
                    text = text[: XLSX_CELL_LIMIT - 1] + "…"
                sheet.write_string(r, c, text)      # a string cell: never run as a formula


def _write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    import xlsxwriter

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "nan_inf_to_errors": True}
    workbook = xlsxwriter.Workbook(str(path), options)
    try:
        for name, frame in frames.items():
            rows = XLSX_ROW_LIMIT - 1
            for part, first in enumerate(range(0, max(len(frame), 1), rows)):
                _write_sheet(workbook, name if part == 0 else f"{name} ({part + 1})", frame.iloc[first:first + rows])
    finally:
        workbook.close()


WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    "csv": _write_csv, "excel-csv": _write_excel_csv, "parquet": _write_parquet}
EXTENSIONS = {"csv": "csv", "excel-csv": "csv", "parquet": "parquet"}


def _write_files(frames: dict[str, pd.DataFrame], folder: Path, fmt: str) -> dict[str, Path]:
    if fmt == "xlsx":
        _write_xlsx(frames, folder / WORKBOOK)
        return {name: folder / WORKBOOK for name in frames}
    written = {}
    for name, frame in frames.items():
        path = folder / f"{name}.{EXTENSIONS[fmt]}"
        WRITERS[fmt](frame, path)
        written[name] = path
    return written


# ------------------------------------------------------------------------------ the set, atomically

def _problem(err: OSError) -> str:
    return err.strerror or str(err)


def _check_target(out_dir: Path) -> None:
    for folder in (out_dir, *out_dir.parents):
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{folder}: is a file, not a folder for the export")
    if out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in KNOWN_FILES)
        if foreign:
            shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
            raise ExportError(f"{out_dir}: holds files that no citat export writes ({shown}); the export "
                              "replaces its folder as a whole: choose an empty or new folder with --to")


def _remove_stale(parent: Path, name: str) -> None:
    """Temporary folders of exports that died (their process is gone) are removed."""
    for stale in parent.glob(f".{name}.*-*"):
        pid = stale.name.rsplit(".", 1)[-1].split("-")[1] if "-" in stale.name else ""
        if not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_set(out_dir: Path, write: Callable[[Path], dict[str, Path]]) -> dict[str, Path]:
    """Call `write(folder)` on a fresh temporary folder beside `out_dir`, then put it in place of `out_dir`.

    An OSError (disk full, no permission) becomes one ExportError naming the path; the temporary folder is
    removed and a previous export in `out_dir` stays as it was.
    """
    out_dir = Path(os.path.abspath(out_dir))
    _check_target(out_dir)
    parent, name = out_dir.parent, out_dir.name
    tmp = parent / f".{name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent, name)
        tmp.mkdir()                         # (not mkdtemp: the folder gets the user's usual permissions)
    except OSError as err:
        where = out_dir if not err.filename or str(err.filename) == str(tmp) else err.filename
        raise ExportError(f"{where}: cannot create the export folder ({_problem(err)})") from err
    old: Path | None = None
    try:
        written = write(tmp)
        if out_dir.exists():
            old = parent / f".{name}.old-{os.getpid()}-{tmp.name.rsplit('-', 1)[-1]}"
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out_dir.exists():
            with contextlib.suppress(OSError):
                os.rename(old, out_dir)         # the previous export back in place
        target = out_dir / Path(err.filename).name if err.filename and str(err.filename).startswith(str(tmp)) \
            else Path(err.filename or out_dir)
        raise ExportError(f"{target}: cannot write the export ({_problem(err)}); nothing was changed") from err
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return {table: out_dir / path.name for table, path in written.items()}


# ------------------------------------------------------------------------------------------ API

def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; the formats are {', '.join(FORMATS)}")


def export_tables(tables: dict[str, pd.DataFrame], out_dir: Path, fmt: str = "csv") -> dict[str, Path]:
    """Write quotes, people, entities, documents and spread of `tables` (as `read_run` gives them) into `out_dir`."""
    _check_format(fmt)
    frames = views.export_views(tables, text=fmt == "parquet")
    return write_set(Path(out_dir), lambda folder: _write_files(frames, folder, fmt))


def export_run(run_dir: Path, out_dir: Path | None = None, fmt: str = "csv") -> dict[str, Path]:
    """Write the run's export into `out_dir` (default RUN/export); returns {table: file}."""
    _check_format(fmt)
    tables = views.read_tables(Path(run_dir))
    return export_tables(tables, out_dir or Path(run_dir) / "export", fmt)
