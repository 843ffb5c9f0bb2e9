"""Names on the map of a large report (issue 33): all 143,705 SIB-200 sentences, about 300
topics under 7 broad themes, in real Chromium.

    python bench/map_labels_scale.py [--n 143705] [--per-category 43] [--regions 6]

The report is rendered from labels, not fitted (as report_scale.py's ``--full``: a real
143,705-paragraph run needs an hour of embedding here from an empty cache): each SIB-200
category is a broad theme and a cloud on the map, split into ``--per-category`` topics
(the sentence's language decides which), each a smaller cloud inside it (``--uneven``: of
very different sizes). Measured:

- interactive: from the first byte to the map drawn and a search answered on it, as
  report_scale.py counts it;
- zoomed out: the names shown are the broad themes', and no two name boxes overlap;
- zoomed 4x on ``--regions`` places (each broad theme's centre, drawn in turn): the page
  names the topics; no two boxes overlap; every topic holding at least 5 % of the points in
  view is named (the misses are counted, not hidden), and the seconds from the zoom to the
  names being placed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import math
import random
import time
from collections import Counter
from pathlib import Path

from benchlib import ROOT, save_result
from report_scale import SIB_ALL, open_report, timed_search

BOXES = """Array.from(document.querySelectorAll('#fig-map g.annotation')).map(g => {
  const b = g.querySelector('rect.bg').getBoundingClientRect();
  return [g.textContent, b.left, b.top, b.right, b.bottom]; })"""
RANGES = """(() => { const f = document.getElementById('fig-map')._fullLayout;
  return [f.xaxis.range.slice(), f.yaxis.range.slice()]; })()"""


def build(n: int, per_category: int, out: Path, uneven: bool = False) -> tuple[Path, list[dict], dict]:
    from themescope.reports.html import render_report
    from themescope.runs import Run

    with gzip.open(SIB_ALL, "rt", encoding="utf-8", newline="") as fh:
        sentences = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[:n]
    categories = sorted({s["category"] for s in sentences})
    languages = list(dict.fromkeys(s["lang"] for s in sentences))
    rng = random.Random(0)
    rows = []
    for s in sentences:
        category, lang = categories.index(s["category"]), languages.index(s["lang"])
        # even: languages dealt round the topics (each 1-3 % of a 4x view); uneven: the first
        # topics of a category take many languages, the last few (some hold 5 % of a view)
        sub = int(per_category * (lang / len(languages)) ** 2) if uneven else lang % per_category
        topic = category * per_category + sub
        angle = 2 * math.pi * category / len(categories)
        inner = 2 * math.pi * sub / per_category
        ring = 1.0 + 2.2 * (sub % 3) / 2  # three rings of topics inside each category's cloud
        answer = f"q{lang + 1}-a{int(s['index_id']) + 1}"
        rows.append(
            {
                "paragraph_id": f"{answer}-p1",
                "question_id": f"q{lang + 1}",
                "answer_id": answer,
                "author": f"{s['lang']} reader",
                "position": 0,
                "heading": "",
                "language": s["lang"],
                "text": s["text"],
                "topic": topic,
                "x": round(14 * math.cos(angle) + ring * math.cos(inner) + rng.gauss(0, 0.25), 4),
                "y": round(14 * math.sin(angle) + ring * math.sin(inner) + rng.gauss(0, 0.25), 4),
            }
        )
    sizes = Counter(r["topic"] for r in rows)
    ids = sorted(sizes)
    topics = {
        "topics": [
            {
                "id": t,
                "label": f"{categories[t // per_category]} {t % per_category}",
                "size": sizes[t],
                "keywords": [[categories[t // per_category], 1.0]],
                "parent": t // per_category,
                "level": 1,
                "representative": [],
            }
            for t in ids
        ],
        "broad_themes": [
            {
                "id": c,
                "label": name,
                "size": sum(sizes[t] for t in ids if t // per_category == c),
                "keywords": [[name, 1.0]],
                "representative": [],
                "level": 0,
                "topics": [t for t in ids if t // per_category == c],
            }
            for c, name in enumerate(categories)
        ],
        "outlier_share": 0.0,
        "metrics": {},
    }
    manifest = {
        "title": f"SIB-200, {n:,} sentences, {len(ids)} topics",
        "themescope_version": "bench",
        "counts": {"questions": len(languages), "answers": n, "paragraphs": n},
        "questions": [{"id": f"q{q}", "title": lang} for q, lang in enumerate(languages, start=1)],
        "embeddings": {"model": "none (categories and languages as topics)"},
    }
    out.mkdir(parents=True, exist_ok=True)
    report = out / "report.html"
    report.write_text(render_report(Run.from_documents(rows, topics, manifest)), encoding="utf-8")
    return report, rows, topics


def _apart(labels: list[list]) -> bool:
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if not (a[3] <= b[1] + 0.5 or b[3] <= a[1] + 0.5 or a[4] <= b[2] + 0.5 or b[4] <= a[2] + 0.5):
                return False
    return True


def _shown(label: str) -> str:
    from themescope.reports.figures.style import esc
    from themescope.reports.rules import MAP_LABELS

    return html.unescape(esc(label, MAP_LABELS["chars"]))


def measure(report: Path, rows: list[dict], topics: dict, per_category: int, regions: int) -> dict:
    from playwright.sync_api import sync_playwright

    from themescope.reports.rules import MAP_LABELS

    label_of = {t["id"]: _shown(t["label"]) for t in topics["topics"]}
    centres = {}
    for r in rows:
        c = centres.setdefault(r["topic"] // per_category, [0.0, 0.0, 0])
        c[0] += r["x"]
        c[1] += r["y"]
        c[2] += 1
    with sync_playwright() as p:
        browser, page, errors, ready = open_report(p, report, 180_000)
        interactive = ready + timed_search(page, "the")  # as report_scale.py counts it
        page.fill("#search", "")
        page.wait_for_selector("#fig-map[data-labels]", state="attached", timeout=180_000)
        kind = page.get_attribute("#fig-map", "data-labels")
        labels = page.evaluate(BOXES)
        broad = {_shown(b["label"]) for b in topics["broad_themes"]}
        zoomed_out = {
            "kind": kind,
            "names": len(labels),
            "broad_named": sorted(broad & {lab[0] for lab in labels}),
            "apart": _apart(labels),
        }
        (x0, x1), (y0, y1) = page.evaluate(RANGES)
        width, height = abs(x1 - x0) / 4, abs(y1 - y0) / 4
        zooms = []
        for c, (sx, sy, count) in sorted(centres.items())[:regions]:
            cx, cy = sx / count, sy / count
            view = [cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2]
            page.evaluate("delete document.getElementById('fig-map').dataset.labels")
            began = time.perf_counter()
            page.evaluate(
                "v => Plotly.relayout('fig-map', {'xaxis.range': [v[0], v[1]], 'yaxis.range': [v[2], v[3]]})",
                view,
            )
            page.wait_for_selector("#fig-map[data-labels]", state="attached", timeout=60_000)
            seconds = time.perf_counter() - began
            labels = page.evaluate(BOXES)
            inside = Counter(
                r["topic"] for r in rows if view[0] <= r["x"] <= view[1] and view[2] <= r["y"] <= view[3]
            )
            total = sum(inside.values())
            expected = {label_of[t] for t, k in inside.items() if k >= MAP_LABELS["min_share"] * total}
            named = {lab[0] for lab in labels}
            zooms.append(
                {
                    "broad_theme": c,
                    "kind": page.get_attribute("#fig-map", "data-labels"),
                    "points_in_view": total,
                    "topics_in_view": len(inside),
                    "topics_at_5pct": len(expected),
                    "named_of_those": len(expected & named),
                    "missed": sorted(expected - named),
                    "names": len(labels),
                    "apart": _apart(labels),
                    "seconds_to_names": round(seconds, 2),
                }
            )
            print(zooms[-1], flush=True)
        browser.close()
    return {
        "ready_s": round(ready, 2),
        "interactive_s": round(interactive, 2),
        "zoomed_out": zoomed_out,
        "zoomed_4x": zooms,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=143_705)
    parser.add_argument("--per-category", type=int, default=43)
    parser.add_argument("--regions", type=int, default=7)
    parser.add_argument("--uneven", action="store_true", help="topics of very different sizes")
    args = parser.parse_args()
    out = ROOT / "bench" / ".cache" / "map-labels-scale"
    started = time.perf_counter()
    report, rows, topics = build(args.n, args.per_category, out, args.uneven)
    seconds = time.perf_counter() - started
    print(f"rendered {len(rows):,} rows, {len(topics['topics'])} topics in {seconds:.1f} s")
    result = measure(report, rows, topics, args.per_category, args.regions)
    result.update(
        {
            "paragraphs": len(rows),
            "topics": len(topics["topics"]),
            "report_mb": round(report.stat().st_size / 1e6, 1),
            "uneven": args.uneven,
        }
    )
    print(json.dumps(result, ensure_ascii=False, indent=1))
    save_result("map-labels-scale", {"bench": "map_labels_scale", **result})


if __name__ == "__main__":
    main()
