"""Curation in the report, in real Chromium: edit, save the snippet, run again with it."""

import csv
import json
import os
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..cli.test_curate import run_sample
from ..conftest import run_cli
from .test_browser import _open, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser

# More sequences: THEMESCOPE_CURATION_SEEDS="1 2 3 4 5 6 7 8" (all eight pass).
RANDOM_SEEDS = [int(s) for s in os.environ.get("THEMESCOPE_CURATION_SEEDS", "1 2").split()]
PIVOT = "q1-a2-p3"  # 早在2012年,奧巴馬…亞太: the pivot to the Asia-Pacific


def _paragraphs(run_dir: Path) -> dict[str, dict]:
    with open(run_dir / "paragraphs.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["paragraph_id"]: r for r in csv.DictReader(fh)}


def _topics(run_dir: Path) -> dict[int, dict]:
    return {t["id"]: t for t in json.loads((run_dir / "topics.json").read_text("utf-8"))["topics"]}


def _run_with(curation: Path, out: Path, cache_dir: Path):
    """`themescope run configs/default.toml --curation FILE`, on the session's cache."""
    return run_sample(out, cache_dir, "--curation", str(curation))


def _page_state(page) -> tuple[dict[str, int], dict[int, str]]:
    """What the reader sees: each paragraph's topic (the table) and each topic's name."""
    page.fill("#search", "")
    page.select_option("#topic-filter", "")
    rows = page.locator("#paragraph-table tbody tr").evaluate_all(
        "rs => rs.map(r => [r.dataset.id, Number(r.dataset.topic)])"
    )
    options = page.locator("#rename-topic option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    names = {int(v): text.split(": ", 1)[1] for v, text in options}
    return dict(rows), names


def _tick(page, paragraph_id: str) -> None:
    page.fill("#search", paragraph_id)
    page.locator(f'#paragraph-table tr[data-id="{paragraph_id}"] td.pick input').check()
    page.fill("#search", "")


def test_the_whole_curation_loop(browser, sample_run, cache_dir, tmp_path):  # noqa: F811
    run_dir, _ = sample_run
    before_rows, before_topics = _paragraphs(run_dir), _topics(run_dir)
    pivot = int(before_rows[PIVOT]["topic"])
    others = sorted((t for t in before_topics if t != pivot), key=lambda t: -before_topics[t]["size"])
    merged = sorted(others[:2])
    # One paragraph of a topic left alone, moved to the pivot topic.
    mover = next(p for p, r in before_rows.items() if int(r["topic"]) == others[2])

    page, events = _open(browser, run_dir / "report.html")
    page.select_option("#rename-topic", str(pivot))
    page.fill("#rename-label", "Strategy pivot")
    page.click("#rename-form button[type=submit]")
    for t in merged:
        page.locator(f'#merge-topics input[value="{t}"]').check()
    page.click("#merge-form button[type=submit]")
    _tick(page, mover)
    page.select_option("#move-topic", str(pivot))
    page.click("#move-form button[type=submit]")
    assert page.locator("#edit-log li").count() == 3

    # The views followed at once: cards, table, map.
    seen_topics, seen_names = _page_state(page)
    assert seen_names[pivot] == "Strategy pivot"
    assert merged[1] not in seen_names and seen_topics[mover] == pivot
    assert page.locator(f'.card[data-topic="{merged[1]}"]').is_hidden()
    assert "Strategy pivot" in page.locator(f'.card[data-topic="{pivot}"] h3').inner_text()
    legend = page.locator("#fig-map .legendtext").all_text_contents()
    assert f"{pivot}: Strategy pivot" in legend and not any(n.startswith(f"{merged[1]}:") for n in legend)

    with page.expect_download() as download:
        page.click("#download-toml")
    snippet = tmp_path / "curation.toml"
    download.value.save_as(snippet)
    assert snippet.read_text("utf-8") == page.input_value("#curation-toml")
    assert [list(s) for s in tomllib.loads(snippet.read_text("utf-8"))["curation"]["steps"]] == [
        ["rename", "label"],
        ["merge"],
        ["move", "to"],
    ]
    assert events["console"] == [] and events["requests"] == [(run_dir / "report.html").as_uri()]
    page.close()

    out = tmp_path / "curated"
    proc = _run_with(snippet, out, cache_dir)
    assert proc.returncode == 0, proc.stderr
    after_rows, after_topics = _paragraphs(out), _topics(out)
    # Exactly what the reader saw: every paragraph's topic, every topic's name.
    assert {p: int(r["topic"]) for p, r in after_rows.items()} == seen_topics
    assert {t: v["label"] for t, v in after_topics.items()} == seen_names
    assert after_rows[mover]["topic_label"] == "Strategy pivot"
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    stages = {name: s["cache"] for name, s in manifest["stages"].items()}
    assert all(stages[s] == "hit" for s in ("read", "embed", "tokens", "reduce", "cluster", "represent"))
    assert stages["curate"] == "miss"
    assert [
        s["status"] for s in json.loads((out / "topics.json").read_text("utf-8"))["curation"]["steps"]
    ] == ["applied"] * 3
    compared = run_cli("compare", str(run_dir), str(out))
    assert compared.returncode == 0, compared.stderr
    assert "curated in 3 step(s)" in compared.stdout and f"-> B{pivot} Strategy pivot" in compared.stdout
    assert f"merged   A{merged[0]} " in compared.stdout

    page, events = _open(browser, out / "report.html")
    assert "Strategy pivot" in page.locator(f'.card[data-topic="{pivot}"] h3').inner_text()
    assert page.locator("#curation-outcomes tr").count() == 4
    # The snippet of the curated run repeats the curation in force.
    steps = tomllib.loads(page.input_value("#curation-toml"))["curation"]["steps"]
    assert len(steps) == 3 and steps[0]["label"] == "Strategy pivot"
    assert events["console"] == []
    page.close()


HOSTILE_CONFIG_LABEL = '</script><img src=x onerror="window.__pwned=1">"q" ]]\n[evil]\tend \\ %{y}'
HOSTILE_SPLIT = '<b>bold</b> "quote" ]] \\ end'
HOSTILE_RENAME = "</textarea><script>window.__pwned=2</script>"


def test_curated_names_with_markup_and_toml_syntax_stay_text(browser, cache_dir, tmp_path):  # noqa: F811
    curation = tmp_path / "start.toml"
    label = json.dumps(HOSTILE_CONFIG_LABEL, ensure_ascii=False)  # a JSON string is a TOML basic string
    curation.write_text(f'[[curation.steps]]\nrename = "{PIVOT}"\nlabel = {label}\n', encoding="utf-8")
    first = tmp_path / "first"
    proc = _run_with(curation, first, cache_dir)
    assert proc.returncode == 0, proc.stderr
    rows = _paragraphs(first)
    pivot = int(rows[PIVOT]["topic"])
    assert _topics(first)[pivot]["label"] == HOSTILE_CONFIG_LABEL

    page, events = _open(browser, first / "report.html")
    assert (
        page.locator(f'.card[data-topic="{pivot}"] h3').text_content().startswith(f"{pivot}: </script><img")
    )
    other = next(t for t in _topics(first) if t != pivot)
    page.select_option("#rename-topic", str(other))
    page.fill("#rename-label", HOSTILE_RENAME)
    page.click("#rename-form button[type=submit]")
    two = [p for p, r in rows.items() if int(r["topic"]) == pivot][:2]
    for paragraph in two:
        _tick(page, paragraph)
    page.fill("#split-label", HOSTILE_SPLIT)
    page.click("#split-form button[type=submit]")
    legend = page.locator("#fig-map .legendtext").all_text_contents()
    assert any(HOSTILE_SPLIT in name for name in legend) and any(HOSTILE_RENAME in name for name in legend)
    for name in ("authors", "flow"):  # drawn once in view: the labels go into them too
        page.locator(f"#{name}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#fig-{name} .main-svg")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src='x'], #fig-map b, .card b").count() == 0
    assert events["dialogs"] == [] and events["console"] == []
    snippet = page.input_value("#curation-toml")
    steps = tomllib.loads(snippet)["curation"]["steps"]
    assert [s.get("label") for s in steps] == [HOSTILE_CONFIG_LABEL, HOSTILE_RENAME, HOSTILE_SPLIT]
    assert "[evil]" not in snippet.splitlines()
    page.close()

    saved = tmp_path / "curation.toml"
    saved.write_text(snippet, encoding="utf-8")
    again = tmp_path / "again"
    proc = _run_with(saved, again, cache_dir)
    assert proc.returncode == 0, proc.stderr
    labels = {t["label"] for t in _topics(again).values()}
    assert {HOSTILE_CONFIG_LABEL, HOSTILE_RENAME, HOSTILE_SPLIT} <= labels
    assert {r["topic_label"] for p, r in _paragraphs(again).items() if p in two} == {HOSTILE_SPLIT}


def test_copy_puts_the_snippet_on_the_clipboard(browser, sample_run):  # noqa: F811
    run_dir, _ = sample_run
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((run_dir / "report.html").as_uri())
    page.wait_for_selector("#fig-map .main-svg")
    page.select_option("#rename-topic", index=0)
    page.fill("#rename-label", "Named by hand")
    page.click("#rename-form button[type=submit]")
    page.click("#copy-toml")
    # The report's CSP forbids eval, so wait through a locator, never wait_for_function.
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#curation-toml")
    assert tomllib.loads(copied)["curation"]["steps"][0]["label"] == "Named by hand"
    page.get_by_role("button", name="Undo the last edit").click()
    assert "steps" not in tomllib.loads(page.input_value("#curation-toml"))["curation"]
    context.close()


def _random_edits(page, rng, paragraph_ids: list[str], count: int) -> list[str]:
    """``count`` edits chosen by ``rng`` through the page's own controls; what was done."""
    done = []
    for i in range(count):
        topics = page.locator("#rename-topic option").evaluate_all("os => os.map(o => o.value)")
        action = rng.choice(["rename", "merge", "move", "split", "undo"] if done else ["rename", "split"])
        if action == "merge" and len(topics) < 3:
            action = "rename"
        if action == "rename":
            page.select_option("#rename-topic", rng.choice(topics))
            page.fill("#rename-label", f"R{i} <i>{rng.random():.3f}</i>")
            page.click("#rename-form button[type=submit]")
        elif action == "merge":
            for topic in rng.sample(topics, rng.choice([2, 3])):
                page.locator(f'#merge-topics input[value="{topic}"]').check()
            page.fill("#merge-label", rng.choice(["", f"M{i}"]))
            page.click("#merge-form button[type=submit]")
        elif action in ("move", "split"):
            for paragraph in rng.sample(paragraph_ids, rng.randint(1, 3)):
                _tick(page, paragraph)
            if action == "move":
                destinations = page.locator("#move-topic option").evaluate_all("os => os.map(o => o.value)")
                page.select_option("#move-topic", rng.choice(destinations))  # the outliers too
                page.click("#move-form button[type=submit]")
            else:
                page.fill("#split-label", rng.choice(["", f'S{i} "quoted"']))
                page.click("#split-form button[type=submit]")
        else:
            page.click("#undo")
        done.append(f"{action}: {page.text_content('#curate-message')}")
    return done


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_random_edits_in_the_page_are_what_the_next_run_gives(browser, sample_run, cache_dir, tmp_path, seed):  # noqa: F811
    """The page and curation/replay.py follow the same rules: whatever the reader does, the
    snippet replayed by a run gives every paragraph's topic and every topic's name they saw."""
    import random

    run_dir, _ = sample_run
    rng = random.Random(seed)
    page, events = _open(browser, run_dir / "report.html")
    done = _random_edits(page, rng, sorted(_paragraphs(run_dir)), 10)
    seen_topics, seen_names = _page_state(page)
    snippet = tmp_path / "curation.toml"
    snippet.write_text(page.input_value("#curation-toml"), encoding="utf-8")
    assert events["console"] == []
    page.close()
    out = tmp_path / "curated"
    proc = _run_with(snippet, out, cache_dir)
    assert proc.returncode == 0, proc.stderr
    assert {p: int(r["topic"]) for p, r in _paragraphs(out).items()} == seen_topics, done
    assert {t: v["label"] for t, v in _topics(out).items()} == seen_names, done
    assert all(
        s["status"] in ("applied", "nothing to do")
        for s in json.loads((out / "topics.json").read_text("utf-8"))["curation"]["steps"]
    ), done


def test_unnamed_splits_lone_surrogates_and_bidi_controls_read_back_as_shown(browser, cache_dir, tmp_path):  # noqa: F811
    start = tmp_path / "start.toml"
    start.write_text('[[curation.steps]]\nsplit = ["q1-a3-p2", "q1-a3-p13", "q1-a3-p21"]\n', encoding="utf-8")
    first = tmp_path / "first"
    assert _run_with(start, first, cache_dir).returncode == 0
    split_topic = int(_paragraphs(first)["q1-a3-p2"]["topic"])
    page, events = _open(browser, first / "report.html")
    _tick(page, "q1-a9-p1")  # moved into the split topic: its keywords change on the next run
    page.select_option("#move-topic", str(split_topic))
    page.click("#move-form button[type=submit]")
    page.select_option("#rename-topic", index=0)
    # A lone surrogate cannot be typed as text; a script puts one in, as a paste could.
    page.evaluate("document.getElementById('rename-label').value = 'a\\u202eb \\ud800 c'")
    page.click("#rename-form button[type=submit]")
    snippet = page.input_value("#curation-toml")
    assert "\\u202e" in snippet and "\u202e" not in snippet
    seen_topics, seen_names = _page_state(page)
    assert "a\u202eb \ufffd c" in seen_names.values()
    assert events["console"] == []
    page.close()
    saved = tmp_path / "curation.toml"
    saved.write_text(snippet, encoding="utf-8")
    again = tmp_path / "again"
    assert _run_with(saved, again, cache_dir).returncode == 0
    assert {p: int(r["topic"]) for p, r in _paragraphs(again).items()} == seen_topics
    assert {t: v["label"] for t, v in _topics(again).items()} == seen_names
