"""Quotes and their speakers."""

from pipeline.stages.quotes._all import *  # noqa: F401,F403
from pipeline.stages.quotes._all import Doc, Tok, enligt_phrase, extract_quotes  # noqa: F401
