"""The explore views' data: time periods, question shares, the flow's limits, the packed columns."""

import base64
import gzip
import json
from datetime import date

import numpy as np
import pytest

from themescope.reports.figures.answer_flow import MAX_SQUARES, answer_flow
from themescope.reports.figures.over_time import period_for, period_start, topics_over_time
from themescope.reports.figures.questions import topics_by_question
from themescope.reports.html import NO_DAY, PACK_ABOVE, build_figures, pack, paragraph_columns
from themescope.runs import Run

from .test_html import _hostile_run


def _rows(n: int, questions: int = 1, dates: list[str] | None = None) -> list[dict]:
    return [
        {
            "paragraph_id": f"q{i % questions + 1}-a{i}-p1",
            "question_id": f"q{i % questions + 1}",
            "answer_id": f"q{i % questions + 1}-a{i}",
            "author": f"author {i % 3}",
            "position": 0,
            "heading": "",
            "text": f"paragraph {i}",
            "topic": i % 3 - 1,
            "x": i / 10,
            "y": -i / 10,
            "date": dates[i % len(dates)] if dates else "",
        }
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("days", "period"), [(0, "day"), (60, "day"), (61, "week"), (400, "week"), (401, "month"), (3000, "year")]
)
def test_the_period_follows_the_span(days, period):
    first = date(2020, 1, 1)
    assert period_for(first, date.fromordinal(first.toordinal() + days)) == period


def test_period_starts():
    day = date(2019, 3, 7)  # a Thursday
    assert [period_start(day, p) for p in ("day", "week", "month", "year")] == [
        day,
        date(2019, 3, 4),
        date(2019, 3, 1),
        date(2019, 1, 1),
    ]


def test_shares_over_time_make_100_per_period_and_leave_undated_rows_out():
    rows = _rows(12, dates=["2019-01-05", "2019-01-20", "2019-06-02", "no day"])
    figure = topics_over_time(rows, {0: "a", 1: "b"})
    assert figure.layout.meta["period"] == "week"
    totals = np.sum([trace.y for trace in figure.data], axis=0)
    assert np.allclose(totals, 100, atol=0.05)  # (shares rounded to 0.01)
    counted = sum(c[0] for trace in figure.data for c in trace.customdata)
    assert counted == 9  # 3 of the 12 rows have no day
    assert topics_over_time(rows, {}, "month").layout.meta["period"] == "month"


def test_question_shares_and_their_ids_for_the_page():
    rows = _rows(9, questions=3)
    figure = topics_by_question(rows, {0: "a", 1: "b"}, {"q1": "<b>first</b>"})
    trace = figure.data[0]
    assert figure.layout.meta["questions"] == ["q1", "q2", "q3"]
    assert figure.layout.meta["topics"] == [0, 1, -1]  # outliers last
    assert np.allclose(np.sum(trace.z, axis=1), 100)
    assert trace.customdata[0][0][0] == "&lt;b&gt;first&lt;/b&gt;"


def test_views_appear_only_with_what_they_show():
    rows, topics, manifest = _hostile_run()
    assert {"time", "questions"}.isdisjoint(build_figures(Run.from_documents(rows, topics, manifest)))
    for r, day in zip(rows, ["2019-01-01", "2019-02-01", "x", ""], strict=True):
        r |= {"date": day, "question_id": "q1" if day else "q2"}
    figures = build_figures(Run.from_documents(rows, topics, manifest))
    assert {"time", "questions"} <= set(figures)


def test_the_flow_keeps_every_question_and_stays_readable():
    rows = [
        {
            "paragraph_id": f"q{q}-a{a}-p{p}",
            "question_id": f"q{q}",
            "answer_id": f"q{q}-a{a}",
            "author": "x",
            "position": p,
            "text": "t",
            "topic": 0,
        }
        for q in range(1, 6)
        for a in range(1, 101)
        for p in range(20)
    ]
    flow = answer_flow(rows, {0: "a"}, 100, {"q1": "one"})
    shown = {i.rsplit("-", 1)[0] for i in flow.data[0].ids}
    assert len(flow.data[0].ids) <= MAX_SQUARES
    assert {a.split("-")[0] for a in shown} == {"q1", "q2", "q3", "q4", "q5"}
    assert f"{len(shown)} of 500 answers shown" in flow.layout.title.text
    assert len(flow.layout.shapes) == 4 and len(flow.layout.annotations) == 5


