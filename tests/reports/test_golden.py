"""Golden fixtures: what Python computes for the rules the page computes again.

``tests/golden/page.json`` holds Python's answers on small cases (escaping, excerpts, names,
period starts, the authors' and the flow's caps, a curation replayed); the page's tests
(``tests/js/*.test.js``, run by ``test_page_js.py``) check its modules give the same. This test
writes the file again when a rule changed it, and fails once so the change is seen (commit it).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np

from themescope.curation.anchors import EXCERPT_CHARS, excerpt
from themescope.curation.replay import replay
from themescope.reports import rules
from themescope.reports.figures.answer_flow import _answers_by_question, answer_flow
from themescope.reports.figures.authors import topics_by_author
from themescope.reports.figures.map_labels import place_labels
from themescope.reports.figures.over_time import period_start, topics_over_time
from themescope.reports.figures.paragraph_map import HOVER, paragraph_map
from themescope.reports.figures.style import esc

from ..conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "page.json"
EPOCH = date(1970, 1, 1)

TEXTS = [
    "plain",
    "<img src=x onerror=alert(1)> & 100% of %{y}",
    "$& $1 $$ $' {label} {id}",
    "美俄關係的未來取決於雙方能否在烏克蘭問題上找到共識，而這一點目前看來仍然十分困難。",
    "a" * 58 + "  \u3000b",  # whitespace where the cut falls: dropped before the "…"
    "x" * 59 + "\x1c\x1d" + "y" * 5,  # whitespace to Python's str.rstrip, not to JavaScript's \s
    "y" * 59 + "\ufeff" + "z" * 5,  # and the other way round: kept
    "emoji 😀😀😀 " * 8,  # characters outside the BMP count as one
    "lone \ud800 surrogate",
    "  leading\t\ttabs\n\nand\u2028lines\u00a0nbsp\u3000ideographic  ",
    "",
]


def _escape_cases() -> list[dict]:
    return [
        {"text": t, "limit": limit, "out": esc(t, limit)}
        for t in TEXTS
        for limit in (None, 10, 60, rules.CHARS["map_heading"])
    ]


def _excerpt_cases() -> list[dict]:
    return [{"text": t, "chars": n, "out": excerpt(t, n)} for t in TEXTS for n in (EXCERPT_CHARS, 5)]


def _period_cases() -> list[dict]:
    days = [date(2017, 2, 14), date(2016, 2, 29), date(2019, 12, 30), date(2000, 1, 1), date(1969, 12, 31)]
    days += [date(2018, 1, 1) + timedelta(days=k * 37) for k in range(12)]
    return [
        {"day": (d - EPOCH).days, "period": p, "out": (period_start(d, p) - EPOCH).days}
        for d in days
        for p in rules.PERIODS
    ]


def _name_cases() -> list[dict]:
    cases = [(-1, "ignored"), (0, "sanctions"), (7, "$& {label} <b>"), (12, "")]
    return [
        {
            "id": t,
            "label": label,
            "name": rules.topic_name(t, label),
            "time_hover": rules.TIME_HOVER.replace(
                "{name}", esc(rules.topic_name(t, label), rules.CHARS["time_hover_name"])
            ),
        }
        for t, label in cases
    ]


def _map_hover_cases() -> list[dict]:
    """The map's hover text of hostile paragraphs: rules.MAP_HOVER with its fields filled (the
    page writes each point's text itself)."""
    rows = [
        {
            "paragraph_id": f"q1-a{i}-p1",
            "author": a,
            "heading": h,
            "text": t,
            "topic": i % 2,
            "x": 0.0,
            "y": 0.0,
        }
        for i, (a, h, t) in enumerate(
            [
                ("<b>ann</b> & co", "", TEXTS[1]),
                ("鬼影147951010" * 9, "heading %{y} " * 12, TEXTS[3] * 9),
                ("$& bob", "a" * 79 + "\x1c b", TEXTS[9]),
            ]
        )
    ]
    figure = paragraph_map(rows, {0: "a", 1: "b"}, 200).to_plotly_json()
    cases = []
    for trace in figure["data"]:
        for pid, data in zip(trace["ids"], trace["customdata"], strict=True):
            text = HOVER.replace("<extra></extra>", "")
            for i, value in enumerate(data):
                text = text.replace(f"%{{customdata[{i}]}}", value)
            row = next(r for r in rows if r["paragraph_id"] == pid)
            cases.append(
                {"row": [pid, row["author"], row["heading"], row["topic"], row["text"]], "hover": text}
            )
    return cases


