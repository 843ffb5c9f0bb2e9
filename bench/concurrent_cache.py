"""Two `themescope run` processes at once on one cache, pair after pair, with a pruner racing them.

    python bench/concurrent_cache.py [--pairs 20] [--no-churner] [--code OTHER_CHECKOUT]

Every pair starts two runs of the sample page at the same moment, sharing one cache folder;
which stages hit varies by pair: the first pair starts from an empty cache (both embed and
store everything), then in turn both runs take a new ``topics.seed`` (every topic stage is
computed and stored by both at once, and each store prunes), both repeat the last seed (both
read the same entries), or one takes a new seed while the other repeats the last one (one
reads what the other stores). Meanwhile a third process stands for many more runs: it stores
20 entries in every stage folder and prunes the folder empty, over and over, so entries
appear and vanish under the pairs' reads, stores and pruning.

Counted: the runs that exit 0, and whether all of them found the same topics (the seed moves
only the map): each paragraph's topic and each topic's label, compared across every run.
Result: bench/results/concurrent-cache-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ROOT, save_result, themescope_run

SAMPLE = ROOT / "examples" / "us-russia-relations.txt"


def churn_forever(cache: Path, stop, code: str) -> None:
    """Stand for many more runs on the cache until ``stop``: store 20 entries in every stage
    folder (a temp folder renamed into place, as runs store), then prune it empty (keep=0:
    the pairs' entries too), over and over, going on whatever happens to one attempt."""
    sys.path.insert(0, code)
    from themescope.stages import StageCache

    pruner = StageCache(cache, keep=0)
    rounds = failed = 0
    while not stop.is_set():
        for stage_dir in sorted((cache / "stages").glob("*")):
            try:
                for _ in range(20):
                    tmp = Path(tempfile.mkdtemp(dir=stage_dir, prefix=".tmp-"))
                    (tmp / "complete").write_text("1")
                    os.rename(tmp, stage_dir / secrets.token_hex(20))
                pruner._prune(stage_dir)
            except OSError:
                failed += 1
        rounds += 1
        time.sleep(0.005)
    print(f"churner: {rounds} rounds, {failed} attempts failed", flush=True)


def outcome(run_dir: Path) -> dict:
    """What must not depend on the cache: each paragraph's topic and the topics' labels."""
    with (run_dir / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    topics = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))["topics"]
    return {
        "assignments": {r["paragraph_id"]: r["topic"] for r in rows},
        "labels": {t["id"]: t["label"] for t in topics},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--no-churner", action="store_true")
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose themescope runs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="themescope-concurrent-"))
    cache = work / "cache"
    stop = multiprocessing.Event()
    churner = None
    if not args.no_churner:
        churner = multiprocessing.Process(target=churn_forever, args=(cache, stop, args.code))
        churner.start()
    env = {**os.environ, "PYTHONPATH": args.code}
    pairs, reference, seed = [], None, 1000
    try:
        for i in range(args.pairs):
            kinds = ["both new seed", "both same seed", "one new, one same"]
            kind = "empty cache" if i == 0 else kinds[i % 3]
            seeds = {
                "empty cache": (seed, seed),
                "both new seed": (seed + 1, seed + 1),
                "both same seed": (seed, seed),
                "one new, one same": (seed + 1, seed),
            }[kind]
            seed = max(seeds)
            procs, starts = [], []
            for side, run_seed in zip("ab", seeds, strict=True):
                out = work / f"pair-{i}-{side}"
                cmd = themescope_run(
                    out,
                    f'input.paths=["{SAMPLE}"]',
                    f'embeddings.cache_dir="{cache}"',
                    f"topics.seed={run_seed}",
                )
                cmd.insert(1, "-P")  # the checkout from PYTHONPATH, not the working folder's
                starts.append(time.perf_counter())
                pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
                procs.append((out, subprocess.Popen(cmd, cwd=ROOT, env=env, **pipes)))
            runs = []
            for (out, proc), start in zip(procs, starts, strict=True):
                _, stderr = proc.communicate()
                record = {"exit": proc.returncode, "wall_s": round(time.perf_counter() - start, 2)}
                if proc.returncode == 0:
                    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
                    record["stages"] = {k: v["cache"] for k, v in manifest["stages"].items()}
                    record["entries"] = {k: v["entry"] for k, v in manifest["stages"].items() if "entry" in v}
                    record["warnings"] = manifest["warnings"]
                    found = outcome(out)
                    reference = reference or found
                    record["same_topics_as_first_run"] = found == reference
                else:
                    record["stderr_tail"] = stderr.decode(errors="replace")[-2000:]
                runs.append(record)
                shutil.rmtree(out, ignore_errors=True)
            pairs.append({"pair": i, "kind": kind, "seeds": seeds, "runs": runs})
            print(
                f"pair {i} ({kind}): exits {[r['exit'] for r in runs]}, "
                f"same topics {[r.get('same_topics_as_first_run') for r in runs]}, "
                f"stages {[r.get('stages') for r in runs]}",
                flush=True,
            )
    finally:
        stop.set()
        if churner is not None:
            churner.join()
    runs = [r for p in pairs for r in p["runs"]]
    summary = {
        "runs": len(runs),
        "exit_0": sum(r["exit"] == 0 for r in runs),
        "same_topics": sum(bool(r.get("same_topics_as_first_run")) for r in runs),
        "runs_with_warnings": sum(bool(r.get("warnings")) for r in runs),
        "stage_misses_by_entry_note": sorted({n for r in runs for n in r.get("entries", {}).values()}),
        "churner": not args.no_churner,
        "code": args.code,
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    record = {"bench": "two runs at once on one cache", "pairs": pairs, "summary": summary}
    save_result("concurrent-cache", record)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
