"""`citat report`: one self-contained HTML file with the plots a media researcher asks for first.

The most quoted people and organisations, the share of women among the quoted people (counted by people
and by quotes, gender from the people table), quotes by kind, per month (documents.date) and per article
source (documents.source), how the reporting verbs frame the quotes (`cue_stance`) by speaker gender and
by article source, and the statements quoted in most articles (`spread`). Each plot is an inline PNG
(matplotlib, drawn without pyplot so that no global backend is touched) with its numbers in a table beside
it. The terminal summary is `pipeline.run.report`.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd

from pipeline.errors import CitatError
from pipeline.run import views
from pipeline.run.review import KIND_COLOURS, esc, page

GENDER_COLOURS = {"female": "#e8590c", "male": "#1c7ed6", "unknown": "#adb5bd"}
STANCE_COLOURS = {"neutral": "#adb5bd", "endorsing": "#40c057", "distancing": "#fab005", "emotive": "#fa5252"}
BAR = "#5c7cfa"


def _figure(width: float = 6.4, height: float = 3.2):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return figure, figure.add_subplot()


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _barh(counts: pd.Series, title: str, xlabel: str = "quotes", colour: str = BAR) -> str:
    figure, ax = _figure(6.4, max(1.6, 0.32 * len(counts) + 0.9))
    ordered = counts.iloc[::-1]
    ax.barh([str(i) for i in ordered.index], ordered.to_numpy(), color=colour)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return _png(figure)


def _table(counts: pd.Series | pd.DataFrame, key: str, value: str = "quotes") -> str:
    frame = counts.to_frame(value) if isinstance(counts, pd.Series) else counts
    head = f"<th>{esc(key)}</th>" + "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = "".join(f"<tr><td>{esc(i)}</td>" + "".join(f'<td class="n">{esc(v)}</td>' for v in row) + "</tr>"
                   for i, row in zip(frame.index, frame.itertuples(index=False), strict=True))
    return f"<table><tr>{head}</tr>{rows}</table>"


def _section(slug: str, title: str, png: str | None, table: str, note: str = "") -> str:
    image = f'<img alt="{esc(title)}" src="data:image/png;base64,{png}">' if png else "<p>Nothing to plot.</p>"
    note = f'<p class="meta">{note}</p>' if note else ""
    return (f'<section id="{slug}"><h2>{esc(title)}</h2>{note}<div class="plot">{image}'
            f"<details><summary>numbers</summary>{table}</details></div></section>")


# ------------------------------------------------------------------------------------ the numbers

def women_share(quotes: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Quoted people and their quotes by gender: counts and shares (of those whose gender is known)."""
    quoted = quotes[quotes["speaker_kind"] == "person"].dropna(subset=["person_id"])
    gender = people.set_index("person_id")["gender"]
    by_quote = quoted["person_id"].map(gender).fillna("unknown")
    by_person = by_quote.groupby(quoted["person_id"]).first()
    table = pd.DataFrame({"people": by_person.value_counts(), "quotes": by_quote.value_counts()})
    table = table.reindex(list(GENDER_COLOURS)).fillna(0).astype(int)
    known = table.loc[["female", "male"]].sum()
    share = (table.loc["female"] / known.where(known > 0)).round(3).fillna(0.0)
    return pd.concat([table.astype(object), share.to_frame("share female").T.astype(object)])


