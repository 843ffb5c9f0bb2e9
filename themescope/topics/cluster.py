"""Topics from the spectral coordinates: how many (3 ln n, at least √n / 2, or the user's
``nr_topics``), and where their borders lie: the consensus of many Voronoi partitions around
anchors chosen by content (``consensus``). Its labels are handed to BERTopic as a fitted
cluster model.

Why a consensus and not Ward's linkage along the neighbour graph at HDBSCAN's count, the
clustering before it: both are deterministic, but Ward's borders and HDBSCAN's count moved
with the data (one of the sample's ten answers left out: adjusted Rand 0.47). The consensus
keeps each point's cell to the anchors near it (0.70) and keeps V-measure on SIB-200
(bench/robustness.py, issue 30). HDBSCAN still says whether anything stands out at all.

A large corpus comes grouped (``reduce.GROUPED_ABOVE``): Ward then merges the groups' mean
directions, unconstrained (on SIB-200 at 50,000 sentences, V-measure 0.192 against 0.181
along the groups' graph), into ``groups.grouped_topic_count`` topics.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from themescope.topics import consensus
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


def cluster_reduced(reduction: Reduction, params: TopicParams, keys: np.ndarray) -> Clusters:
    """The consensus clusters of the reduction's rows (Ward's of its groups, when grouped), per
    paragraph; clusters under ``min_topic_size`` paragraphs become outliers. ``keys``: each
    paragraph's ``content_keys``, which choose the anchors."""
    if reduction.groups is not None:
        return _cluster_groups(reduction.reduced, reduction.groups, params)
    return _cluster_rows(reduction.reduced, params, keys)


def _cluster_groups(directions: np.ndarray, of: np.ndarray, params: TopicParams) -> Clusters:
    """Ward's clusters of the groups' directions; each paragraph takes its group's topic and
    its group's centrality.

    Why not the consensus here: over the groups of 10,000 SIB-200 sentences it agreed better
    on 90 % subsets (adjusted Rand 0.50 against 0.43) but lost AMI (0.143 against 0.145), and
    on 30 synthetic themes of 9,000 rows (tests/topics/test_groups.py) it agreed at 0.86-0.88
    where Ward holds 0.94-0.95 (bench/robustness.py, 2026-12-08)."""
    if isinstance(params.nr_topics, int):
        count = max(1, min(params.nr_topics, len(directions)))
    else:
        count = grouped_topic_count(len(of), len(directions), MAX_AUTO_TOPICS)
    # Ward needs two rows; one group (a corpus of copies of one paragraph) is one topic.
    of_group = _ward(directions, count) if len(directions) > 1 else np.zeros(len(directions), int)
    labels = of_group[of]
    sizes = np.bincount(labels)
    labels = np.where(sizes[labels] >= params.min_topic_size, labels, -1)
    group_labels = np.full(len(directions), -1)
    group_labels[of] = labels
    return Clusters(labels, centrality(directions, group_labels)[of])


def _ward(directions: np.ndarray, count: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    return np.asarray(AgglomerativeClustering(n_clusters=count, linkage="ward").fit(directions).labels_, int)


def _cluster_rows(reduced: np.ndarray, params: TopicParams, keys: np.ndarray) -> Clusters:
    count = topic_count(reduced, params)
    if count == 0:
        return Clusters(np.full(len(reduced), -1), np.zeros(len(reduced)))
    labels = consensus.consensus_labels(reduced, keys, count, consensus.page_anchor_count(len(reduced)))
    sizes = np.bincount(labels)
    # The linkage's numbering is arbitrary; BERTopic numbers topics by size when it fits.
    labels = np.where(sizes[labels] >= params.min_topic_size, labels, -1)
    return Clusters(labels, centrality(reduced, labels))


def topic_count(reduced: np.ndarray, params: TopicParams) -> int:
    """``nr_topics`` when the user gave a number; otherwise 3 ln n, at least √n / 2
    (``consensus.page_topic_count``: smooth in n, where HDBSCAN's count of dense groups jumped
    from 11 to 7 when one paragraph of the sample left), as long as each can hold
    ``min_topic_size`` paragraphs. 0 when HDBSCAN finds no dense group at all: the linkage
    would cut any corpus into topics, even one where nothing stands out. Never more than the
    distinct points: copies of one paragraph are never split."""
    distinct = len(np.unique(reduced, axis=0)) if len(reduced) else 0
    if isinstance(params.nr_topics, int):
        return min(max(1, params.nr_topics), distinct)
    found = _dense_groups(reduced, params, single=False)
    if found == 0:  # a "leaf" split needs two groups of min_topic_size; one may be all there is
        found = _dense_groups(reduced, params, single=True)
    if found == 0:
        return 0
    most = max(1, len(reduced) // params.min_topic_size)
    return min(consensus.page_topic_count(len(reduced)), most, distinct)


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
