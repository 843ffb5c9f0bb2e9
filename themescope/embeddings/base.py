"""The Embedder protocol every model backend implements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

ProgressCallback = Callable[[int], None]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dim: int
    fingerprint: str  # changes whenever the vectors could change (model file, version, prefix)

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray: ...


def normalize(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def length_sorted_batches(texts: Sequence[str], batch_size: int) -> list[list[int]]:
    """Batches of indices of similar length, so short texts are not padded to long ones."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def encode_in_batches(
    texts: Sequence[str],
    dim: int,
    batch_size: int,
    encode_batch: Callable[[list[str]], np.ndarray],
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Run ``encode_batch`` over length-sorted batches; rows come back in the input order."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for batch in length_sorted_batches(texts, batch_size):
        out[batch] = encode_batch([texts[i] for i in batch])
        if progress:
            progress(len(batch))
    return normalize(out)
