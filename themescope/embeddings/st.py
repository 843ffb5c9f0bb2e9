"""Any sentence-transformers model by name or local path, loaded strictly offline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback, normalize
from themescope.errors import ConfigError


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, name_or_path: str, device: str = "auto", batch_size: int = 32) -> None:
        # Never reach for the hub: a model must be a local path or already in the local cache
        # (local_files_only below; the CLI also sets HF_HUB_OFFLINE, see themescope.process).
        from sentence_transformers import SentenceTransformer

        if device == "auto":
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        from transformers.utils import logging as transformers_logging

        # transformers draws a "Loading weights" bar on stderr; our own progress is the one shown.
        transformers_logging.disable_progress_bar()
        try:
            self._model = SentenceTransformer(name_or_path, device=device, local_files_only=True)
        except Exception as exc:  # the library raises many types for "not found offline"
            raise ConfigError(
                f"embeddings.model: cannot load {name_or_path!r} offline "
                f"({type(exc).__name__}); give a local path or an installed model"
            ) from None
        self.batch_size = batch_size
        dimension = getattr(self._model, "get_embedding_dimension", None)
        self.dim = int((dimension or self._model.get_sentence_embedding_dimension)())
        self.name = f"sentence-transformers:{name_or_path}"
        path = Path(name_or_path)
        stamp = path.resolve() if path.exists() else name_or_path
        self.device = device
        # Batching changes vectors by 1e-7 (see encode): the cache keeps the two apart.
        self.fingerprint = f"st-{stamp}-{self.dim}-{'single' if device == 'cpu' else 'unpadded'}"

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        """On the CPU one text per pass: padding, and even the number of texts in a batch of
        equal length, moved a vector by 1e-7, so a run that found part of the corpus in the
        cache got other themes than a cold one. On a GPU, where batches are the point and
        kernels are not bit-stable anyway, batches of equal token counts (no padding)."""
        alone = [[i] for i in range(len(texts))]
        return self._encode(
            texts, alone if self.device == "cpu" else self._same_length_batches(texts), progress
        )

    def _same_length_batches(self, texts: Sequence[str]) -> list[list[int]]:
        """Batches of texts with the same token count: nothing is padded."""
        tokenizer = getattr(self._model, "tokenizer", None)
        if tokenizer is None or not texts:  # a model without one text tokenizer: plain batches
            size = self.batch_size
            return [list(range(i, min(i + size, len(texts)))) for i in range(0, len(texts), size)]
        limit = getattr(self._model, "max_seq_length", None) or None
        ids = tokenizer(list(texts), truncation=limit is not None, max_length=limit)["input_ids"]
        by_length: dict[int, list[int]] = {}
        for i, tokens in enumerate(ids):
            by_length.setdefault(len(tokens), []).append(i)
        return [
            group[i : i + self.batch_size]
            for _, group in sorted(by_length.items())
            for i in range(0, len(group), self.batch_size)
        ]

    def encode_batched(self, texts: Sequence[str]) -> np.ndarray:
        """Batches of equal token counts: faster, for texts whose vectors only rank (keywords)."""
        return self._encode(texts, self._same_length_batches(texts))

    def _encode(
        self, texts: Sequence[str], batches: list[list[int]], progress: ProgressCallback | None = None
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for batch in batches:
            out[batch] = self._model.encode(
                [texts[i] for i in batch], batch_size=len(batch), show_progress_bar=False
            )
            if progress:
                progress(len(batch))
        return normalize(out)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """The model's own "query" prompt where it defines one (e5, bge, ...)."""
        prompt = "query" if "query" in (getattr(self._model, "prompts", None) or {}) else None
        vectors = self._model.encode(list(texts), prompt_name=prompt, show_progress_bar=False)
        return normalize(vectors)
