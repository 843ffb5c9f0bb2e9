"""A large corpus's topics (clustered by groups of neighbours) under another CPU's rounding and
another seed, on SIB-200 samples in 205 languages.

    python bench/large_stability.py [--sizes 10000 50000] [--runs 3]

The samples of bench/scale.py (seed 0), their builtin-use vectors from its cache
(bench/.cache: run bench/scale.py first), centered by language as the embed stage does.
Per size: one fit as they are; ``--runs`` fits with the raw vectors perturbed by Gaussian
noise of relative size 1e-6 before centering; ``--runs`` fits with other seeds. The topic
stage's reduce and cluster steps with their defaults. Printed: adjusted Rand index of each
fit against the first (outliers one label), V-measure against the categories and against
the language, topic counts and seconds, each as a range over the fits.

    python bench/large_stability.py --sizes 143705 --runs 1 --replicate 7

``--replicate K`` stacks K copies of the vectors, each moved by noise of relative size 0.05
(so that no two rows are equal): how the reduce and cluster steps scale to a million rows
without embedding a million texts (bench/million.py runs the whole pipeline on real ones).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

import numpy as np
from benchlib import ROOT, save_result
from scale import CACHE, load_rows, sample_rows

sys.path.insert(0, str(ROOT))


def fit(vectors: np.ndarray, languages: list[str], seed: int, keys: np.ndarray):
    from themescope.config import TopicsConfig
    from themescope.embeddings.centering import center_vectors
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.params import resolve_params
    from themescope.topics.reduce import reduce_embeddings

    centered = center_vectors(vectors, [vectors.shape[1]], languages)
    params = replace(resolve_params(len(vectors), TopicsConfig()), seed=seed)
    start = time.perf_counter()
    labels = cluster_reduced(reduce_embeddings(centered, params, keys=keys), params, keys).labels
    return labels, time.perf_counter() - start


def main() -> None:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache
    from themescope.topics.content_keys import content_keys
    from themescope.topics.stability import perturb_vectors

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--replicate", type=int, default=1)
    args = parser.parse_args()
    rows = load_rows()
    results = []
    for n in args.sizes:
        sample = sample_rows(rows, n)
        texts = [r["text"] for r in sample]
        languages = [r["lang"] for r in sample]
        categories = [r["category"] for r in sample]
        vectors, stats = embed_with_cache(texts, load_embedder("builtin-use"), CACHE)
        assert stats.misses == 0, "run bench/scale.py first: its cache holds these vectors"
        if args.replicate > 1:
            copies = [perturb_vectors(vectors, seed=100 + k, relative=0.05) for k in range(args.replicate)]
            vectors = np.vstack(copies)
            languages, categories = languages * args.replicate, categories * args.replicate
            texts = texts * args.replicate
        keys = content_keys(texts)
        fits = [("as is", *fit(vectors, languages, 42, keys))]
        for run in range(1, args.runs + 1):
            fits.append((f"noise {run}", *fit(perturb_vectors(vectors, seed=run), languages, 42, keys)))
        for run in range(1, args.runs + 1):
            fits.append((f"seed {run}", *fit(vectors, languages, run, keys)))
        first = fits[0][1]
        import resource

        entry = {"n": len(vectors), "fits": [], "peak_rss_mib": 0}
        for name, labels, seconds in fits:
            entry["fits"].append(
                {
                    "fit": name,
                    "ari_vs_first": round(float(adjusted_rand_score(first, labels)), 4),
                    "v_measure": round(float(v_measure_score(categories, labels)), 4),
                    "v_measure_language": round(float(v_measure_score(languages, labels)), 4),
                    "topics": len(set(labels.tolist()) - {-1}),
                    "outlier_share": round(float(np.mean(labels == -1)), 4),
                    "seconds": round(seconds, 1),
                }
            )
            print(n, entry["fits"][-1], flush=True)
        entry["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        others = entry["fits"][1:]
        entry["summary"] = {
            key: [min(f[key] for f in others), max(f[key] for f in others)]
            for key in ("ari_vs_first", "v_measure", "v_measure_language", "topics", "seconds")
        }
        print(n, "summary", entry["summary"], flush=True)
        results.append(entry)
    save_result("large-stability", {"bench": "large_stability", "sizes": results})


if __name__ == "__main__":
    main()
