"""The names on the map, in real Chromium: drawn as Plotly annotations, none overlapping,
the broad themes' at first and the topics' once zoomed in, hostile names shown as text."""

import html
import json

import pytest

from themescope.reports.figures.style import esc
from themescope.reports.rules import MAP_LABELS

from .test_browser import _open, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser

BOXES = "Array.from(document.querySelectorAll('#fig-map g.annotation')).map(g => {"
BOXES += " const b = g.querySelector('rect.bg').getBoundingClientRect();"
BOXES += " return [g.textContent, b.left, b.top, b.right, b.bottom]; })"


def _labels(page) -> list[list]:
    return page.evaluate(BOXES)


def _assert_apart(labels: list[list]) -> None:
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = a[3] <= b[1] + 0.5 or b[3] <= a[1] + 0.5 or a[4] <= b[2] + 0.5 or b[4] <= a[2] + 0.5
            assert apart, f"{a} overlaps {b}"


def _shown(label: str) -> str:
    return html.unescape(esc(label, MAP_LABELS["chars"]))


# Each topic's points and the view, as the page holds them (one trace per topic here).
IN_VIEW = """() => {
  const div = document.getElementById('fig-map'), full = div._fullLayout;
  const [x0, x1] = full.xaxis.range.slice().sort((a, b) => a - b);
  const [y0, y1] = full.yaxis.range.slice().sort((a, b) => a - b);
  const inside = (t, x, k) => x0 <= x && x <= x1 && y0 <= t.y[k] && t.y[k] <= y1;
  return div.data.map(t => [t.name, Array.from(t.x).filter((x, k) => inside(t, x, k)).length]);
}"""


def test_map_names_broad_themes_then_topics_when_zoomed_without_overlap(browser, sample_run):  # noqa: F811
    run_dir, _ = sample_run
    document = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))
    assert document["broad_themes"]
    page, events = _open(browser, run_dir / "report.html")
    page.wait_for_selector("#fig-map[data-labels=broad]", state="attached")
    labels = _labels(page)
    _assert_apart(labels)
    total = sum(b["size"] for b in document["broad_themes"])
    least = MAP_LABELS["min_share"] * total
    expected = {_shown(b["label"]) for b in document["broad_themes"] if b["size"] >= least}
    assert expected and expected <= {label[0] for label in labels}

    # Zoom on the largest topic: the page names the topics in view, each holding 5 % of them.
    largest = max(document["topics"], key=lambda t: t["size"])
    extent = page.evaluate(
        """id => { const t = document.getElementById('fig-map').data.find(t => t.name.startsWith(id + ':'));
                   return [Math.min(...t.x), Math.max(...t.x), Math.min(...t.y), Math.max(...t.y)]; }""",
        largest["id"],
    )
    page.evaluate("delete document.getElementById('fig-map').dataset.labels")
    page.evaluate(
        "e => Plotly.relayout('fig-map', {'xaxis.range': [e[0] - 0.1, e[1] + 0.1],"
        " 'yaxis.range': [e[2] - 0.1, e[3] + 0.1]})",
        extent,
    )
    page.wait_for_selector("#fig-map[data-labels=topics]", state="attached")
    labels = _labels(page)
    _assert_apart(labels)
    in_view = page.evaluate(IN_VIEW)
    shown = sum(n for _, n in in_view)
    by_name = {f"{t['id']}: ": t["label"] for t in document["topics"]}
    expected = {
        _shown(label)
        for name, n in in_view
        for prefix, label in by_name.items()
        if name.startswith(prefix) and n >= MAP_LABELS["min_share"] * shown
    }
    assert _shown(largest["label"]) in expected
    assert expected <= {label[0] for label in labels}, (expected, labels)

    # Zoomed out again (a double click's autorange): the broad themes' names come back.
    page.evaluate("delete document.getElementById('fig-map').dataset.labels")
    page.evaluate("Plotly.relayout('fig-map', {'xaxis.autorange': true, 'yaxis.autorange': true})")
    page.wait_for_selector("#fig-map[data-labels=broad]", state="attached")
    assert events["console"] == []
    page.close()


def test_hostile_topic_names_on_the_map_are_text(browser, tmp_path):  # noqa: F811
    from themescope.runs import Run

    from .test_html import PAYLOADS as HOSTILE
    from .test_html import _hostile_run, _with_evidence

    rows, topics, manifest = _hostile_run()
    report = tmp_path / "report.html"
    report.write_text(Run.from_documents(rows, _with_evidence(topics), manifest).report_html(), "utf-8")
    page, events = _open(browser, report)
    page.wait_for_selector("#fig-map[data-labels=topics]", state="attached")
    texts = [label[0] for label in _labels(page)]
    assert (_shown(HOSTILE[1]) in texts and texts[0].startswith("<")) or texts[1].startswith("<")
    assert any(t.startswith("<img src=x onerror=") for t in texts), texts
    assert page.evaluate("typeof window.__pwned") == "undefined" and events["dialogs"] == []
    assert page.locator("#fig-map img, img[src='x'], svg[onload]").count() == 0
    page.close()
