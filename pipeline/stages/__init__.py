"""The five stages, each declared once with `@stage` (`pipeline.run.registry`): what it reads and writes.

- `ingest`: input files → documents
- `segment`: documents → paragraphs, sentences, tokens (the spaCy pipeline, paragraph by paragraph)
- `entities`: documents, tokens → entities (model NER, outlet list, in-document consistency)
- `quotes/`: documents, paragraphs, sentences, tokens, entities → quotes (rules over the text and tags)
- `people/`: documents, entities, quotes → people, linked_entities, linked_quotes (across the run)

A stage never imports another; what two stages share lives in `pipeline.lexicon` or `pipeline.text`.
"""
