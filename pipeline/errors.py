"""What a user can cause, as opposed to a bug.

Every `citat` command catches `CitatError` (and only it), prints its message as one line and exits with
code 2; anything else is a bug in citat and shows its traceback.
"""

from __future__ import annotations


class CitatError(Exception):
    """Something the user can fix: bad input, a missing or damaged run, an unknown model, a bad gold file."""


class InputError(CitatError):
    """An input path or record cannot be used."""


class NothingToProcess(InputError):
    """No input document could be read."""


class RunError(CitatError):
    """The run directory is missing something a stage needs, or holds a damaged table."""


class ModelError(CitatError):
    """The spaCy pipeline asked for cannot be loaded."""


class GoldError(CitatError):
    """A gold file for evaluation is missing or malformed."""
