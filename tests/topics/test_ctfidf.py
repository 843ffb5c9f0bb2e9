"""topics/ctfidf.py against BERTopic's own c-TF-IDF classes, on the sample's real tokens."""

import numpy as np
import pytest

from themescope.topics.ctfidf import class_keywords
from themescope.topics.model import _ctfidf_model, _vectorizer
from themescope.topics.tokenize import tokenize_documents

from ..conftest import SAMPLE


@pytest.fixture(scope="module")
def documents() -> list[str]:
    from themescope.corpus import read_corpus

    texts = [p.text for p in read_corpus([SAMPLE]).paragraphs()]
    return tokenize_documents(texts).analyzed()


def _bertopic(documents, assignments, n_words, seed_words):
    """What BERTopic's fit computes: its vectorizer over each topic's joined paragraphs, then
    its ClassTfidfTransformer; the top words by score."""
    classes = sorted(set(assignments.tolist()))
    joined = [
        " ".join(d for d, t in zip(documents, assignments, strict=True) if t == c) or "emptydoc"
        for c in classes
    ]
    vectorizer = _vectorizer(len(documents))
    counts = vectorizer.fit_transform(joined)
    words = vectorizer.get_feature_names_out()
    model = _ctfidf_model(seed_words)
    multiplier = None
    if seed_words:
        multiplier = np.array([model.seed_multiplier if w in seed_words else 1 for w in words])
    scores = model.fit(counts, multiplier=multiplier).transform(counts).toarray()
    out = {}
    for i, c in enumerate(classes):
        top = sorted(range(len(words)), key=lambda j: (-scores[i, j], j))[:n_words]
        out[c] = [(str(words[j]), float(scores[i, j])) for j in top if scores[i, j] > 0]
    return out


@pytest.mark.parametrize("repeat", [1, 15])  # 71 paragraphs, and 1,065 (min_df 2 from 1,000 on)
@pytest.mark.parametrize("seeded", [False, True])
def test_the_same_keywords_and_scores_as_bertopic(documents, repeat, seeded):
    rng = np.random.default_rng(repeat)
    docs = documents * repeat
    assignments = rng.integers(-1, 6, size=len(docs))
    assignments[:3] = 7  # a topic of three paragraphs
    seeds = ["制裁", "盟友", "亞太"] if seeded else None
    ours = class_keywords(docs, assignments, 30, seeds)
    theirs = _bertopic(docs, assignments, 30, seeds)
    assert ours.keys() == theirs.keys()
    for topic in ours:
        assert [w for w, _ in ours[topic]] == [w for w, _ in theirs[topic]], topic
        np.testing.assert_allclose([s for _, s in ours[topic]], [s for _, s in theirs[topic]], rtol=1e-12)


def test_a_topic_without_words_gets_none_and_the_most_frequent_word_weighs_least():
    keywords = class_keywords(["a b", "", "b c"], np.array([0, 1, 0]), 5)
    assert keywords[1] == []
    assert [w for w, _ in keywords[0]] == ["a", "c", "b"]  # ties in the vocabulary's order
    assert keywords[0][0][1] == keywords[0][1][1] > keywords[0][2][1] > 0