def stance_table(quotes: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    """Quotes with a cue by `by` (one value a quote) and cue_stance: counts, and each row's share in %."""
    stance = quotes["cue_stance"]
    counts = pd.crosstab(by[stance.notna()], stance[stance.notna()])
    counts = counts.reindex(columns=list(STANCE_COLOURS), fill_value=0)
    return counts.loc[counts.sum(axis=1).sort_values(ascending=False).index]


def _stance_section(slug: str, title: str, counts: pd.DataFrame, note: str) -> str:
    if counts.empty:
        return _section(slug, title, None, "<p>No quotes with a cue.</p>", note)
    shares = 100 * counts.div(counts.sum(axis=1), axis=0)
    figure, ax = _figure(6.4, max(1.6, 0.32 * len(shares) + 1.1))
    left = pd.Series(0.0, index=shares.index)
    labels = [str(i) for i in shares.index]
    for stance, colour in STANCE_COLOURS.items():
        ax.barh(labels, shares[stance].to_numpy(), left=left.to_numpy(), color=colour, label=stance)
        left += shares[stance]
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of quotes with a cue")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=4, fontsize=8, frameon=False)
    ax.set_title(title)
    table = counts.assign(**{f"% {s}": shares[s].round(1) for s in STANCE_COLOURS})
    return _section(slug, title, _png(figure), _table(table, slug.split("-")[-1], ""), note)


def report_sections(tables: dict[str, pd.DataFrame], top: int = 15) -> list[str]:
    tables = views.user_tables(tables)
    quotes = views.quotes_view(tables)
    people = tables["people"]
    sections = []

    persons = quotes[quotes["speaker_kind"] == "person"].dropna(subset=["speaker"])
    counts = persons.groupby("speaker").size().sort_values(ascending=False).head(top)
    sections.append(_section("people", f"Most quoted people (top {top})",
                             _barh(counts, "Most quoted people") if len(counts) else None, _table(counts, "person")))

    orgs = quotes[quotes["speaker_kind"] == "organisation"].dropna(subset=["speaker"])
    counts = orgs.groupby("speaker").size().sort_values(ascending=False).head(top)
    sections.append(_section("organisations", f"Most quoted organisations (top {top})",
                             _barh(counts, "Most quoted organisations", colour="#20c997") if len(counts) else None,
                             _table(counts, "organisation")))

    share = women_share(quotes, people)
    counts = share.loc[list(GENDER_COLOURS), ["people", "quotes"]].astype(float)
    totals = counts.sum()
    figure, ax = _figure(6.4, 2.2)
    left = pd.Series(0.0, index=["people", "quotes"])
    for gender, colour in GENDER_COLOURS.items():
        values = (100 * counts.loc[gender] / totals.where(totals > 0)).fillna(0)
        ax.barh(["by people", "by quotes"], values.to_numpy(), left=left.to_numpy(), color=colour, label=gender)
        left += values.to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncols=3, fontsize=8, frameon=False)
    ax.set_title("Quoted people by gender")
    pct = share.loc["share female"]
    note = (f"Women are {pct['people']:.0%} of the quoted people and have {pct['quotes']:.0%} of their quotes "
            "(of those whose gender is known).")
    sections.append(_section("women", "Share of women among quoted people", _png(figure) if totals.sum() else None,
                             _table(share, "gender", "people"), note))

    kinds = quotes["kind"].value_counts().reindex(list(KIND_COLOURS)).fillna(0).astype(int)
    figure, ax = _figure(6.4, 2.4)
    ax.bar(kinds.index, kinds.to_numpy(), color=[KIND_COLOURS[k] for k in kinds.index], edgecolor="#555")
    ax.set_title("Quotes by kind")
    ax.yaxis.get_major_locator().set_params(integer=True)
    sections.append(_section("kinds", "Quotes by kind", _png(figure) if kinds.sum() else None, _table(kinds, "kind")))

    documents = tables["documents"].set_index("doc_id")
    month = quotes["doc_id"].map(documents["date"].str.slice(0, 7)).fillna("no date")
    by_month = month.value_counts().sort_index()
    figure, ax = _figure(max(6.4, 0.25 * len(by_month) + 2), 3.0)
    ax.bar(by_month.index, by_month.to_numpy(), color=BAR)
    ax.set_title("Quotes per month")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelrotation=90 if len(by_month) > 8 else 0, labelsize=8)
    sections.append(_section("months", "Quotes per month", _png(figure) if len(by_month) else None,
                             _table(by_month, "month"), "By the date of the article; `no date` where it has none."))

    source = quotes["doc_id"].map(documents["source"]).fillna("(no source)")
    by_source = source.value_counts().head(top)
    plot = _barh(by_source, "Quotes per article source", colour="#845ef7") if len(by_source) else None
    sections.append(_section("sources", "Quotes per article source", plot,
                             _table(by_source, "source"), "The article's `source` column of the input."))

    gender = quotes["person_id"].map(people.set_index("person_id")["gender"]).where(
        quotes["speaker_kind"] == "person").fillna("not a known person")
    note = ("How the reporting verb frames the quote: neutral (säger), endorsing (konstaterar), distancing (hävdar), "
            "emotive (varnar); the gender is that of the people table.")
    sections.append(_stance_section("stance-gender", "Stance of the cue by speaker gender",
                                    stance_table(quotes, gender), note))
    top_sources = source.value_counts().head(top).index
    sections.append(_stance_section("stance-source", "Stance of the cue by article source",
                                    stance_table(quotes[source.isin(top_sources)], source[source.isin(top_sources)]),
                                    f"The {top} sources with most quotes."))

    spread = views.spread_view(tables).head(top)
    table = _table(spread.set_index("quote")[["speaker", "n_docs", "n_stories", "n_sources", "first_date",
                                              "last_date"]], "statement", "") if len(spread) else "<p>None.</p>"
    counts = spread.set_index(spread["quote"].str.slice(0, 48))["n_docs"]
    sections.append(_section("spread", f"Statements quoted in most articles (top {top})",
                             _barh(counts, "Articles quoting the statement", "articles", "#1098ad") if len(spread)
                             else None, table, "Near-duplicate quotes in two or more articles (the spread table)."))
    return sections


def report_html(tables: dict[str, pd.DataFrame], title: str = "citat report", top: int = 15) -> str:
    """The whole report as one self-contained HTML page."""
    tables = views.user_tables(tables)
    people = tables["people"]
    persons = people if "kind" not in people.columns else people[people["kind"] == "person"]
    intro = (f"<h1>{esc(title)}</h1><p class=\"meta\">{len(tables['documents'])} articles, "
             f"{len(tables['quotes'])} quotes, {len(persons)} people</p>")
    style = ("<style>.citat{max-width:84rem}.citat .plot img{max-width:100%;height:auto}"
             ".citat details{margin:.3rem 0 1rem}.citat .grid{display:grid;gap:0 2rem;"
             "grid-template-columns:repeat(auto-fit,minmax(30rem,1fr))}.citat .grid h2{margin-top:1rem}</style>")
    body = f'{style}{intro}<div class="grid">{"".join(report_sections(tables, top))}</div>'
    return page(title, body, script=False)


def write_report(run_dir: Path, out: Path | None = None, top: int = 15) -> Path:
    """Write the report of a run (default RUN/report.html); returns its path."""
    out = Path(out) if out else Path(run_dir) / "report.html"
    content = report_html(views.read_tables(Path(run_dir)), f"citat report: {Path(run_dir).name}", top)
    tmp = out.with_name(out.name + ".tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise CitatError(f"{out}: cannot write the report ({err.strerror or err})") from err
    return out
