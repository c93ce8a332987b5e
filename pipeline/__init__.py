"""citat: who is mentioned and who said what in Swedish news.

`from pipeline import analyse, read_run, show, export` gives the Python API (`pipeline.api`), imported on
first use so that `import pipeline` stays light. Running a corpus into a run directory is
`pipeline.api.run` (`pipeline.run` is the package of the run machinery).
"""

__version__ = "0.1.0"
API = ("analyse", "read_run", "show", "export")


def __getattr__(name: str):
    if name in API:
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
