"""The people stage: `link_people` fills person and entity ids on the entities and quotes and builds the
`people` table; the quote helpers find the cluster each quote's speaker is."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

import pandas as pd

from pipeline.lexicon import words as _words
from pipeline.lexicon.names import (
    fold,
    folded_outlets,
    is_known_place,
    name_gender,
    party_abbreviations,
    person_pronouns,
)
from pipeline.lexicon.nouns import is_common_word, is_group_noun, name_head, org_noun_base, title_base
from pipeline.run import schema
from pipeline.run.registry import one_by_one
from pipeline.stages.people.document import DocumentPeople
from pipeline.stages.people.document_state import leading_noun
from pipeline.stages.people.linking import _entity_ids, _global_people, _hash_id
from pipeline.stages.people.registry import people_table, quote_mentions
from pipeline.stages.people.run_names import RunNames


def link_people(documents: pd.DataFrame | Iterable[pd.DataFrame], entities: pd.DataFrame,
                quotes: pd.DataFrame, map_batches: Callable | None = None) -> dict[str, pd.DataFrame]:
    """Fill `person_id`/`entity_id` on entities and quotes and build the `people` table.

    `documents` is the documents table or an iterable of batches of it (as `pipeline.run.store.iter_documents`
    gives): each document is analysed while its batch is in memory, and only its mentions, clusters
    and resolved quotes are kept for linking across the run. `map_batches` (see `pipeline.run.registry`)
    runs `analyse_documents` on the batches, on the run's workers; by default here, one after the other.

    Returns {"people", "entities", "quotes"}, conformed to their schemas. Besides the ids:
    - entities gain rows the model missed: origin `credit` (a person name in a photo credit), `title` (a full
      name after a person title, `talesperson Felipe de la Cruz`, or a name after an organisation noun,
      `tankesmedjan ISW`, with their other occurrences), `speaker` (a full name with a known first name, or a
      known surname, that the quote extractor gave as a speaker), `signature` (a chat signature `10:08 GJ:`)
      and `surname` (the surname of a full person name of the run); mention_id continues after the
      document's last one;
    - a label may change: ORG/LOC/MISC after a person title (or a known surname tagged LOC/MISC) becomes PER;
      a PER that the evidence says is no person (see `non_persons`) becomes LOC/ORG/MISC;
    - quotes get `person_id` (an organisation speaker: its entity_id) and `speaker` becomes the
      cluster's name in the document; speakers that are groups or name several keep theirs with no id.
    """
    entities = entities.reset_index(drop=True) if entities is not None and len(entities.columns) \
        else schema.empty(schema.ENTITIES)
    quotes = quotes.reset_index(drop=True) if quotes is not None and len(quotes.columns) \
        else schema.empty(schema.QUOTES)
    for column in ("person_id", "entity_id"):
        entities[column] = pd.Series([None] * len(entities), index=entities.index, dtype="object")
    quotes["person_id"] = pd.Series([None] * len(quotes), index=quotes.index, dtype="object")
    quotes["speaker"] = quotes["speaker"].astype("object")
    document_batches = [documents] if isinstance(documents, pd.DataFrame) else documents

    by_doc: dict[str, list[tuple[int, int, int, str]]] = {}      # doc_id -> (row, start, end, label), by start
    for row, (doc_id, start, end, label) in enumerate(zip(entities["doc_id"], entities["start"], entities["end"],
                                                          entities["label"], strict=True)):
        by_doc.setdefault(doc_id, []).append((row, int(start), int(end), str(label)))
    for rows in by_doc.values():
        rows.sort(key=lambda r: r[1])
    run = RunNames.from_entities(entities)
    quotes_by_doc: dict[str, list[tuple[int, dict]]] = {}
    for row, record in enumerate(quotes.to_dict("records")):
        quotes_by_doc.setdefault(record["doc_id"], []).append((row, record))
    docs: dict[str, DocumentPeople] = {}
    dates: dict[str, object] = {}
    quote_clusters: dict[int, tuple[str, int, dict]] = {}     # quote row -> (document, cluster, quote)

    def batches() -> Iterator[tuple]:
        for batch in document_batches:            # only one batch of texts in memory at a time
            if "date" in batch:
                dates.update(zip(batch["doc_id"], batch["date"], strict=True))
            yield ([(doc_id, text, by_doc.get(doc_id, []), quotes_by_doc.get(doc_id, []))
                    for doc_id, text in zip(batch["doc_id"], batch["text"], strict=True) if isinstance(text, str)],)

    for analysed in (map_batches or one_by_one)(analyse_documents, batches(), shared=run):
        for doc_id, doc, clusters in analysed:
            doc.run = run
            docs[doc_id] = doc
            quote_of = dict(quotes_by_doc.get(doc_id, []))
            for row, cluster in clusters:
                quote_clusters[row] = (doc_id, cluster, quote_of[row])

    people_of = _global_people(docs)
    entity_ids = _entity_ids(docs)

    new_rows = []
    max_mention: dict[str, int] = {}
    for doc_id, mention_id in zip(entities["doc_id"], entities["mention_id"], strict=True):
        if pd.notna(mention_id):
            max_mention[doc_id] = max(max_mention.get(doc_id, -1), int(mention_id))
    person_col, entity_col = [None] * len(entities), [None] * len(entities)
    label_col = entities["label"].tolist()
    for doc_id, doc in docs.items():
        for i, cluster in enumerate(doc.clusters):
            gid = people_of.get((doc_id, i)) if cluster.label == "PER" else entity_ids.get((doc_id, i))
            for m in cluster.mentions:
                for index in [m.index, *m.joined]:
                    if index >= 0:
                        (person_col if cluster.label == "PER" else entity_col)[index] = gid
        for m in doc.mentions + doc.others:
            for index in [m.index, *m.joined]:
                if index >= 0:
                    label_col[index] = m.label                     # a person title or a place name may relabel
        for m in doc.others:
            if m.index >= 0 and m.label in ("LOC", "ORG"):
                entity_col[m.index] = _hash_id(m.label[0].lower(), " ".join(m.key))
        for index, start, end in doc.unnamed:                     # a role noun the model tagged: resolved
            cluster = doc.cluster_at(start, end)
            if cluster >= 0:
                c = doc.clusters[cluster]
                label_col[index] = c.label
                if c.label == "PER":
                    person_col[index] = people_of.get((doc_id, cluster))
                else:
                    entity_col[index] = entity_ids.get((doc_id, cluster))
        next_id = max_mention.get(doc_id, -1) + 1
        for m in doc.added:
            if m.cluster < 0:
                continue
            new_rows.append({"doc_id": doc_id, "mention_id": next_id, "start": m.start, "end": m.end,
                             "text": m.text, "label": "PER", "sentence_id": pd.NA, "token_start": pd.NA,
                             "token_end": pd.NA, "origin": m.origin, "person_id": people_of.get((doc_id, m.cluster)),
                             "entity_id": None})
            if m.label != "PER":
                new_rows[-1]["label"] = m.label
                new_rows[-1]["person_id"], new_rows[-1]["entity_id"] = None, entity_ids.get((doc_id, m.cluster))
            next_id += 1
    entities["person_id"], entities["entity_id"], entities["label"] = person_col, entity_col, label_col
    if new_rows:
        entities = pd.concat([entities, pd.DataFrame(new_rows)], ignore_index=True)
        order = {doc_id: n for n, doc_id in enumerate(dict.fromkeys(entities["doc_id"].tolist()))}
        entities = entities.assign(_order=entities["doc_id"].map(order)) \
            .sort_values(["_order", "start"], kind="stable").drop(columns="_order")

    quote_counts: Counter = Counter()
    attributed: list[tuple[str, int, int, int]] = []
    quote_person, quote_speaker = [None] * len(quotes), quotes["speaker"].tolist()
    for row, (doc_id, cluster, q) in quote_clusters.items():
        doc = docs[doc_id]
        if cluster < 0 or doc.clusters[cluster].photographer:
            continue
        c = doc.clusters[cluster]
        gid = people_of.get((doc_id, cluster)) if c.label == "PER" else entity_ids.get((doc_id, cluster))
        quote_person[row], quote_speaker[row] = gid, c.name
        quote_counts[gid] += 1
        span = (-1, -1) if pd.isna(q["speaker_start"]) or pd.isna(q["speaker_end"]) else \
            (int(q["speaker_start"]), int(q["speaker_end"]))
        attributed.append((doc_id, cluster, *span))
    quotes["person_id"] = pd.Series(quote_person, index=quotes.index, dtype="object")
    quotes["speaker"] = pd.Series(quote_speaker, index=quotes.index, dtype="object")

    people = people_table(docs, people_of, entity_ids, dates, quote_counts, quote_mentions(docs, attributed))
    return {
        "people": people,
        "entities": schema.conform(entities, schema.LINKED_ENTITIES),
        "quotes": schema.conform(quotes, schema.LINKED_QUOTES),
    }


def analyse_documents(items: list[tuple[str, str, list, list[tuple[int, dict]]]], run: RunNames
                      ) -> list[tuple[str, DocumentPeople, list[tuple[int, int]]]]:
    """Each document's people, and the cluster each of its quotes' speakers is: for (doc_id, text, entity
    rows, (quote row, quote) pairs) items. What comes back holds neither the text nor `run` (which
    every document shares: a worker need not send it back)."""
    analysed = []
    for doc_id, text, rows, doc_quotes in items:
        records = [q for _, q in doc_quotes]
        doc = DocumentPeople(text, rows, run=run, speakers=_speaker_names(records, text, run.person_surnames),
                             speaker_extents=_speaker_extents(records, text))
        clusters = [(row, _quote_cluster(doc, q)) for row, q in doc_quotes]
        doc.without_text()
        doc.run, doc.votes, doc.surnames = None, {}, set()
        analysed.append((doc_id, doc, clusters))
    return analysed


def _speaker_names(doc_quotes: list[dict], text: str,
                   surnames: set[str] | frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of speaker names that are surely person names (a known first name and a capitalised surname:
    `Lisa Johansson`; or alone a surname of a full person name of the run, `surnames`: `Löfven konstaterar`):
    at the quote's speaker mention, else where the text first uses the name. `doc_quotes`: a document's quote
    records."""
    spans = []
    first_at: dict[str, int] = {}      # a name's first place in the text, searched once per name, not per quote
    for q in doc_quotes:
        speaker, start, end = q.get("speaker"), q.get("speaker_start"), q.get("speaker_end")
        if not isinstance(speaker, str):
            continue
        start, end = (0, 0) if pd.isna(start) or pd.isna(end) else (start, end)
        words = speaker.split()
        surname = len(words) == 1 and (fold(words[0]) in surnames or _bare_name(speaker, q.get("speaker_mention")))
        if surname and words[0].isupper():
            continue
        if not surname and (not 2 <= len(words) <= 4 or name_gender(words[0]) == "unknown" or is_known_place(words)):
            continue
        if not all(w[:1].isupper() and not w.isupper() for w in (words[0], words[-1])):
            continue
        at = text.find(speaker, int(start), int(end))
        if at < 0:
            if speaker not in first_at:
                match = re.search(r"(?<![\w-])" + re.escape(speaker) + r"(?![\w-])", text)
                first_at[speaker] = match.start() if match else -1
            at = first_at[speaker]
        if at >= 0:
            spans.append((at, at + len(speaker)))
    return spans


