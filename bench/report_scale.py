"""Report size and load time: the sample page, n SIB-200 sentences, and all 143,705.

    python bench/report_scale.py [--n 10000] [--model builtin-use] [--full 143705] [--skip-runs]
                                 [--report RUN/report.html --repeat 3]

Runs `themescope run` on the sample and on n SIB-200 sentences drawn at random (seed 0) from
all 205 languages (author = language, label = category), then opens each report.html in
Debian's chromium (WebGL on SwiftShader) through Playwright and times: interactive (the map
drawn and a search answered in the table), all figures drawn, and a second search.
Embeddings are cached under bench/.cache.

``--full N`` also renders a report of the first N SIB-200 sentences (all 143,705 by default)
without running the pipeline, which at that size is issue 19's (and an hour cold here): the
report layer alone, on the real texts, with 205 questions (one per language), a date per
sentence over four years, the seven categories as topics under two broad themes, and each
category a cloud on the map. Size and browser times depend on the texts, the counts and the
views, not on how the topics were found.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import subprocess
import time
from pathlib import Path

from benchlib import ROOT, SIB, save_result, themescope_run

SIB_ALL = SIB / "train-all-languages.tsv.gz"
FIGURES = ("map", "keywords", "authors", "flow", "similarity")  # in every report


def make_records(n: int, out: Path) -> Path:
    with gzip.open(SIB_ALL, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = random.Random(0).sample(rows, n)
    path = out / f"sib200-{n}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            record = {
                "question": "SIB-200",
                "author": row["lang"],
                "lang": row["lang"],
                "label": row["category"],
                "text": row["text"],
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def run(inputs: Path | None, out: Path, model: str) -> float:
    settings = [f'embeddings.cache_dir="{ROOT / "bench" / ".cache"}"', f'embeddings.model="{model}"']
    if inputs:
        settings.append(f'input.paths=["{inputs}"]')
    cmd = themescope_run(out, *settings)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    return round(time.perf_counter() - start, 1)


def open_report(p, report: Path, timeout_ms: int = 120_000):
    """Debian's Chromium (WebGL on SwiftShader) on ``report`` until its map is drawn: the
    browser, the page, the page's errors (a list that fills) and the seconds it took."""
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
    )
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(report.as_uri(), wait_until="commit", timeout=timeout_ms)
    page.wait_for_selector("body[data-ready=true]", timeout=timeout_ms)  # the map drawn
    return browser, page, errors, time.perf_counter() - start


