"""The perturbation the theme tests and bench/stability.py apply, and what they measure."""

import numpy as np

from themescope.topics.stability import MACHINE_NOISE, mean_pairwise_ari, perturb_vectors


def test_noise_is_the_requested_share_of_each_vector_and_reproducible():
    vectors = np.random.default_rng(0).standard_normal((200, 384)).astype(np.float32) * 3
    noisy = perturb_vectors(vectors, seed=4)
    change = np.linalg.norm(noisy.astype(np.float64) - vectors, axis=1) / np.linalg.norm(vectors, axis=1)
    assert noisy.dtype == np.float32
    assert 0.5 * MACHINE_NOISE < np.median(change) < 2 * MACHINE_NOISE
    np.testing.assert_array_equal(noisy, perturb_vectors(vectors, seed=4))
    assert not np.array_equal(noisy, perturb_vectors(vectors, seed=5))
    np.testing.assert_array_equal(perturb_vectors(vectors, seed=4, relative=0.0), vectors)


def test_agreement_is_one_for_renamed_topics_and_lower_when_paragraphs_move():
    a = np.array([0, 0, 1, 1, 2, 2, -1])
    assert mean_pairwise_ari([a, np.where(a >= 0, 2 - a, -1)]) == 1.0
    assert mean_pairwise_ari([a, np.array([0, 1, 1, 0, 2, 2, -1])]) < 0.5
