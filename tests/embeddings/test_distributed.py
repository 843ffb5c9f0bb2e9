"""embeddings.engine = "dask": the same vectors as a local run, from a 2-worker LocalCluster."""

import numpy as np
import pytest

from themescope.config import EmbeddingsConfig
from themescope.embeddings import load_embedder
from themescope.embeddings.cache import embed_with_cache
from themescope.embeddings.distributed import PARTITION, dask_encoder
from themescope.errors import ConfigError

# Starts a Dask cluster of worker processes.
pytestmark = pytest.mark.slow

TEXTS = [
    "美國急於同俄羅斯恢復關係嗎?",
    "The summit in Helsinki changed little between the two countries.",
    "Санкции против России продлили ещё на полгода.",
    "米国はアジア太平洋地域に戦略の重心を移した。",
    "北約盟友的軍費開支一直是特朗普的不滿。",
] * 3


def test_dask_cluster_gives_the_same_vectors_as_local(tmp_path):
    from dask.distributed import Client, LocalCluster

    settings = EmbeddingsConfig(model="builtin-use", engine="dask")
    # Two partitions, the second one short.
    texts = [f"{TEXTS[i % len(TEXTS)]} ({i})" for i in range(PARTITION + 7)]
    local = load_embedder("builtin-use").encode(texts)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        settings.scheduler = cluster.scheduler_address
        seen = []
        remote = dask_encoder(settings)(texts, seen.append)
        with Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
    assert seen == [PARTITION, 7]
    np.testing.assert_allclose(remote, local, atol=1e-6)
    # Through the cache: a second, local run finds every vector the cluster computed.
    embedder = load_embedder("builtin-use")
    _, stats = embed_with_cache(texts[:20], embedder, tmp_path, encode=lambda t, p=None: local[:20])
    _, stats = embed_with_cache(texts[:20], embedder, tmp_path)
    assert stats.hits == 20 and stats.misses == 0


def test_unreachable_scheduler_is_a_config_error():
    settings = EmbeddingsConfig(model="builtin-use", engine="dask", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ConfigError, match=r"embeddings\.scheduler"):
        dask_encoder(settings)(["a text"])
