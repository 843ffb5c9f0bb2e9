"""The names on the map, in real Chromium: drawn as Plotly annotations, none overlapping,
the broad themes' at first and the topics' once zoomed in, hostile names shown as text."""

import html
import json

import pytest

from themescope.reports.figures.style import esc
from themescope.reports.rules import MAP_LABELS

from .test_browser import _open, browser, map_shown  # noqa: F401  (the shared Chromium fixture)

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


# The map's points as the page draws them, and where each is on the screen.
POINTS = """() => {
  const div = document.getElementById('fig-map'), full = div._fullLayout, box = div.getBoundingClientRect();
  const xa = full.xaxis, ya = full.yaxis;
  return div.data.flatMap(t => Array.from(t.x).map((x, k) => [t.ids[k], t.name, x, t.y[k],
    box.left + full._size.l + xa.l2p(x), box.top + full._size.t + ya.l2p(t.y[k])]));
}"""


PLOT_AREA = """() => {
  const div = document.getElementById('fig-map'), size = div._fullLayout._size;
  const box = div.getBoundingClientRect();
  return [box.left + size.l, box.top + size.t, box.left + size.l + size.w, box.top + size.t + size.h];
}"""


def test_a_box_selection_on_the_map_filters_saves_as_csv_and_moves(browser, sample_run, tmp_path):  # noqa: F811
    import csv

    run_dir, _ = sample_run
    document = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))
    with open(run_dir / "paragraphs.csv", encoding="utf-8-sig", newline="") as fh:
        texts = {r["paragraph_id"]: r["text"] for r in csv.DictReader(fh)}
    page, events = _open(browser, run_dir / "report.html")
    page.wait_for_selector("#fig-map[data-labels]", state="attached")
    page.locator("#fig-map").scroll_into_view_if_needed()
    points = page.evaluate(POINTS)
    area = page.evaluate(PLOT_AREA)
    largest = max(document["topics"], key=lambda t: t["size"])
    own = [p for p in points if p[1].startswith(f"{largest['id']}:")]
    # around the largest topic's points, inside the plot (where a drag selects)
    left, right = max(min(p[4] for p in own) - 3, area[0] + 1), min(max(p[4] for p in own) + 3, area[2] - 1)
    top, bottom = max(min(p[5] for p in own) - 3, area[1] + 1), min(max(p[5] for p in own) + 3, area[3] - 1)
    inside = {p[0] for p in points if left <= p[4] <= right and top <= p[5] <= bottom}
    assert len(inside & {p[0] for p in own}) >= len(own) - 2 and len(inside) < len(points)

    page.locator('#fig-map .modebar-btn[data-val="select"]').click()
    map_shown(
        page,
        lambda: (
            page.mouse.move(left, top),
            page.mouse.down(),
            page.mouse.move((left + right) / 2, (top + bottom) / 2, steps=5),
            page.mouse.move(right, bottom, steps=5),
            page.mouse.up(),
        ),
    )
    assert page.locator("#map-selection").is_visible()
    assert page.locator("#selection-size").inner_text() == str(len(inside))
    rows = page.locator("#paragraph-table tbody tr:not(.hidden)")
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.id)")) == inside

    with page.expect_download() as download:
        page.click("#selection-csv")
    saved = tmp_path / "selection.csv"
    download.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as paragraphs.csv
    with open(saved, encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    assert read[0] == ["paragraph_id", "text"]
    assert {r[0]: r[1] for r in read[1:]} == {pid: texts[pid] for pid in inside}  # marked alike

    target = next(t for t in document["topics"] if t["id"] != largest["id"])
    page.select_option("#selection-topic", str(target["id"]))
    page.click("#selection-move")
    page.wait_for_selector("body[data-edits='1']", state="attached")
    moved = page.evaluate(
        "ids => ids.map(id => document.querySelector(`#paragraph-table tr[data-id='${id}']`)?.dataset.topic)",
        sorted(inside),
    )
    assert set(moved) == {str(target["id"])}
    assert "move" in page.locator("#curation-toml").input_value()
    assert page.locator("#map-selection").is_hidden()
    assert events["console"] == []
    page.close()


def test_a_lasso_on_the_map_selects_the_points_inside_it(browser, sample_run):  # noqa: F811
    run_dir, _ = sample_run
    page, events = _open(browser, run_dir / "report.html")
    page.wait_for_selector("#fig-map[data-labels]", state="attached")
    page.locator("#fig-map").scroll_into_view_if_needed()
    points, area = page.evaluate(POINTS), page.evaluate(PLOT_AREA)
    # a triangle over the plot's lower left half: the points below its diagonal
    corners = [(area[0] + 2, area[1] + 2), (area[0] + 2, area[3] - 2), (area[2] - 2, area[3] - 2)]

    def below(x: float, y: float) -> bool:  # under the line from the top left to the bottom right
        (x0, y0), (x1, y1) = corners[0], corners[2]
        return (y - y0) * (x1 - x0) > (x - x0) * (y1 - y0)

    inside = {p[0] for p in points if below(p[4], p[5])}
    near = {p[0] for p in points if abs(below(p[4] - 3, p[5] + 3) - below(p[4] + 3, p[5] - 3))}
    assert 0 < len(inside) < len(points)
    page.locator('#fig-map .modebar-btn[data-val="lasso"]').click()

    def lasso():
        page.locator("#fig-map").scroll_into_view_if_needed()  # where the map is now
        now = page.evaluate(PLOT_AREA)
        at = [(x + now[0] - area[0], y + now[1] - area[1]) for x, y in corners]
        page.mouse.move(*at[0])
        page.mouse.down()
        for (xa, ya), (xb, yb) in zip(at, at[1:] + at[:1], strict=True):
            for k in range(1, 11):
                page.mouse.move(xa + (xb - xa) * k / 10, ya + (yb - ya) * k / 10)
        page.mouse.up()

    map_shown(page, lasso)
    ids = set(
        page.locator("#paragraph-table tbody tr:not(.hidden)").evaluate_all("rs => rs.map(r => r.dataset.id)")
    )
    assert ids - near == inside - near  # the same, but for points on the line itself
    assert page.locator("#selection-size").inner_text() == str(len(ids))
    # The filters' Clear lets the selection go: every paragraph again.
    page.click("#clear-filters")
    assert page.locator("#paragraph-table tbody tr:not(.hidden)").count() == len(points)
    assert page.locator("#map-selection").is_hidden()

    # Lassoed again and split off as a new topic with a hostile name: one topic, shown as text.
    map_shown(page, lasso)
    page.fill("#selection-label", "<img src=x onerror=window.__pwned=1>")
    page.click("#selection-split")
    page.wait_for_selector("body[data-edits='1']", state="attached")
    split = page.evaluate(
        "ids => ids.map(id => document.querySelector(`#paragraph-table tr[data-id='${id}']`).dataset.topic)",
        sorted(ids),
    )
    assert len(set(split)) == 1 and "split" in page.locator("#curation-toml").input_value()
    assert page.locator("#fig-map img, img[src='x']").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#paragraph-table tbody tr:not(.hidden)").count() == len(points)
    assert page.locator("#map-selection").is_hidden()
    assert events["console"] == []
    page.close()
