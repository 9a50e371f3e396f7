"""Shipped reference data and its loaders: the outlet registry (with profile tags and where each comes from) and
the entity gazetteer (names, aliases, roles, demonyms; spaCy EntityRuler patterns). Each is merged with an optional
user JSON file named by the ``outlets_file`` / ``gazetteer_file`` settings."""

from .gazetteer import (
    ENTRY_KINDS,
    GAZETTEER_VERSION,
    SPACY_LABELS,
    Entry,
    Gazetteer,
    Role,
    load_gazetteer,
)
from .outlets import (
    OUTLET_KINDS,
    OUTLETS_VERSION,
    PROFILE_TAGS,
    Outlet,
    OutletRegistry,
    load_outlets,
)

__all__ = [
    "ENTRY_KINDS",
    "GAZETTEER_VERSION",
    "OUTLETS_VERSION",
    "OUTLET_KINDS",
    "PROFILE_TAGS",
    "SPACY_LABELS",
    "Entry",
    "Gazetteer",
    "Outlet",
    "OutletRegistry",
    "Role",
    "load_gazetteer",
    "load_outlets",
]
