"""A progress bar for long stages: documents done and words per second; silent when asked or off a terminal."""

from __future__ import annotations

import sys
import time

from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress


class Progress:
    def __init__(self, label: str, total: int, quiet: bool = False) -> None:
        self.label, self.total = label, total
        self.enabled = not quiet and sys.stderr.isatty()
        self.words, self.started = 0, time.perf_counter()
        self._bar: RichProgress | None = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("docs · {task.fields[wps]:,.0f} words/s"),
                TimeRemainingColumn(),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=self.total, wps=0.0)
        return self

    def advance(self, documents: int, words: int) -> None:
        self.words += words
        if self._bar is not None:
            self._bar.update(self._task, advance=documents, wps=self.words_per_second)

    @property
    def words_per_second(self) -> float:
        return self.words / max(time.perf_counter() - self.started, 1e-9)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
