"""Reading: bytes, files, folders, feeds, HTML, JSONL and stdin → :class:`~onrecord.records.Article`, or a
:class:`~onrecord.records.Failure` with a one-line reason. No NLP here.

>>> from onrecord.ingest import parse_plain_text
>>> article = parse_plain_text("Talks in Geneva\\n\\nSource: Reuters\\n\\nThe talks resumed on Monday.")
>>> [(article.text[p.start:p.end], p.section) for p in article.paragraphs]
[('Talks in Geneva', 'headline'), ('Reuters', 'Source'), ('The talks resumed on Monday.', 'Source')]
"""

from .dates import parse_date
from .files import iter_articles, read_bytes, sniff
from .structure import build_article, parse_plain_text

__all__ = ["build_article", "iter_articles", "parse_date", "parse_plain_text", "read_bytes", "sniff"]
