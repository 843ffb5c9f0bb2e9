"""Each figure of the report built from the sample page's real paragraphs, in-process: topics
given by a fixed rule (the answer a paragraph is in), positions from the text's length, so no
model runs. What is checked is what a reader sees: every paragraph once, counts that add up,
and corpus text escaped wherever Plotly renders it as HTML."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from themescope.corpus import read_corpus
from themescope.reports.figures.answer_mix import answer_mix
from themescope.reports.figures.authors import topics_by_author
from themescope.reports.figures.keywords import keyword_bars
from themescope.reports.figures.paragraph_map import paragraph_map
from themescope.reports.figures.style import topic_color
from themescope.reports.figures.theme_tree import theme_tree
from themescope.reports.figures.topic_similarity import topic_similarity_map

from ...conftest import SAMPLE

HOSTILE = '<img src=x onerror="window.__pwned=1">'
LABELS = {0: "sanctions", 1: "summit", 2: HOSTILE}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    corpus = read_corpus([SAMPLE])
    return [
        {
            "paragraph_id": paragraph.id,
            "question_id": question.id,
            "answer_id": answer.id,
            "author": answer.author,
            "heading": paragraph.heading or "",
            "text": paragraph.text,
            "topic": -1 if k == 0 else a % 3,  # each answer's first paragraph an outlier
            "x": float(len(paragraph.text)),
            "y": float(k),
        }
        for question in corpus.questions
        for a, answer in enumerate(question.answers)
        for k, paragraph in enumerate(answer.paragraphs)
    ]


@pytest.fixture(scope="module")
def topics(rows) -> list[dict]:
    sizes = Counter(r["topic"] for r in rows if r["topic"] >= 0)
    return [
        {"id": t, "label": LABELS[t], "size": sizes[t], "keywords": [[f"word{t}", 0.5], [HOSTILE, 0.25]]}
        for t in sorted(sizes)
    ]


def test_the_map_shows_every_paragraph_once_in_its_topics_colour(rows):
    figure = paragraph_map(rows, LABELS, max_hover_chars=80).to_plotly_json()
    shown = [pid for trace in figure["data"] for pid in trace["ids"]]
    assert sorted(shown) == sorted(r["paragraph_id"] for r in rows)
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert set(by_name) == {
        "Outliers",
        "0: sanctions",
        "1: summit",
        '2: &lt;img src=x onerror="window.__pwned=1"&gt;',
    }
    assert by_name["1: summit"]["marker"]["color"] == topic_color(1)
    assert len(by_name["Outliers"]["ids"]) == len({r["answer_id"] for r in rows})
    hover = json.dumps([trace.get("customdata") for trace in figure["data"]], ensure_ascii=False)
    assert "<img" not in hover and "<" not in "".join(by_name)


def test_the_authors_heatmap_counts_each_paragraph_of_each_author(rows):
    figure = topics_by_author([r for r in rows if r["topic"] >= 0], LABELS).to_plotly_json()
    heatmap = figure["data"][0]
    cells = (
        dict(zip(heatmap["y"], heatmap["z"], strict=True)) if len(heatmap["y"]) == len(heatmap["z"]) else {}
    )
    total = sum(sum(row) for row in heatmap["z"])
    assert total == sum(1 for r in rows if r["topic"] >= 0)
    assert cells or heatmap["z"]  # one row (or column) per author
    assert not any("<img" in str(name) for name in (*heatmap["x"], *heatmap["y"]))


def test_keyword_bars_one_panel_per_topic_with_escaped_words(topics):
    figure = keyword_bars(topics).to_plotly_json()
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert len(bars) == len(topics)
    words = [str(w) for trace in bars for w in trace["y"]]
    assert "word0" in words and not any("<img" in w for w in words)
    assert any("&lt;img" in w for w in words)
    assert keyword_bars([]).to_plotly_json()["layout"]["title"]["text"] == "No topics were found"


def test_the_theme_tree_boxes_are_as_wide_as_their_topics(topics):
    themes = [{"id": 0, "label": HOSTILE, "topics": [0, 1]}, {"id": 1, "label": "talks", "topics": [2]}]
    figure = theme_tree(topics, themes).to_plotly_json()
    upper, lower = figure["data"][:2]
    size = {t["id"]: t["size"] for t in topics}
    assert [c[1] for c in upper["customdata"]] == [0, 1] and [c[1] for c in lower["customdata"]] == [0, 1, 2]
    assert list(upper["x"] if "width" not in upper else upper["width"]) == [size[0] + size[1], size[2]]
    assert "<img" not in json.dumps(figure["data"], ensure_ascii=False, default=str)


def test_the_similarity_heatmap_names_each_topic_and_keeps_the_matrix(topics):
    matrix = [[1.0, 0.25, -0.5], [0.25, 1.0, 0.0], [-0.5, 0.0, 1.0]]
    heatmap = topic_similarity_map(topics, matrix).to_plotly_json()["data"][0]
    assert [list(row) for row in heatmap["z"]] == matrix
    assert list(heatmap["x"]) == list(heatmap["y"]) and len(heatmap["x"]) == 3
    assert heatmap["x"][0] == "0: sanctions" and "<" not in "".join(heatmap["x"])


def test_the_answer_mix_gives_each_answers_shares_sorted_by_mix(rows, topics):
    answers = list(dict.fromkeys((r["question_id"], r["answer_id"]) for r in rows))
    figure = answer_mix(rows, topics, []).to_plotly_json()  # no broad themes: one column per topic
    trace, meta = figure["data"][0], figure["layout"]["meta"]
    assert meta["level"] == "topic" and meta["columns"] == [0, 1, 2, -1]
    assert sorted(map(tuple, meta["answers"])) == sorted(answers)
    for answer, shares in zip(meta["answers"], trace["z"], strict=True):
        members = [r for r in rows if [r["question_id"], r["answer_id"]] == answer]
        expected = [sum(r["topic"] == t for r in members) / len(members) for t in meta["columns"]]
        assert shares == [round(e, 4) for e in expected]
    # Grouped by the column most of each answer is in, the most single-minded first.
    mains = [max(range(4), key=lambda c: (z[c], -c)) for z in trace["z"]]
    assert mains == sorted(mains)
    assert all(
        a[mains[i]] >= b[mains[i]]
        for i, (a, b) in enumerate(zip(trace["z"], trace["z"][1:], strict=False))
        if mains[i] == mains[i + 1]
    )
    # Names as text: the label's markup escaped in the columns, hover and ticks.
    assert any("&lt;img src=x onerror=" in x for x in trace["x"]) and not any("<img" in x for x in trace["x"])
    assert all("<" not in t for t in figure["layout"]["yaxis"]["ticktext"])


def test_the_answer_mix_by_broad_theme(rows, topics):
    themes = [{"id": 0, "label": HOSTILE, "size": 1}, {"id": 1, "label": "rest", "size": 1}]
    parented = [t | {"parent": 0 if t["id"] == 0 else 1} for t in topics]
    figure = answer_mix(rows, parented, themes).to_plotly_json()
    trace, meta = figure["data"][0], figure["layout"]["meta"]
    assert meta["level"] == "broad_theme" and meta["columns"] == [0, 1, -1]
    assert all(abs(sum(z) - 1) < 1e-3 for z in trace["z"])
    assert "&lt;img" in trace["x"][0] and "<img" not in trace["x"][0]
