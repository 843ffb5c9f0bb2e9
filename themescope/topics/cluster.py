"""Topics from the spectral coordinates: how many (HDBSCAN's dense groups, at least √n / 2),
and where their borders lie (Ward's linkage along the neighbour graph). Its labels are
handed to BERTopic as a fitted cluster model.

Why Ward and not HDBSCAN's own clusters: both are deterministic on these coordinates, but
HDBSCAN leaves the paragraphs between dense groups as noise, which outlier reduction then
hands to the nearest topic by a cosine over the whole vector; Ward draws every border in the
space the groups were found in. On SIB-200 that scored 0.532 against 0.505 (mean V-measure
over six languages, bench/topics_quality.py). Ward is constrained to the neighbour graph,
so it merges only neighbourhoods and scales to the graph's size, not to n².
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from themescope.topics.params import TopicParams


@dataclass
class Clusters:
    labels: np.ndarray  # int per document, -1 = outlier
    probabilities: np.ndarray  # how central each document is to its topic, 0..1

    def save(self, folder: Path) -> None:
        np.savez(folder / "clusters.npz", labels=self.labels, probabilities=self.probabilities)

    @classmethod
    def load(cls, folder: Path) -> Clusters:
        with np.load(folder / "clusters.npz", allow_pickle=False) as data:
            return cls(labels=data["labels"], probabilities=data["probabilities"])


def cluster_reduced(reduced: np.ndarray, graph: sp.spmatrix, params: TopicParams) -> Clusters:
    """Ward's clusters along ``graph``; clusters under ``min_topic_size`` become outliers."""
    from sklearn.cluster import AgglomerativeClustering

    count = min(topic_count(reduced, params), len(reduced))
    if count == 0:
        return Clusters(np.full(len(reduced), -1), np.zeros(len(reduced)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a graph in several parts is completed, with a warning
        ward = AgglomerativeClustering(n_clusters=count, linkage="ward", connectivity=graph)
        ward.fit(_parts_kept_apart(reduced, graph))
    labels = np.asarray(ward.labels_, int)
    sizes = np.bincount(labels)
    labels = np.where(sizes[labels] >= params.min_topic_size, labels, -1)
    labels = _numbered_by_size(labels)
    return Clusters(labels, centrality(reduced, labels))


# Paragraphs in different parts of the neighbour graph share no neighbour: Ward merges
# across parts only after everything within them (rows of ``reduced`` have unit length).
PART_SEPARATION = 10.0
MAX_PARTS_KEPT_APART = 256


def _parts_kept_apart(reduced: np.ndarray, graph: sp.spmatrix) -> np.ndarray:
    """``reduced`` with one far-apart axis per connected part of the graph, when there are
    several. Two groups of 10 near-identical sentences form two parts; without this, Ward
    cut them 14 + 6, since the spectral coordinates within each part outweighed the one
    direction between them."""
    from scipy.sparse.csgraph import connected_components

    parts, part_of = connected_components(graph, directed=False)
    if parts < 2 or parts > MAX_PARTS_KEPT_APART:
        return reduced
    return np.hstack([reduced, PART_SEPARATION * np.eye(parts, dtype=reduced.dtype)[part_of]])


def topic_count(reduced: np.ndarray, params: TopicParams) -> int:
    """``nr_topics`` when the user gave a number; otherwise the dense groups HDBSCAN finds in
    the same coordinates, and at least √n / 2 (HDBSCAN's "leaf" groups on 701 SIB-200
    sentences were 11-13, where 13-16 topics scored higher; on the 71-paragraph sample it
    finds 8, where √n / 2 would give 4). 0 when HDBSCAN finds no group of ``min_topic_size``
    paragraphs: Ward would cut any corpus into topics, even one where nothing stands out."""
    if isinstance(params.nr_topics, int):
        return max(1, params.nr_topics)
    from hdbscan import HDBSCAN

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = HDBSCAN(
            min_cluster_size=params.min_topic_size,
            min_samples=params.min_samples,
            cluster_selection_method="leaf",
        ).fit(reduced)
    found = len(set(dense.labels_.tolist()) - {-1})
    return max(found, round(math.sqrt(len(reduced)) / 2)) if found else 0


def centrality(reduced: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cosine between a document and its topic's mean direction, clipped to 0..1 (0 for outliers)."""
    probabilities = np.zeros(len(labels))
    for topic in set(labels.tolist()) - {-1}:
        rows = labels == topic
        direction = reduced[rows].mean(axis=0)
        direction /= max(float(np.linalg.norm(direction)), 1e-12)
        probabilities[rows] = np.clip(reduced[rows] @ direction, 0.0, 1.0)
    return probabilities


def _numbered_by_size(labels: np.ndarray) -> np.ndarray:
    """Topics numbered 0, 1, ... from the largest (ties: the one whose first member comes first),
    as BERTopic numbers them; -1 stays."""
    ids = [t for t in dict.fromkeys(labels.tolist()) if t != -1]
    ids.sort(key=lambda t: -int(np.sum(labels == t)))
    mapping = {old: new for new, old in enumerate(ids)}
    return np.array([mapping.get(t, -1) for t in labels.tolist()], dtype=int)


class PrecomputedClusters:
    """A fitted cluster model for BERTopic (it reads ``labels_`` and ``probabilities_``)."""

    def __init__(self, clusters: Clusters) -> None:
        self.labels_ = clusters.labels.copy()
        self.probabilities_ = clusters.probabilities.copy()

    def fit(self, X, y=None) -> PrecomputedClusters:
        if len(X) != len(self.labels_):
            raise ValueError("PrecomputedClusters only fits the documents it was built for")
        return self
