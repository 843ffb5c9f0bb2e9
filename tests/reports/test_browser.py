"""The report in a real browser: Debian's chromium driven by Playwright (never `playwright install`).

WebGL runs on SwiftShader (Chromium's CPU renderer), so the map's WebGL path is drawn here too.

These tests fail, not skip, when the browser cannot start: .ci/run installs chromium.
"""

import json
from pathlib import Path

import pytest

from ..conftest import run_default_on

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                # WebGL (the map above 3,000 points) on the CPU: SwiftShader, as no GPU is here.
                "--use-angle=swiftshader",
                "--enable-unsafe-swiftshader",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _open(browser, report: Path, width=1280, height=800):
    page = browser.new_page(viewport={"width": width, "height": height})
    events = {"console": [], "requests": [], "dialogs": []}
    # (SwiftShader's own notes on WebGL speed, "[.WebGL-0x...]GL Driver Message", are no page's fault.)
    page.on(
        "console",
        lambda m: (
            m.type in ("error", "warning")
            and not m.text.startswith("[.WebGL-")
            and events["console"].append(m.text)
        ),
    )
    page.on("pageerror", lambda e: events["console"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready=true]")  # the map drawn, the page answering input
    return page, events


def wait_until(check, what: str, timeout: float = 120):
    """Poll ``check()`` until it returns something true, and return that: for a state the page
    sets no flag for (pixels drawn by WebGL). ``timeout`` bounds the wait, it measures nothing."""
    import time

    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what}: not after {timeout} s"
    return found


def map_shown(page, action) -> None:
    """Do ``action`` and wait until the map shows its result (the page sets data-shown once
    the map is restyled, a moment after the table)."""
    page.evaluate("delete document.getElementById('fig-map').dataset.shown")
    action()
    page.wait_for_selector("#fig-map[data-shown]", state="attached")  # (the page's CSP forbids eval)


def test_sample_report_loads_offline_with_every_section(browser, sample_run):
    run_dir, _ = sample_run
    page, events = _open(browser, run_dir / "report.html")
    assert events["console"] == []
    assert events["requests"] == [(run_dir / "report.html").as_uri()]
    for section in (
        "overview",
        "map",
        "hierarchy",
        "topics",
        "authors",
        "flow",
        "answers",
        "similarity",
        "paragraphs",
        "curate",
        "details",
    ):
        assert page.locator(f"#{section}").is_visible()
    for figure in ("map", "broad_themes", "keywords", "authors", "flow", "answers", "similarity"):
        assert page.locator(f"#fig-{figure} .main-svg").count() >= 1
    assert page.locator("#paragraph-table tbody tr").count() == 71
    page.close()


def test_clicking_a_topic_filters_the_table(browser, sample_run):
    run_dir, _ = sample_run
    topics = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))["topics"]
    page, _ = _open(browser, run_dir / "report.html")
    page.locator(f'button.filter-topic[data-topic="{topics[1]["id"]}"]').click()
    visible = page.locator("#paragraph-table tbody tr:not(.hidden)")
    assert visible.count() == topics[1]["size"]
    assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.topic)")) == {str(topics[1]["id"])}
    page.close()


def test_clicking_an_author_topic_cell_filters_by_both(browser, sample_run):
    run_dir, _ = sample_run
    page, _ = _open(browser, run_dir / "report.html")
    page.locator("#authors").scroll_into_view_if_needed()
    box = page.locator("#fig-authors .nsewdrag").bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + 2)  # the first author's first column
    author = page.eval_on_selector("#author-filter", "e => e.value")
    topic = page.eval_on_selector("#topic-filter", "e => e.value")
    assert author == "隴上軍迷" and topic != ""
    visible = page.locator("#paragraph-table tbody tr:not(.hidden)")
    rows = visible.evaluate_all("rows => rows.map(r => [r.dataset.author, r.dataset.topic])")
    assert all(row == [author, topic] for row in rows)
    page.click("#clear-filters")
    assert page.locator("#paragraph-table tbody tr:not(.hidden)").count() == 71
    page.locator("#authors").scroll_into_view_if_needed()
    box = page.locator("#fig-authors .nsewdrag").bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + box["height"] - 2)  # the last author's row
    assert page.eval_on_selector("#author-filter", "e => e.value") == "飛狼"
    page.close()


