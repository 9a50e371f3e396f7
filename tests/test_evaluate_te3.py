"""The TempEval-3 adapter: the TimeML reader (offsets), the TimeRef → TIMEX3 value table, the scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import eval_path
from onrecord.errors import OnrecordError
from onrecord.evaluate.te3 import Timex, evaluate, parse_tml
from onrecord.extract.timex3 import timex_value
from onrecord.records import Granularity, TimeRef

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" value="2013-03-22">March 22, 2013</TIMEX3></DCT>
<TITLE>Not part of the text</TITLE>
<TEXT>
Officials <EVENT eid="e1" class="REPORTING">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="2013-03-22">Friday</TIMEX3> \
that AT&amp;T would close by <TIMEX3 tid="t2" type="DATE" value="2030">2030</TIMEX3>. \
It opened in <TIMEX3 tid="t3" type="DATE" value="2012-03">March 2012</TIMEX3> and ran for \
<TIMEX3 tid="t4" type="DURATION" value="P1Y">a year</TIMEX3>; a meeting is set for \
<TIMEX3 tid="t5" type="TIME" value="2013-03-25TMO">Monday morning</TIMEX3>.
</TEXT>
</TimeML>
"""

PLAIN = ("\nOfficials said Friday that AT&T would close by 2030. It opened in March 2012 and ran for a year; "
         "a meeting is set for Monday morning.\n")


def test_parse_tml_plain_text_offsets_types_values_and_dct() -> None:
    doc = parse_tml(TML, "x.tml")
    assert (doc.name, doc.dct, doc.text) == ("x.tml", date(2013, 3, 22), PLAIN)
    assert doc.timexes == (
        Timex(16, 22, "DATE", "2013-03-22", "Friday"),
        Timex(48, 52, "DATE", "2030", "2030"),
        Timex(67, 77, "DATE", "2012-03", "March 2012"),
        Timex(90, 96, "DURATION", "P1Y", "a year"),
        Timex(119, 133, "TIME", "2013-03-25TMO", "Monday morning"),
    )
    assert all(doc.text[t.start : t.end] == t.text for t in doc.timexes)


def test_parse_tml_without_dct_or_text() -> None:
    assert parse_tml("<TimeML><TEXT>in <TIMEX3 type='DATE' value='2012'>2012</TIMEX3></TEXT></TimeML>").dct is None
    with pytest.raises(ValueError):
        parse_tml("<TimeML><DCT/></TimeML>")
    with pytest.raises(ValueError):
        parse_tml("<TimeML><TEXT>unclosed</TimeML>")


D = date


@pytest.mark.parametrize(
    ("start", "end", "granularity", "value"),
    [
        (D(2013, 3, 22), D(2013, 3, 22), "day", "2013-03-22"),
        (D(2013, 3, 22), D(2013, 3, 23), "day", None),  # "22-23 March"
        (D(2013, 3, 18), D(2013, 3, 24), "week", "2013-W12"),
        (D(2012, 12, 31), D(2013, 1, 6), "week", "2013-W01"),  # the ISO year
        (D(2013, 3, 23), D(2013, 3, 24), "week", "2013-W12"),  # "this weekend" lies inside the week
        (D(2013, 3, 22), D(2013, 4, 5), "week", None),  # "in two weeks"
        (D(2013, 3, 1), D(2013, 3, 31), "month", "2013-03"),
        (D(2012, 8, 1), D(2012, 8, 10), "month", "2012-08"),  # "early August" (TimeML: mod="START")
        (D(2013, 3, 22), D(2013, 5, 3), "month", None),  # "the coming weeks"
        (D(2013, 3, 1), D(2013, 5, 31), "season", "2013-SP"),
        (D(2012, 6, 1), D(2012, 8, 31), "season", "2012-SU"),
        (D(2013, 9, 1), D(2013, 11, 30), "season", "2013-FA"),
        (D(2012, 12, 1), D(2013, 2, 28), "season", "2012-WI"),
        (D(2013, 1, 1), D(2013, 2, 28), "season", "2012-WI"),  # the winter that began in December 2012
        (D(2013, 10, 1), D(2013, 12, 31), "quarter", "2013-Q4"),
        (D(2013, 1, 1), D(2013, 6, 30), "half", "2013-H1"),
        (D(2025, 7, 1), D(2025, 12, 31), "half", "2025-H2"),
        (D(2013, 3, 22), D(2013, 9, 22), "half", None),  # "the coming months"
        (D(2013, 1, 1), D(2013, 12, 31), "year", "2013"),
        (D(2013, 3, 22), D(2013, 12, 31), "year", "2013"),  # "by the end of the year"
        (D(2013, 3, 22), D(2030, 12, 31), "year", None),  # "by 2030"
    ],
)
def test_timex_value(start: date, end: date, granularity: Granularity, value: str | None) -> None:
    assert timex_value(TimeRef(start, end, "", granularity)) == value


def test_scores_on_a_small_folder(tmp_path: Path) -> None:
    (tmp_path / "x.tml").write_text(TML, encoding="utf-8")
    (tmp_path / "broken.tml").write_text("<TimeML><TEXT>", encoding="utf-8")
    result = evaluate(tmp_path)
    # found: "Friday" (DATE), "2030" out of "by 2030" (the deadline's own DATE), "March 2012" (DATE), "a year"
    # (DURATION P1Y), "Monday morning" (TIME: the nearest Monday, as the sentence has no tense marker): all exact.
    assert result["counts"] == {"gold": 5, "predicted": 5, "strict": 5, "relaxed": 5, "value": 5, "type": 5}
    assert result["value"] == pytest.approx({"p": 1.0, "r": 1.0, "f1": 1.0})
    assert result["type_accuracy"] == 1.0
    assert result["date"]["counts"] == {"gold": 3, "predicted": 3, "strict": 3, "relaxed": 3, "value": 3, "type": 3}
    assert result["by_type"]["DURATION"] == {"gold": 1, "strict_r": 1.0, "relaxed_r": 1.0, "value_r": 1.0}
    assert (result["documents"], result["failed"]) == (1, ["broken.tml"])


def test_a_wrong_value_counts_in_relaxed_but_not_in_value(tmp_path: Path) -> None:
    (tmp_path / "x.tml").write_text(TML.replace('value="2012-03"', 'value="2011-03"'), encoding="utf-8")
    result = evaluate(tmp_path)
    assert result["counts"]["relaxed"] == 5 and result["counts"]["value"] == 4
    assert result["value"] == pytest.approx({"p": 0.8, "r": 0.8, "f1": 0.8})


def test_missing_folder_is_an_onrecord_error(tmp_path: Path) -> None:
    with pytest.raises(OnrecordError, match="not found"):
        evaluate(tmp_path / "absent")


def test_real_data_shape() -> None:
    folder = eval_path("temporal_normalization", "te3_platinum")
    result = evaluate(folder, limit=3)
    assert result["documents"] == 3 and result["failed"] == []
    for scope in (result, result["date"]):
        for name in ("strict", "relaxed", "value"):
            assert set(scope[name]) == {"p", "r", "f1"}
            assert all(0.0 <= x <= 1.0 for x in scope[name].values())
    assert set(result["by_type"]) == {"DATE", "TIME", "DURATION", "SET"}
    assert result["counts"]["gold"] > 0
