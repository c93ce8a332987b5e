"""The tables as a reader meets them: what the export writes, the review shows and the report counts.

- quotes with their article (`title`, `date`, `url`, `article_source`), `speaker_kind`, `speaker_role`, the
  `sentence` they are in, and the quote-level outlet as `relayed_by` (the Parquet column is `source`);
- people with the articles they appear in (`doc_ids`);
- documents with their counts.

Everything here is computed from the run's tables at read time, so it changes no stage and no fingerprint.
Where the people table already carries a column (`kind`, `role`, `doc_ids`), that column is used.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from pipeline.errors import RunError
from pipeline.lexicon import names, nouns, words
from pipeline.run import schema, store

# the tables a user sees under these names: what `people` made of the stage tables of the same name
LINKED = {"entities": "linked_entities", "quotes": "linked_quotes"}
READS = ("quotes", "entities", "people", "documents", "paragraphs", "sentences")
# tables of the later stages (copies, spread): a run made before they existed reads them as empty
OPTIONAL = ("copies", "spread", "quote_spread")
KINDS = ("person", "organisation", "group", "unknown")
# the people table's `kind` (where it has one) as a speaker kind: a place that speaks is its state or city
REGISTRY_KINDS = {"person": "person", "organisation": "organisation", "place": "organisation", "group": "group"}
WORD = re.compile(r"\w+")


def read_tables(run_dir: Path, doc_ids: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables the views need, under the names users know (`quotes` is linked_quotes …).

    `doc_ids` limits the per-document tables to those articles; `people` is always whole.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunError(f"{run_dir}: no such run directory")
    tables = {}
    for name in READS:
        stored = LINKED.get(name, name)
        tables[name] = store.read_table(run_dir, stored, None if name == "people" else doc_ids)
    for name in OPTIONAL:
        exists = store.table_path(run_dir, name).exists()
        tables[name] = store.read_table(run_dir, name, None if name == "spread" else doc_ids) if exists else \
            schema.empty(schema.ALL[name])
    return tables


def records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """The rows as objects with attribute access (missing values are pd.NA): `itertuples` is many times slower
    on Arrow-backed frames, and the review walks every row."""
    columns = {str(c): frame[c].tolist() for c in frame.columns}
    return [SimpleNamespace(**dict(zip(columns, values, strict=True))) for values in zip(*columns.values(),
                                                                                          strict=True)]


def user_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Accept `read_run`/`analyse` tables in either form (raw or linked): the linked ones win."""
    out = dict(tables)
    for name, linked in LINKED.items():
        if linked in out:
            out[name] = out.pop(linked)
    missing = [n for n in ("documents", "quotes", "entities", "people") if n not in out]
    if missing:
        raise RunError(f"the tables lack {', '.join(missing)}: run every stage first (`citat run`)")
    return out


# ------------------------------------------------------------------------------------ speakers

def _words_kind(mention: str) -> str:
    """What the words naming an unlinked speaker tell: group, organisation, person or unknown."""
    tokens = WORD.findall(mention or "")
    if not tokens:
        return "unknown"
    lower = [t.lower() for t in tokens]
    plural_pronouns = {p for p, g in names.pronoun_gender().items() if g == "plural"}
    if lower[0] in plural_pronouns or lower[0] in words("group_words"):
        return "group"
    if names.is_outlet(mention) or any(nouns.org_noun_base(t) for t in tokens):
        return "organisation"
    if any(names.is_first_name(t) for t in tokens if t[:1].isupper()):
        return "person"
    head = tokens[-1]
    if nouns.title_base(head) or lower[-1] in names.person_pronouns() or lower[-1] in nouns.gendered_nouns():
        return "person"                     # ministern, han, kvinnan
    if nouns.is_role_word(head):            # forskarna, myndigheterna: a group; regeringen, polisen: an institution
        return "group" if lower[-1].endswith(("na", "erna", "arna", "orna")) else "organisation"
    return "unknown"