def _time_share_cases() -> list[dict]:
    """Each topic's share of a period's paragraphs, as the time figure rounds it: one year
    per (paragraphs of topic 0, paragraphs in the year)."""
    pairs = [
        (1, 32),
        (3, 8),
        (5, 8),
        (1, 160),
        (3, 160),
        (1, 3),
        (2, 3),
        (1, 7),
        (7, 16),
        (1, 2000),
        (1, 1),
        (1, 400),
    ]
    rows = []
    for year, (n, total) in enumerate(pairs, start=2000):
        for k in range(total):
            rows.append(
                {
                    "paragraph_id": f"q1-a{year}-p{k + 1}",
                    "answer_id": f"q1-a{year}",
                    "topic": 0 if k < n else 1,
                    "date": f"{year}-06-01",
                }
            )
    figure = topics_over_time(rows, {0: "a", 1: "b"}, "year")
    shares = next(t for t in figure.data if t.meta == 0).y
    return [{"n": n, "total": total, "share": share} for (n, total), share in zip(pairs, shares, strict=True)]


def _flow_row_cases() -> list[dict]:
    """The answer flow's row names: rules.FLOW_ROW, the author cut and escaped."""
    authors = ["ann", "<i>bob</i> & %{x}", "鬼影147951010" * 5, "$& {answer}"]
    rows = [
        {
            "paragraph_id": f"q1-a{k + 1}-p1",
            "question_id": "q1",
            "answer_id": f"q1-a{k + 1}",
            "author": a,
            "position": 0,
            "topic": 0,
            "text": "t",
        }
        for k, a in enumerate(authors)
    ]
    names = answer_flow(rows, {0: "a"}, 200).layout.yaxis.ticktext
    return [
        {"author": a, "answer": f"q1-a{k + 1}", "name": name}
        for k, (a, name) in enumerate(zip(authors, names, strict=True))
    ]


def _authors_case() -> dict:
    """More topics than the heatmap's cap, with ties at the cut: the page keeps the same ones."""
    rows = []
    for t in range(rules.MAX_AUTHOR_TOPICS + 8):
        for k in range(1 + (t * 7) % 5):  # 1-5 paragraphs a topic: many ties
            rows.append(
                {"paragraph_id": f"q1-a{t}-p{k + 1}", "author": f"author {k % 3}", "topic": (t * 17) % 48}
            )
    figure = topics_by_author(rows, {t: f"topic {t}" for t in range(48)})
    return {
        "rows": [[r["paragraph_id"], r["author"], r["topic"]] for r in rows],
        "authors": figure.layout.meta["authors"],
        "topics": figure.layout.meta["topics"],
    }


def _flow_cases() -> list[dict]:
    """One question's answers as (answer id, paragraphs): the answers its flow shows."""
    shapes = [
        [1500, 1500],  # the second would pass rules.FLOW_MAX_SQUARES
        [3000],  # one answer is always shown
        [1] * 100,  # rules.FLOW_MAX_ANSWERS
        [700, 700, 500, 90, 20, 5],
    ]
    cases = []
    for sizes in shapes:
        answers = [[f"q1-a{k}", n] for k, n in enumerate(sizes)]
        rows = [{"question_id": "q1", "answer_id": a} for a, n in answers for _ in range(n)]
        cases.append({"answers": answers, "shown": _answers_by_question(rows)})
    return cases