def _speaker_extents(doc_quotes: list[dict], text: str) -> list[tuple[int, int]]:
    """Spans of the quote speakers written as two to four capitalised words on one line (`Park Geun-hye`),
    for `MentionFixes._extend_names`."""
    spans = []
    for q in doc_quotes:
        start, end = q.get("speaker_start"), q.get("speaker_end")
        if pd.isna(start) or pd.isna(end):
            continue
        written = text[int(start):int(end)]
        words = written.split()
        if 2 <= len(words) <= 4 and "\n" not in written and \
                all(w[:1].isupper() and not w.isupper() and w[1:2].islower() for w in words):
            spans.append((int(start), int(end)))
    return spans


def _bare_name(speaker: str, mention: object) -> bool:
    """Is a one-word speaker, written so at its mention, a name no lexicon knows as something else (`Hatt
    menar att`, `enligt Nasrin`, `Vettel som sade`): no pronoun, title, organisation or group noun, common
    word, place, party or outlet, no compound of a thing (`Förvaltningsrätten`)? The model missed 3 such
    speakers of news-sentences-dev's tuning half (R 0.974 → 0.987)."""
    word = speaker.strip()
    if not isinstance(mention, str) or mention.strip() != word or not word[:1].isupper() or \
            not word[1:].replace("-", "").islower() or len(word) < 3:
        return False
    low = word.lower()
    return not (low in person_pronouns() or title_base(word) or org_noun_base(word) or is_common_word(word) or
                is_known_place([word]) or is_group_noun(word) or name_head(word) or word in party_abbreviations() or
                fold(word) in folded_outlets())


