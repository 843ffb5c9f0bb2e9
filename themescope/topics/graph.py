"""UMAP's neighbour graph (its fuzzy simplicial set), computed with numpy.

Why by hand: umap-learn's ``fuzzy_simplicial_set`` is numba code that is compiled anew in
every process, about 4 s here, for a few milliseconds of work on a page of answers, and
it is the only part of UMAP the topics need (UMAP's layout only draws the map). The
arithmetic is UMAP's (umap/umap_.py: ``smooth_knn_dist``, ``compute_membership_strengths``
and the fuzzy union), in the same dtypes and summation order, vectorized over the points
instead of looped; tests/topics/test_graph.py holds it to umap-learn's result.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# UMAP's constants (umap/umap_.py).
_SMOOTH_K_TOLERANCE = 1e-5
_MIN_K_DIST_SCALE = 1e-3
_BISECTION_STEPS = 64


def neighbour_graph(knn: tuple[np.ndarray, np.ndarray], n_neighbors: int) -> sp.csr_matrix:
    """The symmetric, weighted k-NN graph UMAP lays out, from each point's neighbours
    (``knn``: indices and distances, the point itself first, as k-NN searches return it)."""
    indices, distances = np.asarray(knn[0]), np.asarray(knn[1], dtype=np.float32)
    sigmas, rhos = _smooth_knn_dist(distances, float(n_neighbors))
    n = len(indices)
    strengths = _membership_strengths(indices, distances, sigmas, rhos)
    valid = indices >= 0  # an approximate search marks missing neighbours with -1
    directed = sp.coo_matrix(
        (strengths[valid], (np.repeat(np.arange(n), indices.shape[1])[valid.ravel()], indices[valid])),
        shape=(n, n),
    ).tocsr()
    directed.eliminate_zeros()
    transpose = directed.transpose().tocsr()
    union = directed + transpose - directed.multiply(transpose)  # fuzzy union, set_op_mix_ratio 1
    union = sp.csr_matrix(union, dtype=np.float64)
    union.eliminate_zeros()
    return union


def _smooth_knn_dist(distances: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """Per point: rho, the distance to its nearest other neighbour, and sigma, the scale at
    which its neighbours' memberships sum to log2(k) (bisection; local_connectivity 1)."""
    n = len(distances)
    target = np.log2(k)
    positive = np.where(distances > 0.0, distances, np.inf)
    nearest = positive.min(axis=1)
    rho = np.where(np.isfinite(nearest), nearest, 0.0).astype(np.float32)
    lo, hi, mid = np.zeros(n), np.full(n, np.inf), np.ones(n)
    searching = np.ones(n, dtype=bool)
    others = distances[:, 1:]
    for _ in range(_BISECTION_STEPS):
        if not searching.any():
            break
        rows = np.flatnonzero(searching)
        gaps = others[rows] - rho[rows, None]
        # Summed column by column, in UMAP's order, so the result does not hang on how a
        # vectorized sum happens to group the terms.
        psum = np.zeros(len(rows))
        for column in range(gaps.shape[1]):
            gap = gaps[:, column]
            psum += np.where(gap > 0, np.exp(-(gap / mid[rows])), 1.0)
        done = np.abs(psum - target) < _SMOOTH_K_TOLERANCE
        above = ~done & (psum > target)
        below = ~done & ~above
        hi[rows[above]] = mid[rows[above]]
        mid[rows[above]] = (lo[rows[above]] + hi[rows[above]]) / 2.0
        lo[rows[below]] = mid[rows[below]]
        unbounded = rows[below][np.isinf(hi[rows[below]])]
        bounded = rows[below][np.isfinite(hi[rows[below]])]
        mid[unbounded] *= 2
        mid[bounded] = (lo[bounded] + hi[bounded]) / 2.0
        searching[rows[done]] = False
    sigma = mid.astype(np.float32)
    floor = _MIN_K_DIST_SCALE * np.where(rho > 0.0, distances.mean(axis=1), distances.mean())
    sigma = np.where(sigma < floor, floor, sigma).astype(np.float32)
    return sigma, rho


def _membership_strengths(
    indices: np.ndarray, distances: np.ndarray, sigmas: np.ndarray, rhos: np.ndarray
) -> np.ndarray:
    """exp(-(d - rho) / sigma) per neighbour, 1 for the nearest, 0 for the point itself."""
    gaps = distances - rhos[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        strengths = np.exp(-(gaps / sigmas[:, None])).astype(np.float32)
    strengths = np.where((gaps <= 0.0) | (sigmas[:, None] == 0.0), np.float32(1.0), strengths)
    itself = indices == np.arange(len(indices))[:, None]
    return np.where(itself, np.float32(0.0), strengths).astype(np.float32)
