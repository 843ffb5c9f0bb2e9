"""Content-addressed embedding cache: (model fingerprint, text) -> vector.

Each run that computes new vectors adds one shard file, written to a temporary name and
renamed into place, so concurrent runs never write the same file and a crash never leaves
a half-written shard under a real name. Each shard carries a sha256 of its model folder,
keys and vectors, checked on every read: a shard that fails to load, does not add up or has
no checksum (an older themescope) is removed and its texts embedded again (and stored anew).
A cache that cannot be written (read-only, disk full) only costs the caching: the vectors
computed are used all the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from themescope.embeddings.base import Embedder, ProgressCallback
from themescope.files import open_regular

STORE_EVERY = 8192
_Rows = tuple[list[bytes], np.ndarray]  # a shard's wanted keys and their vectors
_NONE: _Rows = ([], np.zeros((0, 0), np.float32))


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    corrupt_shards: int = 0  # failed to load, did not add up or did not match their checksum
    legacy_shards: int = 0  # written without a checksum by an older themescope
    notes: list[str] = field(default_factory=list)  # for the run's warnings


class EmbeddingCache:
    def __init__(self, root: Path, fingerprint: str, dim: int) -> None:
        safe = hashlib.sha256(fingerprint.encode()).hexdigest()[:24]
        self.folder = Path(root) / "embeddings" / safe
        self.dim = dim
        self.stats = CacheStats()
        self.writable = True

    def lookup(self, keys: Sequence[bytes], out: np.ndarray) -> np.ndarray:
        """Write the cached vector of each of ``keys`` into its row of ``out``; which rows were
        found. Each shard's keys are read first (32 bytes a text): only a shard that holds some
        of them has its vectors read and its checksum verified, so a run of a thousand texts
        does not read a cache of a million vectors, and vectors are copied shard by shard into
        ``out``, never held twice."""
        found = np.zeros(len(keys), dtype=bool)
        first: dict[bytes, int] = {}  # a key's first row; a text given twice is copied at the end
        for row, key in enumerate(keys):
            first.setdefault(key, row)
        if not first or not self.folder.is_dir():
            return found
        prefixes = np.unique(_key_matrix(list(first)).view("<u8")[:, 0])
        left = len(first)
        for shard in sorted(self.folder.glob("shard-*.npz")):
            shard_keys, vectors = self._read_shard(shard, prefixes)
            taken: dict[int, int] = {}  # row of ``out`` -> row of the shard (a key once)
            for k, key in enumerate(shard_keys):
                row = first.get(key, -1)
                if row >= 0 and not found[row]:
                    taken.setdefault(row, k)
            if taken:
                targets = list(taken)
                out[targets] = vectors[list(taken.values())]
                found[targets] = True
                left -= len(targets)
            if not left:
                break
        if len(first) < len(keys):
            for row, key in enumerate(keys):
                if first[key] != row and found[first[key]]:
                    out[row], found[row] = out[first[key]], True
        if self.stats.corrupt_shards:
            count = self.stats.corrupt_shards
            self._note(f"embedding cache: {count} corrupt shard(s) ignored and removed: {self.folder}")
        return found

    def _read_shard(self, shard: Path, prefixes: np.ndarray) -> _Rows:
        """The keys of ``shard`` that start like a wanted one, with their vectors; none, and the
        shard removed, when it is not exactly what ``store`` wrote."""
        identity, rows = None, None
        try:
            with open_regular(shard) as fh:  # a FIFO named like a shard must not hang the run
                identity = os.fstat(fh.fileno()).st_ino
                with np.load(fh, allow_pickle=False) as data:
                    rows = self._verified_rows(shard, data, prefixes)
        except FileNotFoundError:  # replaced or removed by another run meanwhile
            rows = _NONE
        except MemoryError:  # the machine's trouble, not the shard's
            raise
        except Exception:  # truncated zip, bad CRC, bad header: all mean "recompute"
            self.stats.corrupt_shards += 1
        if rows is None and identity is not None:
            self._remove(shard, identity)
        return rows or _NONE

    def _verified_rows(self, shard: Path, data, prefixes: np.ndarray) -> _Rows | None:
        """None (counted) for a shard that does not add up; its vectors are read and verified
        only when its keys hold some of ``prefixes`` (the wanted keys' first 8 bytes)."""
        keys = data.get("keys")
        if keys is not None and "vectors" in data and "checksum" not in data:
            self.stats.legacy_shards += 1  # written by an older themescope
            return None
        rows = _rows_starting_with(keys, prefixes)
        if rows is not None and not len(rows):
            return _NONE
        vectors = data.get("vectors")
        if rows is not None and self._adds_up(shard, keys, vectors, data.get("checksum")):
            return [keys[i].tobytes() for i in rows], vectors[rows]
        self.stats.corrupt_shards += 1
        return None

    def _adds_up(self, shard: Path, keys, vectors, checksum) -> bool:
        if keys is None or vectors is None or checksum is None:
            return False
        if (
            keys.dtype != np.uint8
            or keys.ndim != 2
            or keys.shape[1] != 32
            or vectors.dtype != np.float32
            or vectors.shape != (len(keys), self.dim)
            or not np.isfinite(vectors).all()
            or shard.name != _shard_name([row.tobytes() for row in keys])
        ):
            return False
        expected = self._checksum(keys, vectors)
        return checksum.dtype == np.uint8 and checksum.tobytes() == expected.tobytes()

    def _checksum(self, keys: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """sha256 of the model's folder name, the keys and the vectors: a shard copied from
        another model's folder or with a single flipped bit does not match."""
        digest = hashlib.sha256(self.folder.name.encode())
        digest.update(np.ascontiguousarray(keys))  # hashed in place: no copy of the vectors
        digest.update(np.ascontiguousarray(vectors, dtype="<f4"))
        return np.frombuffer(digest.digest(), dtype=np.uint8)

    def _remove(self, shard: Path, identity: int) -> None:
        """Remove a bad shard, unless another run has just replaced it with a good one."""
        try:
            if os.stat(shard).st_ino == identity:
                os.unlink(shard)
        except OSError:
            pass

    def store(self, keys: Sequence[bytes], vectors: np.ndarray) -> bool:
        """Write one shard; whether it was written (a failed write only costs the caching)."""
        if not len(keys) or not self.writable:
            return False
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        key_matrix = _key_matrix(keys)
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".npz")
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=key_matrix, vectors=vectors, checksum=self._checksum(key_matrix, vectors))
            os.replace(tmp, self.folder / _shard_name(keys))
            return True
        except OSError as exc:
            self.writable = False
            self._note(
                f"embedding cache not written ({exc.strerror or exc}): {self.folder}; "
                "the vectors computed were used for this run but not kept"
            )
            return False
        finally:
            if tmp is not None and os.path.exists(tmp):
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _note(self, message: str) -> None:
        if message not in self.stats.notes:
            self.stats.notes.append(message)


