"""Short human labels and representative paragraphs for topics."""

from __future__ import annotations

import numpy as np

LABEL_WORDS = 3


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
