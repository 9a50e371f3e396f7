"""The PolNeAR adapter: span metrics, the brat reader, raw-text articles, annotator weighting, the real dev split."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from conftest import eval_path
from onrecord.errors import OnrecordError
from onrecord.evaluate.polnear import article_from_raw, evaluate, parse_ann, speaker_matches
from onrecord.evaluate.spans import Span, SpanCounts, count_spans, normalise, prf
from onrecord.records import Article, Speaker, Statement


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def scores(counts: SpanCounts, kind: str) -> tuple[float, float, float]:
    s = counts.scores()[kind]
    return s["p"], s["r"], s["f1"]


# -- span metrics ---------------------------------------------------------------------------------------------

TEXT = 'He said: “We will win.” Then, she added that it was over.'


def test_normalise_trims_whitespace_quote_marks_and_punctuation() -> None:
    quote = normalise(TEXT, Span.of(at(TEXT, ' “We will win.” ')))
    assert TEXT[quote.start : quote.end] == "We will win"
    dots = Span.of(at(TEXT, ": "))
    assert normalise(TEXT, dots) == dots  # nothing left: the raw span is kept


def test_exact_and_overlap_counts() -> None:
    gold = [Span.of(at(TEXT, "“We will win.”")), Span.of(at(TEXT, "that it was over."))]
    predicted = [Span.of(at(TEXT, "We will win")), Span.of(at(TEXT, "it was over")), Span.of(at(TEXT, "He"))]
    counts = count_spans(TEXT, predicted, gold)
    assert scores(counts, "exact") == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert scores(counts, "overlap") == pytest.approx((2 / 3, 1.0, 0.8))


def test_discontinuous_gold_is_one_span_over_its_pieces() -> None:
    text = "“We will win,” she said, “and soon.”"
    gold = [Span.of(at(text, "“We will win,”"), at(text, "“and soon.”"))]
    whole = count_spans(text, [Span.of((0, len(text)))], gold)
    assert scores(whole, "exact") == (1.0, 1.0, 1.0)  # the covering span, trimmed, is an exact match
    first = count_spans(text, [Span.of(at(text, "We will win"))], gold)
    assert scores(first, "exact") == (0.0, 0.0, 0.0) and scores(first, "overlap") == (1.0, 1.0, 1.0)
    gap = count_spans(text, [Span.of(at(text, "she said"))], gold)
    assert scores(gap, "overlap") == (0.0, 0.0, 0.0)  # inside the gap: no piece overlaps
    other = Span.of(at(text, "“We will win,” she"), at(text, "“and soon.”"))
    assert scores(count_spans(text, [other], gold), "exact") == (0.0, 0.0, 0.0)  # same cover, other pieces


def test_zero_conventions_and_duplicates() -> None:
    gold = [Span.of(at(TEXT, "said"))]
    nothing = count_spans(TEXT, [], gold)
    assert scores(nothing, "exact") == (0.0, 0.0, 0.0) and nothing.gold == 1  # no predictions: p = 0
    no_gold = count_spans(TEXT, [Span.of(at(TEXT, "said"))], [])
    assert scores(no_gold, "overlap") == (0.0, 0.0, 0.0) and no_gold.predicted == 1  # no gold: r = 0
    twice = count_spans(TEXT, [Span.of(at(TEXT, "said")), Span.of(at(TEXT, " said:"))], gold)
    assert (twice.predicted, twice.exact_predicted) == (1, 1)  # equal once normalised: counted once
    assert prf(0, 0, 0, 0) == {"p": 0.0, "r": 0.0, "f1": 0.0}


def test_counts_add_with_weight() -> None:
    total = SpanCounts()
    total.add(SpanCounts(predicted=2, gold=2, exact_predicted=2, exact_gold=2), 0.5)
    total.add(SpanCounts(predicted=0, gold=1))
    assert scores(total, "exact") == pytest.approx((1.0, 0.5, 2 / 3))


# -- brat reader ----------------------------------------------------------------------------------------------

ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 20;30 40\tfirst part second part
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 50 56\tadded
T6\tContent 57 70\ta hard-wrapped
content line
T7\tAttribution-no-source 50 56\tadded
T8\tContent 80 90\tmore words
E2\tAttribution-no-source:T7 Cue:T5 Content:T6 Content2:T8 \t
T9\tDiscard 100 110\tRead more.
#1\tAnnotatorNotes T2\tA note.
"""


def test_parse_ann_relations_discontinuous_spans_and_missing_source() -> None:
    first, second = parse_ann(ANN)
    assert first.id == "E1"
    assert (first.source, first.cue) == ([Span.of((0, 5))], [Span.of((6, 10))])
    assert first.content == [Span(((11, 20), (30, 40)))] and first.content[0].is_discontinuous
    assert second.source == [] and second.cue == [Span.of((50, 56))]
    assert second.content == [Span.of((57, 70)), Span.of((80, 90))]


