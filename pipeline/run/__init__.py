"""Running stages over a run directory: the machinery, not the linguistics.

- `schema`: every table's columns and dtypes, `conform` and `validate` (the interface between stages)
- `registry`: `@stage`, the one declaration per stage; refuses a table with two writers
- `runner`: runs the registered stages over a run directory (batches, skip/resume) or in memory
- `fingerprint`: digests of code, word lists, model files and input tables that decide what is up to date
- `store`: Parquet I/O (atomic writes) and run.json
- `progress`, `export` (CSV), `report` (the terminal summary)

This package's `__init__` imports nothing, so that stages can import `schema` and `registry` cheaply.
"""
