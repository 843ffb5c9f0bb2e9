"""Cross-lingual quality of the embedding models on SIB-200 (issue 4's targets).

    python bench/embeddings_quality.py [--model builtin] [--langs zho_Hant eng_Latn rus_Cyrl jpn_Jpan]

For every ordered pair of languages: translation retrieval (is the nearest neighbour of
sentence i in language A sentence i in language B?), raw and after language centering.
On the mixed corpus: V-measure of KMeans(k=7) clusters against the language and against
the category, raw and centered. Vectors come through themescope's cache (bench/.cache).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json

import numpy as np
from benchlib import ROOT, SIB, save_result


def load(lang: str) -> list[dict]:
    with (SIB / f"{lang}.train.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return sorted(rows, key=lambda r: int(r["index_id"]))


def retrieval(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.argmax(a @ b.T, axis=1) == np.arange(len(a))))


def main() -> None:
    from sklearn.cluster import KMeans
    from sklearn.metrics import v_measure_score

    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache
    from themescope.embeddings.centering import center_by_language

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="builtin")
    parser.add_argument("--langs", nargs="+", default=["zho_Hant", "eng_Latn", "rus_Cyrl", "jpn_Jpan"])
    args = parser.parse_args()

    embedder = load_embedder(args.model)
    data = {lang: load(lang) for lang in args.langs}
    ids = [r["index_id"] for r in data[args.langs[0]]]
    assert all([r["index_id"] for r in rows] == ids for rows in data.values()), "unaligned files"
    texts = [r["text"] for lang in args.langs for r in data[lang]]
    languages = [lang for lang in args.langs for _ in data[lang]]
    categories = [r["category"] for lang in args.langs for r in data[lang]]
    vectors, stats = embed_with_cache(texts, embedder, ROOT / "bench" / ".cache")
    centered = center_by_language(vectors, languages)

    n = len(ids)
    block = {lang: slice(i * n, (i + 1) * n) for i, lang in enumerate(args.langs)}
    pairs = {}
    for a, b in itertools.permutations(args.langs, 2):
        pairs[f"{a}->{b}"] = {
            "raw": round(retrieval(vectors[block[a]], vectors[block[b]]), 4),
            "centered": round(retrieval(centered[block[a]], centered[block[b]]), 4),
        }
    clusters = {}
    for name, matrix in (("raw", vectors), ("centered", centered)):
        labels = KMeans(n_clusters=7, n_init=10, random_state=0).fit_predict(matrix)
        clusters[name] = {
            "v_measure_vs_language": round(float(v_measure_score(languages, labels)), 4),
            "v_measure_vs_category": round(float(v_measure_score(categories, labels)), 4),
        }
    record = {
        "bench": "SIB-200 cross-lingual retrieval and language clustering",
        "model": embedder.name,
        "languages": args.langs,
        "sentences_per_language": n,
        "cache": {"hits": stats.hits, "misses": stats.misses},
        "min_retrieval": {kind: min(p[kind] for p in pairs.values()) for kind in ("raw", "centered")},
        "retrieval": pairs,
        "kmeans7": clusters,
    }
    save_result(f"embeddings-quality-{args.model}", record)
    print(json.dumps({k: record[k] for k in ("model", "min_retrieval", "kmeans7")}, indent=2))


if __name__ == "__main__":
    main()
