"""Broad themes above the topics: Ward's linkage of the topics' centroids, cut into 3-6.

A reader wants a few broad themes first, then the topics inside them. The topics are the
unit a reader names and curates, so broad themes are built from them (after curation): each
topic's centroid, taken from the corpus mean as ``metrics.topic_similarity`` does (every
sentence vector shares one large direction) and normalised, then Ward's linkage. "auto" cuts
the tree where it jumps most between 3 and 6 groups. Deterministic, without a seed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from themescope.topics.ctfidf import class_keywords
from themescope.topics.describe import describe_topics
from themescope.topics.labels import CANDIDATE_WORDS
from themescope.topics.result import Topic

AUTO_RANGE = (3, 6)


@dataclass
class Merge:
    left: int  # cluster numbers as scipy's linkage counts them: topics 0..n-1, then merges n..
    right: int
    height: float
    size: int


def ward_tree(points: np.ndarray) -> list[Merge]:
    """scipy.cluster.hierarchy.linkage(points, "ward"), by the Lance-Williams update.

    Why by hand: importing scipy.cluster costs 0.3 s, a sixth of a curation-only re-run, for
    a tree of at most a few hundred topics; tests/topics/test_hierarchy.py holds it to scipy.
    """
    n = len(points)
    points = np.asarray(points, dtype=np.float64)
    squared = (points * points).sum(axis=1)
    distance = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * points @ points.T, 0.0))
    np.fill_diagonal(distance, np.inf)
    sizes = np.ones(n)
    label = list(range(n))  # the cluster number each active row stands for
    active = np.ones(n, dtype=bool)
    merges = []
    for step in range(n - 1):
        masked = np.where(active[:, None] & active[None, :], distance, np.inf)
        i, j = np.unravel_index(np.argmin(masked), masked.shape)
        i, j = min(i, j), max(i, j)
        height = float(distance[i, j])
        merged = sizes[i] + sizes[j]
        merges.append(Merge(*sorted((label[i], label[j])), height, int(merged)))
        # Lance-Williams for Ward: the new cluster's distance to every other one.
        others = sizes
        updated = np.sqrt(
            np.maximum(
                ((others + sizes[i]) * distance[i] ** 2 + (others + sizes[j]) * distance[j] ** 2
                 - others * height**2) / (others + merged),
                0.0,
            )
        )  # fmt: skip
        distance[i, :] = distance[:, i] = updated
        distance[i, i] = np.inf
        active[j] = False
        sizes[i] = merged
        label[i] = n + step
    return merges


def cut_tree(merges: list[Merge], n: int, groups: int) -> np.ndarray:
    """A group number per leaf when the last ``groups - 1`` merges are undone, numbered by
    each group's first leaf (topics come by size, so the broad themes do too)."""
    parent = list(range(2 * n - 1))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for step, merge in enumerate(merges[: max(n - groups, 0)]):
        parent[root(merge.left)] = n + step
        parent[root(merge.right)] = n + step
    roots = [root(leaf) for leaf in range(n)]
    order = list(dict.fromkeys(roots))
    return np.array([order.index(r) for r in roots], dtype=int)


def auto_groups(merges: list[Merge], n: int) -> int:
    """Between 3 and 6 groups (fewer when there are fewer topics): where the next merge would
    climb most above the one before it."""
    low, high = AUTO_RANGE
    heights = [m.height for m in merges]
    candidates = range(low, min(high, n - 1) + 1)  # (called with 4+ topics: never empty)
    # k groups remain after merge n-k-1; merge n-k would join two of them.
    return max(candidates, key=lambda k: (heights[n - k] - heights[n - k - 1], -k))


@dataclass
class BroadThemes:
    """The level above the topics: each broad theme described as a topic is (keywords, label,
    representative rows, in the fit's order) and the topics under it."""

    themes: list = field(default_factory=list)  # Topic, id = the broad theme's number
    parent: dict[int, int] = field(default_factory=dict)  # topic id -> broad theme number

    def save(self, folder: Path) -> None:
        parent = [[topic, theme] for topic, theme in self.parent.items()]
        state = {"themes": [asdict(t) for t in self.themes], "parent": parent}
        (folder / "broad_themes.json").write_text(json.dumps(state, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> BroadThemes:
        state = json.loads((folder / "broad_themes.json").read_text("utf-8"))
        themes = [Topic(**(t | {"keywords": [(w, s) for w, s in t["keywords"]]})) for t in state["themes"]]
        return cls(themes, {int(t): int(p) for t, p in state["parent"]})


def describe_broad_themes(
    assignments: np.ndarray,
    embeddings: np.ndarray,
    topic_ids: list[int],
    documents: list[str],
    wanted: int | str,
    top_n_words: int,
    seed_words: list[str] | None = None,
    word_vectors=None,
) -> BroadThemes:
    """The broad themes of these topics, each with c-TF-IDF keywords (reranked by the word
    vectors, as a topic's are), representative paragraphs and a label."""
    parent = broad_themes(assignments, embeddings, topic_ids, wanted)
    if not parent:
        return BroadThemes()
    rows_theme = np.array([parent.get(int(t), -1) for t in assignments])
    candidates = class_keywords(
        documents, rows_theme, max(top_n_words, CANDIDATE_WORDS) if word_vectors else top_n_words, seed_words
    )
    candidates.pop(-1, None)
    themes = describe_topics(candidates, rows_theme, embeddings, {}, top_n_words, word_vectors)
    return BroadThemes(themes, parent)


def broad_themes(
    assignments: np.ndarray, embeddings: np.ndarray, topic_ids: list[int], wanted: int | str
) -> dict[int, int]:
    """Per topic id, its broad theme's number (0, 1, ...); empty under 4 topics, where a level
    above them would say nothing."""
    n = len(topic_ids)
    if n < AUTO_RANGE[0] + 1:
        return {}
    mean = embeddings.mean(axis=0)
    centroids = np.vstack([embeddings[assignments == t].mean(axis=0) - mean for t in topic_ids])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    merges = ward_tree(centroids)
    groups = auto_groups(merges, n) if wanted == "auto" else min(int(wanted), n)
    return dict(zip(topic_ids, cut_tree(merges, n, groups).tolist(), strict=True))
