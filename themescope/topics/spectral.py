"""The space topics are clustered in: the spectral coordinates of UMAP's neighbour graph.

Why not UMAP's 5-D layout, as BERTopic does: UMAP's stochastic gradient descent is chaotic.
Vectors that differ by 1e-7 (another CPU's rounding, another batch) or another seed gave
other themes: on the sample a third of the paragraphs changed topic (adjusted Rand 0.58
between runs perturbed by 1e-6). The neighbour graph itself barely moves under such changes,
and neither do the leading eigenvectors of its normalized adjacency, which are what UMAP
starts its layout from. Clustering those coordinates gives the same themes on every machine
and for every seed (adjusted Rand 1.00, bench/stability.py), and scored higher against
SIB-200's categories than the UMAP layout did (bench/topics_quality.py). Weighting the
directions by their eigenvalues (a diffusion map) scored the same on SIB-200 but merged the
sample's sanctions paragraphs into other topics; it is not used.

scikit-learn's ``spectral_embedding`` solves the same problem but drops the first
eigenvector of each connected component only when the graph is connected, and otherwise
returns an arbitrary basis of the degenerate eigenspace, which moves with the last bits of
the vectors. Here the graph is joined by a weak uniform link first (as PageRank's teleport
does), so the leading eigenvector is unique and everything else is continuous in the input.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp

# Weight of the uniform link that joins the graph's components, relative to each degree:
# enough to order disconnected parts deterministically, too weak to merge neighbourhoods.
TELEPORT = 1e-3
# Up to this many points the eigenvectors come from LAPACK's dense solver (exact, no
# iteration); above it from ARPACK on the sparse graph.
DENSE_EIGEN_LIMIT = 3000
MIN_POINTS_PER_DIRECTION = 5


def neighbour_graph(
    vectors: np.ndarray, knn: tuple[np.ndarray, np.ndarray], n_neighbors: int, seed: int
) -> sp.csr_matrix:
    """UMAP's fuzzy simplicial set: the symmetric, weighted k-NN graph UMAP lays out."""
    from umap.umap_ import fuzzy_simplicial_set

    indices, distances = knn
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph, _, _ = fuzzy_simplicial_set(
            vectors,
            n_neighbors,
            np.random.RandomState(seed),  # unused when the neighbours are given
            "cosine",
            knn_indices=indices,
            knn_dists=distances,
        )
    return sp.csr_matrix(graph, dtype=np.float64)


def spectral_coordinates(graph: sp.spmatrix, dims: int, dense_limit: int = DENSE_EIGEN_LIMIT) -> np.ndarray:
    """The ``dims`` leading non-trivial eigenvectors of the graph's normalized adjacency,
    each row scaled to unit length (the embedding of Ng, Jordan and Weiss's spectral
    clustering): [n, dims] float32."""
    n = graph.shape[0]
    # Few points carry few directions; the rest is noise that weighs as much as the strong
    # ones once rows are scaled to unit length.
    dims = max(1, min(dims, n // MIN_POINTS_PER_DIRECTION, n - 2))
    degrees = np.asarray(graph.sum(axis=1), dtype=np.float64).ravel()
    degrees = np.where(degrees > 0, degrees, 1e-12)
    total = degrees.sum()
    scale = 1.0 / np.sqrt(degrees * (1.0 + TELEPORT))
    if n <= dense_limit:
        joined = graph.toarray() + TELEPORT * np.outer(degrees, degrees) / total
        normalized = joined * scale[:, None] * scale[None, :]
        values, vectors = np.linalg.eigh(normalized)
    else:
        from scipy.sparse.linalg import LinearOperator, eigsh

        csr = sp.csr_matrix(graph)

        def multiply(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x).reshape(n, -1) * scale[:, None]
            y = csr @ x + TELEPORT * np.outer(degrees, degrees @ x) / total
            return (y * scale[:, None]).reshape(-1) if y.shape[1] == 1 else y * scale[:, None]

        operator = LinearOperator((n, n), matvec=multiply, matmat=multiply, dtype=np.float64)
        start = np.sqrt(degrees) / np.linalg.norm(np.sqrt(degrees))  # not random: the same every run
        values, vectors = eigsh(operator, k=dims + 1, which="LA", v0=start, tol=1e-9, maxiter=n * 10)
    order = np.argsort(-values, kind="stable")[1 : dims + 1]  # the first is the trivial one
    coordinates = vectors[:, order] * scale[:, None]
    norms = np.linalg.norm(coordinates, axis=1, keepdims=True)
    return (coordinates / np.maximum(norms, 1e-12)).astype(np.float32)
