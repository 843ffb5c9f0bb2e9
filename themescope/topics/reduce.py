"""One neighbour graph, two uses: its spectral coordinates, where topics are clustered
(``spectral``), and UMAP's 2-D layout of it, the report's map.

The graph is built once (``graph.neighbour_graph``, numpy) and handed to UMAP's layout step
alone, started from the clustering space: UMAP neither rebuilds the graph nor solves its own
spectral start.

Above :data:`GROUPED_ABOVE` paragraphs, topics are clustered among groups of near
neighbours instead (``groups``): the groups' mean directions are the clustering space, and
the map is UMAP's layout of the groups' graph with each paragraph placed among its groups.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from themescope.topics.graph import neighbour_graph
from themescope.topics.groups import GROUPED_ABOVE, group_count, group_paragraphs, place_paragraphs
from themescope.topics.params import TopicParams
from themescope.topics.spectral import graph_parts, part_axes, spectral_coordinates

# Below this many documents UMAP's spectral layout and HDBSCAN have nothing to work with.
MIN_DOCUMENTS_FOR_CLUSTERING = 5
# Exact neighbours up to this size: one matrix product per block of rows beats compiling and
# running UMAP's NN-descent (pynndescent) up to here (SIB-200, 10,000 sentences: 0.8 s
# against 22 s; 30,000: 11 s); above it, NN-descent's near-linear cost wins.
EXACT_KNN_LIMIT = 30_000
# Elements of one block of the similarity matrix (32 MB of float32).
_KNN_BLOCK = 8_000_000
# UMAP lays out in 500 epochs up to 10,000 points, 200 above; the map settles in 200 well
# before that (SIB-200, 10,000 sentences: trustworthiness 0.886 at 200, 0.882 at 500; 3.9 s
# against 10.5 s).
_FEW_POINTS, _EPOCHS_FEW, _EPOCHS_MANY = 2000, 500, 200


@dataclass
class Reduction:
    # The space topics are clustered in: [n, n_components + parts' axes], or with ``groups``
    # one row per group (its mean direction).
    reduced: np.ndarray
    layout: np.ndarray  # [n, 2], the map
    graph: sp.csr_matrix | None = None  # over the rows of ``reduced`` (None: too few, or groups)
    groups: np.ndarray | None = None  # [n] each paragraph's row of ``reduced``, when grouped

    def per_document(self) -> np.ndarray:
        """One row per paragraph, for BERTopic, which only hands them to the fitted clusters:
        with groups, each paragraph's group number (the groups' directions repeated per
        paragraph would be 300 MB at 143,705 paragraphs)."""
        return self.reduced if self.groups is None else self.groups[:, None].astype(np.float32)

    def save(self, folder: Path) -> None:
        arrays = {"reduced": self.reduced, "layout": self.layout}
        if self.groups is not None:
            arrays["groups"] = self.groups
        np.savez(folder / "reduction.npz", **arrays)
        if self.graph is not None:
            sp.save_npz(folder / "graph.npz", self.graph)

    @classmethod
    def load(cls, folder: Path) -> Reduction:
        with np.load(folder / "reduction.npz", allow_pickle=False) as data:
            reduced, layout = data["reduced"], data["layout"]
            groups = data["groups"] if "groups" in data.files else None
        graph_file = folder / "graph.npz"
        graph = sp.load_npz(graph_file).tocsr() if graph_file.exists() else None
        return cls(reduced=reduced, layout=layout, graph=graph, groups=groups)


def reduce_embeddings(
    embeddings: np.ndarray, params: TopicParams, draw: bool = True, keys: np.ndarray | None = None
) -> Reduction:
    """The neighbour graph, its spectral coordinates and the map, each distinct vector placed once.
    ``draw=False``: no map (its layout left at 0), for a fit whose topics alone are wanted
    (``persistence``). ``keys``: each row's ``content_keys``, which a grouped corpus's k-means
    starts from (``groups.group_paragraphs``).

    Copies of one paragraph (an answer pasted twice, a slogan repeated) are one point of the
    graph and share its place: the graph comes apart on exact duplicates, and 30 copies of
    one sentence ended up in 4 topics.
    """
    if len(embeddings) > GROUPED_ABOVE:
        # Every row, copies included (a copy joins its original's group by itself), and the
        # switch counted on every row, as resolve_params counts: which path runs and which rows
        # k-means starts from must not hang on which rows happen to be copies, since vectors
        # rounded differently on another machine can turn copies into near-copies.
        return grouped_reduction(embeddings, params, draw=draw, keys=keys)
    keep, copies = distinct_rows(embeddings)
    if len(keep) < len(embeddings):
        inner = replace(params, n_neighbors=max(2, min(params.n_neighbors, len(keep) - 1)))
        placed = reduce_embeddings(embeddings[keep], inner, draw)
        graph = None if placed.graph is None else copies_graph(placed.graph, copies)
        return Reduction(placed.reduced[copies], placed.layout[copies], graph)
    if len(embeddings) < MIN_DOCUMENTS_FOR_CLUSTERING:
        return Reduction(reduced=np.zeros((len(embeddings), 0), np.float32), layout=pca_2d(embeddings))
    if len(embeddings) < EXACT_KNN_LIMIT:
        knn = exact_knn(embeddings, params.n_neighbors)
    else:
        knn = approximate_knn(embeddings, params)
    graph = neighbour_graph(knn, params.n_neighbors)
    part_of = graph_parts(graph)
    within = spectral_coordinates(graph, params.n_components, part_of=part_of)
    reduced = np.hstack([within, part_axes(embeddings, part_of)])
    if not draw:
        return Reduction(reduced, np.zeros((len(embeddings), 2), np.float32), graph)
    layout = map_layout(graph, pca_2d(reduced), params.seed)
    return Reduction(reduced, layout, graph)


def grouped_reduction(
    embeddings: np.ndarray,
    params: TopicParams,
    count: int | None = None,
    draw: bool = True,
    keys: np.ndarray | None = None,
) -> Reduction:
    """Groups of neighbours (``groups.group_paragraphs``, ``count`` of them or as many as the
    corpus size calls for) as the clustering space; the map: UMAP's layout of the groups'
    neighbour graph, each paragraph placed among its nearest groups."""
    groups = group_paragraphs(embeddings, count or group_count(len(embeddings)), keys)
    if not draw:
        layout = np.zeros((len(embeddings), 2), np.float32)
        return Reduction(reduced=groups.directions, layout=layout, graph=None, groups=groups.of)
    inner = replace(params, n_neighbors=max(2, min(params.n_neighbors, len(groups.sizes) - 1)))
    drawn = reduce_embeddings(groups.directions, inner)
    layout = place_paragraphs(groups, drawn.layout)
    return Reduction(reduced=groups.directions, layout=layout, graph=None, groups=groups.of)


def map_layout(graph: sp.csr_matrix, start: np.ndarray, seed: int) -> np.ndarray:
    """UMAP's 2-D layout of ``graph`` (min_dist 0.1, its other defaults), started from
    ``start``: the layout step alone, so the graph topics were clustered on is the one drawn."""
    from sklearn.utils import check_random_state
    from umap.umap_ import find_ab_params, simplicial_set_embedding

    a, b = find_ab_params(1.0, 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layout, _ = simplicial_set_embedding(
            data=start,
            graph=graph.copy(),  # pruned in place
            n_components=2,
            initial_alpha=1.0,
            a=a,
            b=b,
            gamma=1.0,
            negative_sample_rate=5,
            n_epochs=_EPOCHS_FEW if graph.shape[0] <= _FEW_POINTS else _EPOCHS_MANY,
            init=start,
            random_state=check_random_state(seed),
            metric="euclidean",
            metric_kwds={},
            densmap=False,
            densmap_kwds={},
            output_dens=False,
        )
    return np.asarray(layout, np.float32)


def copies_graph(graph: sp.csr_matrix, copies: np.ndarray) -> sp.csr_matrix:
    """The graph over every row, from the graph over distinct rows: a copy has its original's
    edges, and copies of one paragraph are linked to each other."""
    n, distinct = len(copies), graph.shape[0]
    rows = sp.csr_matrix((np.ones(n), (np.arange(n), copies)), (n, distinct))
    linked = rows @ (graph + sp.identity(distinct, format="csr")) @ rows.T
    linked.setdiag(0)
    linked.eliminate_zeros()
    return sp.csr_matrix(linked)


def distinct_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct vector, in input order, and for every row the position
    of its vector among them."""
    if len(vectors) == 0:
        return np.arange(0), np.arange(0)
    # Each row's bytes as one value: np.unique(axis=0) sorts rows column by column, 5x slower.
    rows = np.ascontiguousarray(vectors)
    as_bytes = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(as_bytes, return_index=True, return_inverse=True)
    keep = np.sort(first)
    position = np.empty(len(first), dtype=int)
    position[np.argsort(first)] = np.arange(len(first))
    return keep, position[np.asarray(inverse).ravel()]