def _entity_labels(entities: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for e in records(entities[["doc_id", "start", "end", "label"]]):
        out.setdefault(e.doc_id, []).append((int(e.start), int(e.end), e.label))
    return out


def _label_over(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The label of the longest entity mention overlapping [start, end)."""
    over = [(min(b, end) - max(a, start), label) for a, b, label in spans if a < end and b > start]
    return max(over)[1] if over else None


def speaker_kinds(quotes: pd.DataFrame, entities: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    """person | organisation | group | unknown for every quote.

    From the linked id first (`p…` a person, `o…` an organisation; the people table's own `kind` where it has
    one), then from an entity mention at the speaker's place, then from the speaker's words.
    """
    known = {} if "kind" not in people.columns else \
        {pid: REGISTRY_KINDS[kind] for pid, kind in zip(people["person_id"], people["kind"], strict=True)
         if isinstance(kind, str) and kind in REGISTRY_KINDS}
    by_doc = _entity_labels(entities)
    label_kind = {"PER": "person", "ORG": "organisation", "LOC": "organisation"}
    kinds = []
    for q in records(quotes):
        pid = q.person_id if isinstance(q.person_id, str) else ""
        if pid in known:
            kinds.append(known[pid])
        elif pid.startswith("p"):
            kinds.append("person")
        elif pid.startswith(("o", "l")):
            kinds.append("organisation")
        elif pd.notna(q.speaker_start) and (label := _label_over(by_doc.get(q.doc_id, []), int(q.speaker_start),
                                                                   int(q.speaker_end))) in label_kind:
            kinds.append(label_kind[label])
        else:
            mention = q.speaker_mention if isinstance(q.speaker_mention, str) else ""
            speaker = q.speaker if isinstance(q.speaker, str) else ""
            kind = _words_kind(mention)
            kinds.append(kind if kind != "unknown" or not speaker else _words_kind(speaker))
    return pd.Series(kinds, index=quotes.index, dtype="string")


def _mention_titles(mention: str) -> list[str]:
    return [base for t in WORD.findall(mention or "") if (base := nouns.title_base(t))]


def speaker_roles(quotes: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    """The role of each quote's speaker: the people table's `role` where it has one; else the title the
    attribution uses (`Ministern` → the person's `klimatminister`); else the person's title used most often
    in attributions; else the person's first title (photographer last)."""
    if "role" in people.columns:
        persons = people if "kind" not in people.columns else people[people["kind"] == "person"]
        roles = persons.set_index("person_id")["role"].dropna().to_dict()
        return quotes["person_id"].map(roles).astype("string")
    titles = {p.person_id: [t for t in str(p.titles).split("|") if t] if isinstance(p.titles, str) else []
              for p in records(people[["person_id", "titles"]])}
    used: dict[str, Counter] = {}
    at_quote = []
    for q in records(quotes[["person_id", "speaker_mention"]]):
        pid = q.person_id if isinstance(q.person_id, str) else ""
        if pid and not pid.startswith("p"):                 # an organisation has no role
            at_quote.append((pid, None))
            continue
        own = titles.get(pid, [])
        role = None
        for base in _mention_titles(q.speaker_mention if isinstance(q.speaker_mention, str) else ""):
            role = next((t for t in own if t.endswith(base)), base)
            break
        if role and pid:
            used.setdefault(pid, Counter())[role] += 1
        at_quote.append((pid, role))
    out = []
    for pid, role in at_quote:
        if role is None and pid in used:
            role = used[pid].most_common(1)[0][0]
        if role is None and titles.get(pid):
            role = sorted(titles[pid], key=lambda t: t == "fotograf")[0]
        out.append(role)
    return pd.Series(out, index=quotes.index, dtype="string")


# -------------------------------------------------------------------------------------- context

def _context_spans(quotes: pd.DataFrame, paragraphs: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The part of the text a quote's context must cover: the quote, and its attribution where that is in the
    same paragraph (`– …. Det säger hon.`)."""
    start = quotes["start"].to_numpy(np.int64)
    end = quotes["end"].to_numpy(np.int64)
    s_start = quotes["speaker_start"].astype("Float64").fillna(-1).to_numpy(np.int64)
    s_end = quotes["speaker_end"].astype("Float64").fillna(-1).to_numpy(np.int64)
    if paragraphs is None or paragraphs.empty:
        return start, end
    bounds = paragraphs.set_index(["doc_id", "paragraph_id"])[["start", "end"]]
    keys = pd.MultiIndex.from_arrays([quotes["doc_id"], quotes["paragraph_id"]])
    found = bounds.reindex(keys)
    p_start = found["start"].astype("Float64").fillna(-1).to_numpy(np.int64)
    p_end = found["end"].astype("Float64").fillna(-1).to_numpy(np.int64)
    inside = (s_start >= 0) & (s_start >= p_start) & (s_end <= p_end)
    return np.where(inside, np.minimum(start, s_start), start), np.where(inside, np.maximum(end, s_end), end)


def quote_sentences(quotes: pd.DataFrame, sentences: pd.DataFrame | None, paragraphs: pd.DataFrame | None,
                    documents: pd.DataFrame) -> pd.Series:
    """The sentence (or run of sentences) that holds a quote and its attribution in the same paragraph; the
    paragraph where no sentence covers it."""
    quotes = quotes.reset_index(drop=True)
    texts = documents.set_index("doc_id")["text"].to_dict()
    found: list[str | None] = [None] * len(quotes)
    need_start, need_end = _context_spans(quotes, paragraphs)
    by_doc = quotes.groupby("doc_id", sort=False).indices
    for table in (t for t in (sentences, paragraphs) if t is not None and not t.empty):
        spans = table[["doc_id", "start", "end"]].sort_values(["doc_id", "start"], kind="stable")
        starts, ends = spans["start"].to_numpy(np.int64), spans["end"].to_numpy(np.int64)
        groups = spans.reset_index(drop=True).groupby("doc_id", sort=False).indices
        for doc_id, rows in by_doc.items():
            text, own = texts.get(doc_id), groups.get(doc_id)
            todo = [i for i in rows if found[i] is None]
            if text is None or own is None or not todo:
                continue
            s_start, s_end = starts[own], ends[own]                        # sorted by start within the document
            q_start, q_end = need_start[todo], need_end[todo]
            first = np.searchsorted(s_end, q_start, side="right")          # first span ending after the start
            last = np.searchsorted(s_start, np.maximum(q_end - 1, q_start), side="right") - 1
            for i, a, b in zip(todo, first, last, strict=True):
                if 0 <= a <= b < len(own):
                    found[i] = text[s_start[a]:s_end[b]]
    return pd.Series(found, index=quotes.index, dtype="string")


# ---------------------------------------------------------------------------------------- views

QUOTE_COLUMNS = ["doc_id", "quote_id", "kind", "quote", "start", "end", "speaker", "speaker_kind", "speaker_role",
                 "person_id", "speaker_mention", "speaker_start", "speaker_end", "cue", "cue_lemma", "cue_stance",
                 "cue_stance_origin", "relayed_by", "paragraph_id", "confidence", "sentence", "spread_id",
                 "spread_docs", "title", "date", "url", "article_source"]
ENTITY_COLUMNS = ["doc_id", "mention_id", "start", "end", "text", "label", "person_id", "entity_id", "origin",
                  "sentence_id"]
DOCUMENT_COLUMNS = ["doc_id", "title", "date", "url", "source", "path", "story_id", "copy_of", "copies", "n_chars",
                    "n_quotes", "n_direct", "n_indirect", "n_mixed", "n_entities", "n_people"]


def quotes_view(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """quotes.csv: every quote with its article, speaker kind and role, and the sentence it is in."""
    tables = user_tables(tables)
    quotes, documents = tables["quotes"].reset_index(drop=True), tables["documents"]
    view = quotes.rename(columns={"source": "relayed_by"})
    view["speaker_kind"] = speaker_kinds(quotes, tables["entities"], tables["people"])
    view["speaker_role"] = speaker_roles(quotes, tables["people"])
    view["sentence"] = quote_sentences(quotes, tables.get("sentences"), tables.get("paragraphs"), documents).array
    articles = documents[["doc_id", "title", "date", "url", "source"]].rename(columns={"source": "article_source"})
    view = view.merge(articles, on="doc_id", how="left")
    spread = _table(tables, "spread")[["spread_id", "n_docs"]].rename(columns={"n_docs": "spread_docs"})
    members = _table(tables, "quote_spread")[["quote_id", "spread_id"]].merge(spread, on="spread_id", how="left")
    view = view.merge(members, on="quote_id", how="left")
    extra = [c for c in view.columns if c not in QUOTE_COLUMNS]
    return view[QUOTE_COLUMNS + extra]


def person_doc_ids(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """person_id → the articles that mention or quote the person, `|`-separated and sorted."""
    tables = user_tables(tables)
    pairs = pd.concat([tables["entities"][["person_id", "doc_id"]], tables["quotes"][["person_id", "doc_id"]]])
    pairs = pairs.dropna().drop_duplicates()
    return pairs.sort_values("doc_id").groupby("person_id")["doc_id"].agg("|".join).astype("string")


def people_view(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """people.csv: the people table (all its columns) and, unless it has them, the articles of each person."""
    tables = user_tables(tables)
    people = tables["people"].copy()
    if "doc_ids" not in people.columns:
        people["doc_ids"] = people["person_id"].map(person_doc_ids(tables)).astype("string")
    return people


def entities_view(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """entities.csv: the linked entity mentions."""
    entities = user_tables(tables)["entities"]
    return entities[[c for c in ENTITY_COLUMNS if c in entities.columns]]


def documents_view(tables: dict[str, pd.DataFrame], text: bool = False) -> pd.DataFrame:
    """documents.csv: one row per article, its metadata and counts (`text` only when asked)."""
    tables = user_tables(tables)
    documents, quotes, entities = tables["documents"], tables["quotes"], tables["entities"]
    view = documents.copy()
    view["n_chars"] = documents["text"].str.len().astype("Int64")
    counts = {"n_quotes": quotes.groupby("doc_id").size()}
    for kind in ("direct", "indirect", "mixed"):
        counts[f"n_{kind}"] = quotes[quotes["kind"] == kind].groupby("doc_id").size()
    counts["n_entities"] = entities.groupby("doc_id").size()
    persons = pd.concat([entities[["doc_id", "person_id"]], quotes[["doc_id", "person_id"]]]).dropna()
    persons = persons[persons["person_id"].str.startswith("p")].drop_duplicates()
    counts["n_people"] = persons.groupby("doc_id").size()
    for name, series in counts.items():
        view[name] = view["doc_id"].map(series).fillna(0).astype("Int64")
    view = view.merge(_table(tables, "copies")[["doc_id", "story_id", "copy_of", "copies"]], on="doc_id", how="left")
    view["story_id"] = view["story_id"].fillna(view["doc_id"])
    view["copies"] = view["copies"].fillna(1).astype("Int64")
    columns = DOCUMENT_COLUMNS + (["text", "body_start"] if text else [])
    return view[columns]


def spread_view(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """spread.csv: the statements that travel, most documents first."""
    return _table(user_tables(tables), "spread")


def _table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table of the later stages, empty where the run (or an `analyse` of old) has none."""
    return tables[name] if name in tables else schema.empty(schema.ALL[name])


def export_views(tables: dict[str, pd.DataFrame], text: bool = False) -> dict[str, pd.DataFrame]:
    """The exported tables by file name: quotes, people, entities, documents, spread."""
    return {"quotes": quotes_view(tables), "people": people_view(tables), "entities": entities_view(tables),
            "documents": documents_view(tables, text=text), "spread": spread_view(tables)}