def _quote_cluster(doc: DocumentPeople, q: dict) -> int:
    """The cluster a quote's speaker is: a name at the speaker mention; for a pronoun there, this stage's
    resolution of it when the extractor resolved it to another cluster of the document; else the extractor's
    `speaker` name; else, when the extractor left the speaker unresolved
    (empty, or the role noun itself), this stage's resolution of the role noun at the speaker mention. -1 for
    none (groups included). (This stage's `han` before the extractor's name: regeringen-dev's tuning half
    pronoun speakers 5/10 → 9/10, quote speaker accuracy 0.920 → 0.966; `sade han` after `Dan Ericssons,
    statssekreterare till landsbygdsminister Peter Kullgren` and `Ericsson inledde …` is Ericsson.)"""
    mention, speaker = q.get("speaker_mention"), q.get("speaker")
    if _several(mention):
        return -1                                   # `ILO och ITF`: a group, no one person
    span = None
    if pd.notna(q.get("speaker_start")) and pd.notna(q.get("speaker_end")):
        span = int(q["speaker_start"]), int(q["speaker_end"])
        cluster = doc.cluster_heading(*span, named_only=True)
        if cluster >= 0:
            return cluster
        if isinstance(mention, str) and fold(mention.strip()) in person_pronouns() and isinstance(speaker, str) \
                and doc.cluster_named(speaker) >= 0:       # (a name the model missed: the extractor's is kept)
            cluster = doc.cluster_at(*span)
            if cluster >= 0:
                return cluster
    if _several(speaker):
        return -1
    named = isinstance(speaker, str) and speaker.strip() != "" and not _described(speaker)
    if named:
        cluster = doc.cluster_named(speaker)
        if cluster < 0 and leading_noun(speaker.split()):          # `Utöver Gudmund Erling`: Gudmund Erling
            cluster = doc.cluster_named(speaker.split(None, 1)[1])
        wanted = _reference_label(mention)
        if cluster >= 0 and (wanted is None or doc.clusters[cluster].label == wanted):
            return cluster
        if wanted == "PER" and (cluster >= 0 or doc.not_a_person(speaker)):
            named = False                           # a pronoun names no organisation: `han` is no `Belarus`
    unresolved = not named or (isinstance(mention, str) and fold(speaker) == fold(mention)) or \
        fold(speaker) in person_pronouns() or not speaker.strip()[:1].isupper()
    if span and unresolved:
        return doc.cluster_heading(*span)
    return -1