# A small run's paragraphs and the edits a reader makes in the page, replayed by curation.replay.
PARAGRAPHS = [
    ("q1-a0-p1", "US sanctions on Russia  widen\tagain", 0),
    ("q1-a0-p2", "Sanctions hurt the Russian economy", 0),
    ("q1-a1-p1", "Russia pivots to China for trade", 1),
    ("q1-a1-p2", "The pivot east is slow", 1),
    ("q1-a2-p1", "The Helsinki summit changed little", 2),
    ("q1-a2-p2", "Summits make headlines, not policy", 2),
    ("q1-a3-p1", "An outlier about the weather", -1),
    ("q1-a3-p2", "NATO's eastern members worry", 3),
]
LABELS = {0: "sanctions", 1: "pivot", 2: "summit", 3: "alliances"}
EDITS = [
    {"op": "rename", "topic": 1, "label": 'Pivot "east" \\ $& \u202e'},
    {"op": "move", "paragraphs": ["q1-a2-p1"], "to": 1},
    {"op": "merge", "topics": [3, 0], "label": ""},
    {"op": "split", "paragraphs": ["q1-a0-p2", "q1-a1-p2"], "label": "New topic 4"},
    {"op": "move", "paragraphs": ["q1-a3-p1"], "to": 0},
    {"op": "move", "paragraphs": ["q1-a2-p2"], "to": -1},
]


def replayed(assignments: list[int], labels: dict[int, str], edits: list[dict]):
    """The edits as curation steps, replayed: each topic named by any paragraph in it (the
    page names it by its most central one; which does not change what the step does)."""
    from themescope.curation.anchors import AnchorReport, ResolvedStep

    current = list(assignments)
    ids = [p[0] for p in PARAGRAPHS]
    steps = []

    def row_in(topic: int) -> int:
        return current.index(topic)

    for number, edit in enumerate(edits, start=1):
        op = edit["op"]
        if op == "rename":
            rows = [row_in(edit["topic"])]
            step = ResolvedStep(number, "rename", rows, None, edit["label"])
        elif op == "merge":
            rows = [row_in(t) for t in sorted(edit["topics"])]
            step = ResolvedStep(number, "merge", rows, None, edit["label"] or None)
        elif op == "move":
            rows = [ids.index(p) for p in edit["paragraphs"]]
            to = "outliers" if edit["to"] < 0 else row_in(edit["to"])
            step = ResolvedStep(number, "move", rows, to, None)
        else:
            rows = [ids.index(p) for p in edit["paragraphs"]]
            step = ResolvedStep(number, "split", rows, None, edit["label"])
        step.anchors = [AnchorReport(ids[r], "held") for r in rows]
        steps.append(step)
        current = replay(np.array(assignments), labels, steps).assignments.tolist()
    return replay(np.array(assignments), labels, steps)


def _replay_case() -> dict:
    curated = replayed([p[2] for p in PARAGRAPHS], LABELS, EDITS)
    return {
        "paragraphs": [list(p) for p in PARAGRAPHS],
        "topics": [
            {"id": t, "label": label, "representative": [p[0] for p in PARAGRAPHS if p[2] == t][::-1]}
            for t, label in LABELS.items()
        ],
        "next_topic_id": 4,
        "edits": EDITS,
        "assignments": curated.assignments.tolist(),
        "labels": {str(t): label for t, label in curated.labels.items()},
        "next_id": curated.next_id,
    }


