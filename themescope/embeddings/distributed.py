"""Embedding on a Dask cluster (``embeddings.engine = "dask"``): on a large corpus embedding
is the dominant cost, and it splits into independent batches.

The texts are cut into partitions; each worker loads the model once (cached per worker
process) and returns normalised vectors; results come back in order and go into the same
embedding cache as a local run, so vectors computed on a cluster and at home are shared.
Without ``embeddings.scheduler`` a LocalCluster with one worker process per core is started.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from themescope.config import EmbeddingsConfig
from themescope.embeddings import load_embedder
from themescope.embeddings.base import ProgressCallback
from themescope.errors import ConfigError

PARTITION = 1024  # texts per task: big enough to amortise scheduling, small enough to balance


@cache
def _worker_embedder(model: str, batch_size: int, language: str | None = None):
    return load_embedder(model, "cpu", batch_size, language)


def encode_partition(
    texts: list[str], model: str, model_batch: int, language: str | None = None
) -> np.ndarray:
    """Runs on a worker. (Not ``batch_size``: Client.map takes that keyword for itself.)"""
    return _worker_embedder(model, model_batch, language).encode(texts)


def dask_encoder(
    settings: EmbeddingsConfig, language: str | None = None
) -> Callable[[Sequence[str], ProgressCallback | None], np.ndarray]:
    """An ``encode(texts, progress)`` that runs on the configured Dask cluster, with the model
    ``load_embedder`` gives for ``language``."""

    def encode(texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(
                'embeddings.engine = "dask" needs dask.distributed: pip install "themescope[dask]"'
            ) from None
        cluster = None
        try:
            if settings.scheduler:
                client = Client(settings.scheduler, timeout="10s")
            else:
                cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
                client = Client(cluster)
        except OSError as exc:
            raise ConfigError(f"embeddings.scheduler: cannot reach {settings.scheduler!r} ({exc})") from None
        try:
            parts = [list(texts[i : i + PARTITION]) for i in range(0, len(texts), PARTITION)]
            futures = client.map(
                encode_partition,
                parts,
                model=settings.model,
                model_batch=settings.batch_size,
                language=language,
                pure=False,
            )
            results = []
            for part, future in zip(parts, futures, strict=True):
                results.append(future.result())
                if progress:
                    progress(len(part))
            return np.vstack(results) if results else np.zeros((0, 0), np.float32)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    return encode
