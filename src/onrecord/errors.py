"""One small error hierarchy. Messages say what went wrong and what to do next."""


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""


class IngestError(OnrecordError):
    """A file or record could not be read as an article (the message is one line, naming the reason)."""


class ExtractionError(OnrecordError):
    """The NLP pipeline could not be loaded or run."""


class LedgerError(OnrecordError):
    """The ledger database could not be opened, migrated or written."""


class ConfigError(OnrecordError):
    """A setting or user data file is invalid."""
