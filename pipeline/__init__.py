"""citat: who is mentioned and who said what in Swedish news."""

__version__ = "0.1.0"