def _map_label_cases() -> list[dict]:
    """The names on the map (figures/map_labels.place_labels): four groups, one curved (its
    mean off its points), one under the 5 % share, hostile and long names, whole and zoomed."""
    rng = np.random.default_rng(3)
    xs: list[float] = []
    ys: list[float] = []
    keys: list = []

    def blob(cx: float, cy: float, n: int, key, spread: float = 0.3) -> None:
        xs.extend(float(v) for v in rng.normal(cx, spread, n))
        ys.extend(float(v) for v in rng.normal(cy, spread, n))
        keys.extend([key] * n)

    angles = np.linspace(0, np.pi, 60)  # an arc: its mean lies in its hollow
    xs.extend(float(v) for v in 4 + 2 * np.cos(angles))
    ys.extend(float(v) for v in 2 * np.sin(angles))
    keys.extend([0] * 60)
    blob(0.0, 0.0, 40, 1)
    blob(0.3, 0.4, 30, 2)  # beside 1: its name shifted or dropped
    blob(8.0, 3.0, 4, 3)  # 4 of 174 points: no name
    blob(6.0, -2.0, 10, None)  # outliers: counted in view, never named
    names = {0: "arc <img src=x onerror=alert(1)>", 1: "美俄關係的未來", 2: "sanctions"}
    names |= {3: "small", 4: "absent"}
    views = [
        {"x0": -1.5, "x1": 9.0, "y0": -3.0, "y1": 3.5, "width": 600, "height": 400},
        {"x0": -1.0, "x1": 1.5, "y0": -1.0, "y1": 1.5, "width": 300, "height": 300},
        {"x0": -1.5, "x1": 9.0, "y0": -3.0, "y1": 3.5, "width": 120, "height": 80},  # tiny: few fit
        {"x0": -0.6, "x1": 0.9, "y0": -0.6, "y1": 0.9, "width": 160, "height": 120},  # crowded: moved
    ]
    return [
        {
            "xs": xs,
            "ys": ys,
            "keys": keys,
            "names": {str(k): v for k, v in names.items()},
            "view": view,
            "placed": place_labels(xs, ys, keys, names, view),
        }
        for view in views
    ]


def _selection_csv_case() -> dict:
    """The map's selection as CSV: paragraphs.csv's cells (rundir.csv_cell), quoted as
    csv.QUOTE_NONNUMERIC quotes them, CRLF line ends (the csv module's)."""
    import csv
    import io

    from themescope.rundir import csv_cell

    rows = [
        ["q1-a1-p1", "plain"],
        ["q1-a1-p2", '=HYPERLINK("http://x","y")'],
        ["q1-a1-p3", "+1"],
        ["q1-a1-p4", "-2 minus"],
        ["q1-a1-p5", "@SUM(A1)"],
        ["q1-a1-p6", "\tTAB"],
        ["q1-a1-p7", "\rCR"],
        ["q1-a1-p8", "'quoted already"],
        ["q1-a1-p9", 'line\nbreak, comma; "quote"'],
        ["=id", "美俄關係"],
    ]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(rules.SELECTION_CSV["columns"])
    writer.writerows([[csv_cell(v) for v in r] for r in rows])
    return {"rows": rows, "csv": out.getvalue()}


def golden() -> dict:
    return {
        "about": "Written by tests/reports/test_golden.py: what Python computes; tests/js checks the page.",
        "rules": rules.rules(),
        "escape": _escape_cases(),
        "excerpt": _excerpt_cases(),
        "period_start": _period_cases(),
        "time_shares": _time_share_cases(),
        "map_hover": _map_hover_cases(),
        "flow_rows": _flow_row_cases(),
        "names": _name_cases(),
        "authors": _authors_case(),
        "flow": _flow_cases(),
        "replay": _replay_case(),
        "map_labels": _map_label_cases(),
        "selection_csv": _selection_csv_case(),
    }


def test_the_golden_fixtures_are_what_python_computes_now():
    text = json.dumps(golden(), indent=1, sort_keys=True) + "\n"  # ASCII: lone surrogates as \ud800
    stale = not GOLDEN.exists() or GOLDEN.read_text(encoding="utf-8") != text
    if stale:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert not stale, f"{GOLDEN} was stale and is written again: commit it"
