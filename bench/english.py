"""What the English member costs and gives: cold `themescope run` on SIB-200's 701 English
train sentences with `builtin` (e5 + USE + all-MiniLM-L6-v2 on an English corpus) and with
`builtin-multilingual` (e5 + USE alone), side by side in one run.

    python bench/english.py [--rounds 1]

Each run is a fresh process with an empty embedding cache; the sentences go in as JSONL
records whose ``label`` is the SIB-200 category, so topics.json carries V-measure against
it. Wall time and peak RSS come from the kernel (wait4). Needs ../shared/data/sib200.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import tempfile
from pathlib import Path

from benchlib import SIB, measure, save_result, themescope_run

MODELS = ["builtin", "builtin-multilingual"]


def write_records(folder: Path) -> Path:
    with (SIB / "eng_Latn.train.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    path = folder / "sib200-eng.jsonl"
    lines = [
        json.dumps(
            {"question": "SIB-200", "author": f"s{r['index_id']}", "text": r["text"], "label": r["category"]}
        )
        for r in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="themescope-english-"))
    records = write_records(work)
    runs: dict[str, list[dict]] = {model: [] for model in MODELS}
    for i in range(args.rounds):
        for model in MODELS if i % 2 == 0 else MODELS[::-1]:
            out = work / f"{model}-{i}"
            cmd = themescope_run(
                out,
                f'input.paths=["{records}"]',
                f'embeddings.model="{model}"',
                f'embeddings.cache_dir="{work / f"cache-{model}-{i}"}"',
            )
            m = measure(cmd)
            run = {"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib, "exit": m.exit}
            if m.exit == 0:
                topics = json.loads((out / "topics.json").read_text(encoding="utf-8"))
                manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
                run |= {
                    "model": manifest["embeddings"]["model"],
                    "paragraphs": manifest["counts"]["paragraphs"],
                    "v_measure": topics["metrics"]["label_v_measure"],
                    "outlier_share": topics["outlier_share"],
                    "topics": len(topics["topics"]),
                    "embed_s": manifest["timings"]["embed"],
                }
            else:
                run["stderr_tail"] = m.stderr.strip().splitlines()[-1:] or [""]
            runs[model].append(run)
            print(model, run, flush=True)
    summary = {
        model: {
            key: statistics.median(r[key] for r in results if r["exit"] == 0)
            for key in ("wall_s", "peak_rss_mib", "v_measure", "outlier_share", "embed_s")
        }
        for model, results in runs.items()
    }
    save_result(
        "english",
        {"bench": "English corpus: builtin vs builtin-multilingual", "summary": summary, "runs": runs},
    )
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
