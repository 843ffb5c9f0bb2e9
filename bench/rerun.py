"""Edit a config, run again: cold run, then unchanged, topics-only and report-only re-runs.

    python bench/rerun.py [--rounds 3]

Each round starts from an empty cache (fresh processes, cold imports) and runs, in order:
the first run; the same config again; ``--set topics.min_topic_size=6`` (a topics-only
change); ``--set report.title=...`` (a report-only change, on top of the topics change); a
curation-only change (``--curation`` with a rename, a merge, a move and a split, on the first
run's config: only the curate stage and the report run).
Beside it, what the same edit costs with plain BERTopic: the whole script again
(bench/plain_bertopic.py). Result: bench/results/rerun-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

from benchlib import measure, sample_paragraphs_json, save_result

STEPS = {
    "first run (cold cache)": [],
    "unchanged": [],
    "topics-only change": ["--set", "topics.min_topic_size=6"],
    "report-only change": ["--set", "topics.min_topic_size=6", "--set", 'report.title="Edited"'],
    "curation-only change": ["--curation", "CURATION"],
}
CURATION = """[curation]
[[curation.steps]]
rename = { id = "q1-a2-p3", text = "早在2012年,奧巴馬第二個任期剛剛開始之時就提出" }
label = "Strategy pivot"

[[curation.steps]]
merge = ["q1-a6-p3", "q1-a5-p3"]

[[curation.steps]]
move = ["q1-a3-p2"]
to = "q1-a2-p1"

[[curation.steps]]
split = ["q1-a7-p2", "q1-a7-p4", "q1-a7-p5"]
label = "Personal ties"
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = sample_paragraphs_json("themescope-rerun-")
    curation = work / "curation.toml"
    curation.write_text(CURATION, encoding="utf-8")
    runs: dict[str, list[dict]] = {name: [] for name in [*STEPS, "plain BERTopic, any change"]}
    for i in range(args.rounds):
        base = [sys.executable, "-m", "themescope", "run", "configs/default.toml", "-q"]
        base += ["--out", str(work / f"run-{i}"), "--set", f'embeddings.cache_dir="{work / f"cache-{i}"}"']
        for name, extra in STEPS.items():
            m = measure(base + [str(curation) if arg == "CURATION" else arg for arg in extra])
            assert m.exit == 0, m.stderr
            manifest = json.loads((work / f"run-{i}" / "manifest.json").read_text(encoding="utf-8"))
            stages = {k: v["cache"] for k, v in manifest["stages"].items()}
            runs[name].append({"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib, "stages": stages})
            print(f"round {i} {name}: {m.wall_s} s, {m.peak_rss_mib} MiB, {stages}", flush=True)
        m = measure(
            [sys.executable, "bench/plain_bertopic.py", str(work / "paragraphs.json"), str(work / "p")]
        )
        runs["plain BERTopic, any change"].append({"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib})
        print(f"round {i} plain BERTopic: {m.wall_s} s, {m.peak_rss_mib} MiB", flush=True)

    summary = {
        name: {
            "median_wall_s": statistics.median(r["wall_s"] for r in rows),
            "median_peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in rows),
        }
        for name, rows in runs.items()
    }
    cold = summary["first run (cold cache)"]["median_wall_s"]
    for name in summary:
        summary[name]["speedup_vs_first_run"] = round(cold / summary[name]["median_wall_s"], 2)
    print(json.dumps(summary, indent=2))
    save_result("rerun", {"bench": "re-run after a config edit", "runs": runs, "summary": summary})


if __name__ == "__main__":
    main()
