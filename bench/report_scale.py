"""Report size and load time: the sample page and 10,000 SIB-200 sentences.

    python bench/report_scale.py [--n 10000] [--model builtin-use]

Runs `themescope run` on the sample and on n SIB-200 sentences drawn at random (seed 0) from
all 205 languages (author = language, label = category), then opens each report.html in
Debian's chromium through Playwright and times: interactive (the map drawn and a search
answered in the table), all figures drawn, and a second search. Embeddings are cached under
bench/.cache.
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
FIGURES = ("map", "keywords", "authors", "flow", "similarity")


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


def load_time(report: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        page.goto(report.as_uri(), wait_until="commit")
        page.wait_for_selector("#fig-map .main-svg", timeout=60_000)
        page.fill("#search", "the")
        page.wait_for_function(
            "document.getElementById('match-count').textContent !== "
            "document.querySelectorAll('#paragraph-table tbody tr').length + ' / ' + "
            "document.querySelectorAll('#paragraph-table tbody tr').length + ' paragraphs'"
        )
        interactive = time.perf_counter() - start
        for name in FIGURES:
            page.wait_for_selector(f"#fig-{name} .main-svg", timeout=60_000)
        drawn = time.perf_counter() - start
        start = time.perf_counter()
        page.fill("#search", "war")
        page.wait_for_timeout(0)
        search = time.perf_counter() - start
        browser.close()
    return {
        "interactive_s": round(interactive, 2),  # map drawn and a search answered
        "all_figures_s": round(drawn, 2),
        "search_s": round(search, 2),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--model", default="builtin-use")
    args = parser.parse_args()
    work = ROOT / "bench" / ".cache" / "report-scale"
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, inputs, model in (
        ("sample", None, "builtin"),
        (f"sib200-{args.n}", make_records(args.n, work), args.model),
    ):
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
    save_result("report-scale", {"bench": "report size and load time in chromium", "results": results})


if __name__ == "__main__":
    main()
