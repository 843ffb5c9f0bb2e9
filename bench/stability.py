"""Same themes on any machine (issue 16): how far topics move when the vectors' last bits or
the seed change, themescope beside plain BERTopic on the same vectors.

    python bench/stability.py [--runs 10] [--corpora sample zho_Hant eng_Latn rus_Cyrl mixed]

Per corpus, ``--runs`` fits with the vectors perturbed by independent Gaussian noise of
relative size 1e-6 (another CPU's rounding; the first fit is unperturbed), and ``--runs``
fits with seeds 1..runs. Printed: the mean pairwise adjusted Rand index between the fits of
each set (outliers count as one label), topic counts, the largest outlier share, V-measure
against SIB-200's categories, and for the sample how often each theme a reader expects
appears among some topic's keywords.

themescope: ``fit_topics`` with the default topic settings on the vectors as the embed stage
makes them (members centered, by language on the mixed corpus), with keywords ranked as the
CLI ranks them on the sample. Plain BERTopic: ``BERTopic()`` as documented on the model's
vectors as they come, its UMAP seeded in the seed runs (``random_state``); on the sample
with jieba segmenting the Chinese, as BERTopic's documentation does for Chinese. The noise
goes into the raw vectors, before centering, as another machine's model output would.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time

import numpy as np
from benchlib import ROOT, SIB, save_result

sys.path.insert(0, str(ROOT))

RELATIVE_NOISE = 1e-6
# The sample's themes (issue 16): each must be among some topic's keywords in every fit.
SAMPLE_THEMES = {
    "pivot": ("亞太", "印太"),
    "sanctions": ("制裁",),
    "alliances": ("盟友", "北約"),
    "investigation": ("調查", "通俄門"),
}


def perturbed(vectors: np.ndarray, seed: int, relative: float = RELATIVE_NOISE) -> np.ndarray:
    """Gaussian noise whose size is ``relative`` times each vector's norm."""
    from themescope.topics.stability import perturb_vectors

    return perturb_vectors(vectors, seed, relative)


def corpora(names: list[str]) -> list[dict]:
    """Texts, raw vectors, a centering function and (SIB-200) categories per corpus."""
    from topics_quality import load

    from themescope.corpus import read_corpus
    from themescope.corpus.language import detect_languages
    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache
    from themescope.embeddings.centering import center_vectors, should_center
    from themescope.embeddings.specialists import corpus_language
    from themescope.embeddings.stage import member_widths

    cache = ROOT / "bench" / ".cache"
    embedders: dict[str, object] = {}
    found = []
    for name in names:
        if name == "sample":
            page = ROOT / "examples" / "us-russia-relations.txt"
            texts = [p.text for p in read_corpus([page]).paragraphs()]
            categories = None
        else:
            if not SIB.is_dir():
                print(f"{name}: skipped, no SIB-200 at {SIB}")
                continue
            langs = ["zho_Hant", "eng_Latn", "rus_Cyrl"] if name == "mixed" else [name]
            rows = [row for lang in langs for row in load(lang)]
            texts = [row["text"] for row in rows]
            categories = [row["category"] for row in rows]
        languages = detect_languages(texts)
        language = corpus_language(languages)
        if language not in embedders:
            embedders[language] = load_embedder("builtin", language=language)
        embedder = embedders[language]
        raw, _ = embed_with_cache(texts, embedder, cache)
        by_language = should_center(list(languages), "auto")
        blocks = member_widths(embedder)

        def center(vectors, blocks=blocks, languages=list(languages) if by_language else None):
            return center_vectors(vectors, blocks, languages)

        found.append(
            {
                "name": name,
                "texts": texts,
                "raw": raw,
                "center": center,
                "categories": categories,
                "embedder": embedder,
            }
        )
    return found


def themescope_fit(corpus: dict, vectors: np.ndarray, seed: int):
    from themescope.config import TopicsConfig
    from themescope.pipeline import fit_topics

    embed_words = None
    if corpus["name"] == "sample":
        from themescope.embeddings.centering import center_vectors
        from themescope.embeddings.stage import member_widths

        embedder = corpus["embedder"]

        def embed_words(words):
            return center_vectors(embedder.encode_batched(list(words)), member_widths(embedder))

    result = fit_topics(
        corpus["texts"], corpus["center"](vectors), TopicsConfig(seed=seed), embed_words=embed_words
    )
    keywords = [[w for w, _ in t.keywords] for t in result.topics]
    return np.asarray(result.assignments), keywords


