"""One per-shard task (extract a chunk of articles) and its runners: local processes now."""

from .runner import IngestSummary, ingest_paths

__all__ = ["IngestSummary", "ingest_paths"]
