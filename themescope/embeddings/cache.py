"""Content-addressed embedding cache: (model fingerprint, text) -> vector.

Each run that computes new vectors adds one shard file, written to a temporary name and
renamed into place, so concurrent runs never write the same file and a crash never leaves
a half-written shard under a real name. A shard that fails to load or does not add up is
ignored (its texts are simply embedded again).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback

STORE_EVERY = 8192


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt_shards: int = 0


class EmbeddingCache:
    def __init__(self, root: Path, fingerprint: str, dim: int) -> None:
        safe = hashlib.sha256(fingerprint.encode()).hexdigest()[:24]
        self.folder = Path(root) / "embeddings" / safe
        self.dim = dim
        self.stats = CacheStats()

    def lookup(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        wanted = set(keys)
        found: dict[bytes, np.ndarray] = {}
        if not self.folder.is_dir():
            return found
        for shard in sorted(self.folder.glob("shard-*.npz")):
            loaded = self._load_shard(shard)
            if loaded is None:
                self.stats.corrupt_shards += 1
                continue
            shard_keys, vectors = loaded
            for i, row in enumerate(shard_keys):
                key = row.tobytes()
                if key in wanted and key not in found:
                    found[key] = vectors[i]
            if len(found) == len(wanted):
                break
        return found

    def _load_shard(self, shard: Path) -> tuple[np.ndarray, np.ndarray] | None:
        try:
            with np.load(shard, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except Exception:  # truncated zip, bad header, missing member: all mean "recompute"
            return None
        if (
            vectors.ndim != 2
            or vectors.shape != (len(keys), self.dim)
            or keys.dtype != np.uint8
            or keys.shape[1:] != (32,)
            or not np.isfinite(vectors).all()
        ):
            return None
        return keys, vectors.astype(np.float32, copy=False)

    def store(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        if not len(keys):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(b"".join(sorted(keys))).hexdigest()[:32]
        target = self.folder / f"shard-{digest}.npz"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=_key_matrix(keys), vectors=vectors.astype(np.float32))
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _key_matrix(keys: Sequence[bytes]) -> np.ndarray:
    # A raw uint8 matrix, not numpy's "S32", which strips trailing NUL bytes from digests.
    return np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)


def embed_with_cache(
    texts: Sequence[str],
    embedder: Embedder,
    cache_root: Path | None,
    progress: ProgressCallback | None = None,
    encode=None,
) -> tuple[np.ndarray, CacheStats]:
    """Embed only the texts the cache lacks, each distinct text once.

    ``encode(texts, progress)`` replaces ``embedder.encode`` (e.g. a Dask cluster's).
    """
    dim = embedder.dim
    keys = [text_key(t) for t in texts]
    cache = EmbeddingCache(cache_root, embedder.fingerprint, dim) if cache_root else None
    found = cache.lookup(keys) if cache else {}
    missing = [i for i, k in enumerate(keys) if k not in found]
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, key in enumerate(keys):
        if key in found:
            out[i] = found[key]
    if missing:
        unique = list(dict.fromkeys(texts[i] for i in missing))
        by_text: dict[str, np.ndarray] = {}
        # One shard per chunk: an hour-long embedding that is stopped keeps what it finished.
        for start in range(0, len(unique), STORE_EVERY):
            chunk = unique[start : start + STORE_EVERY]
            vectors = encode(chunk, progress) if encode else embedder.encode(chunk, progress=progress)
            by_text.update(zip(chunk, vectors, strict=True))
            if cache:
                cache.store([text_key(t) for t in chunk], vectors)
        for i in missing:
            out[i] = by_text[texts[i]]
    stats = cache.stats if cache else CacheStats()
    stats.hits = len(texts) - len(missing)
    stats.misses = len(missing)
    return out, stats
