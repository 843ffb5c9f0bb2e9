"""Cold `themescope run` against plain BERTopic on the sample, side by side in one run.

    python bench/foundation.py [--rounds 3] [--baseline OLD_CHECKOUT]

``--baseline``: also run themescope from another checkout (say a ``git worktree`` of the
previous commit) in the same rounds, so a change's cost is a paired comparison.

Each round runs both in fresh processes (cold imports, cold numba, empty embedding cache),
alternating the order. Wall time and peak RSS come from the kernel (wait4). The result goes
to bench/results/foundation-<UTC time>.json and a table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

from benchlib import measure, sample_paragraphs_json, save_result, themescope_run


def measure_run(cmd: list[str], env: dict | None = None) -> dict:
    m = measure(cmd, env)
    return {
        "wall_s": m.wall_s,
        "peak_rss_mib": m.peak_rss_mib,
        "exit": m.exit,
        "stdout": m.stdout.strip().splitlines()[-1] if m.stdout.strip() else "",
        "stderr_tail": m.stderr.strip().splitlines()[-1] if m.stderr.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="another checkout of themescope, run in the same rounds")
    args = parser.parse_args()
    work = sample_paragraphs_json("themescope-bench-")

    runs: dict[str, list[dict]] = {"themescope": [], "plain_bertopic": []}
    if args.baseline:
        runs["baseline"] = []
    for i in range(args.rounds):
        order = list(runs) if i % 2 == 0 else list(reversed(runs))
        for name in order:
            env = None
            if name in ("themescope", "baseline"):
                out = work / f"{'ts' if name == 'themescope' else 'base'}-{i}"
                cmd = themescope_run(out, f'embeddings.cache_dir="{work / f"cache-{name}-{i}"}"')
                if name == "baseline":  # -P: the checkout on PYTHONPATH runs, not this one
                    cmd = [cmd[0], "-P", *cmd[1:]]
                    env = {**os.environ, "PYTHONPATH": str(args.baseline)}
            else:
                cmd = [
                    sys.executable,
                    "bench/plain_bertopic.py",
                    str(work / "paragraphs.json"),
                    str(work / f"plain-{i}"),
                ]
            result = measure_run(cmd, env)
            if name in ("themescope", "baseline") and result["exit"] == 0:
                topics = json.loads((out / "topics.json").read_text(encoding="utf-8"))
                result["n_topics"] = len(topics["topics"])
                result["outlier_share"] = topics["outlier_share"]
                result["labels"] = [t["label"] for t in topics["topics"]]
            elif result["stdout"].startswith("{"):
                result.update(json.loads(result["stdout"]))
            runs[name].append(result)
            print(
                f"round {i} {name}: {result['wall_s']} s, {result['peak_rss_mib']} MiB, "
                f"exit {result['exit']}",
                flush=True,
            )

    summary = {}
    for name, results in runs.items():
        ok = [r for r in results if r["exit"] == 0]
        summary[name] = {
            "median_wall_s": statistics.median(r["wall_s"] for r in ok) if ok else None,
            "median_peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in ok) if ok else None,
            "crashes": sum(1 for r in results if r["exit"] != 0 or r.get("crash")),
            "n_topics": [r.get("n_topics") for r in ok],
            "outlier_share": [r.get("outlier_share") for r in ok],
        }
    ts, plain = summary["themescope"], summary["plain_bertopic"]
    if ts["median_wall_s"] and plain["median_wall_s"]:
        summary["ratio_wall_plain_over_themescope"] = round(plain["median_wall_s"] / ts["median_wall_s"], 2)
        summary["ratio_rss_themescope_over_plain"] = round(
            ts["median_peak_rss_mib"] / plain["median_peak_rss_mib"], 2
        )
    base = summary.get("baseline")
    if base and base["median_wall_s"] and ts["median_wall_s"]:
        wall = [t["wall_s"] / b["wall_s"] for t, b in zip(runs["themescope"], runs["baseline"], strict=True)]
        summary["ratio_wall_themescope_over_baseline"] = round(ts["median_wall_s"] / base["median_wall_s"], 3)
        summary["paired_wall_ratios_themescope_over_baseline"] = [round(r, 3) for r in wall]
        summary["baseline_labels_same"] = [
            t.get("labels") == b.get("labels")
            for t, b in zip(runs["themescope"], runs["baseline"], strict=True)
        ]
    save_result(
        "foundation",
        {
            "bench": "foundation: cold run on the sample vs plain BERTopic",
            "rounds": args.rounds,
            "baseline": args.baseline,
            "summary": summary,
            "runs": runs,
        },
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
