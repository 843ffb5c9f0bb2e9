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
    """An independent uniform draw per (text, resample): the product's ``consensus.draws``."""
    from themescope.topics.consensus import draws

    return draws(keys, r)


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
    from themescope.topics.reduce import reduce_embeddings

    keys = content_keys(texts)
    reduction = reduce_embeddings(vectors, params, draw=False, keys=keys)
    return cluster_reduced(reduction, params, keys).labels


def _ward(reduced: np.ndarray, graph, count: int) -> np.ndarray:
    """Ward's linkage (along ``graph``, if any) into ``count`` clusters: the product's borders
    until 2026-12-08."""
    from sklearn.cluster import AgglomerativeClustering

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a graph in several parts is completed, with a warning
        ward = AgglomerativeClustering(n_clusters=count, linkage="ward", connectivity=graph)
        ward.fit(reduced)
    return np.asarray(ward.labels_, int)


def _hdbscan_count(reduced: np.ndarray, params) -> int:
    """The product's topic count until 2026-12-08: HDBSCAN's leaf groups, at least √n / 2."""
    from themescope.topics.cluster import _dense_groups

    distinct = len(np.unique(reduced, axis=0))
    if isinstance(params.nr_topics, int):
        return min(max(1, params.nr_topics), distinct)
    found = _dense_groups(reduced, params, single=False) or _dense_groups(reduced, params, single=True)
    if found == 0:
        return 0
    floor = min(round(math.sqrt(len(reduced)) / 2), len(reduced) // params.min_topic_size)
    return min(max(found, floor), distinct)


def ward_cluster(reduction, params) -> np.ndarray:
    """The product's clustering until 2026-12-08 on a reduction: Ward at HDBSCAN's count along
    the graph, or on the groups' directions at the grouped count; small clusters outliers."""
    from themescope.topics.cluster import MAX_AUTO_TOPICS
    from themescope.topics.groups import grouped_topic_count

    if reduction.groups is not None:
        of = reduction.groups
        directions = reduction.reduced
        count = grouped_topic_count(len(of), len(directions), MAX_AUTO_TOPICS)
        labels = _ward(directions, None, count)[of]
    else:
        count = _hdbscan_count(reduction.reduced, params)
        if count == 0:
            return np.full(len(reduction.reduced), -1)
        labels = _ward(reduction.reduced, reduction.graph, count)
    return _small_to_outliers(labels, params.min_topic_size)


def ward(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
    """The product's clustering until 2026-12-08 (grouped k-means from content keys, Ward)."""
    from themescope.topics.reduce import reduce_embeddings

    reduction = reduce_embeddings(vectors, params, draw=False, keys=content_keys(texts))
    return ward_cluster(reduction, params)


def spread_start(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
    """The clustering of 8400792: above 8,000 rows, k-means started from rows spread evenly
    in text order."""
    from themescope.topics.groups import GROUPED_ABOVE

    if len(vectors) > GROUPED_ABOVE:
        return ward_cluster(grouped_space(vectors), params)
    return ward_cluster(spectral_space(vectors, params), params)


def hashinit(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
    from themescope.topics.groups import GROUPED_ABOVE

    if len(vectors) > GROUPED_ABOVE:
        return ward_cluster(grouped_space(vectors, texts, init="hash"), params)
    return ward(vectors, texts, params)


def hashinit_lloyd(iterations: int):
    """hashinit with ``iterations`` Lloyd steps (0: each row joins its nearest starting row)."""

    def variant(vectors: np.ndarray, texts: list[str], params) -> np.ndarray:
        from themescope.topics.groups import GROUPED_ABOVE

        if len(vectors) > GROUPED_ABOVE:
            space = grouped_space(vectors, texts, init="hash", iterations=iterations)
            return ward_cluster(space, params)
        return ward(vectors, texts, params)

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

        space = spectral_space(vectors, params)
        return _ward(space.reduced, space.graph, max(2, min(count, len(vectors) - 1)))

    return fit


def consensus_fixed(vectors, texts, params) -> np.ndarray:
    """Today's count (HDBSCAN once, on the whole corpus); each resample cut by Ward at that
    count; average linkage on 1 - co-association cut at the same count."""

    count = _hdbscan_count(spectral_space(vectors, params).reduced, params)
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

    space = spectral_space(vectors, params)
    today = _hdbscan_count(space.reduced, params)
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
    "ward": ward,
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


# --- local linkage on neighbourhood-smoothed similarity (session of 2026-12-08) -------------


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def smoothed_similarity(vectors: np.ndarray, params, mix: float = 0.5, k: int | None = None) -> np.ndarray:
    """Cosine similarity blended with the overlap of the two rows' weighted neighbourhoods
    (cosine of their rows of the neighbour graph plus themselves): both depend only on the two
    rows and their own neighbours, so one answer more or less changes only its region."""
    from themescope.topics.graph import neighbour_graph
    from themescope.topics.reduce import exact_knn

    k = k or params.n_neighbors
    graph = neighbour_graph(exact_knn(vectors, k), k).toarray()
    np.fill_diagonal(graph, 1.0)
    rows = _unit(graph)
    overlap = rows @ rows.T
    unit = _unit(vectors)
    cosine = unit @ unit.T
    return mix * cosine + (1.0 - mix) * overlap


def _linkage_cut(similarity: np.ndarray, params, count: int | None, quantile: float | None, method="average"):
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1.0 - similarity, 0.0, None).astype(np.float64)
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2.0
    condensed = squareform(distance, checks=False)
    tree = linkage(condensed, method=method)
    if count is not None:
        labels = fcluster(tree, count, criterion="maxclust") - 1
    else:
        labels = fcluster(tree, float(np.quantile(condensed, quantile)), criterion="distance") - 1
    return _small_to_outliers(labels, params.min_topic_size)


def local_variant(
    mix: float, count_factor: float | None = None, quantile: float | None = None, method="average", k=None
):
    def fit(vectors, texts, params):
        similarity = (
            smoothed_similarity(vectors, params, mix, k) if mix < 1.0 else _unit(vectors) @ _unit(vectors).T
        )
        count = None
        if count_factor is not None:
            count = max(2, round(count_factor * math.log(len(vectors))))
        return _linkage_cut(similarity, params, count, quantile, method)

    return fit


for _mix_ in (1.0, 0.5, 0.0):
    for _q_ in (0.1, 0.15, 0.2):
        VARIANTS[f"q{_q_}-m{_mix_}"] = local_variant(_mix_, quantile=_q_)
    for _c_ in (2.4, 3.0, 4.0):
        VARIANTS[f"c{_c_}-m{_mix_}"] = local_variant(_mix_, count_factor=_c_)


def quickshift(sigma_q: float, tau_q: float, kernel_k: int | None = None):
    """Quick shift (Vedaldi & Soatto 2008) on cosine distance: each paragraph links to its
    nearest paragraph of higher kernel density within tau; each tree is a topic. Density and
    links depend only on a paragraph's own region, and sigma and tau are quantiles of all
    pairwise distances, which one answer more or less barely moves."""

    def fit(vectors, texts, params):
        from scipy.spatial.distance import squareform

        unit = _unit(vectors)
        distance = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
        np.fill_diagonal(distance, 0.0)
        condensed = squareform((distance + distance.T) / 2.0, checks=False)
        sigma = float(np.quantile(condensed, sigma_q))
        tau = float(np.quantile(condensed, tau_q))
        density = np.exp(-((distance / sigma) ** 2) / 2.0).sum(axis=1)
        n = len(vectors)
        parent = np.arange(n)
        order = np.lexsort((np.arange(n), density))
        for i in range(n):
            higher = (density > density[i]) | ((density == density[i]) & (np.arange(n) > i))
            candidates = np.flatnonzero(higher & (distance[i] < tau))
            if len(candidates):
                parent[i] = candidates[np.argmin(distance[i, candidates])]
        del order
        root = parent.copy()
        for _ in range(n):
            nxt = parent[root]
            if np.array_equal(nxt, root):
                break
            root = nxt
        return _small_to_outliers(root, params.min_topic_size)

    return fit


for _s_ in (0.02, 0.05, 0.1):
    for _t_ in (0.1, 0.2, 0.3, 0.5):
        VARIANTS[f"qs{_s_}-{_t_}"] = quickshift(_s_, _t_)
for _s_ in (0.01, 0.03, 0.1):
    for _t_ in (0.01, 0.02, 0.04, 0.06):
        VARIANTS[f"qs{_s_}-{_t_}"] = quickshift(_s_, _t_)


def voronoi_consensus(anchors_factor: float, runs: int = 200, cut: str = "half", space: str = "cosine"):
    """Co-association of ``runs`` Voronoi partitions, partition r's cells around the
    paragraphs with the smallest hash(text, r) (no Lloyd step: a paragraph's cell depends on
    the anchors near it only). One answer less removes its own anchors and nothing else."""

    def fit(vectors, texts, params):
        unit = _unit(vectors)
        if space == "spectral":
            unit = _unit(spectral_space(vectors, params).reduced)
        n = len(unit)
        m = max(2, round(anchors_factor * math.log(n)))
        keys = content_keys(texts)
        _, first = np.unique(keys, return_index=True)
        similarity = unit @ unit.T
        together = np.zeros((n, n))
        for r in range(runs):
            start = first[np.argsort(_mix(keys[first], r), kind="stable")[:m]]
            labels = similarity[:, start].argmax(axis=1)
            together += labels[:, None] == labels[None, :]
        together /= runs
        tree = _average_tree(1.0 - together)
        if cut == "half":
            from scipy.cluster.hierarchy import fcluster

            labels = fcluster(tree, 0.5, criterion="distance") - 1
        else:
            labels = _cut(tree, round(float(cut) * math.log(n)))
        return _small_to_outliers(labels, params.min_topic_size)

    return fit


for _a_ in (2.4, 4.0, 6.0):
    for _cut_ in ("half", "2.4", "3.0"):
        VARIANTS[f"vor{_a_}-{_cut_}"] = voronoi_consensus(_a_, cut=_cut_)
        VARIANTS[f"vorS{_a_}-{_cut_}"] = voronoi_consensus(_a_, cut=_cut_, space="spectral")
for _a_ in (1.5, 2.0, 2.4, 3.0):
    for _cut_ in ("2.6", "3.0", "3.5"):
        VARIANTS[f"vorS{_a_}-{_cut_}"] = voronoi_consensus(_a_, cut=_cut_, space="spectral")


# --- broad themes (hook read by robustness.py: BROAD=<mode>) --------------------------------


def _broad_today(labels, vectors, ids, texts):
    from themescope.topics.hierarchy import broad_themes

    return broad_themes(labels, vectors, ids, "auto")


def _broad_fixed(labels, vectors, ids, texts):
    from themescope.topics.hierarchy import broad_themes

    if len(ids) < 4:
        return {}
    return broad_themes(labels, vectors, ids, max(3, min(6, round(len(ids) / 4))))


def _broad_voronoi(anchors: float, cut: str):
    def fit(labels, vectors, ids, texts):
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        from themescope.topics.hierarchy import AUTO_RANGE

        k = len(ids)
        if k < 4:
            return {}
        unit = _unit(vectors - vectors.mean(axis=0))
        n = len(unit)
        m = max(2, round(anchors * math.log(n)))
        keys = content_keys(texts)
        _, first = np.unique(keys, return_index=True)
        similarity = unit @ unit.T
        onehots = []
        for r in range(200):
            start = first[np.argsort(_mix(keys[first], r), kind="stable")[:m]]
            cell = similarity[:, start].argmax(axis=1)
            onehots.append(np.eye(m)[cell])
        z = np.hstack(onehots)  # n x 200m
        member = np.vstack([(labels == t).astype(float) / max((labels == t).sum(), 1) for t in ids])  # k x n
        topic_z = member @ z  # k x 200m: share of each topic in each cell
        affinity = topic_z @ topic_z.T / 200.0
        norm = np.sqrt(np.diag(affinity))
        affinity = affinity / np.maximum(norm[:, None] * norm[None, :], 1e-12)
        distance = np.clip(1.0 - affinity, 0.0, None)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform((distance + distance.T) / 2, checks=False), "average")
        if cut == "jump":
            heights = tree[:, 2]
            low, high = AUTO_RANGE
            count = max(
                range(low, min(high, k - 1) + 1), key=lambda c: (heights[k - c] - heights[k - c - 1], -c)
            )
        else:
            count = max(3, min(6, round(float(cut) * k)))
        groups = fcluster(tree, count, criterion="maxclust") - 1
        order = list(dict.fromkeys(groups.tolist()))
        return {t: order.index(g) for t, g in zip(ids, groups.tolist(), strict=True)}

    return fit


BROAD = {
    "today": _broad_today,
    "fixed": _broad_fixed,
    "vor-jump": _broad_voronoi(0.7, "jump"),
    "vor-q": _broad_voronoi(0.7, "0.25"),
    "vor1-jump": _broad_voronoi(1.0, "jump"),
    "vor1-q": _broad_voronoi(1.0, "0.25"),
}


def voronoi_groups(share: float = 0.67, runs: int = 200):
    """The grouped path (above 8,000 rows) with a Voronoi consensus instead of Ward on the
    groups' directions: partition r's cells around the groups whose smallest member key hashes
    lowest for r; co-association weighted by nothing (groups are units); average linkage cut at
    the grouped topic count."""

    def fit(vectors, texts, params):
        from themescope.topics.cluster import MAX_AUTO_TOPICS
        from themescope.topics.groups import GROUPED_ABOVE, grouped_topic_count
        from themescope.topics.reduce import reduce_embeddings

        keys = content_keys(texts)
        if len(vectors) <= GROUPED_ABOVE:
            return voronoi_consensus(2.0, cut="3.0", space="spectral")(vectors, texts, params)
        reduction = reduce_embeddings(vectors, params, draw=False, keys=keys)
        of = reduction.groups
        directions = _unit(reduction.reduced)
        g = len(directions)
        group_key = np.full(g, np.iinfo(np.uint64).max, dtype=np.uint64)
        np.minimum.at(group_key, of, keys)
        count = grouped_topic_count(len(of), g, MAX_AUTO_TOPICS)
        m = max(2, round(share * count))
        similarity = directions @ directions.T
        together = np.zeros((g, g))
        for r in range(runs):
            start = np.argsort(_mix(group_key, r), kind="stable")[:m]
            cell = similarity[:, start].argmax(axis=1)
            together += cell[:, None] == cell[None, :]
        tree = _average_tree(1.0 - together / runs)
        of_group = _cut(tree, count)
        labels = of_group[of]
        sizes = np.bincount(labels)
        return np.where(sizes[labels] >= params.min_topic_size, labels, -1)

    return fit


VARIANTS["vorG"] = voronoi_groups()
VARIANTS["vorG1"] = voronoi_groups(1.0)
VARIANTS["vorG.4"] = voronoi_groups(0.4)
VARIANTS["vorG.25"] = voronoi_groups(0.25)


def voronoi_mix(weight: float, anchors_factor: float = 2.0, cut: float = 3.0, runs: int = 200):
    """Co-association averaged over Voronoi partitions in the spectral coordinates (share
    ``weight``) and in the centered vectors themselves (the rest)."""

    def fit(vectors, texts, params):
        from themescope.topics.consensus import cut_consensus, together

        n = len(vectors)
        keys = content_keys(texts)
        m = max(2, round(anchors_factor * math.log(n)))
        spectral = spectral_space(vectors, params).reduced
        shares = weight * together(spectral, keys, m, runs) + (1 - weight) * together(vectors, keys, m, runs)
        labels = cut_consensus(shares, max(2, round(max(cut * math.log(n), math.sqrt(n) / 2))))
        return _small_to_outliers(labels, params.min_topic_size)

    return fit


for _w_ in (0.25, 0.5, 0.75):
    VARIANTS[f"vmix{_w_}"] = voronoi_mix(_w_)


def voronoi_smoothed(steps: int, self_weight: float = 1.0, anchors_factor: float = 2.0, cut: float = 3.0):
    """Voronoi consensus on the vectors smoothed along the neighbour graph (``steps`` rounds of
    each row becoming the weighted mean of itself and its neighbours): a local denoising,
    where the spectral coordinates are global."""

    def fit(vectors, texts, params):
        from themescope.topics.consensus import cut_consensus, together
        from themescope.topics.graph import neighbour_graph
        from themescope.topics.reduce import exact_knn

        n = len(vectors)
        keys = content_keys(texts)
        graph = neighbour_graph(exact_knn(vectors, params.n_neighbors), params.n_neighbors).toarray()
        graph += self_weight * np.eye(n)
        step = graph / graph.sum(axis=1, keepdims=True)
        smoothed = _unit(vectors)
        for _ in range(steps):
            smoothed = _unit(step @ smoothed)
        m = max(2, round(anchors_factor * math.log(n)))
        labels = cut_consensus(
            together(smoothed, keys, m), max(2, round(max(cut * math.log(n), math.sqrt(n) / 2)))
        )
        return _small_to_outliers(labels, params.min_topic_size)

    return fit


for _t_ in (1, 2, 4, 8):
    VARIANTS[f"vsm{_t_}"] = voronoi_smoothed(_t_)


def _together_similarity(
    similarity: np.ndarray, keys: np.ndarray, anchors: int, runs: int = 200, rule: str = "rank"
):
    """Voronoi co-association from a full similarity matrix; ``rule`` "rank": the ``anchors``
    lowest draws; "share": every distinct key drawing below anchors / n (one paragraph less
    takes away its own anchor and brings in no other)."""
    from themescope.topics.consensus import draws

    n = len(similarity)
    distinct = np.unique(keys, return_index=True)[1]
    share = anchors / n
    together = np.zeros((n, n))
    for r in range(runs):
        d = draws(keys[distinct], r)
        if rule == "rank":
            start = distinct[np.argsort(d, kind="stable")[:anchors]]
        else:
            start = distinct[d < share]
            if len(start) == 0:
                start = distinct[[int(np.argmin(d))]]
        cell = similarity[:, start].argmax(axis=1)
        together += cell[:, None] == cell[None, :]
    return together / runs


def voronoi_overlap(
    alpha: float, rule: str = "rank", anchors_factor: float = 2.0, cut: float = 3.0, space: str = "raw"
):
    """Voronoi consensus with similarity alpha * cosine + (1 - alpha) * neighbourhood overlap
    (cosine of the rows of the neighbour graph plus the point itself): both local."""

    def fit(vectors, texts, params):
        from themescope.topics.consensus import cut_consensus

        n = len(vectors)
        keys = content_keys(texts)
        if space == "spectral":
            unit = _unit(spectral_space(vectors, params).reduced)
            similarity = unit @ unit.T
        else:
            similarity = smoothed_similarity(vectors, params, alpha)
        m = max(2, round(anchors_factor * math.log(n)))
        labels = cut_consensus(
            _together_similarity(similarity, keys, m, rule=rule),
            max(2, round(max(cut * math.log(n), math.sqrt(n) / 2))),
        )
        return _small_to_outliers(labels, params.min_topic_size)

    return fit


for _a_ in (1.0, 0.5, 0.25, 0.0):
    VARIANTS[f"vov{_a_}"] = voronoi_overlap(_a_)
    VARIANTS[f"vov{_a_}-share"] = voronoi_overlap(_a_, "share")
VARIANTS["vspec-share"] = voronoi_overlap(1.0, "share", space="spectral")


def voronoi_sqrt(anchor_scale: float, cut: float = 3.0, runs: int = 200):
    """The product's consensus with anchor_scale * √n anchors per partition."""

    def fit(vectors, texts, params):
        from themescope.topics.consensus import consensus_labels, page_topic_count

        n = len(vectors)
        reduced = spectral_space(vectors, params).reduced
        count = max(2, round(max(cut * math.log(n), math.sqrt(n) / 2)))
        del page_topic_count
        labels = consensus_labels(
            reduced, content_keys(texts), count, max(2, round(anchor_scale * math.sqrt(n)))
        )
        return _small_to_outliers(labels, params.min_topic_size)

    return fit


for _s_ in (0.8, 1.0, 1.2):
    VARIANTS[f"vsq{_s_}"] = voronoi_sqrt(_s_)


def _broad_tree(cut_rule: str = "jump", anchors_factor: float = 2.0):
    """Broad themes from the same consensus as the topics: the topics' mean co-association in
    the spectral coordinates, average linkage over topics, cut where it jumps most (3-6)."""

    def fit(labels, vectors, ids, texts):
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        from themescope.topics.consensus import together
        from themescope.topics.hierarchy import AUTO_RANGE

        k = len(ids)
        if k < 4:
            return {}
        params = _params_for(len(vectors), 42)
        reduced = spectral_space(vectors, params).reduced
        shares = together(
            reduced, content_keys(texts), max(2, round(anchors_factor * math.log(len(vectors))))
        )
        member = np.vstack([(labels == t).astype(float) / max((labels == t).sum(), 1) for t in ids])
        affinity = member @ shares @ member.T
        distance = np.clip(1.0 - affinity, 0.0, None)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform((distance + distance.T) / 2, checks=False), "average")
        heights = tree[:, 2]
        low, high = AUTO_RANGE
        if cut_rule == "jump":
            count = max(
                range(low, min(high, k - 1) + 1), key=lambda c: (heights[k - c] - heights[k - c - 1], -c)
            )
        else:
            count = max(low, min(high, round(k / 4)))
        groups = fcluster(tree, count, criterion="maxclust") - 1
        order = list(dict.fromkeys(groups.tolist()))
        return {t: order.index(g) for t, g in zip(ids, groups.tolist(), strict=True)}

    return fit


BROAD["tree"] = _broad_tree()
BROAD["tree-fixed"] = _broad_tree("fixed")
BROAD["tree-a1"] = _broad_tree(anchors_factor=1.0)


def with_components(components: int):
    """The product's clustering with ``components`` spectral coordinates per graph part."""

    def fit(vectors, texts, params):
        return baseline(vectors, texts, replace(params, n_components=min(components, len(vectors) - 2)))

    return fit


for _k_ in (3, 8, 12):
    VARIANTS[f"dims{_k_}"] = with_components(_k_)
for _k_ in (16, 24):
    VARIANTS[f"dims{_k_}"] = with_components(_k_)