def _described(speaker: str) -> bool:
    """Is the speaker a description whose name stands after a preposition (`direktören för Handarbetets
    vänner`, `en talesperson på Volvo`)? Then the name is not the speaker (SUC tune sentences)."""
    words = speaker.split()
    joiners = _words("phrase_joiners")
    for n, word in enumerate(words):
        if word[:1].isupper():
            return n > 1 and words[n - 1] in joiners and words[n - 1] not in ("och", "samt", "eller")
    return False


def _reference_label(mention: object) -> str | None:
    """PER for a pronoun or a person title used alone, ORG for an organisation noun, else None."""
    if not isinstance(mention, str) or len(mention.split()) != 1:
        return None
    word = mention.strip()
    if word.lower() in person_pronouns() or title_base(word.lower(), definite_only=True):
        return "PER"
    return "ORG" if org_noun_base(word.lower(), definite_only=True) else None


def _several(mention: object) -> bool:
    """Does a speaker mention join two names (`ILO och ITF`, `Putin och Lukasjenko`)? Not two compounds
    (`EU- och handelsminister Ann Linde`: 1 speaker of regeringen-dev's tuning half)."""
    if not isinstance(mention, str):
        return False
    words = mention.split()
    if len(words) >= 3 and words[1] in ("och", "samt") and words[2][:1].isupper() and words[0].islower() and \
            len(words[0]) > 4 and words[0].endswith(("en", "et", "n")):
        return True             # `regeringen och Sverigedemokraterna`: a definite noun and a name (regeringen-tune7/8)
    return bool(re.search(r"[A-ZÅÄÖ][\w-]*(?<!-)\s+(?:och|and|samt|&)\s+(?:\w+\s+)?[A-ZÅÄÖ]", mention))