def test_table_sorts_by_a_column(browser, sample_run):
    run_dir, _ = sample_run
    page, _ = _open(browser, run_dir / "report.html")
    header = page.locator("#paragraph-table th").nth(4)  # topic (after the tick boxes)
    header.click()
    topics = page.locator("#paragraph-table tbody tr").evaluate_all("rs => rs.map(r => +r.dataset.topic)")
    assert topics == sorted(topics)
    header.click()
    topics = page.locator("#paragraph-table tbody tr").evaluate_all("rs => rs.map(r => +r.dataset.topic)")
    assert topics == sorted(topics, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    page.close()


def test_search_finds_a_known_paragraph(browser, sample_run):
    run_dir, _ = sample_run
    page, _ = _open(browser, run_dir / "report.html")
    page.fill("#search", "亞太再平衡")
    visible = page.locator("#paragraph-table tbody tr:not(.hidden)")
    assert 1 <= visible.count() <= 5
    assert "亞太再平衡" in visible.first.inner_text()
    assert page.locator("#paragraph-table mark").first.inner_text() == "亞太再平衡"
    page.close()


def test_phone_width_has_no_horizontal_overflow(browser, sample_run):
    run_dir, _ = sample_run
    page, events = _open(browser, run_dir / "report.html", width=390, height=844)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert events["console"] == []
    page.close()


PAYLOADS = [
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "<svg onload=window.__pwned=1>",
    '<a href="javascript:window.__pwned=1">click me</a>',
]


def test_hostile_corpus_runs_no_script(browser, tmp_path, sample_text):
    """A real run on records whose authors and texts carry script and markup payloads."""
    from themescope.corpus import read_corpus

    from ..conftest import SAMPLE

    corpus = read_corpus([SAMPLE])
    lines = []
    for i, answer in enumerate(corpus.questions[0].answers):
        payload = PAYLOADS[i % len(PAYLOADS)]
        texts = [p.text for p in answer.paragraphs]
        texts[0] = f"{payload} {texts[0]}"
        lines.append(
            json.dumps(
                {
                    "question": payload + " 問題",  # four questions: the question views appear
                    "author": f"{payload}{i}",
                    "text": "\n".join(texts),
                    # Days, and markup that names none (listed in the warnings, shown as text).
                    "date": f"2019-0{i % 9 + 1}-05" if i % 3 else payload,
                },
                ensure_ascii=False,
            )
        )
    records = tmp_path / "hostile.jsonl"
    records.write_text("\n".join(lines), encoding="utf-8")
    proc = run_default_on(records, tmp_path / "run", tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    page, events = _open(browser, tmp_path / "run" / "report.html")
    page.fill("#search", "script")
    page.locator("#fig-map").scroll_into_view_if_needed()
    from playwright.sync_api import TimeoutError as Timeout

    for i in range(page.locator("#fig-map .scatterlayer .point").count()):
        box = page.locator("#fig-map .scatterlayer .point").nth(i).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:  # Plotly draws the label once the move is handled (its hover is throttled)
            page.wait_for_selector("#fig-map .hoverlayer .hovertext", state="attached", timeout=5000)
            break
        except Timeout:
            continue
    hover = page.locator("#fig-map .hoverlayer").text_content()
    assert hover.strip(), "no hover label appeared"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert events["dialogs"] == []
    assert page.locator("img[src='x'], svg[onload], a[href^='javascript']").count() == 0
    page.fill("#search", "")
    assert PAYLOADS[1] in page.locator("#paragraph-table").text_content()
    # The question and time views show the titles and dates as text.
    options = page.locator("#question-filter option").all_text_contents()
    assert all(any(payload[:40] in option for option in options) for payload in PAYLOADS)
    for name in ("questions", "time"):
        page.locator(f"#fig-{name}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#fig-{name} .main-svg")
    ticks = page.locator("#fig-questions .ytick text").all_text_contents()
    assert any("<img src=x onerror=" in t for t in ticks)
    assert PAYLOADS[1][:30] in page.locator("#overview .warnings").text_content()  # the date named no day
    page.select_option("#question-filter", "q2")
    assert page.locator("#paragraph-table tbody tr").count() > 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert events["dialogs"] == []
    assert page.locator("img[src='x'], svg[onload], a[href^='javascript']").count() == 0
    page.close()


def test_cards_show_exemplars_and_support_and_each_answer_has_its_row(browser, sample_run):
    run_dir, _ = sample_run
    document = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))
    page, events = _open(browser, run_dir / "report.html")
    for topic in document["topics"]:
        card = page.locator(f'.card[data-topic="{topic["id"]}"]')
        shown = card.locator("blockquote.exemplar").evaluate_all("qs => qs.map(q => q.dataset.paragraph)")
        assert shown == topic["exemplars"] and len(shown) == min(3, topic["size"])
        support = card.locator(".support").text_content()
        assert f"Carried by {topic['answers']['count']} of 10 answers" in support
        assert (card.locator(".one-answer").count() == 1) == topic["single_answer"]
    # Exemplars come from more answers than the nearest paragraphs do.
    answers_of = lambda ids: len({p.rsplit("-", 1)[0] for p in ids})  # noqa: E731
    assert sum(answers_of(t["exemplars"]) for t in document["topics"]) > sum(
        answers_of(t["representative"]) for t in document["topics"]
    )
    single = sum(t["single_answer"] for t in document["topics"])
    assert page.locator("#single-answer-count").text_content() == str(single)
    assert "carried by one answer alone" in page.locator("#overview-lead").text_content()
    assert "silhouette" not in page.locator("#overview").text_content().lower()
    assert "Silhouette" in page.locator("#details dl.metrics").text_content()
    # The answers' view: one row per answer; a click filters the table by its author and theme.
    page.locator("#answers").scroll_into_view_if_needed()
    page.wait_for_selector("#fig-answers .main-svg")
    assert page.locator("#fig-answers .ytick").count() == 10
    box = page.locator("#fig-answers .nsewdrag").bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + 2)  # the first answer's first broad theme
    meta = page.evaluate("document.getElementById('fig-answers').layout.meta")
    assert page.eval_on_selector("#author-filter", "e => e.value") == meta["authors"][0]
    assert page.eval_on_selector("#theme-filter", "e => e.value") == str(meta["columns"][0])
    rows = page.locator("#paragraph-table tbody tr:not(.hidden)")
    assert rows.count() >= 1
    assert all(a == meta["authors"][0] for a in rows.evaluate_all("rs => rs.map(r => r.dataset.author)"))
    assert events["console"] == []
    page.close()