def exact_knn(vectors: np.ndarray, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine neighbours (indices, distances), each point first in its own list, as
    UMAP's graph expects; a block of rows at a time, so memory stays bounded.

    Not scikit-learn's NearestNeighbors(metric="cosine"): its brute force took 4.3 s on
    10,000 SIB-200 sentences against 0.8 s for one float32 matrix product per block."""
    unit = np.asarray(vectors, dtype=np.float32)
    unit = unit / np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    n, k = len(unit), min(n_neighbors, len(unit))
    indices, distances = np.empty((n, k), np.int64), np.empty((n, k), np.float32)
    step = max(1, _KNN_BLOCK // max(n, 1))
    for start in range(0, n, step):
        rows = np.arange(start, min(start + step, n))
        similarity = unit[rows] @ unit.T
        similarity[np.arange(len(rows)), rows] = np.inf  # itself first, even beside a twin
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        scores = np.take_along_axis(similarity, nearest, axis=1)
        order = np.argsort(-scores, axis=1, kind="stable")
        indices[rows] = np.take_along_axis(nearest, order, axis=1)
        distances[rows] = 1.0 - np.take_along_axis(scores, order, axis=1)
    distances[:, 0] = 0.0
    return indices, np.clip(distances, 0.0, 2.0)


def approximate_knn(vectors: np.ndarray, params: TopicParams):
    """UMAP's own NN-descent neighbours (pynndescent), computed once for the graph and the map."""
    from sklearn.utils import check_random_state
    from umap.umap_ import nearest_neighbors

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        indices, distances, _ = nearest_neighbors(
            vectors,
            params.n_neighbors,
            "cosine",
            {},
            False,
            check_random_state(params.seed),
            low_memory=True,
        )
    return indices, distances


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """The two main axes of ``vectors``, each signed so that its largest coordinate is
    positive (an SVD may return either sign: the map would be mirrored on another machine)."""
    if len(vectors) < 2:
        return np.zeros((len(vectors), 2), dtype=np.float32)
    centered = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centered, full_matrices=False)
    coords = centered @ vt[:2].T
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), np.arange(coords.shape[1])])
    coords = coords * np.where(signs == 0, 1.0, signs)
    return np.pad(coords, ((0, 0), (0, 2 - coords.shape[1]))).astype(np.float32)


class PrecomputedReduction:
    """Hands BERTopic the reduction computed (or cached) by :func:`reduce_embeddings`.

    BERTopic accepts any object with fit/transform as its ``umap_model``; this one returns
    the stored coordinates, so the fit is the same whether they were computed now or in an
    earlier run.
    """

    def __init__(self, reduced: np.ndarray) -> None:
        self.reduced = reduced

    def fit(self, X, y=None) -> PrecomputedReduction:
        return self

    def transform(self, X) -> np.ndarray:
        if len(X) != len(self.reduced):
            raise ValueError("PrecomputedReduction only transforms the documents it was built for")
        return self.reduced
