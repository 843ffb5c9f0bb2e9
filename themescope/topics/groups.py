"""Groups of near neighbours (k-means micro-clusters): how a large corpus is clustered and drawn.

Why: above some thousands of paragraphs the neighbour graph of every paragraph, its spectral
coordinates, HDBSCAN and Ward along the graph cost minutes (SIB-200, 143,705 sentences:
365 s, against 107 s for plain BERTopic), and UMAP's layout of every point another minute.
A thousand groups of neighbours summarise the corpus: topics are Ward's clusters of the
groups' mean directions, and the map is UMAP's layout of the groups with each paragraph
placed among its nearest groups. On SIB-200 this scored at least plain BERTopic's V-measure
with at most 300 topics, where plain BERTopic needs 800-1,400 (bench/scale.py).

No seed: k-means starts from the rows whose texts have the smallest content keys
(``content_keys``: a hash of the text alone) and learns from the rows with the smallest keys,
so neither the seed, the input order nor another CPU's rounding moves the groups, and a corpus
a little smaller or larger keeps most of its starting rows. Rows spread evenly in text order,
as before, changed almost every starting row when one answer came or went: topics of a 90 %
subset of 10,000 SIB-200 sentences agreed with the whole at adjusted Rand 0.26; started from
content keys, 0.42, with the same adjusted mutual information against SIB-200's categories
(0.145 against 0.148; bench/robustness.py, variant "hashinit"). A caller without texts gets
the old start (rows spread evenly).
Its sums differ in the last bits with the CPU and the number of threads (scikit-learn adds
each thread's partial sums); vectors perturbed by 1e-6, far more than that, gave the same
topics at adjusted Rand 1.00 on SIB-200 at 10,000 to 1,005,935 rows
(bench/large_stability.py; tests/topics/test_groups.py on every test run).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from themescope.embeddings.base import normalize

# Above this many paragraphs (copies included), topics are found among groups of neighbours. SIB-200,
# 10,000 sentences: 2 s for reduce and cluster instead of 11 s, and V-measure 0.149 at 100
# topics against 0.129 at 48 (Ward along the graph of every paragraph).
GROUPED_ABOVE = 8000
# Paragraphs per group, and at most this many groups: Ward on 1,000 mean directions takes
# a second; more groups scored lower on SIB-200 (1,500 or 2,000 groups, with Ward along their
# graph: V-measure 0.169-0.175 against 0.181-0.185 with 1,000, at 50,000 and 143,705 sentences).
PARAGRAPHS_PER_GROUP = 20
MAX_GROUPS = 1000
# k-means learns the groups from at most this many paragraphs (rows spread evenly in text
# order), then every paragraph joins its nearest group: a fifth of the arithmetic at 143,705
# sentences, and V-measure as high (SIB-200, 143,705 sentences: 0.195).
FIT_SAMPLE = 30_000
_LLOYD_ITERATIONS = 20
# Groups are learnt and paragraphs placed in the corpus's leading principal axes: a quarter
# of the arithmetic of 512 dimensions, about the same V-measure on SIB-200 (50,000 sentences:
# 0.186 against 0.187).
_AXES = 128
# A paragraph is drawn at the weighted mean of its nearest groups' places on the map.
_PLACE_AMONG = 5
_PLACE_TEMPERATURE = 0.05
_BLOCK_ROWS = 4096


@dataclass
class Groups:
    of: np.ndarray  # [n] the group of each paragraph, 0 .. m-1, every group non-empty
    directions: np.ndarray  # [m, dim] each group's mean direction, unit length
    sizes: np.ndarray  # [m] paragraphs per group
    axes: np.ndarray  # [dim, <= 128] the principal axes the groups were learnt in
    projected: np.ndarray  # [n, <= 128] each paragraph in those axes (unit vectors projected)


def group_count(n: int) -> int:
    return int(min(MAX_GROUPS, max(2, n // PARAGRAPHS_PER_GROUP)))


def group_paragraphs(vectors: np.ndarray, count: int, keys: np.ndarray | None = None) -> Groups:
    """``count`` groups of neighbours: k-means (Lloyd) on up to :data:`FIT_SAMPLE` rows, started
    from ``count`` distinct texts among them; then each row joins the group whose centre is
    nearest. With ``keys`` (``content_keys`` of each row's text) the rows learnt from and the
    starts are those with the smallest keys; without, rows spread evenly over the order."""
    from sklearn.cluster import KMeans

    unit = normalize(vectors)
    axes = principal_axes(unit, _AXES)
    projected = _blocks(unit, lambda block: block @ axes, axes.shape[1])
    if keys is None:
        fit = projected if len(unit) <= FIT_SAMPLE else projected[_spread(len(unit), FIT_SAMPLE)]
        starts = _spread(len(fit), min(count, len(fit)))
    else:
        by_key = np.argsort(keys, kind="stable")
        learnt = np.sort(by_key[:FIT_SAMPLE])  # in the corpus's order: the same sums every run
        fit = projected[learnt]
        fit_keys = keys[learnt]
        _, first = np.unique(fit_keys, return_index=True)  # one row per distinct text, by key
        starts = first[:count]
    count = len(starts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a group emptied by Lloyd is refilled, with a warning
        kmeans = KMeans(
            count,
            init=fit[starts],
            n_init=1,
            max_iter=_LLOYD_ITERATIONS,
            tol=0.0,
            algorithm="lloyd",
        ).fit(fit)
    centres = np.asarray(kmeans.cluster_centers_, np.float32)
    of = np.empty(len(unit), np.int64)
    for start in range(0, len(unit), _BLOCK_ROWS):
        block = projected[start : start + _BLOCK_ROWS]
        # Nearest centre in Euclidean distance, as k-means assigns: ||c||² - 2 x·c.
        of[start : start + len(block)] = np.argmin(
            (centres * centres).sum(axis=1) - 2.0 * (block @ centres.T), axis=1
        )
    used, of = np.unique(of, return_inverse=True)  # a centre nearest to no row is dropped
    sizes = np.bincount(of, minlength=len(used))
    directions = normalize(_group_sums(unit, of.ravel(), len(used)))
    return Groups(of=of.ravel(), directions=directions, sizes=sizes, axes=axes, projected=projected)


def place_paragraphs(groups: Groups, group_layout: np.ndarray) -> np.ndarray:
    """Each paragraph on the map: the mean of its :data:`_PLACE_AMONG` nearest groups' places,
    weighted by a softmax of its cosine to them (within the principal axes), so a paragraph
    between two groups is drawn between them and the groups' paragraphs spread around their
    place. [n, 2] float32."""
    among = min(_PLACE_AMONG, len(groups.directions))
    layout = np.empty((len(groups.projected), 2), np.float32)
    directions = groups.directions @ groups.axes
    for start in range(0, len(groups.projected), _BLOCK_ROWS):
        similarity = groups.projected[start : start + _BLOCK_ROWS] @ directions.T
        nearest = np.argpartition(-similarity, among - 1, axis=1)[:, :among]
        scores = np.take_along_axis(similarity, nearest, axis=1)
        weights = np.exp((scores - scores.max(axis=1, keepdims=True)) / _PLACE_TEMPERATURE)
        weights /= weights.sum(axis=1, keepdims=True)
        layout[start : start + len(scores)] = np.einsum("rk,rkd->rd", weights, group_layout[nearest])
    return layout


def _group_sums(unit: np.ndarray, of: np.ndarray, count: int) -> np.ndarray:
    """Per group, the sum of its rows, as a sparse product (np.add.at is 10x slower), in row
    order whatever the threads; float32, as a float64 copy of a million rows is 4 GB."""
    import scipy.sparse as sp

    membership = sp.csr_matrix((np.ones(len(of), np.float32), (of, np.arange(len(of)))), (count, len(of)))
    return np.asarray(membership @ unit, np.float32)


def principal_axes(unit: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` leading principal axes of ``unit``'s rows (from the covariance, in float64),
    [dim, count]; all of them when there are no more. Their signs do not matter: distances
    and cosines within the axes are the same either way.

    Not scikit-learn's PCA (its "covariance_eigh" solver is this computation): it centres a
    copy of the whole input first, 2 GB at a million rows of 512 float32, where this sums
    the covariance block by block."""
    if unit.shape[1] <= count:
        return np.eye(unit.shape[1], dtype=np.float32)
    dim = unit.shape[1]
    covariance, total = np.zeros((dim, dim)), np.zeros(dim)
    for start in range(0, len(unit), _BLOCK_ROWS * 16):  # float64 a block at a time, not 4 GB
        block = unit[start : start + _BLOCK_ROWS * 16].astype(np.float64)
        covariance += block.T @ block
        total += block.sum(axis=0)
    covariance -= np.outer(total, total) / len(unit)
    _, vectors = np.linalg.eigh(covariance)
    return np.ascontiguousarray(vectors[:, ::-1][:, :count], dtype=np.float32)


def _blocks(rows: np.ndarray, compute, width: int) -> np.ndarray:
    """``compute`` over blocks of ``rows``, stacked: bounded temporaries."""
    out = np.empty((len(rows), width), np.float32)
    for start in range(0, len(rows), _BLOCK_ROWS):
        out[start : start + _BLOCK_ROWS] = compute(rows[start : start + _BLOCK_ROWS])
    return out


def _spread(n: int, count: int) -> np.ndarray:
    """``count`` distinct row numbers spread evenly over 0 .. n-1."""
    return np.unique(np.linspace(0, n - 1, count).round().astype(np.int64))


def grouped_topic_count(n: int, groups: int, max_topics: int) -> int:
    """Topics for a corpus clustered by groups: 1.5 √n, at most ``max_topics`` and half the
    groups. V-measure against SIB-200's categories rises with the count (10,000 sentences:
    0.11 at 50 topics, 0.15 at 100; 50,000: 0.19 at 300); √n / 2, the rule for a page, left a
    large corpus with topics of several hundred paragraphs each, and the broad themes already
    give the overview."""
    return int(max(1, min(max_topics, groups // 2, round(1.5 * math.sqrt(n)))))
