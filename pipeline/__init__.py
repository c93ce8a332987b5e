"""citat: who is mentioned and who said what in Swedish news.

`from pipeline import analyse, read_run, run, export` gives the Python API (`pipeline.api`); it is
imported on first use, so `import pipeline` stays light.
"""

__version__ = "0.1.0"
API = ("analyse", "read_run", "run", "export")


def __getattr__(name: str):
    if name in API:
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
