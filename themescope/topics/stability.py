"""How far topics move when the vectors' last bits change: the perturbation the stability
bench and the tests apply, and the agreement they measure."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

# Another CPU's rounding, another batch order: vectors that differ by about this much.
MACHINE_NOISE = 1e-6


def perturb_vectors(vectors: np.ndarray, seed: int, relative: float = MACHINE_NOISE) -> np.ndarray:
    """``vectors`` plus Gaussian noise whose size is ``relative`` times each row's norm."""
    vectors = np.asarray(vectors)
    rng = np.random.default_rng(seed)
    scale = relative * np.linalg.norm(vectors, axis=1, keepdims=True) / np.sqrt(max(vectors.shape[1], 1))
    return (vectors + rng.standard_normal(vectors.shape) * scale).astype(vectors.dtype)


def mean_pairwise_ari(assignments: Sequence[np.ndarray]) -> float:
    """Mean adjusted Rand index over every pair of runs (outliers count as one label)."""
    from sklearn.metrics import adjusted_rand_score

    pairs = [adjusted_rand_score(a, b) for a, b in itertools.combinations(assignments, 2)]
    return float(np.mean(pairs)) if pairs else 1.0
