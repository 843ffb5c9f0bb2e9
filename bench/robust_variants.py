"""Clustering variants for issue 30 (themes that persist when the data changes a little),
measured by bench/robustness.py. Bench code only: nothing here is used by a run.

Every variant is a function ``(vectors, texts, params) -> labels``: the centered vectors and
the texts in fit order (``model.canonical_order``), the resolved topic parameters, and one
topic number per row (-1: outlier). Outlier reassignment and the broad themes come after it,
as the represent and hierarchy stages do (robustness.py).

- ``baseline``: today's topic stage (spectral coordinates of the neighbour graph, the count
  from HDBSCAN's leaf groups and at least √n / 2, Ward along the graph; k-means groups above
  8,000 rows), without UMAP's 2-D layout, which only draws the map.
- ``consensus``: co-association of many baseline fits on subsets chosen by a content hash of
  each paragraph (a paragraph is in resample r when hash(text, r) < share, whatever else is in
  the corpus), then average linkage on 1 - co-association, cut where pairs are together in
  at least half of the resamples that hold both (``consensus-cut``) or at the count whose
  cut persists best across the resamples (``consensus``).
- ``persist``: today's spectral coordinates and Ward, the count chosen among candidates by
  how well each count's partition persists on content-hash resamples.
- ``local``: average linkage on the cosine distances of the centered vectors themselves (a
  paragraph moves only the averages of clusters it is in), cut at the 20 % quantile of the
  pairwise distances.
- ``hashinit`` (above 8,000 rows): k-means groups started from the rows with the smallest
  content hashes instead of rows spread evenly in text order, so a 90 % subset keeps about
  90 % of the starting rows; the rest as today.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np

from themescope.topics.content_keys import content_keys  # the product's keys

SHARE = 0.8  # of the paragraphs in each resample
RESAMPLES = 30


# --- content keys -----------------------------------------------------------------------


def _mix(keys: np.ndarray, r: int) -> np.ndarray:
    """splitmix64 of key + r: an independent uniform draw per (text, resample), in [0, 1)."""
    with np.errstate(over="ignore"):
        z = keys + np.uint64((r + 1) * 0x9E3779B97F4A7C15 % 2**64)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / 2.0**53


def hash_resamples(texts: list[str], count: int = RESAMPLES, share: float = SHARE) -> list[np.ndarray]:
    """Row numbers of each resample: row i is in resample r when _mix(key_i, r) < share."""
    keys = content_keys(texts)
    return [np.flatnonzero(_mix(keys, r) < share) for r in range(count)]


# --- today's stage functions, without the map ---------------------------------------------


def spectral_space(vectors: np.ndarray, params):
    """reduce.reduce_embeddings without UMAP's layout: the clustering space and its graph
    (copies placed once, as there); a Reduction with layout None."""
    from themescope.topics.graph import neighbour_graph
    from themescope.topics.reduce import Reduction, copies_graph, distinct_rows, exact_knn
    from themescope.topics.spectral import graph_parts, part_axes, spectral_coordinates

    keep, copies = distinct_rows(vectors)
    if len(keep) < len(vectors):
        inner = replace(params, n_neighbors=max(2, min(params.n_neighbors, len(keep) - 1)))
        placed = spectral_space(vectors[keep], inner)
        graph = None if placed.graph is None else copies_graph(placed.graph, copies)
        return Reduction(placed.reduced[copies], None, graph)
    knn = exact_knn(vectors, params.n_neighbors)
    graph = neighbour_graph(knn, params.n_neighbors)
    part_of = graph_parts(graph)
    within = spectral_coordinates(graph, params.n_components, part_of=part_of)
    return Reduction(np.hstack([within, part_axes(vectors, part_of)]), None, graph)


def grouped_space(
    vectors: np.ndarray, texts: list[str] | None = None, init: str = "spread", iterations: int | None = None
):
    """reduce.grouped_reduction without the map; ``init`` "hash": k-means starts from the rows
    with the smallest content hashes."""
    from themescope.topics.groups import group_count, group_paragraphs
    from themescope.topics.reduce import Reduction

    count = group_count(len(vectors))
    if init == "hash":
        groups = _hash_groups(vectors, texts, count, iterations)
    else:
        groups = group_paragraphs(vectors, count)
    return Reduction(reduced=groups.directions, layout=None, graph=None, groups=groups.of)


def _hash_groups(vectors: np.ndarray, texts: list[str], count: int, iterations: int | None = None):
    """groups.group_paragraphs, k-means started from the ``count`` rows with the smallest
    content keys (distinct texts), fitted on every row (10,000 < FIT_SAMPLE)."""
    from sklearn.cluster import KMeans

    from themescope.embeddings.base import normalize
    from themescope.topics import groups as g

    unit = normalize(vectors)
    axes = g.principal_axes(unit, g._AXES)
    projected = g._blocks(unit, lambda block: block @ axes, axes.shape[1])
    keys = content_keys(texts)
    _, first = np.unique(keys, return_index=True)  # one row per distinct text, by key
    start = first[:count]  # np.unique sorts: the smallest keys
    count = len(start)
    iterations = g._LLOYD_ITERATIONS if iterations is None else iterations
    if iterations == 0:  # each row joins its nearest starting row
        centres = projected[start]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kmeans = KMeans(
                count, init=projected[start], n_init=1, max_iter=iterations, tol=0.0, algorithm="lloyd"
            ).fit(projected)
        centres = np.asarray(kmeans.cluster_centers_, np.float32)
    of = np.argmin((centres * centres).sum(axis=1) - 2.0 * (projected @ centres.T), axis=1)
    used, of = np.unique(of, return_inverse=True)
    sizes = np.bincount(of, minlength=len(used))
    directions = normalize(g._group_sums(unit, of.ravel(), len(used)))
    return g.Groups(of=of.ravel(), directions=directions, sizes=sizes, axes=axes, projected=projected)


# --- variants -----------------------------------------------------------------------------


def baseline(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
    """The product's clustering as it is (``reduce_embeddings`` without the map, with the
    texts' content keys, then ``cluster_reduced``)."""
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.content_keys import content_keys
    from themescope.topics.reduce import reduce_embeddings

    reduction = reduce_embeddings(vectors, params, draw=False, keys=content_keys(texts))
    return cluster_reduced(reduction, params).labels


