"""Language centering on a corpus of many languages with few sentences each: each language's
own mean (what the embed stage does), its mean shrunk toward the corpus mean, the corpus mean
only, or nothing.

    python bench/centering_choice.py [--sizes 1000 10000]

The samples of bench/scale.py (seed 0: about 5 sentences per language at 1,000, 50 at
10,000) with their cached builtin-use vectors (run bench/scale.py first); the topic stage's
reduce and cluster steps with their defaults, seeds 42 and 1. Printed per variant: V-measure
and AMI against SIB-200's categories (higher is better) and AMI against the language (lower
is better: 0 when the topics ignore it).

Why ask: with 5 sentences a language, a language's mean holds a fifth of each sentence and a
noisy sum of four others, and every sentence of the language moves by the same noise. A mean
shrunk toward the corpus mean (weight n / (n + k)) would move them less.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import numpy as np
from benchlib import ROOT, save_result
from scale import CACHE, load_rows, sample_rows

sys.path.insert(0, str(ROOT))


def shrunk_centering(vectors: np.ndarray, languages: list[str], k: float) -> np.ndarray:
    from themescope.embeddings.base import normalize
    from themescope.embeddings.centering import order_free_mean

    langs, overall = np.asarray(languages), order_free_mean(vectors)
    centered = vectors.copy()
    for lang in np.unique(langs):
        rows = langs == lang
        weight = rows.sum() / (rows.sum() + k)
        centered[rows] -= weight * order_free_mean(vectors[rows]) + (1 - weight) * overall
    return normalize(centered)


def variants(vectors: np.ndarray, languages: list[str]) -> dict[str, np.ndarray]:
    from themescope.embeddings.base import normalize
    from themescope.embeddings.centering import center_vectors

    width = [vectors.shape[1]]
    return {
        "each language's mean (the embed stage)": center_vectors(vectors, width, languages),
        "shrunk toward the corpus mean, k=5": shrunk_centering(vectors, languages, 5),
        "shrunk toward the corpus mean, k=20": shrunk_centering(vectors, languages, 20),
        "the corpus mean only": center_vectors(vectors, width, ["all"] * len(languages)),
        "none": normalize(vectors),
    }


def topics(vectors: np.ndarray, seed: int) -> np.ndarray:
    from themescope.config import TopicsConfig
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.params import resolve_params
    from themescope.topics.reduce import reduce_embeddings

    params = replace(resolve_params(len(vectors), TopicsConfig()), seed=seed)
    return cluster_reduced(reduce_embeddings(vectors, params), params).labels


def main() -> None:
    from sklearn.metrics import adjusted_mutual_info_score, v_measure_score

    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows, results = load_rows(), []
    for n in args.sizes:
        sample = sample_rows(rows, n)
        languages = [r["lang"] for r in sample]
        categories = [r["category"] for r in sample]
        vectors, stats = embed_with_cache([r["text"] for r in sample], load_embedder("builtin-use"), CACHE)
        assert stats.misses == 0, "run bench/scale.py first: its cache holds these vectors"
        for name, centered in variants(vectors, languages).items():
            fits = []
            for seed in (42, 1):
                labels = topics(centered, seed)
                fits.append(
                    {
                        "seed": seed,
                        "v_measure": round(float(v_measure_score(categories, labels)), 4),
                        "ami": round(float(adjusted_mutual_info_score(categories, labels)), 4),
                        "ami_language": round(float(adjusted_mutual_info_score(languages, labels)), 4),
                        "topics": len(set(labels.tolist()) - {-1}),
                    }
                )
            results.append({"n": n, "centering": name, "fits": fits})
            print(n, name, fits, flush=True)
    save_result("centering-choice", {"bench": "centering_choice", "results": results})


if __name__ == "__main__":
    main()
