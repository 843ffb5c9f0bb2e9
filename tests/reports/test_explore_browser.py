"""Exploring in Chromium: time, questions and every paragraph on the map, filters together."""

from __future__ import annotations

import base64
import csv
import json
import random
from datetime import date
from pathlib import Path

import pytest

from themescope.corpus.dates import parse_date
from themescope.reports.figures.style import topic_color

from .test_browser import _open, browser, wait_until  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


def _paragraphs(run_dir: Path) -> list[dict]:
    with (run_dir / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _table_ids(page) -> list[str]:
    return page.locator("#paragraph-table tbody tr").evaluate_all("rs => rs.map(r => r.dataset.id)")


def _bright_on_map(page) -> set[str]:
    opacities = page.evaluate(
        "document.getElementById('fig-map').data"
        ".flatMap(t => Array.from(t.ids, (id, k) => [id, t.marker.opacity[k] ?? t.marker.opacity]))"
    )
    return {id for id, opacity in opacities if opacity > 0.5}


_TIME_COUNT = (
    "document.getElementById('fig-time').data"
    ".flatMap(t => t.customdata.map(c => c[0])).reduce((a, b) => a + b, 0)"
)
_AUTHORS_COUNT = "document.getElementById('fig-authors').data[0].z.flat().reduce((a, b) => a + b, 0)"


def _filtered(page, action) -> None:
    """Do ``action`` and wait until the map shows its result."""
    page.evaluate("delete document.getElementById('fig-map').dataset.shown")
    action()
    page.wait_for_selector("#fig-map[data-shown]", state="attached")  # (the page's CSP forbids eval)


def test_time_and_question_views_and_every_filter_together(browser, dated_questions_run):  # noqa: F811
    run_dir = dated_questions_run
    rows = _paragraphs(run_dir)
    page, events = _open(browser, run_dir / "report.html")
    for section in ("time", "questions"):
        assert page.locator(f"#{section}").is_visible()
        page.locator(f"#fig-{section}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#fig-{section} .main-svg")
    # The time figure: one bar per topic and dated period; the undated answer is left out.
    assert page.evaluate("document.getElementById('fig-time').layout.meta.period") == "month"
    dated = [r for r in rows if parse_date(r["date"])]
    assert 0 < len(dated) < len(rows)

    # The question selector alone.
    _filtered(page, lambda: page.select_option("#question-filter", "q2"))
    in_q2 = {r["paragraph_id"] for r in rows if r["question_id"] == "q2"}
    assert set(_table_ids(page)) == in_q2
    assert _bright_on_map(page) == in_q2
    # The time figure counts that question's dated paragraphs only.
    counted = page.evaluate(_TIME_COUNT)
    assert counted == sum(1 for r in dated if r["question_id"] == "q2")
    # The answer flow shows that question's answers, in reading order.
    flow = page.evaluate(
        "(d => [d.data[0].ids, d.layout.yaxis.ticktext])(document.getElementById('fig-flow'))"
    )
    assert flow[0] == [r["paragraph_id"] for r in rows if r["question_id"] == "q2"]
    assert [t.rsplit(" (", 1)[1] for t in flow[1]] == list(
        dict.fromkeys(r["answer_id"] + ")" for r in rows if r["question_id"] == "q2")
    )

    # Add a time span: both hold.
    first, last = date(2018, 1, 1), date(2018, 6, 30)
    page.fill("#date-from", first.isoformat())
    _filtered(page, lambda: page.fill("#date-to", last.isoformat()))
    expected = {
        r["paragraph_id"]
        for r in rows
        if r["question_id"] == "q2" and parse_date(r["date"]) and first <= parse_date(r["date"]) <= last
    }
    assert expected and expected < in_q2
    assert set(_table_ids(page)) == expected
    assert _bright_on_map(page) == expected

    # Add a topic and a search: still all together.
    topic = rows[[r["paragraph_id"] for r in rows].index(sorted(expected)[0])]["topic"]
    page.select_option("#topic-filter", topic)
    word = next(r["text"] for r in rows if r["paragraph_id"] in expected and r["topic"] == topic)[:2]
    _filtered(page, lambda: page.fill("#search", word))
    together = {
        r["paragraph_id"]
        for r in rows
        if r["paragraph_id"] in expected and r["topic"] == topic and word.lower() in r["text"].lower()
    }
    assert together and set(_table_ids(page)) == together
    page.click("#clear-filters")
    assert len(_table_ids(page)) == len(rows)
    assert page.evaluate("document.getElementById('fig-flow').data[0].ids.length") == len(rows)
    # Cleared, the time figure and the authors' heatmap count everything again.
    assert page.evaluate(_TIME_COUNT) == len(dated)
    assert page.evaluate(_AUTHORS_COUNT) == len(rows)

    # Dragging across the time figure sets the span (Plotly's relayout, as a drag gives it).
    _filtered(
        page,
        lambda: page.evaluate(
            "Plotly.relayout('fig-time', {'xaxis.range[0]': '2019-01-01', 'xaxis.range[1]': '2019-12-31'})"
        ),
    )
    assert page.input_value("#date-from") == "2019-01-01"
    in_2019 = {r["paragraph_id"] for r in rows if (parse_date(r["date"]) or date.min).year == 2019}
    assert set(_table_ids(page)) == in_2019
    # The authors' heatmap counts only the paragraphs in that span.
    assert page.evaluate(_AUTHORS_COUNT) == len(in_2019)
    page.evaluate("Plotly.relayout('fig-time', {'xaxis.autorange': true})")
    assert page.input_value("#date-from") == ""
    assert len(_table_ids(page)) == len(rows)

    # A cell of the questions heatmap: that question's paragraphs on that topic.
    meta = page.evaluate("document.getElementById('fig-questions').layout.meta")
    row, column = (
        meta["questions"].index("q3"),
        next(
            j
            for j, t in enumerate(meta["topics"])
            if any(r["question_id"] == "q3" and int(r["topic"]) == t for r in rows)
        ),
    )
    page.evaluate(
        "([row, column]) => document.getElementById('fig-questions').emit('plotly_click', "
        "{points: [{pointNumber: [row, column]}]})",
        [row, column],
    )
    assert page.input_value("#question-filter") == "q3"
    cell = {
        r["paragraph_id"]
        for r in rows
        if r["question_id"] == "q3" and int(r["topic"]) == meta["topics"][column]
    }
    assert set(_table_ids(page)) == cell
    assert events["console"] == [] and events["dialogs"] == []
    page.close()


def test_one_undated_question_has_no_time_or_question_views(browser, sample_run):  # noqa: F811
    run_dir, _ = sample_run
    page, events = _open(browser, run_dir / "report.html")
    for absent in ("#time", "#questions", "#fig-time", "#question-filter", "#date-from", "a[href='#time']"):
        assert page.locator(absent).count() == 0
    assert events["console"] == []
    page.close()


def _scaled_report(run_dir: Path, n: int, out: Path, topic_count: int | None = None) -> Path:
    """The sample run's documents grown to ``n`` paragraphs (the sample's texts, numbered so
    that each is its own, around their topics on the map), rendered as a run renders them;
    with ``topic_count``, spread over that many topics (the sample's, repeated under new ids)."""
    import themescope
    from themescope.reports.html import render_report
    from themescope.runs import Run

    run = themescope.load_run(run_dir)
    rows, rng = run.rows(), random.Random(0)
    grown = []
    for k in range(n):
        row = dict(rows[k % len(rows)])
        answer = f"q1-a{k // len(rows) + 1}"
        row |= {
            "paragraph_id": f"{answer}-p{k % len(rows) + 1}",
            "answer_id": answer,
            "text": f"{row['text']} [{k}]",
            "x": float(row["x"]) + rng.gauss(0, 0.4),
            "y": float(row["y"]) + rng.gauss(0, 0.4),
        }
        grown.append(row)
    manifest = run.manifest.model_dump(mode="json")
    manifest["counts"]["paragraphs"] = n
    topics = run.topics_document().to_json()
    if topic_count:
        found = [t for t in topics["topics"] if t["id"] >= 0]
        for k, row in enumerate(grown):
            row["topic"] = k % topic_count
            row["x"] += 3 * (k % topic_count)
        topics["topics"] = [
            found[t % len(found)]
            | {"id": t, "size": n // topic_count, "representative": [grown[t]["paragraph_id"]]}
            for t in range(topic_count)
        ]
        topics.pop("broad_themes", None)
    out.write_text(render_report(Run.from_documents(grown, topics, manifest)), encoding="utf-8")
    return out


def _hues_drawn(page, clip: dict) -> int:
    """How many hues (10-degree buckets) at least 100 saturated pixels of the screenshot's
    ``clip`` have: a drawn map shows its topics' colours, a blank one or a message at most one."""
    png = base64.b64encode(page.screenshot(clip=clip)).decode("ascii")
    return page.evaluate(
        """png => new Promise(done => {
            const img = new Image();
            img.onload = () => {
                const c = document.createElement('canvas');
                c.width = img.width; c.height = img.height;
                const g = c.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data, buckets = new Array(36).fill(0);
                for (let i = 0; i < d.length; i += 4) {
                    const [r, gr, b] = [d[i], d[i + 1], d[i + 2]];
                    const max = Math.max(r, gr, b), min = Math.min(r, gr, b);
                    if (max - min < 40) continue;
                    const c = max - min;
                    const h = max === r ? (gr - b) / c : max === gr ? 2 + (b - r) / c : 4 + (r - gr) / c;
                    buckets[Math.floor(((h * 60 + 360) % 360) / 10)]++;
                }
                done(buckets.filter(n => n >= 100).length);
            };
            img.src = 'data:image/png;base64,' + png;
        })""",
        png,
    )


def test_a_20000_paragraph_report_draws_every_point_with_webgl_and_searches_quickly(
    browser,  # noqa: F811
    sample_run,
    tmp_path,
):
    run_dir, _ = sample_run
    report = _scaled_report(run_dir, 20_000, tmp_path / "report.html")
    page, events = _open(browser, report)
    traces = page.evaluate("document.getElementById('fig-map').data.map(t => [t.type, t.x.length])")
    assert {kind for kind, _ in traces} == {"scattergl"}
    assert sum(points for _, points in traces) == 20_000  # every paragraph, none sampled
    # The map is drawn, not blank: SwiftShader's WebGL put the topics' colours in the plot area.
    page.locator("#fig-map").scroll_into_view_if_needed()
    area = page.locator("#fig-map .nsewdrag").first.bounding_box()
    wait_until(lambda: _hues_drawn(page, area) >= 5, "the WebGL map drawn in the topics' colours")
    # A search: the table and the map answer (how fast: bench/report_scale.py, search_s).
    _filtered(page, lambda: page.fill("#search", "[1234"))
    expected = {f"[1234{d}]" for d in ("", *map(str, range(10)))}
    assert page.locator("#match-count").text_content().startswith("11 / 20000")
    assert len(_bright_on_map(page)) == 11 and all(
        any(tag in text for tag in expected) for text in page.locator("td.text").all_text_contents()
    )
    # The table pages: 200 rows at a time however many paragraphs match.
    page.fill("#search", "")
    assert page.locator("#paragraph-table tbody tr").count() == 200
    page.click("#page-next")
    assert page.locator("#page-status").text_content() == "rows 201\u2013400 of 20000"
    assert events["console"] == []
    page.close()
    assert report.stat().st_size < 6_000_000, json.dumps(report.stat().st_size)


def test_a_report_of_many_topics_draws_one_map_trace_without_a_legend_and_searches_quickly(
    browser,  # noqa: F811
    sample_run,
    tmp_path,
):
    """Past 40 topics the map is one trace coloured point by point: with a trace and a legend
    entry per topic, a search on 298 topics and 143,705 points took 26 s (bench/README.md)."""
    run_dir, _ = sample_run
    report = _scaled_report(run_dir, 6_000, tmp_path / "report.html", topic_count=120)
    page, events = _open(browser, report)
    traces = page.evaluate(
        "document.getElementById('fig-map').data.map(t => [t.type, t.x.length, new Set(t.marker.color).size])"
    )
    # (and a second trace, empty until a filter draws its matches over the first, dimmed)
    assert traces == [["scattergl", 6_000, len({topic_color(t) for t in range(120)})], ["scattergl", 0, 0]]
    assert page.locator("#fig-map .legend .traces").count() == 0
    page.locator("#fig-map").scroll_into_view_if_needed()
    area = page.locator("#fig-map .nsewdrag").first.bounding_box()
    wait_until(lambda: _hues_drawn(page, area) >= 5, "the WebGL map drawn in the topics' colours")
    _filtered(page, lambda: page.fill("#search", "[123"))
    assert page.locator("#match-count").text_content().startswith("11 / 6000")
    assert len(_bright_on_map(page)) == 11
    _filtered(page, lambda: page.fill("#search", ""))  # cleared: every point bright again, no overlay
    assert len(_bright_on_map(page)) == 6_000
    assert page.evaluate("document.getElementById('fig-map').data[1].x.length") == 0
    # The keywords and the authors' heatmap chart the largest topics, and say so.
    for name, shown in (("keywords", 30), ("authors", 40)):
        page.locator(f"#fig-{name}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#fig-{name} .main-svg")
        assert f"the {shown} " in page.locator(f"#fig-{name} .gtitle").text_content()
    assert len(page.evaluate("document.getElementById('fig-authors').data[0].x")) == 40
    assert events["console"] == []
    page.close()


# Logged from the page's first script on: each input (before the page's own listeners see it)
# and each figure drawn (Plotly's main svg added), with whether it was in view.
_INPUTS_AND_DRAWS = """
window.__log = [];
document.addEventListener("input", () => window.__log.push(["input", "", performance.now(), true]), true);
new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => {
    if (!n.classList || !n.classList.contains("main-svg")) { return; }
    const fig = n.closest("[id^=fig-]"), box = fig.getBoundingClientRect();
    window.__log.push(["drawn", fig.id, performance.now(), box.top < innerHeight && box.bottom > 0]);
}))).observe(document, { childList: true, subtree: true });
"""


def test_a_figure_below_the_view_waits_until_typing_pauses(browser, sample_run, tmp_path):  # noqa: F811
    """A large report draws the figures near the view ahead of the scroll, but only 800 ms
    after the last input: a search typed as the map appears is not held behind a figure
    nobody sees yet (half a second each at 143,705 paragraphs)."""
    run_dir, _ = sample_run
    report = _scaled_report(run_dir, 6_000, tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(_INPUTS_AND_DRAWS)
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    page.type("#search", "zzzzzzzz", delay=250)  # two seconds of typing
    # Until a figure out of view is drawn (in a pause of typing; on a loaded machine that may
    # be a pause between two keys, so "after the last key" is not asked).
    log = wait_until(
        lambda: (
            (log := page.evaluate("window.__log"))
            and any(k == "drawn" and not seen for k, _, _, seen in log)
            and log
        ),
        "a figure below the view drawn",
    )
    inputs = [t for kind, _, t, _ in log if kind == "input"]
    ahead = [(name, t) for kind, name, t, seen in log if kind == "drawn" and not seen]
    assert len(inputs) == 8 and ahead, log
    for name, t in ahead:
        before = [i for i in inputs if i < t]
        assert not before or t - before[-1] >= 800, (name, log)
    page.close()


def test_broad_theme_labels_question_titles_and_dates_with_markup_stay_text(browser, tmp_path):  # noqa: F811
    from themescope.reports.html import render_report
    from themescope.runs import Run

    from .test_html import PAYLOADS, _hostile_run

    rows, topics, manifest = _hostile_run()
    for i, row in enumerate(rows):  # four topics under two broad themes, two questions, dates
        row |= {"topic": i, "question_id": f"q{i % 2 + 1}", "date": f"2019-0{i + 1}-01"}
    rows[1] |= {"question_id": "q3", "date": PAYLOADS[1]}  # a question without a dated paragraph
    topics["topics"] = [
        {
            **topics["topics"][0],
            "id": t,
            "label": PAYLOADS[t],
            "representative": [rows[t]["paragraph_id"]],
            "parent": t // 2,
            "level": 1,
            "size": 1,
        }
        for t in range(4)
    ]
    topics["broad_themes"] = [
        {
            "id": b,
            "label": PAYLOADS[3 - b],
            "size": 2,
            "keywords": [[PAYLOADS[b], 0.5]],
            "representative": [rows[2 * b]["paragraph_id"]],
            "level": 0,
            "topics": [2 * b, 2 * b + 1],
        }
        for b in range(2)
    ]
    manifest["questions"] = [{"id": f"q{q}", "title": PAYLOADS[q]} for q in (1, 2, 3)]
    report = tmp_path / "report.html"
    report.write_text(render_report(Run.from_documents(rows, topics, manifest)), encoding="utf-8")
    page, events = _open(browser, report)
    for name in ("broad_themes", "time", "questions"):
        page.locator(f"#fig-{name}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#fig-{name} .main-svg")
    assert [o for o in page.locator("#theme-filter option").all_text_contents()[1:]] == [
        PAYLOADS[3],
        PAYLOADS[2],
    ]
    assert page.locator("#question-filter option").all_text_contents()[1:] == [
        f"q1: {PAYLOADS[1]}",
        f"q3: {PAYLOADS[3]}",
        f"q2: {PAYLOADS[2]}",
    ]
    assert any(PAYLOADS[3][:20] in t for t in page.locator("#fig-broad_themes text").all_text_contents())
    assert any(PAYLOADS[2][:20] in t for t in page.locator("#fig-time .legendtext").all_text_contents())
    page.select_option("#question-filter", "q3")  # the time figure has nothing to show: still works
    assert page.evaluate("document.getElementById('fig-time').data.length") == 0
    page.select_option("#question-filter", "q2")
    assert page.evaluate("document.getElementById('fig-time').data.length") == 1
    page.fill("#date-from", "2019-03-01")
    assert _table_ids(page) == [rows[3]["paragraph_id"]]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert events["dialogs"] == [] and events["console"] == []
    assert page.locator("img[src='x'], svg[onload], a[href^='javascript']").count() == 0
    page.close()
