"""The base class every model backend inherits, and the batching helpers they share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

ProgressCallback = Callable[[int], None]


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors, one row per text.

    A model sets ``name``, ``dim`` and ``fingerprint`` and implements ``encode``; the other
    methods have defaults, so callers call them on any model instead of probing for them.
    """

    name: str
    dim: int
    fingerprint: str  # changes whenever the vectors could change (model file, version, prefix)

    @abstractmethod
    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        """Each text's vector must not depend on the texts beside it (see the cache tests)."""

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        """The model's faster batches, for texts whose vectors only rank (keywords), where a
        1e-7 drift from a text's batch changes nothing. By default ``encode``."""
        return self.encode(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Short search-like texts (guided themes), for models trained with a query form
        (e5's "query: " prefix). By default ``encode``."""
        return self.encode(texts)

    def member_widths(self) -> list[int]:
        """The width of each member model's block in the vectors: one block for one model."""
        return [self.dim]


def normalize(vectors: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Rows of unit length (float32), into ``out`` if given (it may be ``vectors`` itself).
    Block by block: a row's norm does not depend on the rows beside it, so the result is the
    same to the bit (for rows stored one after another, as every caller's are), without three
    temporaries the size of a million rows."""
    vectors = np.asarray(vectors, dtype=np.float32)
    out = np.empty_like(vectors) if out is None else out
    for start in range(0, len(vectors), _NORMALIZE_ROWS):
        block = vectors[start : start + _NORMALIZE_ROWS]
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        np.divide(block, np.maximum(norms, 1e-12), out=out[start : start + _NORMALIZE_ROWS])
    return out


_NORMALIZE_ROWS = 16_384


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
