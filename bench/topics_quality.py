"""Theme quality on SIB-200 (issue 5's targets): V-measure against the category, outliers,
themescope next to plain BERTopic on the same model's vectors.

    python bench/topics_quality.py [--model builtin] [--langs zho_Hant eng_Latn ...]
                                   [--seeds 42 1 2] [--subsets 4] [--no-plain]

Per language: the 701 train sentences, fitted once per seed (UMAP's randomness moves
V-measure by about ±0.02 on 701 sentences, more than most choices compared here, so
decisions read the mean); and ``--subsets`` random samples of 204 sentences, the size of
SIB-200's test split, since the targets are also checked on held-out sentences. Mixed:
zho_Hant + eng_Latn + rus_Cyrl together with the pipeline's language centering, scored
against the category and against the language. themescope's vectors are centered as the
embed stage centers them (``center_vectors``). Plain BERTopic: ``BERTopic()`` with its
defaults on the same model's vectors as the model returns them (not centered), once per seed
(it is not seeded, so each fit differs). Vectors come through themescope's cache (bench/.cache).
"""

from __future__ import annotations

import argparse
import csv
import statistics

import numpy as np
from benchlib import ROOT, SIB, save_result

HELD_OUT_SIZE = 204  # SIB-200's test split per language


def load(lang: str) -> list[dict]:
    with (SIB / f"{lang}.train.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def themescope_fit(texts, vectors, seed: int) -> tuple[np.ndarray, int]:
    from themescope.config import TopicsConfig
    from themescope.pipeline import fit_topics

    result = fit_topics(texts, vectors, TopicsConfig(seed=seed))
    return np.asarray(result.assignments), len(result.topics)


def plain_fit(texts, vectors, seed: int) -> tuple[np.ndarray, int]:
    from bertopic import BERTopic

    topics, _ = BERTopic().fit_transform(texts, embeddings=vectors)
    topics = np.asarray(topics)
    return topics, len(set(topics.tolist()) - {-1})


def scores(fit, texts, vectors, categories, seeds, languages=None) -> dict:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    runs = []
    for seed in seeds:
        assignments, n_topics = fit(texts, vectors, seed)
        run = {
            "seed": seed,
            "topics": n_topics,
            "outlier_share": round(float(np.mean(assignments == -1)), 4),
            "v_measure": round(float(v_measure_score(categories, assignments)), 4),
            "ari": round(float(adjusted_rand_score(categories, assignments)), 4),
        }
        placed = assignments != -1  # outliers are one mixed "cluster" in the V-measure above
        run["v_measure_excluding_outliers"] = round(
            float(v_measure_score(np.asarray(categories)[placed], assignments[placed])), 4
        )
        if languages is not None:
            run["v_measure_vs_language"] = round(float(v_measure_score(languages, assignments)), 4)
        runs.append(run)
    summary = {
        "v_measure_mean": round(statistics.mean(r["v_measure"] for r in runs), 4),
        "v_measure_min": min(r["v_measure"] for r in runs),
        "v_measure_excluding_outliers_mean": round(
            statistics.mean(r["v_measure_excluding_outliers"] for r in runs), 4
        ),
        "ari_mean": round(statistics.mean(r["ari"] for r in runs), 4),
        "outlier_share_max": max(r["outlier_share"] for r in runs),
        "topics": [r["topics"] for r in runs],
    }
    if languages is not None:
        summary["v_measure_vs_language_max"] = max(r["v_measure_vs_language"] for r in runs)
    return {**summary, "runs": runs}


def held_out_sized(texts, vectors, categories, subsets: int, center) -> dict:
    """themescope on random 204-sentence samples (seed 42 each): V-measure at test-split size.
    ``center`` centers a sample's raw vectors as the embed stage would."""
    from sklearn.metrics import v_measure_score

    rng = np.random.default_rng(0)
    values, outliers = [], []
    for _ in range(subsets):
        rows = np.sort(rng.choice(len(texts), HELD_OUT_SIZE, replace=False))
        assignments, _ = themescope_fit([texts[i] for i in rows], center(vectors[rows]), 42)
        values.append(round(float(v_measure_score(np.asarray(categories)[rows], assignments)), 4))
        outliers.append(round(float(np.mean(assignments == -1)), 4))
    return {
        "v_measure_mean": round(statistics.mean(values), 4),
        "v_measure": values,
        "outlier_share_max": max(outliers),
    }


def main() -> None:
    from themescope.corpus.language import detect_languages
    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache
    from themescope.embeddings.centering import center_vectors
    from themescope.embeddings.specialists import corpus_language
    from themescope.embeddings.stage import member_widths

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="builtin")
    parser.add_argument(
        "--langs", nargs="+", default=["zho_Hant", "zho_Hans", "eng_Latn", "rus_Cyrl", "jpn_Jpan", "spa_Latn"]
    )
    parser.add_argument("--mixed", nargs="+", default=["zho_Hant", "eng_Latn", "rus_Cyrl"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[42, 1, 2])
    parser.add_argument("--subsets", type=int, default=4)
    parser.add_argument("--no-plain", action="store_true")
    args = parser.parse_args()
    embedders = {}  # by corpus language, as the embed stage picks the model
    cache = ROOT / "bench" / ".cache"
    results = {}
    corpora = [(lang, load(lang), None) for lang in args.langs]
    mixed_rows = [r for lang in args.mixed for r in load(lang)]
    mixed_langs = [lang for lang in args.mixed for _ in load(lang)]
    corpora.append(("mixed:" + "+".join(args.mixed), mixed_rows, mixed_langs))
    for name, rows, languages in corpora:
        texts = [r["text"] for r in rows]
        categories = [r["category"] for r in rows]
        language = corpus_language(detect_languages(texts))
        if language not in embedders:
            embedders[language] = load_embedder(args.model, language=language)
        embedder = embedders[language]
        vectors, _ = embed_with_cache(texts, embedder, cache)

        # As the embed stage does: each member centered, by language on the mixed corpus.
        blocks = member_widths(embedder)

        def center(raw, languages=languages, blocks=blocks):
            return center_vectors(raw, blocks, languages)

        ours = scores(themescope_fit, texts, center(vectors), categories, args.seeds, languages)
        entry = {"themescope": ours}
        if languages is None and args.subsets:
            entry["themescope_204"] = held_out_sized(texts, vectors, categories, args.subsets, center)
        if not args.no_plain:
            # BERTopic as documented: the model's vectors as they come.
            entry["plain_bertopic"] = scores(plain_fit, texts, vectors, categories, args.seeds, languages)
        results[name] = entry
        print(
            name, {side: {k: v for k, v in s.items() if k != "runs"} for side, s in entry.items()}, flush=True
        )
    save_result(
        f"topics-quality-{args.model}",
        {
            "bench": "SIB-200 theme quality",
            "model": sorted({e.name for e in embedders.values()}),
            "seeds": args.seeds,
            "results": results,
        },
    )
    print(table(results))


def table(results: dict) -> str:
    lines = [
        "| corpus | themescope V (mean of seeds) | outliers | topics | V at 204 sentences "
        "| plain BERTopic V | outliers | topics |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in results.items():
        ours, plain = entry["themescope"], entry.get("plain_bertopic")
        small = entry.get("themescope_204", {}).get("v_measure_mean", "")
        row = f"| {name} | {ours['v_measure_mean']:.3f} | ≤ {ours['outlier_share_max']:.0%} "
        row += f"| {ours['topics']} | {small} |"
        if plain:
            row += (
                f" {plain['v_measure_mean']:.3f} | ≤ {plain['outlier_share_max']:.0%} | {plain['topics']} |"
            )
        lines.append(row)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
