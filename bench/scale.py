"""Scale curve: 1k, 10k, 50k and all 143,705 SIB-200 sentences (205 languages), per stage,
with quality, and plain BERTopic on the same embeddings beside it at every size.

    python bench/scale.py [--sizes 1000 10000 50000 143705] [--plain-timeout 1800]

1. Cold embedding: every sentence of the samples (all of them with 143,705 among the sizes)
   through the large-corpus model (configs/large-corpus.toml, builtin-use) into bench/.cache,
   timed: what the first run on this corpus pays once.
2. For each size, a random sample (seed 0) written as a TSV of records (question, author =
   language, text, lang, label = category), then ``themescope run configs/large-corpus.toml``
   in a fresh process with the embeddings cached and the stage cache emptied, so every other
   stage runs: wall time, peak RSS, per-stage seconds (manifest), V-measure against the
   category and outlier share (topics.json).
3. Plain BERTopic, defaults, on the same cached vectors (bench/plain_scale.py), with a timeout.

Result: bench/results/scale-<UTC time>.json; bench/plot_scale.py draws the curve.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from benchlib import ROOT, SIB, label_scores, measure, save_result

CACHE = ROOT / "bench" / ".cache"
SOURCE = SIB / "train-all-languages.tsv.gz"
CONFIG = ROOT / "configs" / "large-corpus.toml"

EMBED_ALL = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
from themescope.embeddings import load_embedder
from themescope.embeddings.cache import embed_with_cache
texts = json.load(open(sys.argv[1], encoding="utf-8"))
start = time.perf_counter()
_, stats = embed_with_cache(texts, load_embedder("builtin-use", batch_size=64), sys.argv[2])
print(json.dumps({"seconds": round(time.perf_counter() - start, 1), "embedded": stats.misses,
                  "from_cache": stats.hits}))
"""


def load_rows() -> list[dict]:
    with gzip.open(SOURCE, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def sample_rows(rows: list[dict], n: int) -> list[dict]:
    """The bench's sample of ``n`` sentences (seed 0); all of them when n covers them."""
    return rows if n >= len(rows) else random.Random(0).sample(rows, n)


def run_command(records: Path, out: Path, cache: Path) -> list[str]:
    """``themescope run`` of the large-corpus profile on ``records``, embeddings from ``cache``."""
    settings = ["--set", f'input.paths=["{records}"]', "--set", f'embeddings.cache_dir="{cache}"']
    return [sys.executable, "-m", "themescope", "run", str(CONFIG), "-q", "--out", str(out), *settings]


def write_records(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(["question", "author", "text", "lang", "label"])
        for r in rows:
            writer.writerow(["SIB-200", r["lang"], r["text"], r["lang"], r["category"]])


def topic_scores(out: Path, rows: list[dict]) -> dict:
    """The topics against the categories and the languages (benchlib.label_scores).
    paragraphs.csv keeps the records' order, one paragraph per sentence."""
    with (out / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as fh:
        topics = [row["topic"] for row in csv.DictReader(fh)]
    labels = {"category": [r["category"] for r in rows], "language": [r["lang"] for r in rows]}
    return label_scores(labels, topics)


def run_themescope(records: Path, out: Path, cache: Path, rows: list[dict]) -> dict:
    shutil.rmtree(cache / "stages", ignore_errors=True)  # embeddings stay cached
    m = measure(run_command(records, out, cache))
    result = {"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib, "exit": m.exit}
    if m.exit != 0:
        result["error"] = m.stderr.strip().splitlines()[-1:]
        return result
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    topics = json.loads((out / "topics.json").read_text(encoding="utf-8"))
    result.update(
        stages={k: v["seconds"] for k, v in manifest["stages"].items()},
        cache={k: v["cache"] for k, v in manifest["stages"].items()},
        n_topics=len(topics["topics"]),
        outlier_share=topics["outlier_share"],
        outlier_share_before_reduction=topics["metrics"].get("outlier_share_before_reduction"),
        **topic_scores(out, rows),  # v_measure as topics.json's label_v_measure
        ari=topics["metrics"].get("label_ari"),
        params=manifest["topics"]["resolved"],
        report_mb=round((out / "report.html").stat().st_size / 1e6, 2),
    )
    return result


def run_plain(texts_json: Path, labels_json: Path, timeout: int, cache: Path) -> dict:
    cmd = ["timeout", str(timeout), sys.executable, "bench/plain_scale.py", str(texts_json)]
    cmd += [str(labels_json), str(cache)]
    m = measure(cmd)
    result = {"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib, "exit": m.exit}
    if m.exit == 0 and m.stdout.strip():
        result.update(json.loads(m.stdout.strip().splitlines()[-1]))
    elif m.exit == 124:
        result["stopped"] = f"timeout after {timeout} s"
    else:
        result["error"] = m.stderr.strip().splitlines()[-1:]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000, 143705])
    parser.add_argument("--plain-timeout", type=int, default=1800)
    parser.add_argument("--no-plain", action="store_true")
    parser.add_argument(
        "--cache", type=Path, default=CACHE, help="an empty folder measures the cold embedding"
    )
    args = parser.parse_args()
    rows = load_rows()
    work = Path(tempfile.mkdtemp(prefix="themescope-scale-"))
    all_texts = work / "all.json"
    wanted = dict.fromkeys(r["text"] for n in args.sizes for r in sample_rows(rows, n))
    all_texts.write_text(json.dumps(list(wanted), ensure_ascii=False), encoding="utf-8")
    m = measure([sys.executable, "-c", EMBED_ALL, str(all_texts), str(args.cache), str(ROOT)])
    cold = json.loads(m.stdout) | {"wall_s": m.wall_s, "peak_rss_mib": m.peak_rss_mib}
    print("embedding all sentences:", cold, flush=True)

    results = []
    for n in args.sizes:
        sample = sample_rows(rows, n)
        records = work / f"sib-{n}.tsv"
        write_records(sample, records)
        measured = run_themescope(records, work / f"run-{n}", args.cache, sample)
        entry = {"n": len(sample), "themescope": measured}
        print(n, "themescope", json.dumps(entry["themescope"]), flush=True)
        if not args.no_plain:
            texts_json, labels_json = work / f"texts-{n}.json", work / f"labels-{n}.json"
            texts_json.write_text(json.dumps([r["text"] for r in sample], ensure_ascii=False), "utf-8")
            labels = {"category": [r["category"] for r in sample], "language": [r["lang"] for r in sample]}
            labels_json.write_text(json.dumps(labels), "utf-8")
            entry["plain_bertopic"] = run_plain(texts_json, labels_json, args.plain_timeout, args.cache)
            print(n, "plain", json.dumps(entry["plain_bertopic"]), flush=True)
        results.append(entry)
        save_result("scale-partial", {"bench": "scale", "cold_embedding": cold, "sizes": results})
    name = "scale" if args.cache == CACHE else "scale-cold-cache"
    save_result(name, {"bench": "scale", "cache": str(args.cache), "cold_embedding": cold, "sizes": results})


if __name__ == "__main__":
    main()