def load_time(report: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page, errors, ready = open_report(p, report)
        start = time.perf_counter() - ready
        drawn = page.evaluate("document.getElementById('fig-map').data.reduce((n, t) => n + t.x.length, 0)")
        phases = page.evaluate(PHASES)
        first_search = timed_search(page, "the")
        for name in FIGURES:  # (a large report draws a figure as it comes into view)
            page.locator(f"#fig-{name}").scroll_into_view_if_needed()
            page.wait_for_selector(f"#fig-{name} .main-svg", timeout=120_000)
        figures = time.perf_counter() - start  # (from the first byte)
        search = timed_search(page, "war")  # the table and the map answer
        matches = page.locator("#match-count").text_content()
        browser.close()
    return {
        "ready_s": round(ready, 2),  # from the page's first byte to the map drawn, answering input
        "first_search_s": round(first_search, 2),  # by the page's clock
        "interactive_s": round(ready + first_search, 2),  # the map drawn and a search answered on it
        "all_figures_s": round(figures, 2),  # scrolled to each in turn
        "search_s": round(search, 2),  # a second search: table and map
        "phases_s": phases,  # when each step of the page ended, from navigation start
        "points_on_map": drawn,
        "search_matches": matches,
        "errors": errors,
    }


# The page's own marks (reports/page/main.js: mark), with the navigation's: when the bytes had all
# arrived, plotly.js was compiled and run, the rows inflated, the table and the map's traces
# built, and the map drawn.
PHASES = """(() => {
    const nav = performance.getEntriesByType('navigation')[0], out = {bytes: nav.responseEnd};
    for (const m of performance.getEntriesByType('mark')) {
        if (m.name.startsWith('themescope:')) { out[m.name.slice(11)] = m.startTime; }
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v) / 1000]));
})()"""


def timed_search(page, text: str) -> float:
    """Seconds from typing ``text`` in the search to the map showing its matches, by the
    page's own clock (data-shown-ms)."""
    page.evaluate("delete document.getElementById('fig-map').dataset.shown")
    page.fill("#search", text)
    page.wait_for_selector("#fig-map[data-shown]", state="attached", timeout=120_000)
    return int(page.get_attribute("#fig-map", "data-shown-ms")) / 1000


def full_report(n: int, out: Path) -> Path:
    """A report of the first ``n`` SIB-200 sentences, rendered from their labels (see above)."""
    import math
    from collections import Counter

    from themescope.reports.html import render_report
    from themescope.runs import Run

    with gzip.open(SIB_ALL, "rt", encoding="utf-8", newline="") as fh:
        sentences = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[:n]
    categories = sorted({s["category"] for s in sentences})
    languages = list(dict.fromkeys(s["lang"] for s in sentences))
    rng = random.Random(0)
    rows = []
    for k, s in enumerate(sentences):
        topic, q = categories.index(s["category"]), languages.index(s["lang"]) + 1
        angle = 2 * math.pi * topic / len(categories)
        answer = f"q{q}-a{int(s['index_id']) + 1}"
        rows.append(
            {
                "paragraph_id": f"{answer}-p1",
                "question_id": f"q{q}",
                "answer_id": answer,
                "author": f"{s['lang']} reader {int(s['index_id']) % 25}",
                "position": 0,
                "heading": "",
                "language": s["lang"],
                "text": s["text"],
                "topic": topic,
                "x": round(6 * math.cos(angle) + rng.gauss(0, 1.2), 4),
                "y": round(6 * math.sin(angle) + rng.gauss(0, 1.2), 4),
                "date": f"{2019 + int(s['index_id']) % 4}-{int(s['index_id']) % 12 + 1:02d}-{k % 28 + 1:02d}",
            }
        )
    sizes = Counter(r["topic"] for r in rows)
    topics = {
        "topics": [
            {
                "id": t,
                "label": c,
                "size": sizes[t],
                "keywords": [[c, 1.0]],
                "parent": t % 2,
                "level": 1,
                "representative": [r["paragraph_id"] for r in rows if r["topic"] == t][:3],
                "guided_theme": None,
            }
            for t, c in enumerate(categories)
        ],
        "broad_themes": [
            {
                "id": b,
                "label": f"broad theme {b}",
                "size": sum(sizes[t] for t in range(b, len(categories), 2)),
                "keywords": [],
                "representative": [],
                "level": 0,
                "topics": list(range(b, len(categories), 2)),
            }
            for b in (0, 1)
        ],
        "outlier_share": 0.0,
        "metrics": {},
    }
    manifest = {
        "title": f"SIB-200, {n:,} sentences in {len(languages)} languages",
        "themescope_version": "bench",
        "created": "",
        "counts": {"questions": len(languages), "answers": n, "paragraphs": n},
        "questions": [{"id": f"q{q}", "title": lang} for q, lang in enumerate(languages, start=1)],
        "topics": {"reassigned": 0},
        "timings": {},
        "embeddings": {"model": "none (categories as topics)"},
        "versions": {},
        "config": {},
    }
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    (out / "report.html").write_text(
        render_report(Run.from_documents(rows, topics, manifest)), encoding="utf-8"
    )
    print(f"rendered {n:,} paragraphs in {time.perf_counter() - start:.1f} s", flush=True)
    return out / "report.html"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--model", default="builtin-use")
    parser.add_argument("--full", type=int, default=143_705, help="0: no report-only measurement")
    parser.add_argument("--skip-runs", action="store_true", help="only the report-only measurement")
    parser.add_argument(
        "--report", type=Path, action="append", default=[], help="also open this report.html (a real run's)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="open each report this many times")
    args = parser.parse_args()
    work = ROOT / "bench" / ".cache" / "report-scale"
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    runs = (
        []
        if args.skip_runs
        else [("sample", None, "builtin"), (f"sib200-{args.n}", make_records(args.n, work), args.model)]
    )
    for name, inputs, model in runs:
        out = work / name
        wall = run(inputs, out, model)
        report = out / "report.html"
        results[name] = {
            "model": model,
            "run_wall_s": wall,
            "report_bytes": report.stat().st_size,
            **load_time(report),
        }
        print(name, results[name], flush=True)
    if args.full:
        start = time.perf_counter()
        report = full_report(args.full, work / f"sib200-full-{args.full}")
        results[f"sib200-report-only-{args.full}"] = {
            "render_s": round(time.perf_counter() - start, 1),
            "report_bytes": report.stat().st_size,
            **load_time(report),
        }
        print(args.full, results[f"sib200-report-only-{args.full}"], flush=True)
    for report in args.report:
        times = [load_time(report) for _ in range(args.repeat)]
        results[str(report)] = {"report_bytes": report.stat().st_size, "loads": times}
        print(report, json.dumps(results[str(report)]), flush=True)
    save_result("report-scale", {"bench": "report size and load time in chromium", "results": results})


if __name__ == "__main__":
    main()
