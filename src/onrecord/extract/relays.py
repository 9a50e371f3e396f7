"""Relays: the outlets through which an article got a statement.

"quoted by Belarus' state-run news agency BelTA", "according to RIA Novosti", "told Reuters", "in an interview
with Germany's Bild tabloid", "said on the air of the ONT TV channel", "RIA Novosti reported", "(Interfax)", a
dateline "MINSK, 28 January (BelTA) –", and a brief's ``Source:`` line. Each relay is ranked so that the chain
is ordered nearest the speaker first: the outlet spoken to, then the outlet that quoted it, then the dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Relay
from ..registry import Outlet, OutletRegistry

# (pattern on the text just before the outlet mention, cue, rank); rank 0 = the speaker's own audience
_BEFORE: tuple[tuple[re.Pattern[str], str, int], ...] = tuple(
    (re.compile(p + r"\s*$", re.I), cue, rank)
    for p, cue, rank in (
        (r"\btold(?: the)?(?: [\w'’-]+){0,4}", "tell", 0),
        (r"\b(?:in|during|gave|give|giving) (?:an? |his |her |their )?(?:[\w-]+ )?interview (?:with|to|for)(?: the)?", "interview", 0),
        (r"\b(?:on|in) the air of(?: the)?", "broadcast", 0),
        (r"\b(?:speaking|appearing|said|says|speaks) (?:on|to)(?: the)?", "broadcast", 0),
        (r"\b(?:wrote|writing|write|writes|said|says) in (?:an? |his |her |their )?(?:op-ed|article|column|piece) (?:for|in)(?: the)?", "write", 0),
        (r"\b(?:as )?(?:quoted|cited) (?:by|in)(?: the)?(?: [\w'’-]+){0,5}", "quote", 1),
        (r"\baccording to(?: the)?(?: [\w'’-]+){0,5}", "according to", 1),
        (r"\b(?:reported by|reports? (?:by|in))(?: the)?", "report", 1),
        (r"\b(?:citing|cites|cited)(?: the)?", "cite", 1),
        (r"\bwith reference to(?: the)?", "cite", 1),
        (r"\(", "attribution", 1),
    )
)
_AFTER: tuple[tuple[re.Pattern[str], str, int], ...] = tuple(
    (re.compile(r"^\s*" + p, re.I), cue, rank)
    for p, cue, rank in (
        (r"(?:has |have )?(?:learned|learnt)\b", "report", 1),
        (r"(?:has |have )?(?:reported|reports|writes|wrote|quoted|quotes|cited|cites)\b", "report", 1),
        (r"(?:news agency |agency |TV channel |channel |newspaper |daily |tabloid )?(?:reported|quoted|cited)\b", "report", 1),
    )
)
DATELINE = _DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,40}?,?\s[^()\n]{0,40}?\(([^()\n]{2,40})\)\s*[-–—]")


@dataclass(slots=True)
class FoundRelay:
    start: int
    end: int
    rank: int
    relay: Relay


def _relay(outlet: Outlet, cue: str) -> Relay:
    return Relay(outlet.name, list(outlet.profile), cue)


def relays_in(text: str, start: int, end: int, exclude: list[tuple[int, int]], registry: OutletRegistry,
              speaker: str | None = None) -> list[FoundRelay]:
    """Relays named in ``text[start:end]`` outside the ``exclude`` ranges (the reported content)."""
    found: list[FoundRelay] = []
    for s, e, outlet in registry.find(text[start:end]):
        s, e = s + start, e + start
        if any(a <= s < b for a, b in exclude) or (speaker and outlet.name == speaker):
            continue
        cue_rank = _cue_for(text, s, e, start, end)
        if cue_rank is not None:
            found.append(FoundRelay(s, e, cue_rank[1], _relay(outlet, cue_rank[0])))
    return found


def _cue_for(text: str, s: int, e: int, start: int, end: int) -> tuple[str, int] | None:
    before = text[max(start, s - 80) : s]
    for pattern, cue, rank in _BEFORE:
        if pattern.search(before):
            if cue == "attribution" and not text[e:end].lstrip().startswith(")"):
                continue
            return cue, rank
    after = text[e : min(end, e + 60)]
    for pattern, cue, rank in _AFTER:
        if pattern.search(after):
            return cue, rank
    return None


def dateline_relay(text: str, registry: OutletRegistry, article_outlet: str | None) -> Relay | None:
    """The outlet named in a dateline ("MINSK, 28 January (BelTA) –"), unless it is the article's own outlet."""
    match = None
    for para in text.split("\n\n", 2)[:2]:  # the headline or the first paragraph
        match = _DATELINE.match(para)
        if match:
            break
    if not match:
        return None
    outlet = registry.match(match.group(1))
    if outlet is None or (article_outlet and registry.match(article_outlet) == outlet):
        return None
    return _relay(outlet, "dateline")


_SOURCE_SPLIT = re.compile(
    r",?\s*(?:as )?(?:quoted by|cited by|citing|according to|with reference to|on the air of|in an interview"
    r"(?: with| to| for)?|told|on|in|for)\b", re.I)


def source_line(text: str, registry: OutletRegistry) -> tuple[str | None, list[Relay]]:
    """A brief's ``Source:`` paragraph: who was quoted (the text before the relay wording) and by which outlets."""
    relays = [r.relay for r in sorted(relays_in(text, 0, len(text), [], registry), key=lambda r: (r.rank, r.start))]
    if not relays:
        # "Source: Reuters" names only an outlet
        only = registry.match(text.strip(" .;"))
        return None, ([_relay(only, "source")] if only else [])
    head = _SOURCE_SPLIT.split(text, maxsplit=1)[0].strip(" ,;.")
    if not head or registry.match(head):
        return None, relays
    return head, relays
