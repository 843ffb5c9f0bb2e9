"""Language centering on a corpus of many languages with few sentences each: each language's
own mean (what the embed stage does), its mean shrunk toward the corpus mean, the corpus mean
only, or nothing.

    python bench/centering_choice.py [--sizes 1000 10000] [--draws 3]

Random samples of SIB-200's 205 languages (draw 0 is bench/scale.py's; about 5 sentences per
language at 1,000, 50 at 10,000) with their cached builtin-use vectors (run bench/scale.py
first: it caches all 143,705); the topic stage's reduce and cluster steps with their
defaults. The seed is not varied: below 30,000 paragraphs it only moves the map. Printed per
variant and draw: V-measure and AMI against SIB-200's categories (higher is better) and AMI
against the language (lower is better: 0 when the topics ignore it).

Why ask: with 5 sentences a language, a language's mean holds a fifth of each sentence and a
noisy sum of four others, and every sentence of the language moves by the same noise. A mean
shrunk toward the corpus mean (weight n / (n + k)) would move them less.
"""

from __future__ import annotations

import argparse
import random
import sys

import numpy as np
from benchlib import ROOT, save_result
from scale import CACHE, load_rows, sample_rows

sys.path.insert(0, str(ROOT))


def shrunk_centering(vectors: np.ndarray, languages: list[str], k: float) -> np.ndarray:
    from themescope.embeddings.base import normalize
    from themescope.embeddings.centering import _MIN_COUNT, order_free_mean

    langs, overall = np.asarray(languages), order_free_mean(vectors)
    centered = vectors.copy()
    for lang in np.unique(langs):
        rows = langs == lang
        # As the embed stage: a language under _MIN_COUNT sentences takes the corpus mean.
        weight = rows.sum() / (rows.sum() + k) if rows.sum() >= _MIN_COUNT else 0.0
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


def topics(vectors: np.ndarray, keys: np.ndarray) -> np.ndarray:
    from themescope.config import TopicsConfig
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.params import resolve_params
    from themescope.topics.reduce import reduce_embeddings

    params = resolve_params(len(vectors), TopicsConfig())
    return cluster_reduced(reduce_embeddings(vectors, params, keys=keys), params, keys).labels


def main() -> None:
    from sklearn.metrics import adjusted_mutual_info_score, v_measure_score

    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache
    from themescope.topics.content_keys import content_keys

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--draws", type=int, default=3)
    args = parser.parse_args()
    rows, results, model = load_rows(), [], load_embedder("builtin-use")
    for n in args.sizes:
        fits: dict[str, list[dict]] = {}
        for draw in range(args.draws):
            sample = sample_rows(rows, n) if draw == 0 else random.Random(draw).sample(rows, n)
            languages = [r["lang"] for r in sample]
            categories = [r["category"] for r in sample]
            texts = [r["text"] for r in sample]
            vectors, stats = embed_with_cache(texts, model, CACHE)
            assert stats.misses == 0, "run bench/scale.py first: its cache holds these vectors"
            for name, centered in variants(vectors, languages).items():
                labels = topics(centered, content_keys(texts))
                fits.setdefault(name, []).append(
                    {
                        "draw": draw,
                        "v_measure": round(float(v_measure_score(categories, labels)), 4),
                        "ami": round(float(adjusted_mutual_info_score(categories, labels)), 4),
                        "ami_language": round(float(adjusted_mutual_info_score(languages, labels)), 4),
                        "topics": len(set(labels.tolist()) - {-1}),
                    }
                )
                print(n, draw, name, fits[name][-1], flush=True)
        results += [{"n": n, "centering": name, "fits": each} for name, each in fits.items()]
    save_result("centering-choice", {"bench": "centering_choice", "results": results})


if __name__ == "__main__":
    main()