# -- raw articles ---------------------------------------------------------------------------------------------

RAW = ("\n  Mayor promises a bridge \n\n“We will build it,” Mayor Jane Smith said.\u00a0\nShe added that work\n"
       "would start in May.\n\n\nCouncillors said nothing. \n")


def test_article_from_raw_keeps_the_text_and_finds_paragraphs() -> None:
    article = article_from_raw(RAW)
    assert article.text == RAW and article.title == "Mayor promises a bridge"
    texts = [RAW[p.start : p.end] for p in article.paragraphs]
    assert texts == [
        "Mayor promises a bridge",
        "“We will build it,” Mayor Jane Smith said.",
        "She added that work\nwould start in May.",  # a lowercase line below continues its paragraph
        "Councillors said nothing.",
    ]
    assert [(p.section, p.kind) for p in article.paragraphs] == [("headline", "headline")] + [("body", "body")] * 3
    assert article_from_raw("").paragraphs == []


# -- speaker rule ---------------------------------------------------------------------------------------------


def statement(text: str, speaker: str | None, content: str, cue: str, source: str | None = None,
              nth: int = 0) -> Statement:
    """A hand-made statement whose spans are found in ``text``."""
    return Statement(
        article_id="x", speaker=Speaker(speaker, "person", source or ""), cue="say", mode="direct",
        kind="assertion", content=content, span=at(text, content), content_span=at(text, content),
        cue_span=at(text, cue, nth), speaker_span=at(text, source) if source else None,
    )


def test_speaker_match_by_overlap_or_last_name_but_never_by_name_against_a_pronoun() -> None:
    text = "Hillary Clinton spoke. “No,” she said. “Yes,” Clinton said. “Maybe,” he said."
    carried = statement(text, "Hillary Clinton", "No", "said")
    assert speaker_matches(text, carried, [Span.of(at(text, "Clinton", 1))])  # coreference credited by name
    assert not speaker_matches(text, carried, [Span.of(at(text, "she"))])  # gold pronoun: span overlap only
    pronoun = statement(text, "Hillary Clinton", "No", "said", source="she")
    assert speaker_matches(text, pronoun, [Span.of(at(text, "she"))])
    assert not speaker_matches(text, statement(text, None, "Maybe", "said", nth=2), [Span.of(at(text, "he said", 1))])


# -- end to end -----------------------------------------------------------------------------------------------

A_TEXT = ("Mayor promises a bridge\n\n“We will build the bridge,” Mayor Jane Smith said on Monday.\n\n"
          "She added that work would start in May.\n")
B_TEXT = "Council delays vote\n\nSpokesman Tom Reed said the vote was delayed.\nReed said it would be held in June.\n"


def brat(text: str, relations: list[dict[str, str]]) -> str:
    """A brat file for relations given as {role: (surface text, or "surface#n" for the nth occurrence)}."""
    lines, t = [], 0
    for e, relation in enumerate(relations, 1):
        refs = []
        for role, surface in relation.items():
            sub, _, nth = surface.partition("#")
            start, end = at(text, sub, int(nth or 0))
            t += 1
            lines.append(f"T{t}\t{role.rstrip('2')} {start} {end}\t{sub}")
            refs.append(f"{role}:T{t}")
        lines.append(f"E{e}\t{' '.join(refs)}")
    return "\n".join(lines) + "\n"


def polnear_folder(root: Path) -> Path:
    text, ann = root / "dev" / "text", root / "dev" / "attributions"
    text.mkdir(parents=True)
    ann.mkdir(parents=True)
    (text / "a_story.txt").write_text(A_TEXT, encoding="utf-8")
    (text / "b_story.txt").write_text(B_TEXT, encoding="utf-8")
    (ann / "a_story_aaaa.ann").write_text(brat(A_TEXT, [
        {"Source": "Mayor Jane Smith", "Cue": "said", "Content": "“We will build the bridge,”"},
        {"Source": "She", "Cue": "added", "Content": "that work would start in May"},
    ]), encoding="utf-8")
    (ann / "a_story_bbbb.ann").write_text(brat(A_TEXT, [
        {"Source": "Jane Smith", "Cue": "said", "Content": "“We will build the bridge,”"},
        {"Cue": "added", "Content": "work would start in May"},
    ]), encoding="utf-8")
    (ann / "b_story_cccc.ann").write_text(brat(B_TEXT, [
        {"Source": "Spokesman Tom Reed", "Cue": "said", "Content": "the vote was delayed"},
        {"Source": "Reed#1", "Cue": "said#1", "Content": "it would be held in June"},
    ]), encoding="utf-8")
    return root