def _typed(spec: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]).newbyteorder("<"))


def test_paragraph_columns_read_back():
    rows = _rows(7, questions=2, dates=["2019-03-05", "", "2019-W10-2"])
    columns = paragraph_columns(rows, rows[:5], has_dates=True)
    assert columns["id"] == [r["paragraph_id"] for r in rows]
    assert [columns["authors"][i] for i in _typed(columns["author"])] == [r["author"] for r in rows]
    assert [columns["questions"][i] for i in _typed(columns["question"])] == [r["question_id"] for r in rows]
    assert list(_typed(columns["topic"])) == [r["topic"] for r in rows]
    assert np.allclose(_typed(columns["x"]), [r["x"] for r in rows])
    assert list(_typed(columns["on_map"])) == [1] * 5 + [0] * 2
    march_5 = (date(2019, 3, 5) - date(1970, 1, 1)).days
    assert list(_typed(columns["day"]))[:3] == [march_5, NO_DAY, march_5]


def test_large_blocks_are_gzipped_and_inert():
    small = {"text": ["</script> & <b>"]}
    assert json.loads(pack(small)) == small and "<" not in pack(small)
    large = {"text": [f"</script> {i}" for i in range(PACK_ABOVE // 10)]}
    packed = json.loads(pack(large))
    inflated = gzip.decompress(base64.b64decode(packed["gzip"])).decode("utf-8")
    assert "<" not in inflated and json.loads(inflated) == large
    assert pack(large) == pack(large)  # no timestamp in the gzip: the same run, the same file


def test_the_authors_heatmap_keeps_the_authors_with_most_paragraphs():
    from themescope.reports.figures.authors import MAX_AUTHORS, topics_by_author

    rows = [{"author": f"author {i}", "topic": 0} for i in range(100)] + [{"author": "author 99", "topic": 1}]
    figure = topics_by_author(rows, {0: "a", 1: "b"})
    assert len(figure.layout.meta["authors"]) == MAX_AUTHORS and "author 99" in figure.layout.meta["authors"]
    assert f"the {MAX_AUTHORS} of 100 authors" in figure.layout.title.text


def test_the_similarity_heatmap_of_a_large_corpus_shows_its_largest_topics():
    from themescope.reports.figures.topic_similarity import MAX_SIMILARITY_TOPICS, topic_similarity_map

    count = MAX_SIMILARITY_TOPICS + 25
    topics = [{"id": i, "label": f"topic {i}", "size": 1000 - i if i % 2 else 10} for i in range(count)]
    matrix = [[round(1.0 - abs(i - j) / count, 4) for j in range(count)] for i in range(count)]
    fig = topic_similarity_map(topics, matrix)
    heatmap = fig.data[0]
    assert len(heatmap.y) == len(heatmap.z) == MAX_SIMILARITY_TOPICS
    largest = sorted(range(count), key=lambda i: -topics[i]["size"])[:MAX_SIMILARITY_TOPICS]
    assert list(heatmap.y) == [f"{i}: topic {i}" for i in sorted(largest)]
    first, second = sorted(largest)[:2]
    assert heatmap.z[0][1] == round(matrix[first][second], 2)
    assert f"the {MAX_SIMILARITY_TOPICS} largest of {count} topics" in fig.layout.title.text
    small = topic_similarity_map(topics[:5], [row[:5] for row in matrix[:5]])
    assert len(small.data[0].z) == 5 and "largest" not in small.layout.title.text


def test_a_corpus_of_many_topics_gets_one_map_trace_and_the_largest_topics_charted():
    from themescope.reports.figures.authors import MAX_AUTHOR_TOPICS as AUTHOR_TOPICS
    from themescope.reports.figures.authors import topics_by_author
    from themescope.reports.figures.keywords import MAX_KEYWORD_TOPICS as KEYWORD_TOPICS
    from themescope.reports.figures.keywords import keyword_bars
    from themescope.reports.figures.paragraph_map import LEGEND_MAX_TOPICS, paragraph_map
    from themescope.reports.figures.style import topic_color

    count = LEGEND_MAX_TOPICS + 20
    rows = [r | {"topic": i % count, "author": "one"} for i, r in enumerate(_rows(count * 3))]
    labels = {t: f"topic {t}" for t in range(count)}
    one = paragraph_map(rows, labels, 200)
    assert len(one.data) == 1 and one.data[0].showlegend is False and len(one.data[0].x) == len(rows)
    colors = dict(zip(one.data[0].ids, one.data[0].marker.color, strict=True))
    assert all(colors[r["paragraph_id"]] == topic_color(r["topic"]) for r in rows)
    few = paragraph_map([r for r in rows if r["topic"] < 3], labels, 200)
    assert len(few.data) == 3 and {t.marker.color for t in few.data} == {topic_color(t) for t in range(3)}

    topics = [{"id": t, "label": f"topic {t}", "size": 10 + t, "keywords": [["w", 1]]} for t in range(count)]
    bars = keyword_bars(topics)
    assert [t.meta for t in bars.data] == list(range(count - KEYWORD_TOPICS, count))  # the largest
    assert f"the {KEYWORD_TOPICS} largest of {count} topics" in bars.layout.title.text
    rows += [r | {"topic": count - 1} for r in rows[:50]]
    heatmap = topics_by_author(rows, labels)
    assert len(heatmap.data[0].x) == AUTHOR_TOPICS and heatmap.layout.meta["topics"][-1] == count - 1
    assert f"the {AUTHOR_TOPICS} of {count} topics" in heatmap.layout.title.text


def test_the_map_names_its_groups_and_past_40_topics_colours_by_broad_theme():
    """The notebook's map: the names at its first view (figures/map_labels, as the page places
    them), broad themes' where the run has them; past BROAD_COLORS_ABOVE topics coloured by
    broad theme, the topic named in the hover."""
    from themescope.reports.figures.map_labels import initial_view, place_labels
    from themescope.reports.figures.paragraph_map import paragraph_map
    from themescope.reports.rules import BROAD_COLORS_ABOVE, MAP_TOPIC_LINE, PALETTE

    count = BROAD_COLORS_ABOVE + 5
    rows = [
        r | {"topic": i % count, "x": float(i % count % 3), "y": float(i % count // 9)}
        for i, r in enumerate(_rows(count * 4))
    ]
    labels = {t: f"topic <b>{t}</b>" for t in range(count)}
    themes = [
        {"id": b, "label": f"theme {b} <img src=x>", "topics": list(range(b, count, 3))} for b in range(3)
    ]
    fig = paragraph_map(rows, labels, 200, broad_themes=themes)
    texts = [a.text for a in fig.layout.annotations]
    assert texts and all(t.startswith("theme ") and "<img" not in t and "&lt;img" in t for t in texts)
    colors = dict(zip(fig.data[0].ids, fig.data[0].marker.color, strict=True))
    assert all(colors[r["paragraph_id"]] == PALETTE[r["topic"] % 3] for r in rows)
    assert MAP_TOPIC_LINE in fig.data[0].hovertemplate
    assert fig.data[0].customdata[0][4] == "0: topic &lt;b&gt;0&lt;/b&gt;"
    # without broad themes: the topics' names, as place_labels gives them
    plain = paragraph_map(rows, labels, 200)
    xs, ys = [r["x"] for r in rows], [r["y"] for r in rows]
    placed = place_labels(xs, ys, [r["topic"] for r in rows], labels, initial_view(xs, ys))
    assert [a.text for a in plain.layout.annotations] == [p["text"] for p in placed]
    assert plain.data[0].hovertemplate.endswith("%{customdata[2]}<extra></extra>")
