"""What verifying the caches costs: sha256 of every stage entry and embedding shard on read.

    python bench/cache_checksum.py --cache CACHE_OF_A_SAMPLE_RUN [--n 10000]

Two measurements: every entry of a real cache (e.g. the sample's, after one run), and
entries of the size a 10,000-paragraph run stores (synthetic arrays of the real shapes:
the reduce stage's coordinates, map and 30-neighbour graph; 5,000 words' vectors; BERTopic's
c-TF-IDF over a 50,000-word vocabulary; the paragraphs' vectors from e5 + USE, 896 wide).
Per entry: the time to verify it (hash every file) against the time to load it. Result:
bench/results/cache-checksum-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from benchlib import ROOT, save_result

sys.path.insert(0, str(ROOT))
from themescope.embeddings.cache import EmbeddingCache, text_key
from themescope.stages import StageCache, verify_entry


def _prefixes(keys: np.ndarray) -> np.ndarray:
    """Every key of a shard as wanted (EmbeddingCache._read_shard): the whole shard is read."""
    return np.unique(np.ascontiguousarray(keys).view("<u8")[:, 0])


def timed(fn, rounds: int = 5) -> float:
    """Median seconds of ``fn()`` over ``rounds`` (files in the page cache, as on a re-run)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 5)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def real_cache(cache: Path) -> list[dict]:
    rows = []
    for entry in sorted((cache / "stages").glob("*/*")):
        if entry.name.startswith("."):
            continue
        state, _ = verify_entry(entry)
        rows.append(
            {
                "entry": f"stage {entry.parent.name}",
                "mib": round(folder_bytes(entry) / 2**20, 3),
                "state": state,
                "verify_s": timed(lambda e=entry: verify_entry(e)),
            }
        )
    for shard in sorted((cache / "embeddings").glob("*/shard-*.npz")):
        with np.load(shard) as data:
            keys, vectors = data["keys"], data["vectors"]
        wanted = _prefixes(keys)
        emb = EmbeddingCache(cache, "", vectors.shape[1])
        emb.folder = shard.parent
        rows.append(
            {
                "entry": f"embedding shard ({len(keys)} texts)",
                "mib": round(shard.stat().st_size / 2**20, 3),
                "load_and_verify_s": timed(lambda s=shard, e=emb, w=wanted: e._read_shard(s, w)),
                "checksum_s": timed(lambda e=emb, k=keys, v=vectors: e._checksum(k, v)),
            }
        )
    return rows


class Arrays:
    """A stage product of named arrays, saved as the real stages save theirs."""

    def __init__(self, **arrays) -> None:
        self.arrays = arrays

    def save(self, folder: Path) -> None:
        for name, value in self.arrays.items():
            if sp.issparse(value):
                sp.save_npz(folder / f"{name}.npz", value)
            else:
                np.save(folder / f"{name}.npy", value)


def load_arrays(folder: Path) -> None:
    for path in folder.iterdir():
        if path.suffix == ".npy":
            np.load(path)
        elif path.name != "complete":
            sp.load_npz(path)


def scale(n: int) -> list[dict]:
    rng = np.random.default_rng(0)
    graph = sp.random(n, n, density=30 / n, format="csr", random_state=0, dtype=np.float32)
    products = {
        "reduce": Arrays(reduced=rng.normal(size=(n, 20)), layout=rng.normal(size=(n, 2)), graph=graph),
        "words": Arrays(word_vectors=rng.normal(size=(5000, 896)).astype(np.float32)),
        "represent": Arrays(ctfidf=rng.random((30, 50_000), dtype=np.float32), probabilities=rng.random(n)),
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = StageCache(Path(tmp))
        for stage, product in products.items():
            cache.cached(stage, [n], lambda p=product: p, load_arrays)
            entry = next((Path(tmp) / "stages" / stage).iterdir())
            rows.append(
                {
                    "entry": f"stage {stage} at {n} paragraphs (synthetic)",
                    "mib": round(folder_bytes(entry) / 2**20, 2),
                    "verify_s": timed(lambda e=entry: verify_entry(e)),
                    "load_s": timed(lambda e=entry: load_arrays(e)),
                }
            )
        emb = EmbeddingCache(Path(tmp), "bench", 896)
        keys = [text_key(f"paragraph {i}") for i in range(n)]
        emb.store(keys, rng.normal(size=(n, 896)).astype(np.float32))
        shard = next(emb.folder.glob("shard-*.npz"))
        with np.load(shard) as data:
            matrix, vectors = data["keys"], data["vectors"]
        wanted = _prefixes(matrix)
        rows.append(
            {
                "entry": f"embedding shard, {n} paragraphs x 896 (synthetic)",
                "mib": round(shard.stat().st_size / 2**20, 2),
                "load_and_verify_s": timed(lambda: emb._read_shard(shard, wanted)),
                "checksum_s": timed(lambda: emb._checksum(matrix, vectors)),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    sample = real_cache(args.cache)
    large = scale(args.n)
    for row in sample + large:
        print(json.dumps(row, ensure_ascii=False))
    summary = {
        "sample_verify_all_stage_entries_s": round(sum(r.get("verify_s", 0) for r in sample), 4),
        "sample_checksum_all_shards_s": round(sum(r.get("checksum_s", 0) for r in sample), 4),
        f"scale_{args.n}_verify_s": round(
            sum(r.get("verify_s", 0) + r.get("checksum_s", 0) for r in large), 4
        ),
    }
    print(json.dumps(summary, indent=2))
    save_result(
        "cache-checksum",
        {"bench": "cost of verifying the caches", "sample": sample, "scale": large, "summary": summary},
    )


if __name__ == "__main__":
    main()
