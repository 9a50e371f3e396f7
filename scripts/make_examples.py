"""Build the demo corpus ``examples/wikinews.jsonl`` (and ``examples/README.md``) from the SemEval-2015 Task 4 corpus.

    python scripts/make_examples.py            # write examples/wikinews.jsonl and examples/README.md
    python scripts/make_examples.py --score    # print the candidate scores over all 120 articles, write nothing
    python scripts/make_examples.py --check    # rebuild in memory and compare with the files on disk

The source is read in place (never copied): ``../shared/eval/timeline/semeval2015_task4_timeline`` (override with
``--source``). Its texts are English Wikinews articles (CC BY 2.5, "Wikinews contributors"); the annotated corpus is
CC BY 3.0, (c) 2015 FBK, VUA, EHU (Minard et al., SemEval 2015).

Which files are read, per article:

- the CAT XML (``corpus_N/corpus_trackA_CAT`` for the test corpora, ``Corpus-trial-data_task4_events_timelines`` for
  the trial set): ``src_url`` (the Wikinews page) and the tokens with their sentence numbers. Sentence 0 is the
  headline, sentence 1 the dateline ("March 01 , 2008"), sentences 2.. the body.
- the TimeML twin (``.tml``): the DCT (document creation time), checked against the dateline. The dateline wins when
  they differ (they do in 5 of the 120 articles, none of them chosen: the DCT is then off by days or a month, or
  written 03-02-2009).
- every TimeML version of the article, for paragraph breaks: the only one with any is the first trial release of
  article 3065 (blank lines between ``<s>`` elements). Everywhere else each article's text is one line of sentences,
  so the body is written as ONE paragraph (no paragraphs are invented).

The title is the Wikinews page title, taken from ``src_url`` (the ``doc_name`` is truncated and loses punctuation);
it matches the headline sentence. The dateline is not repeated in the text.

Detokenisation (``detokenize``) undoes the tokeniser and nothing else: PTB quotes (`` '') become curly double quotes
“ ” (straight " in the trial set too, by pairing), single quotes ` ' become ‘ ’ while apostrophes stay ', clitics
('s n't 're ...) and punctuation attach, currency signs attach to their amounts, "#" before an amount is the PTB
spelling of "£" and is written back as "£", "--" is written as a spaced em dash (an en dash between two numbers), and
a period the sentence splitter doubled after an abbreviation ("Co. .") is dropped, and words the tokeniser split are
rejoined ("I' m", "O' Leary", "Apple ' s", "US $ 199", "Wal - Mart"). No word is added, removed or reworded.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "eval" / "timeline" / "semeval2015_task4_timeline"
OUT_JSONL = ROOT / "examples" / "wikinews.jsonl"
OUT_README = ROOT / "examples" / "README.md"

# corpus key -> (CAT folder, TimeML folder), relative to the source root
CORPORA = {
    "corpus_1": ("SemEval_Task4_data/corpus_1/corpus_trackA_CAT", "SemEval_Task4_data/corpus_1/corpus_trackA_TimeML"),
    "corpus_2": ("SemEval_Task4_data/corpus_2/corpus_trackA_CAT", "SemEval_Task4_data/corpus_2/corpus_trackA_TimeML"),
    "corpus_3": ("SemEval_Task4_data/corpus_3/corpus_trackA_CAT", "SemEval_Task4_data/corpus_3/corpus_trackA_TimeML"),
    "trial": ("Corpus-trial-data_task4_events_timelines", "Corpus-trial-data_task4_events_timelines_TimeML"),
}
CORPUS_TOPIC = {"corpus_1": "airlines, Airbus, Boeing", "corpus_2": "auto industry", "corpus_3": "stock markets",
                "trial": "Apple"}

# The chosen articles: (corpus, doc id, what it shows); written out by topic set, then by date. Picked from the
# ``--score`` ranking (quotes, attributions, outlet relays, dated statements, forward-looking claims), keeping every
# topic set represented and leaving out articles whose text carries visible debris (image markup such as "150px",
# run-in photo captions, wiki indentation colons) or amounts in euros that the tokeniser turned into "$".
CHOSEN: tuple[tuple[str, str, str], ...] = (
    # corpus_1: airlines, Airbus, Boeing
    ("corpus_1", "73808", "Boeing and Airbus CEOs quoted; 'according to the company'; first flight and deliveries "
                          "'expected' in August/September and May 2008"),
    ("corpus_1", "87805", "one quote relayed two ways: 'Detik.com quoted Djamal as saying' vs 'Xinhua translated the "
                          "quote as'; 'told reporters'"),
    ("corpus_1", "100911", "13 direct quotations from named speakers (Boeing spokesman, senators, USAF, EADS); "
                           "'by 2010-11', 'tested in 2010'"),
    ("corpus_1", "106653", "Boeing spokeswoman and CEO quoted; delivery 'around 2020, and not 2015'; in production "
                           "'until at least 2014'"),
    ("corpus_1", "128016", "'stated on Thursday'; 'The China Daily newspaper reported'; deliveries 'expected to start "
                           "in 2011'"),
    ("corpus_1", "149731", "relay through a magazine ('Der Spiegel cited confidential documents'); 'according to "
                           "Airbus spokesman'; 'before the end of the month'"),
    ("corpus_1", "276079", "quotes from ANA and Boeing executives (says/adds/enthused/claims); 'next month'"),
    # corpus_2: auto industry
    ("corpus_2", "31706", "union and analyst quotes, 'according to Automotive analyst'; plant closures 'by the end of "
                          "this year', 'in 2008', 'in 2012'"),
    ("corpus_2", "121134", "GM CEO quoted; 'might run out of money by March', 'repay all its loans by 2017', "
                           "decision 'due by the end of next month'"),
    ("corpus_2", "127227", "Obama speech with 15 quoted fragments ('he stated that ...'); 'today'"),
    ("corpus_2", "127248", "GM CEO press conference, 19 quoted fragments; bankruptcy 'between 60 and 90 days', "
                           "'years, not months'"),
    ("corpus_2", "127461", "'announced on Friday'; 'Automotive News reports'; 'completed in October', 'after 2011'"),
    ("corpus_2", "143480", "'he told the BBC'; 'according to the company's vice president'; 'on Wednesday'"),
    ("corpus_2", "264435", "'announced on Friday'; 'according to analyst'; 'finalized by June 10', 'by the end of this "
                           "year'"),
    # corpus_3: stock markets
    ("corpus_3", "61327", "'Reuters reported that ...'; 'indicated on Monday', 'signaled on Tuesday'"),
    ("corpus_3", "112579", "relays: 'according to the Associated Press', 'according to The New York Times', 'said in a "
                           "statement to The New York Times'; 'Thursday', 'Friday'"),
    ("corpus_3", "113330", "US Treasury press release and Bush quoted; 'For the next year, the U.S. Treasury will "
                           "insure ...'"),
    ("corpus_3", "131162", "Bernanke, a strategist and Trichet quoted, with a nested quotation; 'on Friday'"),
    ("corpus_3", "180695", "'The Reuters news agency reports'; 'according to some reports'; P&G spokeswoman and a "
                           "senator quoted; 'yesterday'"),
    # trial: Apple
    ("trial", "1664", "Jobs keynote: Leopard 'would be released in 2007', Intel switch 'beginning next year'"),
    ("trial", "10718", "'according to Times Online', 'according to The Register'; price change 'within the next six "
                       "months, Apple announced this morning'"),
    ("trial", "16983", "Jobs and an analyst quoted; Lion 'to be released in mid-2011', 'next summer', 'within 90 "
                       "days', 'starting next month'"),
    ("trial", "17036", "Jobs quoted; 'said yesterday', 'on June 24', 'on July 2'; free 'until September 30'; Consumer "
                       "Reports"),
    ("trial", "17174", "'According to The New York Times', 'The Wall Street Journal reported', anonymous sources"),
    ("trial", "17677", "'The New York Times reported that someone familiar with the situation said'; 'announced "
                       "Monday'; memo text"),
)

MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December"), start=1)}


# --------------------------------------------------------------------------------------------------- reading


@dataclass
class Doc:
    corpus: str
    doc_id: str
    url: str
    title: str
    published: date
    dateline: str
    headline: list[str]
    body: list[list[str]]  # sentences of tokens, sentence 2 onwards
    paragraph_starts: set[int] = field(default_factory=set)  # index into body of sentences that open a paragraph
    notes: list[str] = field(default_factory=list)


def _id_of(path: Path) -> str:
    return re.match(r"\d+", path.name).group(0)  # type: ignore[union-attr]


def _find(folder: Path, doc_id: str, suffix: str) -> Path:
    hits = [p for p in folder.glob(f"{doc_id}*{suffix}") if _id_of(p) == doc_id]
    if len(hits) != 1:
        raise SystemExit(f"{folder}: expected one {suffix} file for doc {doc_id}, found {len(hits)}")
    return hits[0]


def _paragraph_breaks(source: Path, doc_id: str) -> set[int]:
    """Sentence ids that open a new paragraph, from any TimeML version of the article that keeps line breaks."""
    starts: set[int] = set()
    for tml in sorted(source.rglob("*.tml")):
        if _id_of(tml) != doc_id:
            continue
        text = tml.read_text(encoding="utf-8")
        body = text[text.find("<TEXT>"):text.find("</TEXT>")]
        for m in re.finditer(r"</s>(\s*)<s id=\"(\d+)\"", body):
            if "\n" in m.group(1):
                starts.add(int(m.group(2)))
    return starts


def load(source: Path, corpus: str, doc_id: str) -> Doc:
    cat_dir, tml_dir = (source / d for d in CORPORA[corpus])
    cat = ET.parse(_find(cat_dir, doc_id, ".xml")).getroot()
    sentences: dict[int, list[str]] = defaultdict(list)
    for tok in cat.iter("token"):
        sentences[int(tok.get("sentence", "-1"))].append(tok.text or "")
    order = sorted(sentences)
    if order != list(range(len(order))) or len(order) < 3:
        raise SystemExit(f"{doc_id}: unexpected sentence numbering {order[:5]}...")

    tml = ET.parse(_find(tml_dir, doc_id, ".tml")).getroot()
    dct_el = tml.find("DCT/TIMEX3")
    if dct_el is None:
        raise SystemExit(f"{doc_id}: no DCT")
    dct = dct_el.get("value", "")
    dateline = " ".join(sentences[1])
    m = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}) , (\d{4})", dateline)
    printed = date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))) if m and m.group(1) in MONTHS else None
    notes = []
    try:
        dct_date: date | None = date.fromisoformat(dct)
    except ValueError:
        dct_date = None
        notes.append(f"DCT {dct!r} is not an ISO date")
    if printed is None and dct_date is None:
        raise SystemExit(f"{doc_id}: neither a dateline nor a DCT gives the date")
    if printed is not None and dct_date is not None and printed != dct_date:
        notes.append(f"dateline {dateline!r} does not match DCT {dct_date}; the dateline is used")
    # the dateline is what Wikinews printed under the headline; the DCT annotation is wrong in a few articles
    published = printed or dct_date
    assert published is not None

    src_url = cat.get("src_url", "")
    if not src_url.startswith("http://en.wikinews.org/wiki/"):
        raise SystemExit(f"{doc_id}: unexpected src_url {src_url!r}")
    page = src_url.removeprefix("http://en.wikinews.org/wiki/")  # the raw page title, e.g. "..._9%_drop_..."
    title = page.replace("_", " ")
    # percent-encoded as MediaWiki writes its links (' " % £ are escaped), over https
    url = "https://en.wikinews.org/wiki/" + urllib.parse.quote(page, safe=";@$!*(),/~:")

    doc = Doc(corpus=corpus, doc_id=doc_id, url=url, title=title, published=published, dateline=dateline,
              headline=sentences[0], body=[sentences[i] for i in order[2:]], notes=notes)
    if detokenize(doc.headline).replace(OPEN_D, '"').replace(CLOSE_D, '"') != title:
        doc.notes.append(f"headline {detokenize(doc.headline)!r} differs from the page title")
    doc.paragraph_starts = {i - 2 for i in _paragraph_breaks(source, doc_id) if i > 2}
    return doc


def all_ids(source: Path) -> list[tuple[str, str]]:
    out = []
    for corpus, (cat_dir, _) in CORPORA.items():
        out += [(corpus, _id_of(p)) for p in sorted((source / cat_dir).glob("*.xml"))]
    return out


# --------------------------------------------------------------------------------------------------- detokenising

CLITICS = {"'s", "'S", "n't", "N'T", "'re", "'ve", "'ll", "'d", "'m", "'RE", "'VE", "'LL", "'D", "'M"}
CONTRACTION_TAILS = {"s", "re", "ve", "ll", "d", "m", "t"}
CURRENCY = {"$", "US$", "USD$", "CA$", "AU$", "NZ$", "HK$", "£", "€", "¥", "GB£"}
NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", "%", ")", "]", "}"}
NO_SPACE_AFTER = {"(", "[", "{"}
# spaced hyphens that are word-internal in the original (the trial tokeniser split these words)
JOIN_HYPHEN = {"Wal-Mart", "iTunes-compatible", "Macintosh-curious"}
OPEN_D, CLOSE_D, OPEN_S, CLOSE_S = "“", "”", "‘", "’"


def _is_number(tok: str) -> bool:
    return bool(re.fullmatch(r"[\d.,]+(bn|m|k)?", tok)) and any(c.isdigit() for c in tok)


def _wordlike(tok: str | None) -> bool:
    return tok is not None and any(c.isalnum() for c in tok)


def _normalise(tokens: list[str]) -> list[str]:
    """Token-level repairs of tokeniser artefacts; word tokens themselves are left as they are."""
    out: list[str] = []
    for tok in tokens:
        # a quote glued to the next word: ''I' -> '' I'
        m = re.fullmatch(r"(``|'')(\S+)", tok)
        if m:
            out += [m.group(1), m.group(2)]
        else:
            out.append(tok)
    toks: list[str] = []
    for i, tok in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else ""
        prev = toks[-1] if toks else ""
        if tok == "#" and nxt[:1].isdigit():
            tok = "£"  # PTB spelling of the pound sign
        if tok == "." and prev.endswith(".") and len(prev) > 1:
            continue  # the splitter doubled the period of an abbreviation at a sentence end ("Co. .")
        if tok == "$" and prev in ("US", "GB") and nxt[:1].isdigit():
            toks[-1] = prev + "$"
            continue
        if tok == "£" and prev == "GB":
            toks[-1] = "GB£"
            continue
        if (prev == "I'" and tok in CONTRACTION_TAILS) or (prev == "O'" and tok[:1].isupper()):
            toks[-1] = prev + tok  # I' m -> I'm, O' Leary -> O'Leary
            continue
        if prev == "O" and re.fullmatch(r"'[A-Z]\w+", tok):
            toks[-1] = prev + tok  # O 'Reilly -> O'Reilly
            continue
        if prev == "'" and tok in CONTRACTION_TAILS and len(toks) >= 2 and _wordlike(toks[-2]):
            toks.pop()
            toks[-1] = toks[-1] + "'" + tok  # Apple ' s -> Apple's, we ' re -> we're
            continue
        if prev == "-" and len(toks) >= 2 and f"{toks[-2]}-{tok}" in JOIN_HYPHEN:
            toks.pop()
            toks[-1] = toks[-1] + "-" + tok
            continue
        toks.append(tok)
    return toks


PARA = "\x00PARAGRAPH"  # marker token for a paragraph break


def detokenize(tokens: list[str]) -> str:
    """Readable prose from PTB-style tokens; a ``PARA`` token stands for a paragraph break."""
    toks = _normalise(tokens)
    pieces: list[tuple[str, bool, bool]] = []  # (text, glue to previous, glue to next)
    double_open = False
    single_open = False
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if tok == PARA:
            pieces.append((PARA, True, True))
        elif tok in ("``", "''", '"'):
            if tok == "``":
                opening = True
            elif tok == "''":  # PTB direction, unless nothing is open and the quotation starts here ("facts: ''I'd")
                opening = not double_open and nxt is not None and nxt not in NO_SPACE_BEFORE
            else:  # straight quote: pair by position
                opening = not double_open and (nxt is None or nxt not in NO_SPACE_BEFORE)
            double_open = opening
            pieces.append((OPEN_D, False, True) if opening else (CLOSE_D, True, False))
        elif tok == "`":
            single_open = True
            pieces.append((OPEN_S, False, True))
        elif tok == "'":
            if single_open:
                single_open = False
                pieces.append((CLOSE_S, True, False))
            elif prev and prev[-1] in "sSzZ" and _wordlike(prev):
                pieces.append(("'", True, False))  # plural possessive: Airbus' best
            else:
                single_open = True
                pieces.append((OPEN_S, False, True))
        elif re.fullmatch(r"'[A-Za-z]{2,}", tok) and tok not in CLITICS:
            single_open = True  # 'switch ' -> ‘switch’
            pieces.append((OPEN_S + tok[1:], False, False))
        elif tok in CLITICS:
            pieces.append((tok, True, False))
        elif tok == "--":
            if prev and nxt and _is_number(prev) and _is_number(nxt):
                pieces.append(("–", True, True))
            else:
                pieces.append(("—", False, False))
        elif tok == "-" and nxt in ("and", "or") and i + 2 < len(toks) and "-" in toks[i + 2]:
            pieces.append(("-", True, False))  # suspended hyphen: medium- and short-haul
        elif tok == "...":  # spaced, but kept against a closing mark: 'more thing...",' / 'trade...]'
            glue = nxt in ("''", "]", ")", ",", ".", ";", ":") or (nxt == '"' and double_open)
            pieces.append((tok, glue and not (prev or "").endswith("."), False))
        elif tok == "/":
            pieces.append((tok, True, True))
        elif tok == "+" and prev and prev[-1].isdigit():
            pieces.append((tok, True, False))
        elif tok in CURRENCY and nxt and nxt[:1].isdigit():
            pieces.append((tok, False, True))
        elif tok in NO_SPACE_BEFORE:
            pieces.append((tok, True, False))
        elif tok in NO_SPACE_AFTER:
            pieces.append((tok, False, True))
        else:
            pieces.append((tok, False, False))
    out: list[str] = []
    for i, (text, glue_prev, _) in enumerate(pieces):
        if text == PARA:
            out.append("\n\n")
            continue
        if i and not glue_prev and not pieces[i - 1][2]:
            out.append(" ")
        out.append(text)
    return "\n\n".join(p.strip() for p in "".join(out).split("\n\n") if p.strip())


def body_text(doc: Doc) -> str:
    tokens: list[str] = []
    for i, sent in enumerate(doc.body):
        if i in doc.paragraph_starts:
            tokens.append(PARA)
        tokens += sent
    return detokenize(tokens)


# --------------------------------------------------------------------------------------------------- scoring

OUTLETS = ("Reuters", "Associated Press", "AP", "Bloomberg", "BBC", "CNN", "CNBC", "Fox News", "AFP",
           "Agence France-Presse", "Financial Times", "Wall Street Journal", "New York Times", "Washington Post",
           "Times Online", "The Times", "Guardian", "Telegraph", "Independent", "Forbes", "MarketWatch",
           "Dow Jones Newswires", "Detroit News", "Detroit Free Press", "Seattle Times", "Seattle Post-Intelligencer",
           "USA Today", "Los Angeles Times", "Chicago Tribune", "Xinhua", "Kyodo", "Yonhap", "Interfax", "RIA Novosti",
           "Handelsblatt", "Der Spiegel", "Spiegel", "Le Monde", "Les Echos", "La Stampa", "Corriere della Sera",
           "Frankfurter Allgemeine", "Süddeutsche", "Sky News", "ABC News", "NBC", "CBS", "NPR", "Channel NewsAsia",
           "Straits Times", "Jakarta Post", "Antara", "China Daily", "People's Daily", "Nikkei business daily",
           "Flight International", "Aviation Week", "Automotive News", "Engadget", "Macworld", "CNET", "Wired",
           "TechCrunch", "AppleInsider", "9to5Mac", "Gizmodo", "ZDNet", "Ars Technica", "The Register", "Variety",
           "Billboard", "Fortune", "BusinessWeek", "Business Week", "The Economist", "Newsweek", "Time magazine",
           "Daily Mail", "Evening Standard", "Sydney Morning Herald", "The Age", "Globe and Mail", "Toronto Star",
           "Irish Times", "RTÉ", "RTE", "Deutsche Welle", "Euronews", "Al Jazeera", "Bild", "Detik.com",
           "GovExec.com", "HotNews", "CNNMoney.com", "Consumer Reports", "PC World")
SPEECH = r"said|says|say|told|tells|stated|states|added|explained|commented|remarked|noted|announced|claimed|" \
         r"warned|argued|insisted|predicted|confirmed|according to"
FUTURE = (r"\bwill\b[^.]{0,80}\b(by|in|until|before|from)\s+(\d{4}|the (first|second|third|fourth|end|start)"
          r"|early|late|mid|next|January|February|March|April|May|June|July|August|September|October|November"
          r"|December)", r"\bnext (year|month|week|quarter|decade|spring|summer|autumn|fall|winter)\b",
          r"\bin the (first|second) half\b", r"\b(later|early|earlier|late) (this|next) (year|month|decade)\b",
          r"\bby the end of\b", r"\bby (early |late |mid-)?\d{4}\b", r"\bin \d{4}\b(?=[^.]*\b(will|expect|plan))",
          r"\b(is|are|was|were) (due|expected|scheduled|set|planned) to\b", r"\bwithin the next\b",
          r"\b(plans|intends|aims) to\b", r"\bforecasts?\b|\bpredict(s|ed)?\b|\bexpects?\b")
WHEN = r"\b(on|last|this|next) (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\byesterday\b|" \
       r"\btoday\b|\bthis (morning|afternoon|week)\b|\blast (week|month|year|night)\b|\bearlier (today|this)\b|" \
       r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"


def score(doc: Doc, text: str) -> dict[str, Any]:
    quotes = min(text.count(OPEN_D), text.count(CLOSE_D))
    speech = len(re.findall(rf"\b({SPEECH})\b", text))
    according = len(re.findall(r"\baccording to\b", text, re.I))
    outlets = sorted({o for o in OUTLETS if re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text)})
    relays = len(re.findall(r"\b(told|telling|tells|said to|speaking to|interview with|in an interview)\b"
                            r"[^.]{0,40}\b(" + "|".join(re.escape(o) for o in OUTLETS) + r")\b", text))
    relays += len(re.findall(r"\b(according to|reported by|reports? from|quoted by|reported|reports)\b\s+(the\s+)?("
                             + "|".join(re.escape(o) for o in OUTLETS) + r")\b", text))
    relays += len(re.findall(r"\b(" + "|".join(re.escape(o) for o in OUTLETS) + r")\s+(reported|reports|said|quoted)",
                             text))
    when = len(re.findall(WHEN, text))
    future = sum(len(re.findall(p, text)) for p in FUTURE)
    words = len(text.split())
    total = (2 * quotes + speech + 3 * according + 3 * len(outlets) + 4 * relays + when + 1.5 * future)
    return {"score": total, "quotes": quotes, "speech": speech, "according": according, "outlets": len(outlets),
            "relays": relays, "when": when, "future": future, "words": words, "outlet_names": ", ".join(outlets)}


# --------------------------------------------------------------------------------------------------- output


def record(doc: Doc) -> dict[str, str]:
    return {"url": doc.url, "title": doc.title, "outlet": "Wikinews", "published": doc.published.isoformat(),
            "lang": "en", "text": body_text(doc)}


def _md(s: str) -> str:
    return s.replace("|", "\\|")


README_HEAD = """\
# Demo corpus: 25 English Wikinews articles

