"""A large corpus is clustered among groups of neighbours: every paragraph in one group, the
same topics whatever the seed and under another CPU's rounding, copies together."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from themescope.config import TopicsConfig
from themescope.topics.cluster import MAX_AUTO_TOPICS, cluster_reduced
from themescope.topics.content_keys import content_keys
from themescope.topics.groups import GROUPED_ABOVE, group_paragraphs, grouped_topic_count, place_paragraphs
from themescope.topics.params import resolve_params
from themescope.topics.reduce import Reduction, reduce_embeddings
from themescope.topics.stability import perturb_vectors

THEMES = 30


@pytest.fixture(scope="module")
def corpus():
    """Just above the size that switches to groups: 30 loose themes on the unit sphere."""
    rng = np.random.default_rng(11)
    n = GROUPED_ABOVE + 400
    truth = np.arange(n) % THEMES
    centres = rng.standard_normal((THEMES, 64))
    points = centres[truth] + 0.35 * rng.standard_normal((n, 64))
    # Some paragraphs twice, next to each other (the fit's text order puts copies together):
    # noise turns copies into near-copies, which must not move which rows k-means starts from.
    twice = np.sort(rng.choice(n, 600, replace=False))
    order = np.sort(np.concatenate([np.arange(n), twice]), kind="stable")
    points, truth = points[order], truth[order]
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32), truth


@pytest.fixture(scope="module")
def keys(corpus):
    """Each row's content key, as the fit gives them: copies share their original's text."""
    vectors, _ = corpus
    first = {}
    texts = [f"paragraph {first.setdefault(row.tobytes(), len(first))}" for row in vectors]
    return content_keys(texts)


@pytest.fixture(scope="module")
def fitted(corpus, keys):
    vectors, _ = corpus
    params = resolve_params(len(vectors), TopicsConfig())
    reduction = reduce_embeddings(vectors, params, keys=keys)
    return params, reduction, cluster_reduced(reduction, params, keys)


def test_a_large_corpus_is_clustered_by_groups_and_finds_its_themes(corpus, fitted):
    vectors, truth = corpus
    _, reduction, clusters = fitted
    assert reduction.groups is not None and reduction.graph is None
    assert reduction.groups.shape == (len(vectors),) and reduction.layout.shape == (len(vectors), 2)
    assert np.isfinite(reduction.layout).all()
    assert reduction.per_document().shape[0] == len(vectors)
    topics = set(clusters.labels.tolist()) - {-1}
    assert 1 < len(topics) <= grouped_topic_count(len(vectors), len(reduction.reduced), MAX_AUTO_TOPICS)
    assert np.mean(clusters.labels == -1) <= 0.10
    # Topics are finer than the 30 themes (1.5 √n of them); each lies within one theme.
    placed = clusters.labels >= 0
    homogeneity = _homogeneity(truth[placed], clusters.labels[placed])
    assert homogeneity >= 0.95
    assert ((clusters.probabilities >= 0) & (clusters.probabilities <= 1)).all()


def test_the_topics_hold_under_rounding_and_for_any_seed(corpus, keys, fitted, perturbation):
    from dataclasses import replace

    vectors, _ = corpus
    params, reduction, clusters = fitted
    noisy = perturb_vectors(vectors, seed=3, relative=perturbation) if perturbation else vectors
    other_seed = replace(params, seed=params.seed + 7)
    moved = reduce_embeddings(noisy, other_seed, keys=keys)
    assert adjusted_rand_score(reduction.groups, moved.groups) >= 0.98
    again = cluster_reduced(moved, other_seed, keys)
    assert adjusted_rand_score(clusters.labels, again.labels) >= 0.98


def test_copies_share_their_original_group_and_topic(corpus, keys):
    vectors, _ = corpus
    doubled = np.vstack([vectors, vectors[:500]])
    params = resolve_params(len(doubled), TopicsConfig())
    reduction = reduce_embeddings(doubled, params, keys=np.concatenate([keys, keys[:500]]))
    np.testing.assert_array_equal(reduction.groups[len(vectors) :], reduction.groups[:500])
    labels = cluster_reduced(reduction, params, np.concatenate([keys, keys[:500]])).labels
    np.testing.assert_array_equal(labels[len(vectors) :], labels[:500])


def test_the_reduction_round_trips_through_its_files(tmp_path, fitted):
    _, reduction, _ = fitted
    reduction.save(tmp_path)
    loaded = Reduction.load(tmp_path)
    np.testing.assert_array_equal(loaded.groups, reduction.groups)
    np.testing.assert_array_equal(loaded.reduced, reduction.reduced)
    assert loaded.graph is None


def test_a_number_of_topics_asked_for_is_kept(corpus, keys):
    vectors, _ = corpus
    params = resolve_params(len(vectors), TopicsConfig(nr_topics=12, min_topic_size=5))
    labels = cluster_reduced(reduce_embeddings(vectors, params, keys=keys), params, keys).labels
    assert len(set(labels.tolist()) - {-1}) == 12


def test_groups_are_non_empty_and_paragraphs_drawn_beside_their_own_group(corpus):
    vectors, _ = corpus
    groups = group_paragraphs(vectors[:2000], 40)
    assert (groups.sizes > 0).all() and groups.sizes.sum() == 2000
    np.testing.assert_allclose(np.linalg.norm(groups.directions, axis=1), 1.0, rtol=1e-5)
    # Groups placed on a circle, in no order of meaning: most paragraphs land nearest their own
    # group's place (one between two groups lands between their places; by chance: 1 in 40).
    angles = 2 * np.pi * np.arange(len(groups.sizes)) / len(groups.sizes)
    places = (10 * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)
    drawn = place_paragraphs(groups, places)
    nearest = np.argmin(((drawn[:, None, :] - places[None, :, :]) ** 2).sum(axis=2), axis=1)
    assert np.mean(nearest == groups.of) >= 0.7


def _homogeneity(truth: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import homogeneity_score

    return float(homogeneity_score(truth, labels))


@pytest.mark.slow  # four fits of 9,000 rows
def test_the_topics_hold_when_a_tenth_of_the_corpus_is_left_out(corpus, keys, fitted, perturbation):
    # As when an answer is dropped: k-means starts from the smallest content keys, so the
    # rest of the corpus keeps most of its starting rows (spread evenly in text order, as
    # before, these subsets agreed at 0.84-0.85).
    vectors, _ = corpus
    _, _, clusters = fitted
    noisy = perturb_vectors(vectors, seed=5, relative=perturbation) if perturbation else vectors
    for block in range(3):
        kept = np.ones(len(vectors), dtype=bool)
        kept[block * 900 : (block + 1) * 900] = False
        params = resolve_params(int(kept.sum()), TopicsConfig(seed=block))
        labels = cluster_reduced(
            reduce_embeddings(noisy[kept], params, keys=keys[kept]), params, keys[kept]
        ).labels
        assert adjusted_rand_score(clusters.labels[kept], labels) >= 0.9, block
