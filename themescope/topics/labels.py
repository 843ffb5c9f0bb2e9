"""Short human labels and representative paragraphs for topics."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

LABEL_WORDS = 3
# c-TF-IDF proposes this many words per topic; their embeddings choose among them.
CANDIDATE_WORDS = 30
# The candidate least close to its topic keeps this share of its c-TF-IDF weight, not 0.
MIN_CLOSENESS = 0.1

WordEmbedder = Callable[[list[str]], np.ndarray]  # texts -> vectors, the paragraphs' model


def rerank_keywords(
    keywords: list[tuple[str, float]],
    word_vectors: np.ndarray,
    topic_direction: np.ndarray,
    known: np.ndarray | None = None,
) -> list[tuple[str, float]]:
    """Reorder c-TF-IDF's candidates by how much closer each word's embedding is to its topic
    than to the corpus as a whole, weighted by the c-TF-IDF score.

    c-TF-IDF alone ranks frequent function words high in a small topic (一定, 這一, 今天);
    closeness alone (BERTopic's KeyBERTInspired) ranks words central to the whole page first
    (俄羅斯, 特朗普 in every topic). The product keeps words that are both frequent in the
    topic and about it. Written here rather than with KeyBERTInspired because that embeds
    BERTopic's documents (for us pre-analysed tokens, not text) and five of them per topic,
    where the topic's direction is already known from every paragraph's vector.

    ``known`` marks the words that have a vector (``words.WordVectors``); the others, rarer
    than the embedded vocabulary, count as of median closeness, neither promoted nor demoted.
    """
    if not keywords:
        return []
    weights = np.array([s for _, s in keywords], dtype=float)
    closeness = np.asarray(word_vectors, dtype=float) @ topic_direction
    if known is not None and not known.all():
        closeness[~known] = np.median(closeness[known]) if known.any() else 0.0
    spread = float(np.ptp(closeness))
    scaled = (closeness - closeness.min()) / spread if spread > 0 else np.ones_like(closeness)
    combined = weights / weights.max() * (MIN_CLOSENESS + (1 - MIN_CLOSENESS) * scaled)
    order = np.argsort(-combined, kind="stable")
    return [(keywords[i][0], float(combined[i])) for i in order]


# Reciprocal rank fusion's constant (Cormack, Clarke and Buettcher 2009): large enough that
# neither ranking's first few places decide alone.
FUSION_K = 60


def fuse_rankings(
    by_ctfidf: list[tuple[str, float]], by_aboutness: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """A topic's keywords: c-TF-IDF's order and ``rerank_keywords``'s fused by reciprocal rank,
    scores scaled so the first is 1.

    The product in ``rerank_keywords`` scales closeness by the closest candidate, so one or
    two words very close to the topic (亞太地區) push the next ones down: on the sample,
    制裁 ("sanctions"), sixth by c-TF-IDF in the pivot topic, fell to eleventh, out of the
    keywords at 5 of 6 seeds. Fusing by rank keeps a word that either ranking puts high,
    while words both put low (一定, 今天) still sink. The label takes the aboutness order.
    """
    if not by_ctfidf:
        return []
    about_rank = {w: r for r, (w, _) in enumerate(by_aboutness)}
    fused = {
        w: 1 / (FUSION_K + r) + 1 / (FUSION_K + about_rank.get(w, len(by_aboutness)))
        for r, (w, _) in enumerate(by_ctfidf)
    }
    order = sorted(fused, key=lambda w: -fused[w])  # stable: ties keep c-TF-IDF's order
    top = fused[order[0]]
    return [(w, fused[w] / top) for w in order]


def topic_direction(rows: np.ndarray, embeddings: np.ndarray, corpus_mean: np.ndarray) -> np.ndarray:
    """The topic's mean vector minus the corpus's: what sets this topic apart (with language
    centering the corpus mean is already about zero)."""
    return embeddings[rows].mean(axis=0) - corpus_mean


def make_label(
    keywords: list[tuple[str, float]], other_topics: list[list[tuple[str, float]]], topic_id: int
) -> str:
    """Up to three top keywords, skipping ones that overlap a chosen word, preferring words
    that do not also lead other topics (so two labels rarely read the same)."""
    words = [w for w, _ in keywords]
    if not words:
        return f"Topic {topic_id}"
    elsewhere = {w for kws in other_topics for w, _ in kws[:LABEL_WORDS]}
    chosen: list[str] = []
    for candidates in ([w for w in words if w not in elsewhere], words):
        for word in candidates:
            if len(chosen) == LABEL_WORDS:
                break
            if not any(word in c or c in word for c in chosen):
                chosen.append(word)
    return " · ".join(chosen)


def representative_paragraphs(rows: np.ndarray, embeddings: np.ndarray, k: int = 3) -> list[int]:
    """The rows nearest the topic's mean vector: deterministic, unlike sampling."""
    if len(rows) == 0:
        return []
    vectors = embeddings[rows]
    centroid = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centroid), kind="stable")
    return [int(rows[i]) for i in order[:k]]
