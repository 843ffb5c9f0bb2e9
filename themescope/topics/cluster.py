"""Topics from the spectral coordinates: how many (HDBSCAN's dense groups, at least √n / 2),
and where their borders lie (Ward's linkage along the neighbour graph). Its labels are
handed to BERTopic as a fitted cluster model.

Why Ward and not HDBSCAN's own clusters: both are deterministic on these coordinates, but
HDBSCAN leaves the paragraphs between dense groups as noise, which outlier reduction then
hands to the nearest topic by a cosine over the whole vector; Ward draws every border in the
space the groups were found in. On SIB-200 that scored 0.532 against 0.505 (mean V-measure
over six languages, bench/topics_quality.py). Ward is constrained to the neighbour graph,
so it merges only neighbourhoods and scales to the graph's size, not to n².

A large corpus comes grouped (``reduce.GROUPED_ABOVE``): Ward then merges the groups' mean
directions, unconstrained (on SIB-200 at 50,000 sentences, V-measure 0.192 against 0.181
along the groups' graph), into ``groups.grouped_topic_count`` topics.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from themescope.topics.groups import grouped_topic_count
from themescope.topics.params import TopicParams

if TYPE_CHECKING:
    from themescope.topics.reduce import Reduction

# A large corpus is not cut into more topics than this unless nr_topics asks for it:
# nobody reads a thousand topics (plain BERTopic found 1,379 in SIB-200's 143,705 sentences).
MAX_AUTO_TOPICS = 300


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


def cluster_reduced(reduction: Reduction, params: TopicParams) -> Clusters:
    """Ward's clusters of the reduction's rows (along its graph, if any), per paragraph;
    clusters under ``min_topic_size`` paragraphs become outliers."""
    if reduction.groups is not None:
        return _cluster_groups(reduction.reduced, reduction.groups, params)
    return _cluster_rows(reduction.reduced, reduction.graph, params)


def _cluster_groups(directions: np.ndarray, of: np.ndarray, params: TopicParams) -> Clusters:
    """Ward's clusters of the groups' directions; each paragraph takes its group's topic and
    its group's centrality."""
    if isinstance(params.nr_topics, int):
        count = max(1, min(params.nr_topics, len(directions)))
    else:
        count = grouped_topic_count(len(of), len(directions), MAX_AUTO_TOPICS)
    # Ward needs two rows; one group (a corpus of copies of one paragraph) is one topic.
    of_group = _ward(directions, None, count) if len(directions) > 1 else np.zeros(len(directions), int)
    labels = of_group[of]
    sizes = np.bincount(labels)
    labels = np.where(sizes[labels] >= params.min_topic_size, labels, -1)
    group_labels = np.full(len(directions), -1)
    group_labels[of] = labels
    return Clusters(labels, centrality(directions, group_labels)[of])


def _ward(reduced: np.ndarray, graph: sp.spmatrix | None, count: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a graph in several parts is completed, with a warning
        ward = AgglomerativeClustering(n_clusters=count, linkage="ward", connectivity=graph)
        ward.fit(reduced)
    return np.asarray(ward.labels_, int)


def _cluster_rows(reduced: np.ndarray, graph: sp.spmatrix, params: TopicParams) -> Clusters:
    count = topic_count(reduced, params)
    if count == 0:
        return Clusters(np.full(len(reduced), -1), np.zeros(len(reduced)))
    labels = _ward(reduced, graph, count)
    sizes = np.bincount(labels)
    # Ward's numbering is arbitrary; BERTopic numbers topics by size when it fits.
    labels = np.where(sizes[labels] >= params.min_topic_size, labels, -1)
    return Clusters(labels, centrality(reduced, labels))


def topic_count(reduced: np.ndarray, params: TopicParams) -> int:
    """``nr_topics`` when the user gave a number; otherwise the dense groups HDBSCAN finds in
    the same coordinates, and at least √n / 2 (HDBSCAN's "leaf" groups on 701 SIB-200
    sentences were 11-13, where 13-16 topics scored higher; on the 71-paragraph sample it
    finds 8, where √n / 2 would give 4), as long as each can hold ``min_topic_size``
    paragraphs. 0 when HDBSCAN finds no group at all: Ward would cut any corpus into topics,
    even one where nothing stands out. Never more than the distinct points: Ward would have
    to split copies of one paragraph."""
    distinct = len(np.unique(reduced, axis=0)) if len(reduced) else 0
    if isinstance(params.nr_topics, int):
        return min(max(1, params.nr_topics), distinct)
    found = _dense_groups(reduced, params, single=False)
    if found == 0:  # a "leaf" split needs two groups of min_topic_size; one may be all there is
        found = _dense_groups(reduced, params, single=True)
    if found == 0:
        return 0
    floor = min(round(math.sqrt(len(reduced)) / 2), len(reduced) // params.min_topic_size)
    return min(max(found, floor), distinct)


def _dense_groups(reduced: np.ndarray, params: TopicParams, single: bool) -> int:
    from hdbscan import HDBSCAN

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = HDBSCAN(
            min_cluster_size=params.min_topic_size,
            min_samples=params.min_samples,
            cluster_selection_method="leaf",
            allow_single_cluster=single,
        ).fit(reduced)
    return len(set(dense.labels_.tolist()) - {-1})


def centrality(reduced: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Cosine between a document and its topic's mean direction, clipped to 0..1 (0 for outliers)."""
    probabilities = np.zeros(len(labels))
    for topic in set(labels.tolist()) - {-1}:
        rows = labels == topic
        direction = reduced[rows].mean(axis=0)
        direction /= max(float(np.linalg.norm(direction)), 1e-12)
        probabilities[rows] = np.clip(reduced[rows] @ direction, 0.0, 1.0)
    return probabilities


class PrecomputedClusters:
    """A fitted cluster model for BERTopic (it reads ``labels_`` and ``probabilities_``)."""

    def __init__(self, clusters: Clusters) -> None:
        self.labels_ = clusters.labels.copy()
        self.probabilities_ = clusters.probabilities.copy()

    def fit(self, X, y=None) -> PrecomputedClusters:
        if len(X) != len(self.labels_):
            raise ValueError("PrecomputedClusters only fits the documents it was built for")
        return self
