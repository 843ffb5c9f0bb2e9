"""The embed stage: vectors for every paragraph, from the per-text cache or the model, then
language centering. Its stage-cache entry holds only which model made the vectors; the
vectors themselves stay in the per-text cache, so they are not stored twice."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from themescope.config import EmbeddingsConfig
from themescope.embeddings.base import ProgressCallback
from themescope.embeddings.cache import EmbeddingCache, embed_with_cache, text_key
from themescope.embeddings.centering import center_by_language, should_center


@dataclass
class Embedded:
    vectors: np.ndarray
    name: str
    fingerprint: str
    dim: int
    centered: bool
    cache_hits: int = 0
    cache_misses: int = 0
    corrupt_shards: int = 0

    def save(self, folder: Path) -> None:
        meta = {"name": self.name, "fingerprint": self.fingerprint, "dim": self.dim}
        (folder / "embedder.json").write_text(json.dumps(meta), "utf-8")

    @classmethod
    def load(
        cls,
        folder: Path,
        texts: Sequence[str],
        languages: Sequence[str],
        settings: EmbeddingsConfig,
        cache_root: Path,
    ) -> Embedded:
        """Rebuild the vectors from the per-text cache; raise LookupError if any is gone."""
        meta = json.loads((folder / "embedder.json").read_text("utf-8"))
        cache = EmbeddingCache(cache_root, meta["fingerprint"], meta["dim"])
        keys = [text_key(t) for t in texts]
        found = cache.lookup(keys)
        if len(found) < len(set(keys)):
            raise LookupError("some vectors are no longer in the embedding cache")
        vectors = np.stack([found[k] for k in keys]) if keys else np.zeros((0, meta["dim"]), np.float32)
        vectors, centered = _center(vectors, languages, settings)
        return cls(vectors, meta["name"], meta["fingerprint"], meta["dim"], centered, cache_hits=len(texts))


def embed_paragraphs(
    texts: Sequence[str],
    languages: Sequence[str],
    settings: EmbeddingsConfig,
    cache_root: Path,
    progress: ProgressCallback | None = None,
    embedder=None,
) -> Embedded:
    from themescope.embeddings import load_embedder

    embedder = embedder or load_embedder(settings.model, settings.device, settings.batch_size)
    encode = None
    if settings.engine == "dask":
        from themescope.embeddings.distributed import dask_encoder

        encode = dask_encoder(settings)
    vectors, stats = embed_with_cache(texts, embedder, cache_root, progress, encode=encode)
    vectors, centered = _center(vectors, languages, settings)
    return Embedded(
        vectors,
        embedder.name,
        embedder.fingerprint,
        embedder.dim,
        centered,
        cache_hits=stats.hits,
        cache_misses=stats.misses,
        corrupt_shards=stats.corrupt_shards,
    )


def _center(vectors: np.ndarray, languages: Sequence[str], settings: EmbeddingsConfig):
    centered = should_center(list(languages), settings.language_centering)
    return (center_by_language(vectors, list(languages)) if centered else vectors), centered


def word_embedder(settings: EmbeddingsConfig, cache_root: Path | None, loaded: list | None = None):
    """Embeds keywords with the paragraphs' model, through the same cache.

    The model loads on the first call (or is ``loaded[0]``, already loaded by the caller), so
    a run whose keyword vectors come from the stage cache never loads it.
    """
    loaded = loaded if loaded is not None else []

    def embed(words: list[str]) -> np.ndarray:
        if not loaded:
            from themescope.embeddings import load_embedder

            loaded.append(load_embedder(settings.model, settings.device, settings.batch_size))
        vectors, _ = embed_with_cache(words, loaded[0], cache_root)
        return vectors

    return embed
