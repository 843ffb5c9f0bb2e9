"""The evidence behind each topic and broad theme, from the final topics: exemplar paragraphs
(central and unlike each other, from different answers where it can) and support (how many
answers and authors carry it).

Computed after every topic stage (``documents.topics_document``), from the run's final
assignments, so they follow curation and the broad themes as the run shows them; they need
the paragraphs' answers and authors, which the topic stages (``pipeline.fit_topics``) do not
have. ``representative`` (the nearest paragraphs to the topic's mean) stays as it was.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

EXEMPLARS = 3
# The candidates: a topic's most central paragraphs. The exemplars are chosen among them, so a
# topic of 10,000 paragraphs costs one product with its centroid and a few with these alone.
EXEMPLAR_POOL = 50
# Maximal marginal relevance (Carbonell and Goldstein 1998): closeness to the topic's mean,
# less this weight's complement times the likeness to an exemplar already chosen.
CENTRALITY_WEIGHT = 0.5


def exemplar_rows(
    rows: np.ndarray,
    embeddings: np.ndarray,
    groups: Sequence[Hashable],
    k: int = EXEMPLARS,
    norms: np.ndarray | None = None,
) -> list[int]:
    """``k`` of ``rows`` that show the topic: central and unlike each other.

    The first is the most central (cosine to the mean of the rows' unit vectors); each next one
    is the candidate of a group (answer) no exemplar comes from yet, where the pool holds one,
    with the highest maximal marginal relevance: ``CENTRALITY_WEIGHT`` times its closeness to
    the mean, less the rest times its likeness to the closest exemplar chosen. ``groups[row]``
    is each row's answer; ``norms`` the embeddings' lengths, when known. Reads the topic's own
    rows alone, in float32, once; no seed, ties go to the earlier row."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return []
    vectors = embeddings[rows]
    lengths = (np.sqrt(np.einsum("ij,ij->i", vectors, vectors)) if norms is None else norms[rows]).astype(
        vectors.dtype
    )
    inverse = np.where(lengths > 0, 1 / np.where(lengths > 0, lengths, 1), 0).astype(vectors.dtype)
    mean = (inverse @ vectors) / len(rows)  # the mean unit vector, without a normalized copy
    length = float(np.linalg.norm(mean))
    centrality = (vectors @ mean) * inverse / length if length > 0 else np.zeros(len(rows))
    pool = np.argsort(-centrality, kind="stable")[:EXEMPLAR_POOL]
    unit = vectors[pool].astype(np.float64) * inverse[pool, None]
    likeness = unit @ unit.T
    relevance = CENTRALITY_WEIGHT * centrality[pool].astype(np.float64)
    pool_groups = [groups[int(rows[p])] for p in pool]
    chosen = [0]  # positions in ``pool``; the most central first
    closest = likeness[0].copy()  # each candidate's likeness to its closest exemplar
    while len(chosen) < min(k, len(pool)):
        used = {pool_groups[c] for c in chosen}
        free = np.ones(len(pool), dtype=bool)
        free[chosen] = False
        elsewhere = free & np.array([g not in used for g in pool_groups])
        allowed = elsewhere if elsewhere.any() else free
        score = relevance - (1 - CENTRALITY_WEIGHT) * closest
        best = int(np.argmax(np.where(allowed, score, -np.inf)))
        chosen.append(best)
        closest = np.maximum(closest, likeness[best])
    return [int(rows[pool[c]]) for c in chosen]


def topic_exemplars(
    assignments: np.ndarray,
    embeddings: np.ndarray,
    groups: Sequence[Hashable],
    members: dict[int, Sequence[int]],
) -> dict[int, list[int]]:
    """Exemplar rows per topic or broad theme: ``members`` maps its id to the topic ids whose
    paragraphs it holds (a topic: itself). Each paragraph's length is computed once."""
    norms = np.sqrt(np.einsum("ij,ij->i", embeddings, embeddings))
    order = np.argsort(assignments, kind="stable")  # rows by topic, each topic's in row order
    ordered = assignments[order]
    out = {}
    for key, topics in members.items():
        parts = [
            order[np.searchsorted(ordered, t) : np.searchsorted(ordered, t, side="right")] for t in topics
        ]
        rows = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        out[key] = exemplar_rows(rows, embeddings, groups, norms=norms)
    return out


@dataclass(frozen=True)
class Support:
    """Who carries a topic: how many answers (authors) hold at least one of its paragraphs,
    their ``share`` of all the run's answers (authors), and ``top_share``, the share of the
    topic's paragraphs the one answer (author) holding most of them wrote."""

    count: int
    share: float
    top_share: float

    def as_json(self) -> dict:
        return {"count": self.count, "share": self.share, "top_share": self.top_share}


def support(
    topics: Sequence[int], carriers: Sequence[Hashable], members: dict[int, Sequence[int]]
) -> dict[int, Support]:
    """Per key of ``members`` (a topic, or a broad theme and its topics' ids): how many
    distinct ``carriers`` (each paragraph's answer, or author; None or "" for none known)
    hold its paragraphs (``topics``: each paragraph's topic). Shares are of every carrier in
    the run, rounded to 4 decimals."""
    counts: dict[int, dict[Hashable, int]] = {}
    everyone = set()
    for topic, carrier in zip(topics, carriers, strict=True):
        if carrier is None or carrier == "":
            continue
        everyone.add(carrier)
        per = counts.setdefault(int(topic), {})
        per[carrier] = per.get(carrier, 0) + 1
    out = {}
    for key, ids in members.items():
        held: dict[Hashable, int] = {}
        for t in ids:
            for carrier, n in counts.get(t, {}).items():
                held[carrier] = held.get(carrier, 0) + n
        paragraphs = sum(held.values())
        out[key] = Support(
            count=len(held),
            share=round(len(held) / len(everyone), 4) if everyone else 0.0,
            top_share=round(max(held.values()) / paragraphs, 4) if paragraphs else 0.0,
        )
    return out