def test_hostile_answer_and_author_names_stay_text_in_cards_and_the_answer_view(browser, tmp_path):
    from themescope.runs import Run

    from .test_html import PAYLOADS as HOSTILE
    from .test_html import _hostile_run, _with_evidence

    rows, topics, manifest = _hostile_run()
    for row in rows:
        row["answer_id"] = row["author"] + row["answer_id"]  # markup in the answers' ids too
    report = tmp_path / "report.html"
    report.write_text(Run.from_documents(rows, _with_evidence(topics), manifest).report_html(), "utf-8")
    page, events = _open(browser, report)
    page.locator("#answers").scroll_into_view_if_needed()
    page.wait_for_selector("#fig-answers .main-svg")
    ticks = page.locator("#fig-answers .ytick text").all_text_contents()
    assert len(ticks) == 4 and any("<img src=x onerror=" in t for t in ticks)
    card = page.locator('.card[data-topic="0"]').text_content()
    assert HOSTILE[0] in card and HOSTILE[2] in card  # an exemplar's author, another's text
    assert page.locator(".card .one-answer").count() == 1
    box = page.locator("#fig-answers .nsewdrag").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 4, box["y"] + 5)
    page.wait_for_selector("#fig-answers .hoverlayer .hovertext", state="attached")
    assert "<" in page.locator("#fig-answers .hoverlayer").text_content()  # shown as text
    assert page.evaluate("typeof window.__pwned") == "undefined" and events["dialogs"] == []
    assert page.locator("img[src='x'], svg[onload], a[href^='javascript']").count() == 0
    page.close()


def test_clicking_a_broad_theme_filters_the_map_the_cards_and_the_table(browser, sample_run):
    run_dir, _ = sample_run
    topics = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))
    page, events = _open(browser, run_dir / "report.html")
    page.locator("#hierarchy").scroll_into_view_if_needed()
    page.wait_for_selector("#fig-broad_themes .bars .point")
    boxes = page.locator("#fig-broad_themes .bars .point")
    assert boxes.count() == len(topics["broad_themes"]) + len(topics["topics"])
    theme = topics["broad_themes"][0]
    box = boxes.nth(0).bounding_box()
    map_shown(page, lambda: page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    rows = page.locator("#paragraph-table tbody tr")
    assert rows.count() == theme["size"]
    assert set(rows.evaluate_all("rs => rs.map(r => +r.dataset.topic)")) == set(theme["topics"])
    shown = page.locator(".card:not(.off-theme)").evaluate_all("cs => cs.map(c => +c.dataset.topic)")
    assert sorted(shown) == sorted(theme["topics"])
    opacities = page.evaluate(
        "document.getElementById('fig-map').data"
        ".flatMap(t => t.ids.map((id, k) => [id, t.marker.opacity[k] ?? t.marker.opacity]))"
    )
    bright = {id for id, opacity in opacities if opacity > 0.5}
    assert len(bright) == theme["size"]
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # again: all
    assert page.locator("#paragraph-table tbody tr").count() == 71
    assert events["console"] == []
    page.close()
