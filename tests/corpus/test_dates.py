"""Records' dates: what names a day, what does not, and the warning that lists the latter."""

import json
from datetime import date

import pytest

from themescope.corpus import read_corpus
from themescope.corpus.dates import parse_date

DAY = date(2019, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2019-03-05",
        "20190305",
        "2019-W10-2",
        "2019-064",
        "2019-03-05T23:30:00+08:00",  # the writer's own day, not UTC's
        "2019-03-05T12:30:00Z",
        "2019-03-05 12:30",
        " 2019-03-05\n",
        "2019/3/5",
        "2019.03.05",
        "2019年3月5日",
        "2019 年 3 月 5 日",
    ],
)
def test_iso_8601_and_year_first_dates_name_the_day(text):
    assert parse_date(text) == DAY


def test_reduced_precision_names_the_first_day():
    assert parse_date("2019-03") == date(2019, 3, 1)
    assert parse_date("2019") == date(2019, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "03/05/2019",  # day or month first: it reads two ways, so it is not guessed
        "5/3/2019",
        "2019-02-30",
        "2019-13",
        "2019-366",
        "٢٠١٩-٠٣-٠٥",  # Arabic-Indic digits: not ISO 8601
        "２０１９年３月５日",  # full-width digits
        "<img src=x onerror=alert(1)>",
        "1551744000",  # a Unix time is a number, not a date
    ],
)
def test_what_names_no_day_is_none(text):
    assert parse_date(text) is None


def test_dates_that_name_no_day_are_listed_with_their_lines_and_kept(tmp_path):
    records = [
        {"question": "Q", "author": "a", "text": "An answer long enough to keep.", "date": "2019-03-05"},
        {"question": "Q", "author": "b", "text": "Another answer long enough.", "date": "last spring"},
        {"question": "Q", "author": "c", "text": "A third answer long enough.", "date": "03/05/2019"},
    ]
    path = tmp_path / "dated.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    corpus = read_corpus([path])
    assert [a.date for a in corpus.questions[0].answers] == ["2019-03-05", "last spring", "03/05/2019"]
    (warning,) = [w for w in corpus.warnings if "date" in w]
    assert (
        "2 date(s)" in warning
        and f"{path}:2 'last spring'" in warning
        and f"{path}:3 '03/05/2019'" in warning
    )


def test_dates_far_from_the_others_fall_outside_the_fences():
    from datetime import date

    from themescope.corpus.dates import date_fences

    days = [date(2024, 3, d) for d in range(1, 31)]
    first, last = date_fences([*days, date(9999, 12, 31), date(1900, 1, 1)])
    assert first <= date(2024, 3, 1) and date(2024, 3, 30) <= last  # the bulk is in
    assert last < date(9999, 12, 31) and first > date(1900, 1, 1)  # the placeholders are out
    assert first <= date(2014, 3, 16) and date(2034, 3, 14) <= last  # ten years at least
    # Spread over decades: ten median deviations, not ten years.
    spread = [date(1990 + y, 6, 1) for y in range(30)]
    assert date_fences([*spread, date(1970, 1, 1)])[0] <= date(1970, 1, 1)
    assert date_fences([date(2024, 1, 1), date(9999, 12, 31)]) is None  # two: neither is odd
    first, last = date_fences([date(1, 1, 1), date(1, 1, 2), date(9999, 12, 31)])
    assert first == date.min and last < date(12, 1, 1)  # clamped to the calendar
