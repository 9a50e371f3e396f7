"""The structure parser shared by every reader: headline, paragraphs, labelled sections, bullets, notes.

``build_article(title, body)`` turns a headline and a body text into an :class:`~onrecord.records.Article` whose
``text`` is the headline, a blank line, then every kept paragraph separated by blank lines; each
:class:`~onrecord.records.Paragraph` points at its text exactly (``text[p.start:p.end]``, no surrounding space).

How the body is cut into paragraphs:

* line endings are normalised and every line is stripped;
* if the body has blank lines, blank lines separate paragraphs and the text is taken to be hard-wrapped: the
  lines of one paragraph are joined with single spaces (a bullet line or a label line still starts a new one);
* if the body has no blank line at all, every non-empty line is a paragraph (trafilatura's output, feeds).

Then, paragraph by paragraph: whole-paragraph boilerplate (:data:`BOILERPLATE`) is dropped and listed in
``Article.removed``; a leading brief label (:data:`LABELS`) sets the section of this and the following paragraphs and
is cut from the text (a label standing alone only sets the section); a bullet marker makes the paragraph a "bullet"
and is cut; a first paragraph repeating the headline is dropped. Editors' bracketed notes (``[... – ed.]``) stay in
the text and are listed in ``Article.notes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import IngestError
from ..records import Article, EditorialNote, Paragraph, ParagraphKind

#: Labels of labelled briefs (Ukrainska Pravda style), lower case → the section name stored.
LABELS: dict[str, str] = {
    name.lower(): name
    for name in ("Source", "Details", "Quote", "Previously", "Background", "Update", "For reference", "Context",
                 "Reminder")
}
_LABEL = re.compile(r"^(" + "|".join(re.escape(k) for k in LABELS) + r")\s*:\s*", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-–—•*●▪■◦►]|\d{1,3}[.)])\s+")

#: Whole short paragraphs (or, in hard-wrapped text, whole lines) that are never the article's words. Each pattern
#: must match the whole paragraph (case-insensitive, trailing punctuation allowed) and is only tried on paragraphs of
#: at most ``_BOILERPLATE_MAX`` characters: an ordinary sentence that mentions "support" or "share" is never removed.
_SOCIAL = r"(?:facebook|twitter|x|telegram|instagram|youtube|tiktok|linkedin|whatsapp|viber|google news|email)"
BOILERPLATE: tuple[str, ...] = (
    r"support (?:(?-i:UP)|ukrainska pravda|our (?:work|journalism|newsroom)|independent journalism)\b.*",
    r".{0,80}\bbecome (?:our|a) patron\b.*",
    r"(?:please )?donate(?: now| today| here)?|donate to (?:us|(?-i:UP)|ukrainska pravda|our \w+)\b.*",
    r"subscribe to (?:our|the) .*(?:telegram|newsletter|channel|youtube|updates|mailing list).*",
    r"(?:join|follow) us on " + _SOCIAL + r"\b.{0,80}",
    r"(?:read|see) (?:also|more)(?:\s*[:>»\-–—].*)?|(?-i:READ ALSO|READ MORE)\b.*",
    r"related(?: articles?| news| stories)?\s*:.*",
    r"other topics of interest\b.*|(?:more|other) stories\s*:.*",  # teasers of other articles (Kyiv Post)
    r"skip to (?:end of carousel|main content|content)\b.*",
    r"share(?: this(?: article| story| post| page)?| on " + _SOCIAL + r"| via " + _SOCIAL + r")",
    r"advertisement|advertising|sponsored content",
    r"click here to (?:get|read|subscribe|download|sign up|join)\b.*",
    r".{0,100}\bsign up (?:for|to) (?:our|the|[\w.]+'s) (?:\w+ )?newsletter\b.*",
    r"more\b.{0,60}\b(?:on|can be found on) (?:the )?(?:[\w.]+'s )?main page\b.*",
    r"we use cookies\b.*",
    r"subscribe to (?:continue|keep) reading\b.*",
    r"(?:this|the) (?:article|content) is (?:available )?(?:only )?for (?:subscribers|members)\b.*",
)
_BOILERPLATE_MAX = 250
_BOILERPLATE_RE = re.compile(r"(?:" + "|".join(BOILERPLATE) + r")[\s.!:]*", re.IGNORECASE)

#: Editors' insertions: ``[... – ed.]``, ``(... - ed.)``, ``[ed. note: ...]``, ``[Editor's note: ...]``.
_NOTES = re.compile(
    r"\[[^\[\]\n]{1,400}?[\s,]*[-–—,]\s*ed(?:\.|itor\b)\s*\]"
    r"|\([^()\n]{1,400}?[\s,]*[-–—,]\s*ed(?:\.|itor\b)\s*\)"
    r"|\[\s*(?:ed\.?|editor'?s|editorial)\s*note\b[^\[\]\n]{0,600}\]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the caller says about an input; it wins over what the file says (title: single-article files only)."""

    outlet: str | None = None
    published: date | None = None
    title: str | None = None


