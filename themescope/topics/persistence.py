"""How much each topic and broad theme owes to luck: the share of 90 % resamples of the corpus
in which it comes back.

A reader who re-scrapes a page, drops a spam answer or compares two pages on one question
meets the corpus a little smaller or larger. Each resample here is that: the same clustering
(the cluster stage's own functions, without drawing a map) fitted anew on 90 % of the
paragraphs. A topic comes back in a resample when one of the resample's topics has a Jaccard
similarity of at least :data:`SAME_TOPIC_JACCARD` with it (on the paragraphs both contain);
its persistence is the share of resamples where it does, and below
:data:`PERSISTS_FROM` the report marks it as a topic that does not persist.

Resamples are keyed to content, not to positions in a random stream: whether a paragraph is
in resample r hangs on a hash of r and its text alone, so one answer more or less leaves
every other paragraph's membership as it was, and neither the seed nor the order of the
files moves them. These resamples are the figure's own: nothing that builds the topics
uses them, so the figure does not flatter the topics it measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from themescope.config import TopicsConfig
from themescope.topics.cluster import cluster_reduced
from themescope.topics.content_keys import content_keys
from themescope.topics.groups import GROUPED_ABOVE
from themescope.topics.hierarchy import broad_themes
from themescope.topics.params import resolve_params
from themescope.topics.reduce import MIN_DOCUMENTS_FOR_CLUSTERING, reduce_embeddings
from themescope.topics.result import TopicResult

# Share of the paragraphs each resample keeps, and how many resamples: a page's take a few
# milliseconds each; a grouped corpus's redo k-means and Ward, so fewer of them.
RESAMPLE_SHARE = 0.9
RESAMPLES = 10
RESAMPLES_GROUPED = 5
# A topic is found again in a resample by a topic sharing at least half of their union.
SAME_TOPIC_JACCARD = 0.5
# Found again in fewer than half the resamples: the report says it does not persist.
PERSISTS_FROM = 0.5
# Salts the content hash, so these resamples are no other procedure's.
_SALT = b"themescope persistence 1"


@dataclass
class Resamples:
    """Per resample: which rows (in the fit's order) it kept, their topics and broad themes
    there (-1: an outlier or no broad theme; rows not kept are -1 too)."""

    kept: np.ndarray  # [r, n] bool
    topics: np.ndarray  # [r, n] int
    broad: np.ndarray  # [r, n] int

    def save(self, folder: Path) -> None:
        np.savez(folder / "resamples.npz", kept=self.kept, topics=self.topics, broad=self.broad)

    @classmethod
    def load(cls, folder: Path) -> Resamples:
        with np.load(folder / "resamples.npz", allow_pickle=False) as data:
            return cls(kept=data["kept"], topics=data["topics"], broad=data["broad"])


def resample_masks(keys: np.ndarray, rounds: int, share: float = RESAMPLE_SHARE) -> np.ndarray:
    """[rounds, n]: resample r keeps a paragraph when a mix of its key and r falls below
    ``share`` (splitmix64's finaliser, so every round draws independently of the others)."""
    masks = np.empty((rounds, len(keys)), dtype=bool)
    threshold = np.uint64(int(share * 2**64) - 1)
    with np.errstate(over="ignore"):
        for r in range(rounds):
            x = keys + np.uint64((r + 1) * 0x9E3779B97F4A7C15 % 2**64)
            x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            masks[r] = (x ^ (x >> np.uint64(31))) < threshold
    return masks


def fit_resamples(documents: list[str], vectors: np.ndarray, settings: TopicsConfig) -> Resamples:
    """The clustering fitted on each content-keyed resample of ``documents`` (in the fit's
    order), with its broad themes."""
    n = len(documents)
    rounds = RESAMPLES if n <= GROUPED_ABOVE else RESAMPLES_GROUPED
    kept = resample_masks(content_keys(documents, _SALT), rounds)
    starts = content_keys(documents)  # what k-means starts from and anchors are drawn by, as in the fit
    topics = np.full((rounds, n), -1, dtype=np.int64)
    broad = np.full((rounds, n), -1, dtype=np.int64)
    for r in range(rounds):
        rows = np.flatnonzero(kept[r])
        if len(rows) < MIN_DOCUMENTS_FOR_CLUSTERING:
            continue
        subset = vectors[rows]
        params = resolve_params(len(rows), settings)
        reduction = reduce_embeddings(subset, params, draw=False, keys=starts[rows])
        labels = cluster_reduced(reduction, params, starts[rows]).labels
        topics[r, rows] = labels
        ids = sorted(set(labels.tolist()) - {-1})
        parent = broad_themes(labels, subset, ids, settings.broad_themes) if ids else {}
        broad[r, rows] = [parent.get(int(t), -1) for t in labels]
    return Resamples(kept, topics, broad)


def persistence(assignments: np.ndarray, resampled: np.ndarray, kept: np.ndarray) -> dict[int, float]:
    """Per topic of ``assignments`` (-1 aside), the share of resamples with a topic whose
    Jaccard similarity to it is at least :data:`SAME_TOPIC_JACCARD`, over the rows the
    resample kept. A resample that kept none of a topic's rows does not count for it."""
    from sklearn.metrics.cluster import contingency_matrix

    assignments = np.asarray(assignments)
    ids = np.array(sorted(set(assignments.tolist()) - {-1}), dtype=np.int64)
    found, counted = np.zeros(len(ids)), np.zeros(len(ids))
    for labels, rows in zip(resampled, kept, strict=True):
        ours, theirs = assignments[rows], labels[rows]
        our_ids, their_ids = np.unique(ours), np.unique(theirs)
        overlap = contingency_matrix(ours, theirs, sparse=True).toarray()  # rows, columns: the ids
        union = overlap.sum(axis=1)[:, None] + overlap.sum(axis=0)[None, :] - overlap
        jaccard = np.where(their_ids[None, :] == -1, 0.0, overlap / np.maximum(union, 1))
        present = np.isin(ids, our_ids)
        best = jaccard.max(axis=1) if len(their_ids) else np.zeros(len(our_ids))
        at = np.searchsorted(our_ids, ids[present])
        counted[present] += 1
        found[present] += best[at] >= SAME_TOPIC_JACCARD
    return {int(t): round(float(f / c), 3) if c else 0.0 for t, f, c in zip(ids, found, counted, strict=True)}


def apply_persistence(result: TopicResult, resamples: Resamples) -> None:
    """Set each topic's and broad theme's ``persistence`` from the resamples (fit order)."""
    shares = persistence(result.assignments, resamples.topics, resamples.kept)
    for topic in result.topics:
        topic.persistence = shares.get(topic.id)
    if result.broad_themes:
        parent = {t.id: t.parent for t in result.topics}
        broad = np.array([-1 if a == -1 else parent.get(int(a), -1) for a in result.assignments])
        shares = persistence(broad, resamples.broad, resamples.kept)
        for theme in result.broad_themes:
            theme.persistence = shares.get(theme.id)
