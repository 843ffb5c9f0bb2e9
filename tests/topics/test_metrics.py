"""Topic metrics against hand-computed values."""

import math

import numpy as np
import pytest

from themescope.topics.metrics import npmi_coherence, silhouette, topic_diversity

DOCS = ["sanctions russia", "sanctions russia nato", "nato allies", "summit helsinki", "summit russia"]


def _npmi(a, b):
    sets = [set(d.split()) for d in DOCS]
    n = len(sets)
    p_a = sum(a in s for s in sets) / n
    p_b = sum(b in s for s in sets) / n
    p_ab = sum(a in s and b in s for s in sets) / n
    return -1.0 if p_ab == 0 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)


def test_npmi_matches_the_definition():
    topics = [["sanctions", "russia"], ["nato", "allies", "helsinki"]]
    expected = np.mean(
        [
            _npmi("sanctions", "russia"),
            _npmi("nato", "allies"),
            _npmi("nato", "helsinki"),
            _npmi("allies", "helsinki"),
        ]
    )
    assert npmi_coherence(topics, DOCS, str.split) == round(float(expected), 4)
    assert npmi_coherence([], DOCS, str.split) is None


def test_diversity_and_silhouette():
    assert topic_diversity([["a", "b"], ["b", "c"]]) == 0.75
    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    assert silhouette(np.array([0, 0, 1, 1]), vectors) > 0.8
    assert silhouette(np.array([0, 0, 0, 0]), vectors) is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_silhouette_is_scikit_learns(seed, monkeypatch):
    from sklearn.metrics import silhouette_score

    from themescope.topics import metrics

    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    assignments = rng.integers(-1, 5, size=300)
    assignments[:2] = 9  # a topic of two
    vectors[assignments == 1] += 2.0
    mask = assignments != -1
    for sample in (120, 10_000):  # sampled (as above 5,000 paragraphs), and whole
        monkeypatch.setattr(metrics, "SILHOUETTE_SAMPLE", sample)
        expected = silhouette_score(
            vectors[mask],
            assignments[mask],
            metric="cosine",
            sample_size=min(sample, mask.sum()),
            random_state=0,
        )
        assert silhouette(assignments, vectors) == round(float(expected), 4)
