"""Scoring against gold data.

- `models`: UD (sentences, tokens, UPOS, lemmas, UAS/LAS) and NER (span P/R/F1) of a spaCy pipeline
- `quotes`, `people`: quotes, speakers and people of a run against the gold JSONL files
- `gold`: reading gold files, with one clear error for a malformed one
- `runs`: the tables to score: a run directory, or a fresh run over the gold texts (through `pipeline.api`)

Imports no stage internals: a run's tables are all it scores.
"""