def spread_start(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
    """The clustering of 8400792: above 8,000 rows, k-means started from rows spread evenly
    in text order."""
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.groups import GROUPED_ABOVE

    if len(vectors) > GROUPED_ABOVE:
        return cluster_reduced(grouped_space(vectors), params).labels
    return cluster_reduced(spectral_space(vectors, params), params).labels


def hashinit(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.groups import GROUPED_ABOVE

    if len(vectors) > GROUPED_ABOVE:
        return cluster_reduced(grouped_space(vectors, texts, init="hash"), params).labels
    return baseline(vectors, texts, params)


def hashinit_lloyd(iterations: int):
    """hashinit with ``iterations`` Lloyd steps (0: each row joins its nearest starting row)."""

    def variant(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
        from themescope.topics.cluster import cluster_reduced
        from themescope.topics.groups import GROUPED_ABOVE

        if len(vectors) > GROUPED_ABOVE:
            space = grouped_space(vectors, texts, init="hash", iterations=iterations)
            return cluster_reduced(space, params).labels
        return baseline(vectors, texts, params)

    return variant


def _params_for(n: int, seed: int):
    from themescope.config import TopicsConfig
    from themescope.topics.params import resolve_params

    return resolve_params(n, TopicsConfig(seed=seed))


def coassociation(vectors, texts, params, fit=baseline, count=RESAMPLES, share=SHARE):
    """Share of the resamples holding both rows in which they share a topic (outliers share
    nothing), and each resample's rows and labels."""
    n = len(vectors)
    together = np.zeros((n, n), np.float32)
    both = np.zeros((n, n), np.float32)
    fits = []
    for rows in hash_resamples(texts, count, share):
        sub = _params_for(len(rows), params.seed)
        labels = fit(vectors[rows], [texts[i] for i in rows], sub)
        fits.append((rows, labels))
        placed = labels >= 0
        onehot = np.zeros((len(rows), int(labels.max()) + 1 if placed.any() else 1), np.float32)
        onehot[np.flatnonzero(placed), labels[placed]] = 1.0
        together[np.ix_(rows, rows)] += onehot @ onehot.T
        both[np.ix_(rows, rows)] += 1.0
    share_together = np.where(both > 0, together / np.maximum(both, 1.0), 0.0)
    np.fill_diagonal(share_together, 1.0)
    return share_together, fits


def _average_tree(distance: np.ndarray):
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    condensed = squareform(np.clip(distance, 0.0, None), checks=False).astype(np.float64)
    return linkage(condensed, method="average")


def _cut(tree, count: int) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster

    return fcluster(tree, count, criterion="maxclust") - 1


def _small_to_outliers(labels: np.ndarray, min_size: int) -> np.ndarray:
    _, labels = np.unique(labels, return_inverse=True)
    sizes = np.bincount(labels)
    return np.where(sizes[labels] >= min_size, labels, -1)


def _persistence(labels: np.ndarray, fits) -> float:
    """Mean adjusted Rand of ``labels`` against each resample's labels on its rows."""
    from sklearn.metrics import adjusted_rand_score

    return float(np.mean([adjusted_rand_score(labels[rows], sub) for rows, sub in fits]))


def _candidates(n: int, params, found: list[int]) -> range:
    low = max(2, min(found) - 2, round(math.sqrt(n) / 2))
    high = max(low, min(max(found) + 3, n // max(params.min_topic_size, 1)))
    return range(low, high + 1)


def consensus_cut(vectors, texts, params, threshold: float = 0.5) -> np.ndarray:
    together, _ = coassociation(vectors, texts, params)
    from scipy.cluster.hierarchy import fcluster

    tree = _average_tree(1.0 - together)
    labels = fcluster(tree, 1.0 - threshold, criterion="distance") - 1
    return _small_to_outliers(labels, params.min_topic_size)


def consensus(vectors, texts, params) -> np.ndarray:
    """Average linkage on 1 - co-association, at the count (among the resamples' counts, ±2)
    whose cut agrees best with the resamples' own fits; ties to more topics."""
    together, fits = coassociation(vectors, texts, params)
    tree = _average_tree(1.0 - together)
    found = [len(set(lab.tolist()) - {-1}) for _, lab in fits]
    best = max(
        _candidates(len(vectors), params, found),
        key=lambda k: (round(_persistence(_cut(tree, k), fits), 3), k),
    )
    return _small_to_outliers(_cut(tree, best), params.min_topic_size)


def consensus_median(vectors, texts, params, resamples: int = RESAMPLES) -> np.ndarray:
    """Average linkage on 1 - co-association, cut at the median of the resamples' counts."""
    together, fits = coassociation(vectors, texts, params, count=resamples)
    tree = _average_tree(1.0 - together)
    found = [len(set(lab.tolist()) - {-1}) for _, lab in fits]
    return _small_to_outliers(_cut(tree, int(np.median(found))), params.min_topic_size)


def _ward_at(count: int):
    """A base fit for the co-association: Ward along the graph on the resample's own spectral
    coordinates, at a count fixed for all resamples (no HDBSCAN per resample)."""

    def fit(vectors, texts, params):
        from themescope.topics.cluster import _ward

        space = spectral_space(vectors, params)
        return _ward(space.reduced, space.graph, max(2, min(count, len(vectors) - 1)))

    return fit


def consensus_fixed(vectors, texts, params) -> np.ndarray:
    """Today's count (HDBSCAN once, on the whole corpus); each resample cut by Ward at that
    count; average linkage on 1 - co-association cut at the same count."""
    from themescope.topics.cluster import topic_count

    count = topic_count(spectral_space(vectors, params).reduced, params)
    together, _ = coassociation(vectors, texts, params, fit=_ward_at(count))
    return _small_to_outliers(_cut(_average_tree(1.0 - together), count), params.min_topic_size)


def consensus_log(vectors, texts, params) -> np.ndarray:
    """As consensus_fixed, the count 2.4 ln n (smooth in n: one answer less moves it by at
    most one) instead of HDBSCAN's."""
    count = max(2, round(2.4 * math.log(len(vectors))))
    together, _ = coassociation(vectors, texts, params, fit=_ward_at(count))
    return _small_to_outliers(_cut(_average_tree(1.0 - together), count), params.min_topic_size)


def log_count(n: int) -> int:
    """2.4 ln n topics (the sample's 71 paragraphs: 10; 701 sentences: 16): smooth in n, so
    one answer more or less moves it by at most one."""
    return max(2, round(2.4 * math.log(max(n, 2))))


def kmeans_hash(vectors, texts, params, iterations: int = 10) -> np.ndarray:
    """Spherical k-means on the centered vectors, started from the :func:`log_count` distinct
    paragraphs with the smallest content hashes: a paragraph's topic hangs on the starting
    paragraphs near it, and a subset keeps most of them."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    _, first = np.unique(content_keys(texts), return_index=True)
    centres = unit[first[: log_count(len(vectors))]].astype(np.float64)
    for _ in range(iterations):
        labels = np.argmax(unit @ centres.T, axis=1)
        for j in range(len(centres)):
            if (labels == j).any():
                mean = unit[labels == j].mean(axis=0)
                centres[j] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return _small_to_outliers(np.argmax(unit @ centres.T, axis=1), params.min_topic_size)


def _spherical_kmeans(unit: np.ndarray, start: np.ndarray, iterations: int = 10) -> np.ndarray:
    centres = unit[start].astype(np.float64)
    for _ in range(iterations):
        labels = np.argmax(unit @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, unit)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centres = np.where(norms > 0, sums / np.maximum(norms, 1e-12), centres)
    return np.argmax(unit @ centres.T, axis=1)


def kmeans_consensus(vectors, texts, params, runs: int = 30) -> np.ndarray:
    """Co-association of ``runs`` spherical k-means fits at :func:`log_count`, run r started
    from the paragraphs with the smallest hash(text, r); average linkage on 1 - co-association
    cut at the same count. Every run sees every paragraph: only the starting rows vary, and
    they are chosen by content."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    count = log_count(len(vectors))
    keys = content_keys(texts)
    _, first = np.unique(keys, return_index=True)
    together = np.zeros((len(unit), len(unit)))
    for r in range(runs):
        start = first[np.argsort(_mix(keys[first], r), kind="stable")[:count]]
        labels = _spherical_kmeans(unit, start)
        together += labels[:, None] == labels[None, :]
    tree = _average_tree(1.0 - together / runs)
    return _small_to_outliers(_cut(tree, count), params.min_topic_size)


def hash_groups_ward(vectors, texts, params, per_topic: int = 3) -> np.ndarray:
    """The large-corpus design for any size: spherical k-means groups started from the
    ``per_topic`` x :func:`log_count` paragraphs with the smallest content hashes, then Ward on
    the groups' mean directions into :func:`log_count` topics."""
    from themescope.topics.cluster import _ward

    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    count = log_count(len(vectors))
    _, first = np.unique(content_keys(texts), return_index=True)
    of = _spherical_kmeans(unit, first[: min(len(first), per_topic * count)])
    used, of = np.unique(of, return_inverse=True)
    sums = np.zeros((len(used), unit.shape[1]))
    np.add.at(sums, of, unit)
    directions = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    topics = _ward(directions, None, min(count, len(used)))
    return _small_to_outliers(topics[of], params.min_topic_size)


def _diffusion_log(vectors, texts, params):
    from themescope.topics.cluster import _ward

    graph, coordinates, _ = _diffusion_space(vectors, params, 20, 2.0)
    count = max(2, min(log_count(len(vectors)), len(vectors) - 1))
    return _ward(coordinates, graph, count)


def consensus_diffusion(vectors, texts, params) -> np.ndarray:
    """consensus_median with diffusion fits (t = 2, :func:`log_count` topics) as the base."""
    together, fits = coassociation(vectors, texts, params, fit=_diffusion_log)
    tree = _average_tree(1.0 - together)
    found = [len(set(lab.tolist()) - {-1}) for _, lab in fits]
    return _small_to_outliers(_cut(tree, int(np.median(found))), params.min_topic_size)


def persist(vectors, texts, params) -> np.ndarray:
    """Today's Ward along the graph, at the count that persists best: each candidate count's
    Ward partition of the whole corpus against the same count's on content-hash resamples."""
    from themescope.topics.cluster import _ward, topic_count

    space = spectral_space(vectors, params)
    today = topic_count(space.reduced, params)
    spaces = []
    for rows in hash_resamples(texts, 10, SHARE):
        sub = _params_for(len(rows), params.seed)
        spaces.append((rows, spectral_space(vectors[rows], sub)))
    scores = {}
    for k in _candidates(len(vectors), params, [today]):
        whole = _ward(space.reduced, space.graph, k)
        fits = [(rows, _ward(s.reduced, s.graph, k)) for rows, s in spaces]
        scores[k] = round(_persistence(whole, fits), 3)
    best = max(scores, key=lambda k: (scores[k], k))
    return _small_to_outliers(_ward(space.reduced, space.graph, best), params.min_topic_size)


def local(vectors, texts, params, quantile: float = 0.2) -> np.ndarray:
    """Average linkage on cosine distance, cut at the ``quantile`` of all pairwise distances (a
    corpus statistic that one answer more or less barely moves)."""
    from scipy.cluster.hierarchy import fcluster
    from scipy.spatial.distance import squareform

    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    distance = np.clip(1.0 - unit @ unit.T, 0.0, 2.0).astype(np.float64)
    np.fill_diagonal(distance, 0.0)
    tree = _average_tree(distance)
    threshold = float(np.quantile(squareform(distance, checks=False), quantile))
    labels = fcluster(tree, threshold, criterion="distance") - 1
    return _small_to_outliers(labels, params.min_topic_size)


def _diffusion_space(vectors, params, dims: int, t: float):
    """The neighbour graph and its diffusion coordinates: the leading non-trivial eigenvectors
    of the normalized adjacency, each scaled by its eigenvalue to the power ``t`` (directions
    near the cut-off weigh little, so one of them more or less barely moves a distance), and
    the eigenvalues. Dense solver (a page, SIB-200's 701 sentences)."""
    from themescope.topics.graph import neighbour_graph
    from themescope.topics.reduce import exact_knn

    graph = neighbour_graph(exact_knn(vectors, params.n_neighbors), params.n_neighbors)
    degrees = np.maximum(np.asarray(graph.sum(axis=1)).ravel(), 1e-12)
    scale = 1.0 / np.sqrt(degrees)
    values, vectors_ = np.linalg.eigh(graph.toarray() * scale[:, None] * scale[None, :])
    chosen = np.argsort(-values, kind="stable")[1 : dims + 1]
    weights = np.clip(values[chosen], 0.0, None) ** t
    coordinates = vectors_[:, chosen] * scale[:, None] * weights
    largest = np.argmax(np.abs(coordinates), axis=0)  # sign fixed as spectral.py fixes it
    coordinates *= np.where(coordinates[largest, np.arange(len(chosen))] < 0, -1.0, 1.0)
    return graph, coordinates, np.sort(values)[::-1][1:]


EIGEN_FLOOR = 0.3


def diffusion(vectors, texts, params, dims: int = 20, t: float = 2.0, count: str = "sqrt") -> np.ndarray:
    """Ward along the graph on diffusion coordinates (t = 2); the count 1.3 √n (``sqrt``) or
    the number of the graph's eigenvalues above :data:`EIGEN_FLOOR` (``eigen``), both smooth
    in the data, unlike HDBSCAN's group count."""
    from themescope.topics.cluster import _ward

    graph, coordinates, values = _diffusion_space(vectors, params, dims, t)
    k = int(np.sum(values > EIGEN_FLOOR)) if count == "eigen" else round(1.3 * math.sqrt(len(vectors)))
    k = max(2, min(k, len(vectors) // max(params.min_topic_size, 1)))
    return _small_to_outliers(_ward(coordinates, graph, k), params.min_topic_size)


def diffusion_eigen(vectors, texts, params) -> np.ndarray:
    return diffusion(vectors, texts, params, count="eigen")


VARIANTS = {
    "diffusion": diffusion,
    "diffusion-eigen": diffusion_eigen,
    "baseline": baseline,
    "spread-start": spread_start,
    "hashinit": hashinit,
    "hashinit-0": hashinit_lloyd(0),
    "hashinit-3": hashinit_lloyd(3),
    "consensus": consensus,
    "consensus-cut": consensus_cut,
    "consensus-median": consensus_median,
    "consensus-median-60": lambda vectors, texts, params: consensus_median(vectors, texts, params, 60),
    "consensus-fixed": consensus_fixed,
    "consensus-log": consensus_log,
    "kmeans-hash": kmeans_hash,
    "kmeans-consensus": kmeans_consensus,
    "hash-groups-ward": hash_groups_ward,
    "consensus-diffusion": consensus_diffusion,
    "persist": persist,
    "local": local,
}
