"""Persistence: content-keyed resamples, the Jaccard rule, and the figures on the sample."""

import numpy as np
import pytest

from themescope.config import TopicsConfig
from themescope.corpus import read_corpus
from themescope.embeddings import load_embedder
from themescope.pipeline import fit_topics
from themescope.topics.content_keys import content_keys
from themescope.topics.persistence import (
    _SALT,
    RESAMPLE_SHARE,
    RESAMPLES,
    fit_resamples,
    persistence,
    resample_masks,
)
from themescope.topics.stability import perturb_vectors

from ..conftest import SAMPLE

TEXTS = [f"段落 {i}: 美俄關係、制裁與北約 paragraph {i}" for i in range(2000)]


def test_resamples_keep_about_the_share_asked_and_differ_from_round_to_round():
    masks = resample_masks(content_keys(TEXTS, _SALT), RESAMPLES)
    assert masks.shape == (RESAMPLES, len(TEXTS))
    assert np.all(np.abs(masks.mean(axis=1) - RESAMPLE_SHARE) < 0.03)
    assert len({m.tobytes() for m in masks}) == RESAMPLES


def test_a_paragraph_is_kept_by_its_text_alone_whatever_else_is_in_the_corpus():
    masks = resample_masks(content_keys(TEXTS, _SALT), RESAMPLES)
    # One answer less, and the rest in another order: every other paragraph is kept as before.
    fewer = list(reversed(TEXTS[:500] + TEXTS[520:]))
    again = resample_masks(content_keys(fewer, _SALT), RESAMPLES)
    position = {t: i for i, t in enumerate(TEXTS)}
    np.testing.assert_array_equal(again, masks[:, [position[t] for t in fewer]])
    # Copies of a paragraph are in or out together.
    copies = resample_masks(content_keys([TEXTS[0]] * 3, _SALT), RESAMPLES)
    assert all(len(set(row.tolist())) == 1 for row in copies)


def test_a_topic_comes_back_when_a_resample_topic_shares_half_its_union():
    ours = np.array([0] * 6 + [1] * 6 + [-1])
    kept = np.ones((3, len(ours)), dtype=bool)
    same = np.where(ours >= 0, ours + 5, -1)  # renamed
    thirds = np.array([0, 0, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, -1])  # topic 0 cut in three, 1 whole
    kept_out = kept.copy()
    kept_out[2, :6] = False  # a resample without topic 0's paragraphs does not count for it
    figures = persistence(ours, np.vstack([same, thirds, thirds]), kept_out)
    assert figures == {0: 0.5, 1: 1.0}


@pytest.fixture(scope="module")
def sample(perturbation):
    texts = [p.text for p in read_corpus([SAMPLE]).paragraphs()]
    return texts, perturb_vectors(load_embedder().encode(texts), seed=1, relative=perturbation)


@pytest.mark.slow  # real fits of the sample
def test_persistence_of_the_sample_does_not_hang_on_the_seed_or_the_last_bits(sample):
    texts, vectors = sample
    results = [
        fit_topics(texts, v, TopicsConfig(seed=seed))
        for seed, v in [(42, vectors), (7, vectors), (42, perturb_vectors(vectors, seed=3))]
    ]
    figures = [[(t.id, t.size, t.persistence) for t in r.topics] for r in results]
    assert figures[0] == figures[1] == figures[2]
    assert all(0.0 <= t.persistence <= 1.0 for t in results[0].topics)
    # The topic of the Russia investigation (通俄門調查) is argued by several authors with
    # words of its own: it comes back in every resample.
    investigation = [t for t in results[0].topics if "調查" in [w for w, _ in t.keywords[:3]]]
    assert investigation and all(t.persistence >= 0.9 for t in investigation)
    broad = [b.persistence for b in results[0].broad_themes]
    assert broad and all(0.0 <= p <= 1.0 for p in broad)


@pytest.mark.slow  # real fits of the sample
def test_resample_fits_are_the_clustering_on_the_kept_paragraphs(sample):
    texts, vectors = sample
    resamples = fit_resamples(texts, vectors, TopicsConfig())
    assert resamples.kept.shape == resamples.topics.shape == (RESAMPLES, len(texts))
    assert np.all(resamples.topics[~resamples.kept] == -1)
    # Each resample finds several topics among the paragraphs it kept.
    for row, kept in zip(resamples.topics, resamples.kept, strict=True):
        assert len(set(row[kept].tolist()) - {-1}) >= 4