def _shard_name(keys: Sequence[bytes]) -> str:
    return f"shard-{hashlib.sha256(b''.join(sorted(keys))).hexdigest()[:32]}.npz"


def _rows_starting_with(shard_keys: np.ndarray | None, prefixes: np.ndarray) -> np.ndarray | None:
    """The rows of a shard's key matrix whose first 8 bytes are in ``prefixes`` (sorted), or
    None when it is not a key matrix at all."""
    if shard_keys is None or shard_keys.dtype != np.uint8 or shard_keys.shape[1:] != (32,):
        return None
    if not len(prefixes):
        return np.zeros(0, np.intp)
    starts = np.ascontiguousarray(shard_keys).view("<u8")[:, 0]
    at = np.minimum(np.searchsorted(prefixes, starts), len(prefixes) - 1)  # (np.isin sorts both)
    return np.flatnonzero(prefixes[at] == starts)


def _key_matrix(keys: Sequence[bytes]) -> np.ndarray:
    # A raw uint8 matrix, not numpy's "S32", which strips trailing NUL bytes from digests.
    return np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)


def embed_with_cache(
    texts: Sequence[str],
    embedder: Embedder,
    cache_root: Path | None,
    progress: ProgressCallback | None = None,
    encode=None,
    before_encoding: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, CacheStats]:
    """Embed only the texts the cache lacks, each distinct text once.

    ``encode(texts, progress)`` replaces ``embedder.encode`` (e.g. a Dask cluster's);
    ``before_encoding`` hears how many distinct texts the model is about to embed.
    """
    dim = embedder.dim
    keys = [text_key(t) for t in texts]
    cache = EmbeddingCache(cache_root, embedder.fingerprint, dim) if cache_root else None
    out = np.zeros((len(texts), dim), dtype=np.float32)
    found = cache.lookup(keys, out) if cache else np.zeros(len(texts), dtype=bool)
    missing = np.flatnonzero(~found)
    rows_of: dict[str, list[int]] = {}  # each missing text, once, with its rows
    for i in missing:
        rows_of.setdefault(texts[i], []).append(i)
    unique = list(rows_of)
    if unique and before_encoding:
        before_encoding(len(unique))
    # One shard per chunk: an hour-long embedding that is stopped keeps what it finished.
    for start in range(0, len(unique), STORE_EVERY):
        chunk = unique[start : start + STORE_EVERY]
        vectors = encode(chunk, progress) if encode else embedder.encode(chunk, progress=progress)
        for text, vector in zip(chunk, vectors, strict=True):
            out[rows_of[text]] = vector
        if cache:
            cache.store([text_key(t) for t in chunk], vectors)
    stats = cache.stats if cache else CacheStats()
    stats.hits = len(texts) - len(missing)
    stats.misses = len(missing)
    return out, stats
