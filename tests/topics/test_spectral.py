"""The space topics are clustered in: deterministic, continuous in the vectors, one answer
from either eigen-solver."""

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from themescope.topics.graph import neighbour_graph
from themescope.topics.reduce import exact_knn
from themescope.topics.spectral import spectral_coordinates
from themescope.topics.stability import perturb_vectors


@pytest.fixture(scope="module")
def vectors():
    """Three loose groups on the unit sphere, 240 points: small real-valued structure."""
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((3, 48))
    points = centres[np.repeat(np.arange(3), 80)] + 0.9 * rng.standard_normal((240, 48))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def coordinates(vectors, dims=6, dense_limit=3000):
    graph = neighbour_graph(exact_knn(vectors, 15), 15)
    return spectral_coordinates(graph, dims, dense_limit=dense_limit)


def test_rows_have_unit_length_and_the_requested_width(vectors):
    x = coordinates(vectors)
    assert x.shape == (240, 6) and x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, rtol=1e-5)


def test_the_dense_and_the_sparse_solver_give_the_same_geometry(vectors):
    # Eigenvectors are defined up to sign; distances between rows are not.
    dense, sparse = coordinates(vectors), coordinates(vectors, dense_limit=10)
    np.testing.assert_allclose(pdist(dense), pdist(sparse), atol=1e-4)


def test_another_machines_rounding_moves_the_coordinates_by_as_little(vectors):
    before = pdist(coordinates(vectors))
    after = pdist(coordinates(perturb_vectors(vectors, seed=9)))
    assert np.max(np.abs(before - after)) < 1e-3


def test_a_graph_in_two_parts_still_has_one_answer(vectors):
    far = vectors.copy()
    far[120:] = -far[120:]  # two halves that share no neighbour
    first, again = pdist(coordinates(far)), pdist(coordinates(far[::-1].copy())[::-1].copy())
    np.testing.assert_allclose(first, again, atol=1e-4)


def cliques(groups: int, size: int = 6, seed: int = 2) -> np.ndarray:
    """``groups`` tight groups of near-identical vectors: a neighbour graph in many parts."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((groups, 64))
    points = centres[np.repeat(np.arange(groups), size)] + 1e-3 * rng.standard_normal((groups * size, 64))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def test_many_parts_give_the_same_coordinates_from_either_solver():
    # Parts share eigenvalue 1: solved together, ARPACK returned a wrong, arbitrary slice.
    points = cliques(20)
    graph = neighbour_graph(exact_knn(points, 5), 5)
    dense = spectral_coordinates(graph, 12)
    sparse = spectral_coordinates(graph, 12, dense_limit=0)
    np.testing.assert_allclose(dense, sparse, atol=1e-4)


@pytest.mark.slow  # hundreds of parts, fitted under noise
@pytest.mark.parametrize("groups", [40, 300])
def test_many_parts_are_topics_that_hold_under_rounding(groups):
    from sklearn.metrics import adjusted_rand_score

    from themescope.config import TopicsConfig
    from themescope.topics.cluster import cluster_reduced
    from themescope.topics.content_keys import content_keys
    from themescope.topics.params import resolve_params
    from themescope.topics.reduce import reduce_embeddings

    points = cliques(groups)
    truth = np.repeat(np.arange(groups), 6)
    params = resolve_params(len(points), TopicsConfig(min_topic_size=3, nr_topics=groups))
    runs = []
    for noise_seed in (0, 1):
        noisy = perturb_vectors(points, seed=noise_seed) if noise_seed else points
        reduction = reduce_embeddings(noisy, params)
        runs.append(
            cluster_reduced(
                reduction, params, content_keys([f"clique point {i}" for i in range(len(points))])
            ).labels
        )
    assert adjusted_rand_score(runs[0], runs[1]) >= 0.95
    assert adjusted_rand_score(truth, runs[0]) >= 0.95
