"""Readers and converters for the Swedish training corpora in ``shared/corpora``.

Every reader yields plain Python sentence records (dicts) so that they can be tested on tiny
inline samples; the ``*_docbin`` helpers turn them into spaCy ``DocBin`` files in a work folder
(default ``training/``, which git ignores).

Formats handled:

* CoNLL-U (UD Talbanken), incl. range/empty-node lines and ``SpaceAfter=No``;
* Eukalyptus pseudo-CoNLL-U (ids from 1001, sub-token ids like ``1003a``, lemmas ``_`` for
  punctuation/foreign words, compound lemmas ``fack|fientlig``);
* UNER ``.iob2`` (columns ``id token tag - -``, ``# text``, ``# newdoc id``);
* IO ``token label`` lines (swedish-ner-corpus: tab or spaces, ``0``/``O`` outside, no B-/I-);
* JSONL (absabank ``text``; suc3 ``tokens``/``ner_tags``).
"""

from __future__ import annotations

from pipeline.model.corpora.build import (
    CYRILLIC,
    DEFAULT_WORK_DIR,
    NAME_LOCALES,
    NER_LABELS,
    QUOTE_VARIANTS,
    add_paragraph_breaks,
    augment_ud_sentence,
    convert_all,
    group,
    name_pool,
    sentences_to_doc,
    substitute_names,
    transliterate,
    write_docbin,
    write_io,
    write_raw_text,
)
from pipeline.model.corpora.harmonise import (
    ARTICLES,
    DEPONENT_FORMS,
    FIXED_KEPT,
    MISSING_DEP,
    NEGATIONS,
    PERSONAL_PRONOUNS,
    PREPOSITION_PARTICLES,
    fix_roots,
    harmonise_v1_deps,
    normalise_v1_pos,
    punct_to_next_conjunct,
    stanza_lemmas,
)
from pipeline.model.corpora.readers import (
    NORNE_MAP,
    SOFT_HYPHEN,
    SUC_MAP,
    TALBANKEN_LEMMAS,
    Sentence,
    clean_word,
    eukalyptus_lemma,
    io_to_spans,
    read_absabank_texts,
    read_conllu,
    read_eukalyptus,
    read_io,
    read_iob2,
    read_jsonl,
    read_norne,
    read_suc3_ner,
    spaces_from_text,
)

__all__ = [
    "ARTICLES",
    "CYRILLIC",
    "DEFAULT_WORK_DIR",
    "DEPONENT_FORMS",
    "FIXED_KEPT",
    "MISSING_DEP",
    "NAME_LOCALES",
    "NEGATIONS",
    "NER_LABELS",
    "NORNE_MAP",
    "PERSONAL_PRONOUNS",
    "PREPOSITION_PARTICLES",
    "QUOTE_VARIANTS",
    "SOFT_HYPHEN",
    "SUC_MAP",
    "Sentence",
    "TALBANKEN_LEMMAS",
    "add_paragraph_breaks",
    "augment_ud_sentence",
    "clean_word",
    "convert_all",
    "eukalyptus_lemma",
    "fix_roots",
    "group",
    "harmonise_v1_deps",
    "io_to_spans",
    "name_pool",
    "normalise_v1_pos",
    "punct_to_next_conjunct",
    "read_absabank_texts",
    "read_conllu",
    "read_eukalyptus",
    "read_io",
    "read_iob2",
    "read_jsonl",
    "read_norne",
    "read_suc3_ner",
    "sentences_to_doc",
    "spaces_from_text",
    "stanza_lemmas",
    "substitute_names",
    "transliterate",
    "write_docbin",
    "write_io",
    "write_raw_text",
]
