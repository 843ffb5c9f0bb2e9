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
the vectors. Here each connected part is solved on its own, joined within by a weak uniform
link (as PageRank's teleport does), so its leading eigenvector is unique; the parts are then
placed by their mean meaning (:func:`part_axes`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# Weight of the uniform link that joins the graph's components, relative to each degree:
# enough to order disconnected parts deterministically, too weak to merge neighbourhoods.
TELEPORT = 1e-3
# Up to this many points the eigenvectors come from LAPACK's dense solver (exact, no
# iteration); above it from ARPACK on the sparse graph.
DENSE_EIGEN_LIMIT = 3000
MIN_POINTS_PER_DIRECTION = 5
# Parts of the graph are placed this far apart per unit of distance between their means
# (the spectral coordinates within a part span at most 2).
PART_SEPARATION = 10.0
MAX_PART_AXES = 16


def graph_parts(graph: sp.spmatrix) -> np.ndarray:
    """The connected part each point belongs to, numbered 0, 1, ..."""
    from scipy.sparse.csgraph import connected_components

    return connected_components(graph, directed=False)[1]


def spectral_coordinates(
    graph: sp.spmatrix,
    dims: int,
    dense_limit: int = DENSE_EIGEN_LIMIT,
    part_of: np.ndarray | None = None,
) -> np.ndarray:
    """Per connected part of the graph, the ``dims`` leading non-trivial eigenvectors of its
    normalized adjacency, each row scaled to unit length (the embedding of Ng, Jordan and
    Weiss's spectral clustering): [n, dims] float32.

    Each part on its own: the parts of a graph share eigenvalue 1, and a solver returns any
    basis of that space, different with the last bits of the input (40 groups of
    near-identical sentences agreed at adjusted Rand 0.18 between perturbed runs), and
    ARPACK does not even find all of it. Where the parts lie relative to each other is
    :func:`part_axes`'s job. Directions with an eigenvalue ≤ 0 carry no group (a clique of
    near-copies has only those) and are left at 0, so such a part is not cut by noise.
    ``part_of``: :func:`graph_parts`, when the caller has it already.
    """
    n = graph.shape[0]
    coordinates = np.zeros((n, dims), np.float32)
    part_of = graph_parts(graph) if part_of is None else part_of
    parts = int(part_of.max()) + 1 if n else 0
    order = np.argsort(part_of, kind="stable")
    ends = np.cumsum(np.bincount(part_of, minlength=parts))
    permuted = sp.csr_matrix(graph)[order][:, order].tocsr()
    for end, size in zip(ends, np.diff(np.concatenate([[0], ends])), strict=True):
        rows = order[end - size : end]
        block = permuted[end - size : end, end - size : end]
        coordinates[rows] = _connected_coordinates(block, dims, dense_limit)
    return coordinates


def _connected_coordinates(graph: sp.csr_matrix, dims: int, dense_limit: int) -> np.ndarray:
    """:func:`spectral_coordinates` of one connected part, zero-padded to ``dims`` columns."""
    n = graph.shape[0]
    # Few points carry few directions; the rest is noise that weighs as much as the strong
    # ones once rows are scaled to unit length.
    used = min(dims, n // MIN_POINTS_PER_DIRECTION, n - 2)
    out = np.zeros((n, dims), np.float32)
    if used < 1:
        return out
    degrees = np.asarray(graph.sum(axis=1), dtype=np.float64).ravel()
    degrees = np.where(degrees > 0, degrees, 1e-12)
    total = degrees.sum()
    scale = 1.0 / np.sqrt(degrees * (1.0 + TELEPORT))
    if n <= dense_limit:
        joined = graph.toarray() + TELEPORT * np.outer(degrees, degrees) / total
        values, vectors = np.linalg.eigh(joined * scale[:, None] * scale[None, :])
    else:
        from scipy.sparse.linalg import LinearOperator, eigsh

        def multiply(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x).reshape(n, -1) * scale[:, None]
            y = graph @ x + TELEPORT * np.outer(degrees, degrees @ x) / total
            return (y * scale[:, None]).reshape(-1) if y.shape[1] == 1 else y * scale[:, None]

        operator = LinearOperator((n, n), matvec=multiply, matmat=multiply, dtype=np.float64)
        start = np.sqrt(degrees) / np.linalg.norm(np.sqrt(degrees))  # not random: the same every run
        values, vectors = eigsh(operator, k=used + 1, which="LA", v0=start, tol=1e-9, maxiter=n * 10)
    chosen = np.argsort(-values, kind="stable")[1 : used + 1]  # the first is the trivial one
    chosen = chosen[values[chosen] > 0]
    coordinates = vectors[:, chosen] * scale[:, None]
    # An eigenvector's sign is the solver's choice; fix it (largest entry positive), so that
    # parts, solvers and machines agree where parts are compared.
    largest = np.argmax(np.abs(coordinates), axis=0)
    coordinates *= np.where(coordinates[largest, np.arange(len(chosen))] < 0, -1.0, 1.0)
    norms = np.linalg.norm(coordinates, axis=1, keepdims=True)
    out[:, : len(chosen)] = np.where(norms > 1e-9, coordinates / np.maximum(norms, 1e-12), 0.0)
    return out


def part_axes(embeddings: np.ndarray, part_of: np.ndarray) -> np.ndarray:
    """Where each connected part of the graph lies: its mean direction in the embedding space,
    in the principal axes of the parts' means (at most :data:`MAX_PART_AXES`), times
    :data:`PART_SEPARATION`; [n, 0] for a connected graph.

    Paragraphs in different parts share no neighbour, so Ward should merge across parts only
    after everything within them (rows of the spectral coordinates have unit length), and
    then the parts closest in meaning first. Two groups of 10 near-identical sentences were
    cut 14 + 6 before the parts were kept apart. ``part_of``: :func:`graph_parts`.
    """
    parts = int(part_of.max()) + 1 if len(part_of) else 0
    if parts < 2:
        return np.zeros((len(embeddings), 0), np.float32)
    vectors = np.asarray(embeddings, np.float64)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sums = np.zeros((parts, vectors.shape[1]))
    np.add.at(sums, part_of, vectors)
    means = sums / np.bincount(part_of, minlength=parts)[:, None]
    centred = means - means.mean(axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    kept = axes[: min(MAX_PART_AXES, int(np.sum(singular > 1e-9 * max(singular.max(), 1e-12))))]
    return (PART_SEPARATION * (centred @ kept.T))[part_of].astype(np.float32)
