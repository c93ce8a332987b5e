"""The review of a run in a browser: self-contained HTML (inline CSS and a few lines of JS, nothing loaded
from the network) to check the output against the text.

- `index.html`: every article with its counts;
- one page per article: quotes highlighted by kind (direct, indirect, mixed), the speaker mention and the cue
  marked and linked to their quote, the resolved speaker, role and the outlet it was relayed by on hover and
  beside the quote, entity mentions marked as displaCy marks them, a table of the quotes below;
- `people.html`: each person (and each quoted organisation or group) with links to their quotes.

`Review` is the same for Jupyter (`_repr_html_`), which `pipeline.api.show` returns.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import CitatError, RunError
from pipeline.run import views
from pipeline.run.spans import Span, render

KIND_COLOURS = {"direct": "#ffd8a8", "indirect": "#c3fae8", "mixed": "#e5dbff"}
ENTITY_COLOURS = {"PER": "#aa9cfc", "ORG": "#7aecec", "LOC": "#ff9561", "MISC": "#dddddd"}  # displaCy's
CSS = """
.citat{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;max-width:62rem;
 margin:0 auto;padding:0 1rem 2rem;line-height:1.6}
.citat h1{font-size:1.5rem;margin:.8rem 0 .2rem}.citat h2{font-size:1.15rem;margin-top:1.6rem}
.citat nav{font-size:.9rem;padding:.5rem 0;border-bottom:1px solid #ddd}.citat nav a{margin-right:1rem}
.citat .meta{color:#666;font-size:.9rem}
.citat .legend span{display:inline-block;margin:.1rem .4rem .1rem 0;padding:0 .4rem;border-radius:.25rem;
 font-size:.85rem}
.citat p.headline{font-weight:bold;font-size:1.15rem}.citat p.caption{font-style:italic;color:#555}
.citat mark{color:inherit}
.citat mark.quote{padding:.1em 0;border-radius:.2rem}
.citat mark.quote.travels{border-bottom:2px dotted #1c7ed6}
""" + "".join(f".citat mark.quote.{k},.citat .legend .{k},.citat td.{k}{{background:{c}}}\n"
              for k, c in KIND_COLOURS.items()) + """
.citat mark.entity{padding:.1em .35em;margin:0 .1em;line-height:1;border-radius:.35em}
.citat mark.entity .label{font-size:.65em;font-weight:bold;line-height:1;vertical-align:middle;margin-left:.35rem;
 text-transform:uppercase}
""" + "".join(f".citat mark.entity.{k},.citat .legend .ent-{k}{{background:{c}}}\n"
              for k, c in ENTITY_COLOURS.items()) + """
.citat a.speaker{font-weight:bold;color:#1c3d8c;text-decoration:none;border-bottom:2px solid #1c3d8c}
.citat a.cue{font-style:italic;color:#8c1c3d;text-decoration:none;border-bottom:2px dotted #8c1c3d}
.citat .qtag{font-size:.72rem;color:#fff;background:#555;border-radius:.6rem;padding:.05rem .45rem;
 margin-left:.25rem;white-space:nowrap;vertical-align:.1em;text-decoration:none}
.citat .qtag.direct{background:#d9480f}.citat .qtag.indirect{background:#0c8599}.citat .qtag.mixed{background:#6741d9}
.citat .hl,.citat mark.quote:target{outline:2px solid #f03e3e;outline-offset:1px}
.citat table{border-collapse:collapse;font-size:.88rem;width:100%}
.citat th,.citat td{border-bottom:1px solid #e3e3e3;padding:.25rem .4rem;text-align:left;vertical-align:top}
.citat th{background:#f4f4f4}.citat td.n{text-align:right;font-variant-numeric:tabular-nums}
"""
# hovering a quote, its speaker mention, cue or tag outlines all four
SCRIPT = """document.querySelectorAll('[data-q]').forEach(function(el){
 function mark(on){document.querySelectorAll('[data-q~="'+el.dataset.q.split(' ')[0]+'"]').forEach(function(o){
  o.classList.toggle('hl',on)})}
 el.addEventListener('mouseenter',function(){mark(true)});el.addEventListener('mouseleave',function(){mark(false)})});"""


def esc(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def page(title: str, body: str, script: bool = True) -> str:
    """A whole self-contained HTML document."""
    js = f"<script>{SCRIPT}</script>" if script else ""
    return (f"<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width\"><style>{CSS}</style></head>\n"
            f"<body><div class=\"citat\">{body}</div>{js}</body></html>\n")


def page_name(doc_id: str) -> str:
    """A file name for an article page that is safe whatever the doc_id holds (slashes, `..`, `=`)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", doc_id).strip("-")[:60] or "doc"
    if slug != doc_id:
        slug += "-" + hashlib.sha1(doc_id.encode()).hexdigest()[:8]
    return f"doc-{slug}.html"


def anchor(quote_id: str) -> str:
    return "quote-" + re.sub(r"[^A-Za-z0-9_-]", "", quote_id.rsplit(":", 1)[-1])


def legend() -> str:
    kinds = "".join(f'<span class="{k}">{k} quote</span>' for k in KIND_COLOURS)
    ents = "".join(f'<span class="ent-{k}">{k}</span>' for k in ENTITY_COLOURS)
    return (f'<p class="legend">{kinds} <span><a class="speaker">speaker</a></span> '
            f'<span><a class="cue">cue</a></span> · entities: {ents}</p>')


# ---------------------------------------------------------------------------------------- data

@dataclass
class ReviewData:
    """The tables (`tables`, as the user knows them) and the views the pages are made of."""

    tables: dict[str, pd.DataFrame]
    documents: pd.DataFrame
    quotes: pd.DataFrame
    entities: pd.DataFrame
    paragraphs: pd.DataFrame | None
    people: pd.DataFrame

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame], doc_ids: list[str] | None = None,
                    where: str = "the tables") -> ReviewData:
        """The views of `tables`, of the articles `doc_ids` only where given (and the people in them)."""
        tables = views.user_tables(tables)
        documents = tables["documents"]
        if doc_ids:
            unknown = [d for d in doc_ids if d not in set(documents["doc_id"])]
            if unknown:
                raise CitatError(f"{where}: no document {', '.join(map(repr, unknown))}")
            tables = {n: t[t["doc_id"].isin(doc_ids)] if "doc_id" in t.columns else t for n, t in tables.items()}
            tables["documents"] = documents.set_index("doc_id").loc[list(dict.fromkeys(doc_ids))].reset_index()
            present = set(tables["entities"]["person_id"].dropna()) | set(tables["quotes"]["person_id"].dropna())
            tables["people"] = tables["people"][tables["people"]["person_id"].isin(present)]
        return cls(tables, tables["documents"].reset_index(drop=True), views.quotes_view(tables), tables["entities"],
                   tables.get("paragraphs"), views.people_view(tables))

    _by_doc: dict[int, dict[str, list]] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def spread_docs(self) -> dict[str, list[str]]:
        """spread_id -> the articles that quote the statement (the whole run's, also when showing a few)."""
        spread = self.tables.get("spread")
        if spread is None or spread.empty:
            return {}
        return {sid: docs.split("|") for sid, docs in zip(spread["spread_id"], spread["doc_ids"], strict=True)}

    @property
    def n_persons(self) -> int:
        """People in the people table (which also holds organisations and places where it has `kind`)."""
        kinds = self.people["kind"] if "kind" in self.people.columns else None
        return len(self.people) if kinds is None else int((kinds == "person").sum())

    def of(self, frame: pd.DataFrame | None, doc_id: str) -> list:
        """The rows of `frame` for one article, as records (grouped once per frame: a run has thousands of
        articles, and pandas costs too much per small frame)."""
        if frame is None:
            return []
        groups = self._by_doc.get(id(frame))
        if groups is None:
            groups = self._by_doc[id(frame)] = {}
            for row in views.records(frame):
                groups.setdefault(row.doc_id, []).append(row)
        return groups.get(doc_id, [])


def quote_title(q) -> str:
    """What the hover over a quote says: id, kind, speaker (kind, role), cue, outlet, confidence."""
    who = q.speaker if isinstance(q.speaker, str) else "no speaker found"
    role = f", {q.speaker_role}" if isinstance(q.speaker_role, str) else ""
    parts = [f"{q.quote_id} · {q.kind}", f"speaker: {who} ({q.speaker_kind}{role})"]
    if isinstance(q.cue, str):
        parts.append(f"cue: {q.cue}")
    if isinstance(q.relayed_by, str):
        parts.append(f"relayed by: {q.relayed_by}")
    if pd.notna(q.confidence):
        parts.append(f"confidence {q.confidence:.2f}")
    if pd.notna(q.spread_docs):
        parts.append(f"also quoted in {int(q.spread_docs) - 1} other article(s)")
    return " · ".join(parts)


def cue_offsets(text: str, q) -> tuple[int, int] | None:
    """Where the cue is written: the occurrence outside the quote nearest to the speaker mention (or the quote)."""
    if not isinstance(q.cue, str) or not q.cue.strip():
        return None
    near = int(q.speaker_start) if pd.notna(q.speaker_start) else int(q.start)
    low, high = max(0, min(int(q.start), near) - 250), min(len(text), max(int(q.end), near) + 250)
    pattern = re.compile(r"(?<!\w)" + re.escape(q.cue) + r"(?!\w)")
    found = [(m.start(), m.end()) for m in pattern.finditer(text, low, high)
             if m.end() <= q.start or m.start() >= q.end]
    return min(found, key=lambda ab: abs(ab[0] - near)) if found else None


def article_spans(text: str, quotes: list, entities: list, page_url: str = "") -> list[Span]:
    """The marks of one article: quotes (outermost), speaker mentions and cues, entity mentions (innermost)."""
    spans = []
    for e in entities:
        label = e.label if e.label in ENTITY_COLOURS else "MISC"
        ref = e.person_id if isinstance(e.person_id, str) else e.entity_id
        who = f' title="{esc(ref)}"' if isinstance(ref, str) else ""
        tag = f'<mark class="entity {label}" data-label="{esc(e.label)}"{who}>'
        spans.append(Span(int(e.start), int(e.end), tag, "</mark>", after=f'<span class="label">{esc(e.label)}</span>',
                          rank=2))
    linked: dict[tuple[str, int, int], list] = {}
    for q in quotes:
        target, title, kind = anchor(q.quote_id), esc(quote_title(q)), esc(q.kind)
        travels = " travels" if pd.notna(q.spread_id) else ""
        open_tag = (f'<mark class="quote {kind}{travels}" id="{target}" data-q="{target}" data-kind="{kind}"'
                    f' data-quote-id="{esc(q.quote_id)}" title="{title}">')
        again = f'<mark class="quote {kind}{travels}" data-q="{target}" title="{title}">'
        who = esc(q.speaker) if isinstance(q.speaker, str) else "?"
        via = f" · via {esc(q.relayed_by)}" if isinstance(q.relayed_by, str) else ""
        tag = (f'<a class="qtag {kind}" href="{page_url}#{target}" data-q="{target}" title="{title}">'
               f'{who}{via}</a>')
        spans.append(Span(int(q.start), int(q.end), open_tag, "</mark>", again, tail=tag, rank=0))
        if pd.notna(q.speaker_start) and pd.notna(q.speaker_end):
            linked.setdefault(("speaker", int(q.speaker_start), int(q.speaker_end)), []).append(q)
        cue = cue_offsets(text, q)
        if cue:
            linked.setdefault(("cue", *cue), []).append(q)
    for (what, start, end), items in linked.items():
        targets = " ".join(anchor(q.quote_id) for q in items)
        title = esc(" | ".join(quote_title(q) for q in items))
        tag = (f'<a class="{what}" href="{page_url}#{anchor(items[0].quote_id)}" data-q="{targets}" '
               f'title="{title}">')
        spans.append(Span(start, end, tag, "</a>", f'<a class="{what}" data-q="{targets}" title="{title}">', rank=1))
    return spans


def article_body(data: ReviewData, doc_id: str, page_url: str = "") -> str:
    """The article's text with everything marked, paragraph by paragraph, and its quote table."""
    doc = data.of(data.documents, doc_id)[0]
    text = doc.text
    quotes, entities = data.of(data.quotes, doc_id), data.of(data.entities, doc_id)
    spans = article_spans(text, quotes, entities, page_url)
    paragraphs = data.of(data.paragraphs, doc_id)
    blocks = sorted((int(p.start), int(p.end), p.kind) for p in paragraphs) or [(0, len(text), "body")]
    body = "".join(f'<p class="{esc(kind)}">{render(text[a:b], spans, a)}</p>\n' for a, b, kind in blocks)
    title = doc.title if isinstance(doc.title, str) else doc_id
    meta = " · ".join(esc(v) for v in (doc_id, doc.date, doc.source) if isinstance(v, str))
    url = doc.url
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        meta += f' · <a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>'
    counts = Counter(q.kind for q in quotes)
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in KIND_COLOURS)
    head = (f'<h1>{esc(title)}</h1><p class="meta">{meta}</p>'
            f'<p class="meta">{len(quotes)} quotes ({summary}), {len(entities)} entity mentions</p>{legend()}')
    return (f'<article data-doc-id="{esc(doc_id)}">{head}\n{body}</article>\n'
            f'<h2>Quotes</h2>{quote_table(quotes, page_url, data.spread_docs)}')


def also_in(q, spread_docs: dict[str, list[str]]) -> str:
    """Links to the other articles that quote the same statement (the spread cluster of `q`)."""
    if not isinstance(q.spread_id, str):
        return ""
    others = [d for d in spread_docs.get(q.spread_id, []) if d != q.doc_id]
    return ", ".join(f'<a href="{page_name(d)}">{esc(d)}</a>' for d in others)


def quote_table(quotes: list, page_url: str = "", spread_docs: dict[str, list[str]] | None = None) -> str:
    rows = []
    for q in quotes:
        target = anchor(q.quote_id)
        rows.append(f'<tr data-q="{target}"><td><a href="{page_url}#{target}">{esc(q.quote_id.rsplit(":", 1)[-1])}'
                    f'</a></td><td class="{esc(q.kind)}">{esc(q.kind)}</td><td>{esc(q.speaker)}</td>'
                    f'<td>{esc(q.speaker_kind)}</td><td>{esc(q.speaker_role)}</td><td>{esc(q.cue)}</td>'
                    f'<td>{esc(q.relayed_by)}</td><td class="n">{esc(q.confidence)}</td><td>{esc(q.quote)}</td>'
                    f'<td>{also_in(q, spread_docs or {})}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("", "kind", "speaker", "speaker kind", "role", "cue", "relayed by",
                                             "conf.", "quote", "also in"))
    return f'<table class="quotes"><tr>{head}</tr>{"".join(rows)}</table>' if rows else "<p>No quotes.</p>"


def _nav(prev_doc: str | None = None, next_doc: str | None = None) -> str:
    links = ['<a href="index.html">all articles</a>', '<a href="people.html">people</a>']
    if prev_doc:
        links.append(f'<a href="{page_name(prev_doc)}">← previous</a>')
    if next_doc:
        links.append(f'<a href="{page_name(next_doc)}">next →</a>')
    return f"<nav>{''.join(links)}</nav>"


def index_body(data: ReviewData) -> str:
    """The articles with their counts, linked to their pages."""
    docs = views.documents_view(data.tables)
    rows = []
    for d in views.records(docs):
        title = esc(d.title) if isinstance(d.title, str) else ""
        rows.append(f'<tr><td><a href="{page_name(d.doc_id)}">{esc(d.doc_id)}</a></td><td>{title}</td>'
                    f'<td>{esc(d.date)}</td><td>{esc(d.source)}</td><td class="n">{d.n_quotes}</td>'
                    f'<td class="n direct">{d.n_direct}</td><td class="n indirect">{d.n_indirect}</td>'
                    f'<td class="n mixed">{d.n_mixed}</td><td class="n">{d.n_entities}</td>'
                    f'<td class="n">{d.n_people}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("article", "title", "date", "source", "quotes", "direct", "indirect",
                                             "mixed", "entities", "people"))
    return (f'<nav><a href="people.html">people</a></nav><h1>citat review: {len(docs)} articles</h1>'
            f'<p class="meta">{len(data.quotes)} quotes, {data.n_persons} people</p>'
            f'<table class="articles"><tr>{head}</tr>{"".join(rows)}</table>')


def _quote_links(quotes: list) -> str:
    links = [f'<a href="{page_name(q.doc_id)}#{anchor(q.quote_id)}" title="{esc(q.quote)}">{esc(q.quote_id)}</a>'
             for q in quotes]
    return ", ".join(links)


def people_body(data: ReviewData) -> str:
    """Each person with their quotes; then the organisations, groups and unknown speakers that are quoted."""
    by_person: dict[str, list] = {}
    others: dict[tuple[str, str], list] = {}
    for q in views.records(data.quotes):
        if q.speaker_kind == "person" and isinstance(q.person_id, str):
            by_person.setdefault(q.person_id, []).append(q)
        elif q.speaker_kind != "person":
            speaker = q.speaker if isinstance(q.speaker, str) else "(no speaker)"
            others.setdefault((speaker, q.speaker_kind), []).append(q)
    people = data.people if "kind" not in data.people.columns else data.people[data.people["kind"] == "person"]
    people = people.sort_values(["n_quotes", "n_mentions"], ascending=False)
    rows = []
    for p in views.records(people):
        quotes = by_person.get(p.person_id, [])
        docs = " ".join(f'<a href="{page_name(d)}">{esc(d)}</a>' for d in str(p.doc_ids or "").split("|") if d)
        rows.append(f'<tr id="{esc(p.person_id)}"><td>{esc(p.name)}</td><td>{esc(p.gender)}</td>'
                    f'<td>{esc(str(p.titles or "").replace("|", ", "))}</td><td class="n">{esc(p.n_quotes)}</td>'
                    f'<td>{_quote_links(quotes)}</td><td>{docs}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("name", "gender", "titles", "quotes", "quoted in", "articles"))
    other_rows = []
    for (speaker, kind), quotes in sorted(others.items(), key=lambda item: (-len(item[1]), item[0])):
        other_rows.append(f"<tr><td>{esc(speaker)}</td><td>{esc(kind)}</td><td class=\"n\">{len(quotes)}</td>"
                          f"<td>{_quote_links(quotes)}</td></tr>")
    other_head = "".join(f"<th>{h}</th>" for h in ("speaker", "kind", "quotes", "quoted in"))
    return (f'<nav><a href="index.html">all articles</a></nav><h1>People</h1>'
            f'<table class="people"><tr>{head}</tr>{"".join(rows)}</table>'
            f'<h2>Organisations, groups and unknown speakers</h2>'
            f'<table class="speakers"><tr>{other_head}</tr>{"".join(other_rows)}</table>')


# ------------------------------------------------------------------------------------- writing

def write_review(tables: dict[str, pd.DataFrame], out_dir: Path, doc_ids: list[str] | None = None,
                 where: str = "the tables") -> Path:
    """Write index.html, people.html and one page per article into `out_dir`; returns the index."""
    data = ReviewData.from_tables(tables, doc_ids, where)
    out_dir = Path(out_dir)
    ids = data.documents["doc_id"].tolist()
    pages = {"index.html": page("citat review", index_body(data)), "people.html": page("people", people_body(data))}
    for n, doc_id in enumerate(ids):
        nav = _nav(ids[n - 1] if n else None, ids[n + 1] if n + 1 < len(ids) else None)
        pages[page_name(doc_id)] = page(doc_id, nav + article_body(data, doc_id))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, content in pages.items():
            (out_dir / name).write_text(content, encoding="utf-8")
    except OSError as err:
        raise CitatError(f"{err.filename or out_dir}: cannot write the review ({err.strerror or err})") from err
    return out_dir / "index.html"


def review_run(run_dir: Path, out_dir: Path | None = None, doc_ids: list[str] | None = None) -> Path:
    """The review of a run directory (default into RUN/review)."""
    tables = views.read_tables(Path(run_dir), doc_ids or None)
    return write_review(tables, out_dir or Path(run_dir) / "review", doc_ids, str(run_dir))


class Review:
    """An article's review (or several) for Jupyter: displayed inline through `_repr_html_`."""

    MAX_INLINE = 10

    def __init__(self, tables: dict[str, pd.DataFrame], doc_id: str | list[str] | None = None) -> None:
        ids = [doc_id] if isinstance(doc_id, str) else list(doc_id or [])
        self.data = ReviewData.from_tables(tables, ids or None)
        self.doc_ids = self.data.documents["doc_id"].tolist()
        if not self.doc_ids:
            raise RunError("there is no document to show")

    def _repr_html_(self) -> str:
        shown = self.doc_ids[: self.MAX_INLINE]
        more = (f'<p class="meta">{len(shown)} of {len(self.doc_ids)} articles shown; pass doc_id=… for '
                "another, or save() them all</p>") if len(shown) < len(self.doc_ids) else ""
        articles = "<hr>".join(article_body(self.data, d) for d in shown)
        return f'<style>{CSS}</style><div class="citat">{more}{articles}</div>'

    def html(self) -> str:
        """The whole review of the shown articles as one self-contained page."""
        return page("citat review", "<hr>".join(article_body(self.data, d) for d in self.doc_ids))

    def save(self, out_dir: str | Path) -> Path:
        """Write the pages (index, people, articles) into `out_dir`; returns the index."""
        return write_review(self.data.tables, Path(out_dir))