`wikinews.jsonl` holds one news article per line, in the shape `onrecord ingest` reads:

```json
{"url": "...", "title": "...", "outlet": "Wikinews", "published": "YYYY-MM-DD", "lang": "en", "text": "..."}
```

`title` is the Wikinews page title, `url` the page (https, percent-encoded as MediaWiki writes it), `published` the
date Wikinews printed under the headline (the dateline; it is also the corpus's document creation time), and `text`
the article body without headline or dateline. `make demo` ingests this folder and runs a short tour of queries.

The articles were chosen for being dense in what onrecord records: statements with named speakers ("X said",
"according to X", direct quotations), statements relayed through other outlets ("told the BBC", "according to the
Associated Press", "Reuters reported"), dates of statements ("on Tuesday", "yesterday") and forward-looking claims with
a time window ("deliveries expected to start in 2011", "next year", "by the end of this year"). They cover the four
topic sets of the source corpus: airlines and aircraft makers (Airbus, Boeing), the auto industry (GM, Chrysler, Ford),
stock markets and the financial crisis, and Apple. `python scripts/make_examples.py --score` prints the ranking the
choice was made from.

## Source and licence

- **Text**: English Wikinews articles, by Wikinews contributors, licensed under
  [Creative Commons Attribution 2.5](https://creativecommons.org/licenses/by/2.5/) (CC BY 2.5). Each article's page
  is linked in the table below and in the `url` field of its line.
- **Taken from**: the SemEval-2015 Task 4 "TimeLine: Cross-Document Event Ordering" corpus, © 2015 FBK (Fondazione
  Bruno Kessler), VUA (VU University Amsterdam), EHU (University of the Basque Country), licensed under
  [Creative Commons Attribution 3.0 Unported](https://creativecommons.org/licenses/by/3.0/) (CC BY 3.0). Minard, A.-L.,
  Speranza, M., Agirre, E., Aldabe, I., van Erp, M., Magnini, B., Rigau, G., Urizar, R. (2015): *SemEval-2015 Task 4:
  TimeLine: Cross-Document Event Ordering*. Proceedings of SemEval 2015, pp. 778–786,
  <https://doi.org/10.18653/v1/S15-2132>.
- **Changes**: the corpus stores each article as Penn-Treebank-style tokens split into sentences. The text here was
  detokenised by [`scripts/make_examples.py`](../scripts/make_examples.py) and is otherwise unchanged: the words and
  their order are those of the corpus. Detokenising means: punctuation, clitics ('s, n't) and currency signs
  re-attached; PTB quote marks (`` '') written as curly quotes “ ” and single quotation marks as ‘ ’ (apostrophes
  stay '); "#" before an amount written as "£" (the tokeniser's spelling of the pound sign); "--" written as an em
  dash (an en dash between two numbers); a period the sentence splitter had doubled after an abbreviation dropped.
- **Paragraphs**: the corpus keeps no paragraph breaks (every article is one line of sentences), so each `text` is a
  single paragraph; no breaks were invented.
- Rebuild with `python scripts/make_examples.py` (reads the corpus in place from
  `../shared/eval/timeline/semeval2015_task4_timeline`); `--check` verifies that these files match a rebuild.

## Known artefacts of the source, left as they are

- Opening square brackets of editorial insertions inside quotations were lost before tokenisation in the three test
  sets: “GM's] behaviour”, “perpetuate] the bad business decisions”, “n] either one”, “aircraft] from Europe”.
  The Apple (trial) set kept them (“the work [it has] done”).
- General Arthur Lichte's last quotation in the Northrop Grumman article has no closing mark in the corpus (“This
  will be an American tanker, ... saving American lives. Boeing had initially ...”); the text keeps it unclosed.
- Dashes written " - " in the original stay " - ".
- In the three test sets the tokeniser wrote euro amounts as "$" (e.g. "$57 million (US$78 million)"); articles where
  that shows were left out, but a "$" in an Airbus or European context may still stand for euros.
- The Steve Jobs memo in the medical-leave article was a block quotation without quote marks; it runs on in the text
  ("... which reads: Team, At my request, ...").

## Articles
"""


def readme(docs: list[Doc]) -> str:
    why = {doc_id: reason for _, doc_id, reason in CHOSEN}
    lines = [README_HEAD.replace("25 English", f"{len(docs)} English"),
             "| # | Title | Published | Source URL | Licence | Set (doc id) | What it shows |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for n, d in enumerate(docs, start=1):
        lines.append(f"| {n} | {_md(d.title)} | {d.published.isoformat()} | <{d.url}> | CC BY 2.5, Wikinews "
                     f"contributors | {CORPUS_TOPIC[d.corpus]} ({d.doc_id}) | {_md(why[d.doc_id])} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--score", action="store_true", help="print the ranking of all candidates; write nothing")
    parser.add_argument("--check", action="store_true", help="fail if the files on disk differ from a rebuild")
    args = parser.parse_args()
    source: Path = args.source
    if not source.is_dir():
        raise SystemExit(f"source corpus not found: {source}")

    if args.score:
        rows = []
        for corpus, doc_id in all_ids(source):
            doc = load(source, corpus, doc_id)
            rows.append((doc, score(doc, body_text(doc))))
        rows.sort(key=lambda r: -r[1]["score"])
        chosen = {d for _, d, _ in CHOSEN}
        print(f"{'':1} {'score':>5} {'q':>3} {'sp':>3} {'acc':>3} {'out':>3} {'rel':>3} {'when':>4} {'fut':>3} "
              f"{'words':>5}  corpus    id       title | outlets")
        for doc, s in rows:
            print(f"{'*' if doc.doc_id in chosen else ' '} {s['score']:5.1f} {s['quotes']:3} {s['speech']:3} "
                  f"{s['according']:3} {s['outlets']:3} {s['relays']:3} {s['when']:4} {s['future']:3} "
                  f"{s['words']:5}  {doc.corpus:9} {doc.doc_id:8} {doc.title[:70]} | {s['outlet_names']}")
        return 0

    docs = [load(source, corpus, doc_id) for corpus, doc_id, _ in CHOSEN]
    docs.sort(key=lambda d: (list(CORPORA).index(d.corpus), d.published, int(d.doc_id)))  # by topic set, then date
    for d in docs:
        for note in d.notes:
            print(f"note {d.doc_id}: {note}", file=sys.stderr)
    jsonl = "".join(json.dumps(record(d), ensure_ascii=False) + "\n" for d in docs)
    md = readme(docs)
    if args.check:
        same = OUT_JSONL.read_text(encoding="utf-8") == jsonl and OUT_README.read_text(encoding="utf-8") == md
        print("up to date" if same else "examples/ differs from a rebuild")
        return 0 if same else 1
    OUT_JSONL.parent.mkdir(parents=True, exist_ok=True)
    OUT_JSONL.write_text(jsonl, encoding="utf-8")
    OUT_README.write_text(md, encoding="utf-8")
    print(f"wrote {len(docs)} articles to {OUT_JSONL.relative_to(ROOT)} and {OUT_README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
