"""The embed stage: vectors for every paragraph, from the per-text cache or the model, then
centering (``centering.center_vectors``). Its stage-cache entry holds only which model made
the vectors; the vectors themselves stay in the per-text cache, so they are not stored twice."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from themescope.config import EmbeddingsConfig
from themescope.embeddings import embedder_for
from themescope.embeddings.base import Embedder, ProgressCallback
from themescope.embeddings.cache import EmbeddingCache, embed_with_cache, text_key
from themescope.embeddings.centering import center_vectors, should_center
from themescope.embeddings.distributed import dask_encoder
from themescope.embeddings.specialists import corpus_language
from themescope.stages import CorruptEntry


@dataclass
class Embedded:
    vectors: np.ndarray
    name: str
    fingerprint: str
    dim: int
    centered: bool  # by language
    blocks: list[int] = field(default_factory=list)  # the members' widths (``ensemble``)
    cache_hits: int = 0
    cache_misses: int = 0
    corrupt_shards: int = 0
    warnings: list[str] = field(default_factory=list)  # the embedding cache's, for the run

    def save(self, folder: Path) -> None:
        meta = {"name": self.name, "fingerprint": self.fingerprint, "dim": self.dim, "blocks": self.blocks}
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
        """Rebuild the vectors from the per-text cache; raise CorruptEntry if some were in a
        corrupt shard, LookupError if some are gone."""
        meta = json.loads((folder / "embedder.json").read_text("utf-8"))
        cache = EmbeddingCache(cache_root, meta["fingerprint"], meta["dim"])
        vectors = np.zeros((len(texts), meta["dim"]), np.float32)
        if not cache.lookup([text_key(t) for t in texts], vectors).all():
            if cache.stats.corrupt_shards:
                raise CorruptEntry(f"{cache.stats.corrupt_shards} embedding cache shard(s) did not add up")
            raise LookupError("some vectors are no longer in the embedding cache")
        blocks = meta.get("blocks") or [meta["dim"]]
        vectors, centered = _center(vectors, languages, settings, blocks)
        return cls(
            vectors,
            meta["name"],
            meta["fingerprint"],
            meta["dim"],
            centered,
            blocks,
            cache_hits=len(texts),
            corrupt_shards=cache.stats.corrupt_shards,
            warnings=cache.stats.notes,
        )


def embed_paragraphs(
    texts: Sequence[str],
    languages: Sequence[str],
    settings: EmbeddingsConfig,
    cache_root: Path,
    progress: ProgressCallback | None = None,
    embedder=None,
    before_encoding: Callable[[int], None] | None = None,
) -> Embedded:
    """``before_encoding`` hears how many texts the model is about to embed: those the
    cache lacks."""
    language = corpus_language(languages)
    embedder = embedder or embedder_for(settings, language)
    encode = None
    if settings.engine == "dask":
        encode = dask_encoder(settings, language)
    vectors, stats = embed_with_cache(
        texts, embedder, cache_root, progress, encode=encode, before_encoding=before_encoding
    )
    blocks = member_widths(embedder)
    vectors, centered = _center(vectors, languages, settings, blocks)
    return Embedded(
        vectors,
        embedder.name,
        embedder.fingerprint,
        embedder.dim,
        centered,
        blocks,
        cache_hits=stats.hits,
        cache_misses=stats.misses,
        corrupt_shards=stats.corrupt_shards,
        warnings=stats.notes,
    )


def member_widths(embedder: Embedder) -> list[int]:
    """The width of each member's block in the embedder's vectors: one block for one model."""
    return embedder.member_widths()


def _center(vectors: np.ndarray, languages: Sequence[str], settings: EmbeddingsConfig, blocks: list[int]):
    by_language = should_center(list(languages), settings.language_centering)
    return center_vectors(vectors, blocks, list(languages) if by_language else None), by_language


class _Batched(Embedder):
    """The paragraphs' model in its faster batches, for the keyword vocabulary. A word's vector
    only ranks keywords, where a 1e-7 drift from its batch changes nothing, while one text per
    pass (what paragraphs need, see BuiltinUSE.encode) made a cold English run 1.7x slower.
    Cached under its own fingerprint, so these vectors never stand in for a paragraph's."""

    def __init__(self, embedder: Embedder) -> None:
        self.dim = embedder.dim
        self.name = embedder.name
        self.fingerprint = f"{embedder.fingerprint}+batched"
        self._encode = embedder.encode_batched

    def encode(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        return self._encode(list(texts))


def word_embedder(
    settings: EmbeddingsConfig,
    cache_root: Path | None,
    loaded: list | None = None,
    language: str | None = None,
    notes: list[str] | None = None,
):
    """Embeds keywords with the paragraphs' model (``language`` as the paragraphs' model was
    loaded with), through the same cache; what the cache has to say goes to ``notes``.

    The model loads on the first call (or is ``loaded[0]``, already loaded by the caller), so
    a run whose keyword vectors come from the stage cache never loads it.
    """
    loaded = loaded if loaded is not None else []

    def embed(words: list[str]) -> np.ndarray:
        if not loaded:
            loaded.append(embedder_for(settings, language))
        vectors, stats = embed_with_cache(words, _Batched(loaded[0]), cache_root)
        if notes is not None:
            notes.extend(n for n in stats.notes if n not in notes)
        # Centered like the paragraphs, by the vocabulary's own mean (a single word is not
        # a paragraph), so a word's closeness to a topic weighs each member equally.
        return center_vectors(vectors, member_widths(loaded[0]))

    return embed
