"""Article → Statements: the spaCy pipeline and the attribution rules. Docs never leave this package."""

from .pipeline import RULESET, extract_article, extract_many, load_pipeline

__all__ = ["RULESET", "extract_article", "extract_many", "load_pipeline"]
