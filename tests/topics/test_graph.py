"""The numpy neighbour graph is UMAP's fuzzy simplicial set, on real and awkward neighbourhoods."""

import numpy as np
import pytest

from themescope.topics.graph import neighbour_graph
from themescope.topics.reduce import exact_knn


def _umap_graph(vectors: np.ndarray, knn, n_neighbors: int):
    from umap.umap_ import fuzzy_simplicial_set

    graph, _, _ = fuzzy_simplicial_set(
        vectors, n_neighbors, np.random.RandomState(0), "cosine", knn_indices=knn[0], knn_dists=knn[1]
    )
    return graph.tocsr()


@pytest.fixture(scope="module")
def vectors():
    """Three loose groups on the unit sphere, 300 points, and a few exact copies' neighbours."""
    rng = np.random.default_rng(11)
    centres = rng.standard_normal((3, 64))
    points = centres[np.repeat(np.arange(3), 100)] + 0.8 * rng.standard_normal((300, 64))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("n_neighbors", [2, 5, 15, 40])
def test_the_graph_is_umaps(vectors, n_neighbors):
    knn = exact_knn(vectors, n_neighbors)
    ours, theirs = neighbour_graph(knn, n_neighbors), _umap_graph(vectors, knn, n_neighbors)
    assert (ours != 0).sum() == (theirs != 0).sum()
    assert np.abs((ours - theirs).toarray()).max() < 1e-6


def test_ties_and_equidistant_neighbours_match_umap():
    """Points on a grid: many neighbours at exactly the same distance."""
    grid = np.array([[x, y, 1.0] for x in range(8) for y in range(8)], dtype=np.float32)
    knn = exact_knn(grid, 6)
    ours, theirs = neighbour_graph(knn, 6), _umap_graph(grid, knn, 6)
    assert np.abs((ours - theirs).toarray()).max() < 1e-6
