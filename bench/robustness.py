"""Robust themes (issue 30): how far topics and broad themes move when the data changes a
little, themescope beside plain BERTopic on the same vectors.

    python bench/robustness.py [--parts sample,sib,10k] [--rounds 5] [--variants baseline,...]
                               [--no-plain] [--checks]

Parts (comma-separated; ``sib`` = zho_Hant,eng_Latn,rus_Cyrl,mixed):

- ``sample``: leave one answer out. The sample page's 10 answers (their paragraphs as
  ``themescope.fit`` gets them from records); 10 fits, each without one answer; adjusted Rand
  of the remaining paragraphs' topics (and broad themes) against the fit on all 10.
- ``zho_Hant``, ``eng_Latn``, ``rus_Cyrl``, ``mixed`` (the three together, centered by
  detected language): ``--rounds`` random 90 % subsets of SIB-200 train (701 sentences each),
  against the fit on all.
- ``10k``: bench/scale.py's 10,000-sentence sample (205 languages, builtin-use vectors from
  bench/.cache, centered by SIB-200's language labels as large_stability.py does) through the
  large-corpus path (groups of neighbours above 8,000 rows): ``--rounds`` 90 % subsets.

In every ARI outliers (-1) count as one group. themescope: the topic stage's own functions on
cached vectors (bench/robust_variants.py: the clustering space without UMAP's map, the
clusters, outliers reassigned to the nearest topic mean down to 10 % as represent does, then
hierarchy.broad_themes), centered per fit as the embed stage would center that corpus.
Plain BERTopic: ``BERTopic()`` as documented (unseeded, so its own randomness is part of what
moves) on the model's raw vectors; jieba on the sample; it has no broad themes.

``--checks`` adds, per part, on the whole corpus: ARI across seeds (1, 2 against 42) and
under 1e-6 relative noise (2 fits), V-measure and AMI against SIB-200's categories, and the
clustering seconds. Vectors come from bench/.cache (filled on first use).

Also per subset: the share of the full fit's topics that persist (a topic of the subset's fit
has Jaccard >= 0.5 with the topic's remaining paragraphs), the figure issue 30 asks to show
per topic.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field

import numpy as np
from benchlib import ROOT, save_result

sys.path.insert(0, str(ROOT))

SIB_PARTS = ["zho_Hant", "eng_Latn", "rus_Cyrl", "mixed"]
SUBSET_SHARE = 0.9
JACCARD = 0.5  # a topic persists when a topic of the other fit has at least this Jaccard
CACHE = ROOT / "bench" / ".cache"


@dataclass
class Case:
    name: str
    texts: list[str]
    raw: np.ndarray
    blocks: list[int]
    languages: list[str] | None  # centering by language when given
    categories: list[str] | None = None
    answers: list[tuple[str, np.ndarray]] = field(default_factory=list)  # sample: (answer id, rows)
    plain_options: dict = field(default_factory=dict)

    def centered(self, rows: np.ndarray, raw: np.ndarray | None = None) -> np.ndarray:
        from themescope.embeddings.centering import center_vectors

        vectors = (self.raw if raw is None else raw)[rows]
        languages = None if self.languages is None else [self.languages[i] for i in rows]
        return center_vectors(vectors, self.blocks, languages)


def load_case(name: str) -> Case:
    from themescope.corpus import read_corpus
    from themescope.corpus.language import detect_languages
    from themescope.embeddings import load_embedder
    from themescope.embeddings.cache import embed_with_cache
    from themescope.embeddings.centering import should_center
    from themescope.embeddings.specialists import corpus_language

    if name == "10k":
        from scale import load_rows, sample_rows

        rows = sample_rows(load_rows(), 10000)
        texts = [r["text"] for r in rows]
        raw, _ = embed_with_cache(texts, load_embedder("builtin-use", batch_size=64), CACHE)
        languages = [r["lang"] for r in rows]
        return Case(name, texts, raw, [raw.shape[1]], languages, [r["category"] for r in rows])
    answers, categories, options = [], None, {}
    if name == "sample":
        corpus = read_corpus([ROOT / "examples" / "us-russia-relations.txt"])
        texts = []
        for question in corpus.questions:
            for answer in question.answers:
                start = len(texts)
                texts += [p.text for p in answer.paragraphs]
                answers.append((answer.id, np.arange(start, len(texts))))
        options = {"jieba": True}
    else:
        from topics_quality import load

        langs = ["zho_Hant", "eng_Latn", "rus_Cyrl"] if name == "mixed" else [name]
        rows = [row for lang in langs for row in load(lang)]
        texts = [row["text"] for row in rows]
        categories = [row["category"] for row in rows]
    detected = list(detect_languages(texts))
    embedder = load_embedder("builtin", language=corpus_language(detected))
    raw, _ = embed_with_cache(texts, embedder, CACHE)
    languages = detected if should_center(detected, "auto") else None
    return Case(name, texts, raw, embedder.member_widths(), languages, categories, answers, options)


# --- one fit ------------------------------------------------------------------------------


@dataclass
class Fit:
    topics: np.ndarray
    broad: np.ndarray | None
    seconds: float

    @property
    def n_topics(self) -> int:
        return len(set(self.topics.tolist()) - {-1})

    @property
    def n_broad(self) -> int:
        return 0 if self.broad is None else len(set(self.broad.tolist()) - {-1})


def reassign_outliers(labels: np.ndarray, vectors: np.ndarray, max_share: float = 0.10) -> np.ndarray:
    """represent's outlier reduction: the outliers most similar (cosine) to a topic's mean
    vector (BERTopic's topic_embeddings_) move to it, just enough to reach ``max_share``."""
    outliers = np.flatnonzero(labels == -1)
    topics = sorted(set(labels.tolist()) - {-1})
    allowed = int(np.floor(max_share * len(labels)))
    if not topics or len(outliers) <= allowed:
        return labels
    means = np.vstack([vectors[labels == t].mean(axis=0) for t in topics])
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    unit = vectors[outliers] / np.maximum(np.linalg.norm(vectors[outliers], axis=1, keepdims=True), 1e-12)
    similarity = unit @ means.T
    moved = np.argsort(-similarity.max(axis=1), kind="stable")[: len(outliers) - allowed]
    labels = labels.copy()
    labels[outliers[moved]] = np.asarray(topics)[similarity[moved].argmax(axis=1)]
    return labels


def fit_themescope(case: Case, rows: np.ndarray, variant: str, seed: int = 42, raw=None) -> Fit:
    from robust_variants import VARIANTS

    from themescope.config import TopicsConfig
    from themescope.topics.order import canonical_order
    from themescope.topics.params import resolve_params

    vectors = case.centered(rows, raw)
    texts = [case.texts[i] for i in rows]
    order = canonical_order(texts)
    vectors, texts = vectors[order], [texts[i] for i in order]
    params = resolve_params(len(texts), TopicsConfig(seed=seed))
    start = time.perf_counter()
    labels = VARIANTS[variant](vectors, texts, params)
    seconds = time.perf_counter() - start
    labels = reassign_outliers(np.asarray(labels), vectors)
    ids = sorted(set(labels.tolist()) - {-1})
    from robust_variants import BROAD

    parent = BROAD[os.environ.get("BROAD", "today")](labels, vectors, ids, texts)
    broad = np.array([parent.get(int(t), -1) for t in labels]) if parent else np.full(len(labels), -1)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return Fit(labels[inverse], broad[inverse], seconds)


def fit_plain(case: Case, rows: np.ndarray) -> Fit:
    from bertopic import BERTopic

    options = {}
    if case.plain_options.get("jieba"):
        import jieba
        from sklearn.feature_extraction.text import CountVectorizer

        options = {
            "vectorizer_model": CountVectorizer(tokenizer=jieba.lcut, token_pattern=None),
            "language": "multilingual",
        }
    start = time.perf_counter()
    topics, _ = BERTopic(**options).fit_transform([case.texts[i] for i in rows], embeddings=case.raw[rows])
    return Fit(np.asarray(topics), None, time.perf_counter() - start)


# --- parts --------------------------------------------------------------------------------


def subsets(case: Case, rounds: int) -> list[tuple[str, np.ndarray]]:
    everyone = np.arange(len(case.texts))
    if case.answers:  # leave one answer out
        return [(f"{a} ({len(r)} par.)", np.setdiff1d(everyone, r)) for a, r in case.answers]
    out = []
    for r in range(rounds):
        rng = np.random.default_rng(r)
        rows = np.sort(rng.choice(len(everyone), round(SUBSET_SHARE * len(everyone)), replace=False))
        out.append((f"subset {r}", rows))
    return out


def _ari(a, b) -> float:
    from sklearn.metrics import adjusted_rand_score

    return round(float(adjusted_rand_score(a, b)), 4)


def persisting(full: np.ndarray, sub: np.ndarray, rows: np.ndarray) -> float:
    """Share of the full fit's topics (those with a paragraph left in ``rows``) for which some
    topic of the subset's fit has Jaccard >= 0.5 with the topic's remaining paragraphs: issue
    30's persistence figure, over the topics instead of per topic."""
    kept = full[rows]
    topics = sorted(set(kept.tolist()) - {-1})
    if not topics:
        return 1.0
    found = 0
    for topic in topics:
        members = kept == topic
        best = 0.0
        for other in set(sub[members].tolist()) - {-1}:
            theirs = sub == other
            best = max(best, float((members & theirs).sum() / (members | theirs).sum()))
        found += best >= JACCARD
    return found / len(topics)


def measure(case: Case, fit, rounds: int) -> dict:
    everyone = np.arange(len(case.texts))
    full = fit(case, everyone)
    runs = []
    for name, rows in subsets(case, rounds):
        sub = fit(case, rows)
        run = {"left": name, "topics": sub.n_topics, "ari_topics": _ari(full.topics[rows], sub.topics)}
        run["persisting"] = round(persisting(full.topics, sub.topics, rows), 3)
        if full.broad is not None:
            run |= {"broad": sub.n_broad, "ari_broad": _ari(full.broad[rows], sub.broad)}
        run["seconds"] = round(sub.seconds, 3)
        runs.append(run)
        print(f"  {case.name} {name}: {run}", flush=True)
    counts = [r["topics"] for r in runs]
    out = {
        "full_topics": full.n_topics,
        "full_outlier_share": round(float(np.mean(full.topics == -1)), 4),
        "ari_topics_mean": round(statistics.mean(r["ari_topics"] for r in runs), 4),
        "ari_topics_min": min(r["ari_topics"] for r in runs),
        "topics_range": [min([*counts, full.n_topics]), max([*counts, full.n_topics])],
        "persisting_mean": round(statistics.mean(r["persisting"] for r in runs), 3),
        "full_seconds": round(full.seconds, 3),
    }
    if full.broad is not None:
        broad = [r["broad"] for r in runs]
        out |= {
            "full_broad": full.n_broad,
            "ari_broad_mean": round(statistics.mean(r["ari_broad"] for r in runs), 4),
            "ari_broad_min": min(r["ari_broad"] for r in runs),
            "broad_range": [min([*broad, full.n_broad]), max([*broad, full.n_broad])],
        }
    if case.answers:  # the one-paragraph answers: how far the topic count moves without them
        single = [r for r, (_, rows) in zip(runs, case.answers, strict=True) if len(rows) == 1]
        out["one_paragraph_answers"] = [
            {"left": r["left"], "topics": r["topics"], "count_change": r["topics"] - full.n_topics,
             "ari_topics": r["ari_topics"], "ari_broad": r.get("ari_broad")}
            for r in single
        ]  # fmt: skip
    if case.categories is not None:
        from sklearn.metrics import adjusted_mutual_info_score, v_measure_score

        out["v_measure"] = round(float(v_measure_score(case.categories, full.topics)), 4)
        out["ami"] = round(float(adjusted_mutual_info_score(case.categories, full.topics)), 4)
    return {**out, "runs": runs}


def checks(case: Case, variant: str) -> dict:
    """ARI 1.00 across seeds and under 1e-6 noise, on the whole corpus."""
    from themescope.topics.stability import MACHINE_NOISE, perturb_vectors

    everyone = np.arange(len(case.texts))
    first = fit_themescope(case, everyone, variant)
    seeds = [fit_themescope(case, everyone, variant, seed=s) for s in (1, 2)]
    noise = [perturb_vectors(case.raw, s, MACHINE_NOISE) for s in (1, 2)]
    noisy = [fit_themescope(case, everyone, variant, raw=raw) for raw in noise]
    return {
        "ari_seeds_min": min(min(_ari(first.topics, f.topics), _ari(first.broad, f.broad)) for f in seeds),
        "ari_noise_min": min(min(_ari(first.topics, f.topics), _ari(first.broad, f.broad)) for f in noisy),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="sample,sib,10k")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--variants", default="baseline")
    parser.add_argument("--no-plain", action="store_true")
    parser.add_argument("--plain-parts", default="", help="limit plain BERTopic to these parts")
    parser.add_argument("--checks", action="store_true")
    args = parser.parse_args()
    parts = [p for part in args.parts.split(",") for p in (SIB_PARTS if part == "sib" else [part])]
    variants = args.variants.split(",")
    plain_parts = set(args.plain_parts.split(",")) if args.plain_parts else set(parts)
    results = {}
    for part in parts:
        case = load_case(part)
        entry = {"n": len(case.texts)}
        for variant in variants:

            def ours(case, rows, variant=variant):
                return fit_themescope(case, rows, variant)

            entry[variant] = measure(case, ours, args.rounds)
            if args.checks:
                entry[variant] |= checks(case, variant)
            print(part, variant, {k: v for k, v in entry[variant].items() if k != "runs"}, flush=True)
        if not args.no_plain and part in plain_parts:
            entry["plain_bertopic"] = measure(case, fit_plain, args.rounds)
            summary = {k: v for k, v in entry["plain_bertopic"].items() if k != "runs"}
            print(part, "plain", summary, flush=True)
        results[part] = entry
    save_result("robustness", {"bench": "robustness", "rounds": args.rounds, "results": results})
    print(table(results))


def table(results: dict) -> str:
    lines = [
        "| part | tool | topics ARI mean (min) | broad ARI mean (min) | topics: full (range) "
        "| broad: full (range) | topics persisting | V | AMI | seeds / noise ARI min |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for part, entry in results.items():
        for tool, m in entry.items():
            if tool == "n":
                continue
            broad = f"{m['ari_broad_mean']:.3f} ({m['ari_broad_min']:.2f})" if "ari_broad_mean" in m else "–"
            broad_n = "–"
            if "full_broad" in m:
                broad_n = f"{m['full_broad']} ({m['broad_range'][0]}–{m['broad_range'][1]})"
            checked = f"{m['ari_seeds_min']:.2f} / {m['ari_noise_min']:.2f}" if "ari_seeds_min" in m else ""
            lines.append(
                f"| {part} | {tool} | {m['ari_topics_mean']:.3f} ({m['ari_topics_min']:.2f}) | {broad} "
                f"| {m['full_topics']} ({m['topics_range'][0]}–{m['topics_range'][1]}) | {broad_n} "
                f"| {m.get('persisting_mean', '')} "
                f"| {m.get('v_measure', '')} | {m.get('ami', '')} | {checked} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