def plain_fit(corpus: dict, vectors: np.ndarray, seed: int | None):
    from bertopic import BERTopic
    from umap import UMAP

    options = {}
    if corpus["name"] == "sample":
        import jieba
        from sklearn.feature_extraction.text import CountVectorizer

        options["vectorizer_model"] = CountVectorizer(tokenizer=jieba.lcut, token_pattern=None)
        options["language"] = "multilingual"
    if seed is not None:  # BERTopic's own UMAP settings, seeded
        options["umap_model"] = UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        )
    model = BERTopic(**options)
    topics, _ = model.fit_transform(corpus["texts"], embeddings=vectors)
    topics = np.asarray(topics)
    keywords = [[w for w, _ in model.get_topic(t)] for t in sorted(set(topics.tolist()) - {-1})]
    return topics, keywords


def series(corpus: dict, fit, runs: int, plain: bool) -> dict:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    raw = corpus["raw"]
    sets = {
        # Run 0 is the vectors as they are; runs 1.. are independently perturbed copies.
        "noise": [(perturbed(raw, i) if i else raw, None if plain else 42) for i in range(runs)],
        "seeds": [(raw, seed) for seed in range(1, runs + 1)],
    }
    out = {}
    for kind, fits in sets.items():
        assignments, keywords, seconds = [], [], []
        for vectors, seed in fits:
            start = time.perf_counter()
            labels, words = fit(corpus, vectors, seed)
            seconds.append(time.perf_counter() - start)
            assignments.append(labels)
            keywords.append(words)
        pairs = [adjusted_rand_score(a, b) for a, b in itertools.combinations(assignments, 2)]
        topics = [len(set(a.tolist()) - {-1}) for a in assignments]
        entry = {
            "ari_mean": round(statistics.mean(pairs), 4),
            "ari_min": round(min(pairs), 4),
            "topics": f"{min(topics)}-{max(topics)}",
            "outlier_share_max": round(max(float(np.mean(a == -1)) for a in assignments), 4),
            "seconds_per_fit": round(statistics.median(seconds), 2),
        }
        if corpus["categories"] is not None:
            values = [v_measure_score(corpus["categories"], a) for a in assignments]
            entry["v_measure_mean"] = round(statistics.mean(values), 4)
        if corpus["name"] == "sample":
            entry["themes"] = {
                theme: sum(any(any(w in k for w in words) for k in ks) for ks in keywords)
                for theme, words in SAMPLE_THEMES.items()
            }
        out[kind] = entry
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--corpora", nargs="+", default=["sample", "zho_Hant", "eng_Latn", "rus_Cyrl", "mixed"]
    )
    parser.add_argument("--no-plain", action="store_true")
    args = parser.parse_args()
    results = {}
    for corpus in corpora(args.corpora):
        entry = {"themescope": series(corpus, themescope_fit, args.runs, plain=False)}
        if not args.no_plain:
            entry["plain_bertopic"] = series(corpus, plain_fit, args.runs, plain=True)
        results[corpus["name"]] = entry
        print(corpus["name"], entry, flush=True)
    record = {"bench": "stability", "runs": args.runs, "noise": RELATIVE_NOISE, "results": results}
    save_result("stability", record)
    print(table(results, args.runs))


def table(results: dict, runs: int) -> str:
    lines = [
        "| corpus | tool | ARI, 1e-6 noise (min) | ARI, seeds (min) | topics | outliers ≤ | V "
        "| themes (noise / seeds) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in results.items():
        for tool, sets in entry.items():
            noise, seeds = sets["noise"], sets["seeds"]
            themes = ""
            if "themes" in noise:
                themes = ", ".join(
                    f"{t} {noise['themes'][t]}/{runs} · {seeds['themes'][t]}/{runs}" for t in noise["themes"]
                )
            v = noise.get("v_measure_mean", "")
            lines.append(
                f"| {name} | {tool} | {noise['ari_mean']:.3f} ({noise['ari_min']:.2f}) "
                f"| {seeds['ari_mean']:.3f} ({seeds['ari_min']:.2f}) | {noise['topics']} / {seeds['topics']} "
                f"| {max(noise['outlier_share_max'], seeds['outlier_share_max']):.0%} | {v} | {themes} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