@dataclass(slots=True)
class _Para:
    text: str
    section: str
    kind: ParagraphKind


@dataclass(slots=True)
class _Parsed:
    paragraphs: list[_Para] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Unix line endings, no BOM, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return "\n".join(line.rstrip() for line in text.replace("\ufeff", "").split("\n"))


def split_headline(text: str) -> tuple[str, str]:
    """The first non-empty line and the rest."""
    lines = normalise(text).strip().split("\n", 1)
    return lines[0].strip(), (lines[1] if len(lines) > 1 else "")


def is_boilerplate(paragraph: str) -> bool:
    """Whether a whole paragraph is a donation appeal, share prompt, "Read also" link, cookie or paywall line."""
    text = paragraph.strip()
    return len(text) <= _BOILERPLATE_MAX and _BOILERPLATE_RE.fullmatch(text) is not None


def _units(body: str) -> Iterator[str]:
    """The paragraph candidates of a body text (see the module docstring)."""
    lines = [line.strip() for line in normalise(body).strip().split("\n")]
    if "" not in lines:
        yield from lines
        return
    current: list[str] = []
    for line in lines + [""]:
        alone = is_boilerplate(line)
        if current and (not line or alone or _LABEL.match(line) or _BULLET.match(line)):
            yield " ".join(current)
            current = []
        if alone:
            yield line
        elif line:
            current.append(line)


def _strip_markers(unit: str, section: str) -> tuple[str, str, ParagraphKind]:
    """The paragraph text without its label and bullet marker, the section it sets or keeps, and its kind."""
    text = unit
    if label := _LABEL.match(text):
        section = LABELS[label.group(1).lower()]
        text = text[label.end():].strip()
    if bullet := _BULLET.match(text):
        return text[bullet.end():].strip(), section, "bullet"
    return text, section, "body"


def _parse_body(body: str) -> _Parsed:
    parsed, section = _Parsed(), "body"
    for unit in _units(body):
        if is_boilerplate(unit):
            parsed.removed.append(unit)
            continue
        text, section, kind = _strip_markers(unit, section)
        if not text:
            continue
        if is_boilerplate(text):
            parsed.removed.append(unit)
            continue
        parsed.paragraphs.append(_Para(text, section, kind))
    return parsed


def same_text(a: str, b: str) -> bool:
    """Equal but for case, spacing and a final full stop (a body line repeating the headline)."""
    return " ".join(a.split()).casefold().rstrip(".") == " ".join(b.split()).casefold().rstrip(".")


def _layout(title: str, paras: list[_Para]) -> tuple[str, list[Paragraph]]:
    parts, paragraphs, offset = [title], [Paragraph(0, len(title), "headline", "headline")], len(title)
    for para in paras:
        offset += 2
        paragraphs.append(Paragraph(offset, offset + len(para.text), para.section, para.kind))
        parts.append(para.text)
        offset += len(para.text)
    return "\n\n".join(parts), paragraphs


def find_notes(text: str) -> list[EditorialNote]:
    """Every editor's bracketed note in ``text``, with offsets into it."""
    return [EditorialNote(m.start(), m.end(), m.group(0)) for m in _NOTES.finditer(text)]


def _mark_editorial(paragraphs: list[Paragraph], notes: list[EditorialNote]) -> None:
    whole = {(n.start, n.end) for n in notes}
    for para in paragraphs:
        if para.kind != "headline" and (para.start, para.end) in whole:
            para.kind = "editorial"


def build_article(title: str, body: str, **meta: Any) -> Article:
    """Parse ``body`` under the headline ``title`` into an Article; ``meta`` are the other Article fields.

    An empty ``title`` takes the first line of ``body``. Raises IngestError when no body paragraph is left.
    """
    title = " ".join(title.split())
    if not title:
        title, body = split_headline(body)
        title = " ".join(title.split())
    parsed = _parse_body(body)
    if parsed.paragraphs and same_text(parsed.paragraphs[0].text, title):
        parsed.paragraphs.pop(0)
    if not title or not parsed.paragraphs:
        raise IngestError("no article text after removing boilerplate" if parsed.removed
                          else "no article text after the headline")
    text, paragraphs = _layout(title, parsed.paragraphs)
    notes = find_notes(text)
    _mark_editorial(paragraphs, notes)
    return Article(title=title, text=text, paragraphs=paragraphs, notes=notes, removed=parsed.removed, **meta)


def parse_plain_text(text: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
                     published: date | None = None, lang: str = "en", source: str | None = None) -> Article:
    """A plain-text article: the first non-empty line is the headline unless ``title`` is given."""
    return build_article(title or "", text, url=url, outlet=outlet, published=published, lang=lang, source=source)
