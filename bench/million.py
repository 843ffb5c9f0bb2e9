"""A million paragraphs: SIB-200's 143,705 sentences, each several times with a different
word dropped, through ``themescope run configs/large-corpus.toml`` with embeddings cached.

    python bench/million.py [--copies 7] [--sentences 143705] [--cache bench/.cache] [--embed-only]

1. The corpus: each sentence ``--copies`` times, copy k without its k-th word, chosen by a
   seeded shuffle of its words (sentences in scripts without spaces lose a character
   instead), so every paragraph is distinct: 7 × 143,705 = 1,005,935 paragraphs.
2. Cold embedding into the cache (builtin-use), timed. It is paid once: shards are written
   every 8,192 texts, so a stopped run keeps its work and the next one resumes.
3. ``themescope run`` in a fresh process with the embeddings cached and the stage cache
   emptied: wall time, peak RSS, per-stage seconds, topics, outliers, V-measure against the
   categories, report size, and the report opened in Chromium (report_scale.load_time).

Result: bench/results/million-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from benchlib import ROOT, measure, save_result
from report_scale import load_time
from scale import CACHE, EMBED_ALL, load_rows, run_command, write_records


def variants(text: str, copies: int, rng: random.Random) -> list[str]:
    """``copies`` distinct versions of ``text``, each missing one word (or one character)."""
    words = text.split()
    pieces, joiner = (words, " ") if len(words) > copies else (list(text), "")
    dropped = rng.sample(range(len(pieces)), min(copies, len(pieces)))
    out = [joiner.join(pieces[:i] + pieces[i + 1 :]) for i in dropped]
    return [v for v in dict.fromkeys(out) if v.strip()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=7)
    parser.add_argument("--sentences", type=int, default=143705)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--embed-only", action="store_true", help="stop once the cache holds every vector")
    args = parser.parse_args()
    rng = random.Random(0)
    rows = []
    for row in load_rows()[: args.sentences]:
        rows += [row | {"text": text} for text in variants(row["text"], args.copies, rng)]
    work = Path(tempfile.mkdtemp(prefix="themescope-million-"))
    texts = work / "texts.json"
    texts.write_text(json.dumps([r["text"] for r in rows], ensure_ascii=False), encoding="utf-8")
    m = measure([sys.executable, "-c", EMBED_ALL, str(texts), str(args.cache), str(ROOT)])
    cold = json.loads(m.stdout) | {"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib}
    print(len(rows), "paragraphs; embedding:", cold, flush=True)
    if args.embed_only:
        shutil.rmtree(work, ignore_errors=True)
        return

    records = work / "million.tsv"
    write_records(rows, records)
    shutil.rmtree(args.cache / "stages", ignore_errors=True)
    out = work / "run"
    run = measure(run_command(records, out, args.cache))
    result = {"paragraphs": len(rows), "wall_s": run.wall_s, "peak_rss_mib": run.peak_rss_mib}
    result["exit"] = run.exit
    if run.exit == 0:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        topics = json.loads((out / "topics.json").read_text(encoding="utf-8"))
        result |= {
            "stages": {k: v["seconds"] for k, v in manifest["stages"].items()},
            "n_topics": len(topics["topics"]),
            "outlier_share": topics["outlier_share"],
            "v_measure": topics["metrics"].get("label_v_measure"),
            "report_mb": round((out / "report.html").stat().st_size / 1e6, 2),
            "report_in_chromium": load_time(out / "report.html"),
        }
    else:
        result["error"] = run.stderr.strip().splitlines()[-3:]
    print(json.dumps(result), flush=True)
    save_result("million", {"bench": "million", "copies": args.copies, "cold_embedding": cold, "run": result})
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
