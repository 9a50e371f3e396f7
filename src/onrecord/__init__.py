"""onrecord: a provenance ledger for what is said in the news."""

import logging

from .errors import ConfigError, ExtractionError, IngestError, LedgerError, OnrecordError
from .records import (
    Article,
    EditorialNote,
    EntityRef,
    Expectation,
    Paragraph,
    Relay,
    Speaker,
    Statement,
    TimeRef,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ConfigError",
    "EditorialNote",
    "EntityRef",
    "Expectation",
    "ExtractionError",
    "IngestError",
    "LedgerError",
    "OnrecordError",
    "Paragraph",
    "Relay",
    "Speaker",
    "Statement",
    "TimeRef",
    "__version__",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
