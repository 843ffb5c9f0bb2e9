"""Topics as the consensus of many Voronoi partitions, each around anchors chosen by content.

Why: Ward's borders in the spectral coordinates moved with the data. One answer less moved
every coordinate a little and Ward redrew every border: leaving one of the sample's ten
answers out gave an adjusted Rand of 0.47 (issue 30). Here each of :data:`RUNS`
partitions puts every point in the cell of its nearest anchor, and the anchors of partition r
are the points whose content key draws lowest for r. One answer less takes away its own
anchors and nothing else, and a point's cell hangs only on the anchors near it. Two points
are as close as the share of partitions that put them in one cell. Average linkage of that
share, cut at a count smooth in n, gives the topics. Seeds play no part, and copies of a
paragraph share a key, so they share every cell.

Measured with ``bench/robustness.py`` against Ward at HDBSCAN's count, the clustering before
this one: topics agree better when the data changes a little (sample, leave one answer out:
0.47 → 0.70; SIB-200 90 % subsets: eng 0.68 → 0.77, zho_Hant 0.71 → 0.83, rus 0.62 → 0.76,
the mix 0.72 → 0.79), with V-measure against SIB-200's categories kept (within ±0.03).
Above 8,000 paragraphs the topics are still Ward's (``cluster._cluster_groups`` says why).

The per-(key, partition) draw is splitmix64 by hand: numpy's generators draw a stream, and a
stream position would tie a paragraph's draw to the paragraphs before it.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from themescope.embeddings.base import normalize

# Partitions in the consensus; at 100 the sample's leave-one-answer-out agreement is within
# 0.02 of 200 (bench/robustness.py); the cost is linear.
RUNS = 200
# Anchors per partition, per ln n (a page of 71 paragraphs: 9; 701 sentences: 13).
ANCHORS_PER_LOG_N = 2.0
# Topics per ln n, and at least √n / 2 (71 paragraphs: 13 cut, 11 topics of 4+; 701: 20).
TOPICS_PER_LOG_N = 3.0

_GOLDEN = 0x9E3779B97F4A7C15


def draws(keys: np.ndarray, run: int) -> np.ndarray:
    """A uniform draw in [0, 1) per content key for partition ``run``: splitmix64 of key +
    (run + 1) times the golden ratio, so each key draws independently in every run."""
    with np.errstate(over="ignore"):
        z = keys.astype(np.uint64) + np.uint64((run + 1) * _GOLDEN % 2**64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / 2.0**53


def together(points: np.ndarray, keys: np.ndarray, anchors: int, runs: int = RUNS) -> np.ndarray:
    """[n, n] share of the partitions in which two rows fall in one cell. A cell is the rows
    nearest (by cosine) to one anchor; partition r's anchors are the ``anchors`` distinct
    keys that draw lowest for r."""
    unit = normalize(np.asarray(points, dtype=np.float64))
    n = len(unit)
    distinct = np.unique(keys, return_index=True)[1]  # one row per distinct key
    anchors = max(1, min(anchors, len(distinct)))
    cells = np.empty((runs, n), dtype=np.int64)
    for run in range(runs):
        start = distinct[np.argsort(draws(keys[distinct], run), kind="stable")[:anchors]]
        cells[run] = (unit @ unit[start].T).argmax(axis=1) + run * anchors
    membership = sp.csr_matrix(
        (np.ones(runs * n, dtype=np.float32), (np.tile(np.arange(n), runs), cells.ravel())),
        shape=(n, runs * anchors),
    )
    return (membership @ membership.T).toarray() / np.float32(runs)


def cut_consensus(shares: np.ndarray, count: int) -> np.ndarray:
    """Average linkage on 1 - ``shares``, cut into at most ``count`` clusters (0, 1, ...)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(shares) < 2:
        return np.zeros(len(shares), dtype=int)
    distance = np.clip(1.0 - shares.astype(np.float64), 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return np.asarray(fcluster(tree, max(1, count), criterion="maxclust") - 1, dtype=int)


def consensus_labels(points: np.ndarray, keys: np.ndarray, count: int, anchors: int) -> np.ndarray:
    """``count`` clusters of ``points`` by the consensus of Voronoi partitions."""
    return cut_consensus(together(points, keys, anchors), count)


def page_topic_count(n: int) -> int:
    """The cut for a page-sized corpus: 3 ln n, at least √n / 2; smooth in n, so one answer
    more or less moves it by one at most."""
    return max(2, round(max(TOPICS_PER_LOG_N * math.log(max(n, 2)), math.sqrt(n) / 2)))


def page_anchor_count(n: int) -> int:
    return max(2, round(ANCHORS_PER_LOG_N * math.log(max(n, 2))))