PREDICTED = {
    "a_story": [
        statement(A_TEXT, "Jane Smith", "We will build the bridge", "said", source="Mayor Jane Smith"),
        statement(A_TEXT, "Jane Smith", "work would start in May.", "added"),  # speaker carried over
    ],
    "b_story": [
        statement(B_TEXT, "Tom Reed", "the vote was delayed", "said", source="Tom Reed"),
        statement(B_TEXT, "Tom Reed", "it would be held in June.", "said", nth=1),
    ],
}


def test_evaluate_weights_each_annotator_of_an_article_by_one_over_k(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_extract_many(articles: Iterable[Article], nlp: object) -> Iterator[tuple[Article, list[Statement]]]:
        for article in articles:
            assert article.text in (A_TEXT, B_TEXT)  # the raw text, unchanged
            yield article, PREDICTED[article.source or ""]

    monkeypatch.setattr("onrecord.extract.extract_many", fake_extract_many)
    result = evaluate(polnear_folder(tmp_path), nlp=object())
    approx = pytest.approx
    assert result["documents"] == 2
    assert result["cue"]["exact"] == approx({"p": 1.0, "r": 1.0, "f1": 1.0})
    # source: predicted 0.5 + 0.5 + 1 = 2, gold 0.5*2 + 0.5*1 + 2 = 3.5; exact 0.5; overlap 2 / 2
    assert result["source"]["exact"] == approx({"p": 0.25, "r": 1 / 7, "f1": 2 / 11})
    assert result["source"]["overlap"] == approx({"p": 1.0, "r": 4 / 7, "f1": 8 / 11})
    # content: 4 predicted, 4 gold; only annotator aaaa's "that work ..." is not an exact match (weight 0.5)
    assert result["content"]["exact"] == approx({"p": 0.875, "r": 0.875, "f1": 0.875})
    assert result["content"]["overlap"] == approx({"p": 1.0, "r": 1.0, "f1": 1.0})
    # speakers: aaaa 1/2 (gold "She" vs a carried-over speaker), bbbb 1/1 (no-source relation left out),
    # b 2/2 ("Reed" credited by name) -> (0.5 + 0.5 + 2) / (1 + 0.5 + 2)
    assert result["speaker_accuracy"] == approx(6 / 7)


def test_evaluate_end_to_end_with_the_pipeline(tmp_path: Path, nlp: object) -> None:
    result = evaluate(polnear_folder(tmp_path), split="dev", limit=2, nlp=nlp)
    assert result["documents"] == 2
    assert result["cue"]["overlap"]["r"] > 0 and result["content"]["overlap"]["r"] > 0
    assert_figures(result)


def test_missing_folder_or_split_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(OnrecordError, match="PolNeAR folder not found: .*nowhere"):
        evaluate(tmp_path / "nowhere")
    polnear_folder(tmp_path)
    with pytest.raises(OnrecordError, match=r"test[/\\]text") as err:
        evaluate(tmp_path, split="test")
    assert "\n" not in str(err.value)


def assert_figures(result: dict) -> None:
    assert set(result) == {"cue", "source", "content", "speaker_accuracy", "documents"}
    for role in ("cue", "source", "content"):
        assert set(result[role]) == {"exact", "overlap"}
        for kind in ("exact", "overlap"):
            assert set(result[role][kind]) == {"p", "r", "f1"}
            assert all(0.0 <= v <= 1.0 for v in result[role][kind].values())
    assert 0.0 <= result["speaker_accuracy"] <= 1.0


def test_real_dev_split_first_five_texts(nlp: object) -> None:
    folder = eval_path("quotes", "polnear")
    if not (folder / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR dev split not found under {folder}")
    result = evaluate(folder, split="dev", limit=5, nlp=nlp)
    assert result["documents"] == 5
    assert_figures(result)


def test_speaker_credited_for_the_antecedent_of_a_relative_pronoun() -> None:
    text = "Gov. Chris Christie, who said the senator lacks experience, left. Mr Smith met Jones, who said no."
    christie = statement(text, "Chris Christie", "the senator lacks experience", "said", source="Chris Christie")
    assert speaker_matches(text, christie, [Span.of(at(text, "who"))])  # "who" hangs on our speaker span
    smith = statement(text, "Smith", "no.", "said", nth=1, source="Smith")
    assert not speaker_matches(text, smith, [Span.of(at(text, "who", 1))])  # "who" follows Jones, not Smith


def test_workers_give_the_same_figures_as_one_process(tmp_path: Path, nlp: object) -> None:
    folder = polnear_folder(tmp_path)
    assert evaluate(folder, split="dev", workers=2) == evaluate(folder, split="dev", nlp=nlp)
    with pytest.raises(OnrecordError, match="workers must be at least 1"):
        evaluate(folder, workers=0)
