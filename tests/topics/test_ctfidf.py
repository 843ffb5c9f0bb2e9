"""topics/ctfidf.py and topics/ctfidf_bertopic.py against BERTopic's own c-TF-IDF classes,
on the sample's real tokens and on a repetitive corpus."""

import numpy as np
import pytest
import scipy.sparse as sp

from themescope.topics.ctfidf import class_keywords, class_keywords_and_indistinct, indistinct_rows
from themescope.topics.model import _ctfidf_model, _vectorizer
from themescope.topics.tokenize import tokenize_documents

from ..conftest import SAMPLE


@pytest.fixture(scope="module")
def documents() -> list[str]:
    from themescope.corpus import read_corpus

    texts = [p.text for p in read_corpus([SAMPLE]).paragraphs()]
    return tokenize_documents(texts).analyzed()


def _bertopic(documents, assignments, n_words, seed_words, model=None):
    """What BERTopic's fit computes: its vectorizer over each topic's joined paragraphs, then
    its ClassTfidfTransformer with BM25's idf, or without it (the classic idf) for a topic
    with no positive BM25 score; the top words by score. ``model``: a transformer to use
    instead (the project's own, ``_ctfidf_model``)."""
    from bertopic.vectorizers import ClassTfidfTransformer

    classes = sorted(set(assignments.tolist()))
    joined = [
        " ".join(d for d, t in zip(documents, assignments, strict=True) if t == c) or "emptydoc"
        for c in classes
    ]
    vectorizer = _vectorizer(len(documents))
    counts = vectorizer.fit_transform(joined)
    words = vectorizer.get_feature_names_out()
    multiplier = None
    if seed_words:
        multiplier = np.array([2.0 if w in seed_words else 1 for w in words])

    def scores_of(transformer):
        return transformer.fit(counts, multiplier=multiplier).transform(counts.copy()).toarray()

    if model is not None:
        scores = scores_of(model)
    else:
        settings = {"reduce_frequent_words": True, "seed_words": seed_words}
        scores = scores_of(ClassTfidfTransformer(bm25_weighting=True, **settings))
        classic = scores_of(ClassTfidfTransformer(bm25_weighting=False, **settings))
        fallback = ~(scores > 0).any(axis=1)
        scores[fallback] = classic[fallback]
    out = {}
    for i, c in enumerate(classes):
        top = sorted(range(len(words)), key=lambda j: (-scores[i, j], j))[:n_words]
        out[c] = [(str(words[j]), float(scores[i, j])) for j in top if scores[i, j] > 0]
    return out


def _same(ours, theirs):
    assert ours.keys() == theirs.keys()
    for topic in ours:
        assert [w for w, _ in ours[topic]] == [w for w, _ in theirs[topic]], topic
        np.testing.assert_allclose([s for _, s in ours[topic]], [s for _, s in theirs[topic]], rtol=1e-12)


@pytest.mark.parametrize("repeat", [1, 15])  # 71 paragraphs, and 1,065 (min_df 2 from 1,000 on)
@pytest.mark.parametrize("seeded", [False, True])
def test_the_same_keywords_and_scores_as_bertopic(documents, repeat, seeded):
    rng = np.random.default_rng(repeat)
    docs = documents * repeat
    assignments = rng.integers(-1, 6, size=len(docs))
    assignments[:3] = 7  # a topic of three paragraphs
    seeds = ["制裁", "盟友", "亞太"] if seeded else None
    theirs = _bertopic(docs, assignments, 30, seeds)
    _same(class_keywords(docs, assignments, 30, seeds), theirs)
    _same(_bertopic(docs, assignments, 30, seeds, model=_ctfidf_model(seeds)), theirs)


def test_a_topic_without_words_gets_none_and_the_most_frequent_word_weighs_least():
    keywords = class_keywords(["a b", "", "b c"], np.array([0, 1, 0]), 5)
    assert keywords[1] == []
    assert [w for w, _ in keywords[0]] == ["a", "c", "b"]  # ties in the vocabulary's order
    assert keywords[0][0][1] == keywords[0][1][1] > keywords[0][2][1] > 0


def test_on_ordinary_topics_the_project_transformer_is_bertopic_bm25_to_the_bit(documents):
    """The sample cut into 20 topics: BM25's idf is negative for its two most frequent words
    (美國, 俄羅斯), yet every topic has a word of positive score, and the project's transformer
    gives BERTopic's BM25 matrix unchanged."""
    from bertopic.vectorizers import ClassTfidfTransformer

    assignments = np.random.default_rng(0).integers(-1, 20, size=len(documents))
    pairs = list(zip(documents, assignments, strict=True))
    joined = [" ".join(d for d, t in pairs if t == c) for c in range(-1, 20)]
    counts = _vectorizer(len(documents)).fit_transform(joined)
    plain = ClassTfidfTransformer(bm25_weighting=True, reduce_frequent_words=True).fit(counts)
    ours = _ctfidf_model().fit(counts)
    expected = plain.transform(counts.copy())
    assert (expected.toarray() < 0).any()  # words counted more often than a topic's average
    got = ours.transform(counts.copy())
    assert (got != expected).nnz == 0 and not ours.indistinct_.any()


# Three sentences repeated, each cut into several topics, as clustering does to copies: every
# word is counted more often than a topic holds tokens on average, so BM25's idf is negative
# for all of them. Topic 9 also holds a rare word.
_REPEATED = ["sanctions hurt pipeline", "troops guard election", "alliance talks trade"]


def _repetitive():
    documents = [_REPEATED[i % 3] for i in range(60)] + ["troops guard election visit"]
    assignments = np.array([i % 9 for i in range(60)] + [9])
    return documents, assignments


@pytest.mark.parametrize("seeded", [False, True])
def test_topics_bm25_leaves_without_a_word_take_the_classic_idf(seeded):
    documents, assignments = _repetitive()
    seeds = ["pipeline"] if seeded else None
    ours = class_keywords(documents, assignments, 10, seeds)
    theirs = _bertopic(documents, assignments, 10, seeds)
    _same(ours, theirs)
    _same(_bertopic(documents, assignments, 10, seeds, model=_ctfidf_model(seeds)), theirs)
    for topic in range(9):  # every word of its own sentence, none of another's
        assert sorted(w for w, _ in ours[topic]) == sorted(_REPEATED[topic % 3].split()), topic
    assert [w for w, _ in ours[9]] == ["visit"]  # BM25's score: the one positive word


def test_a_topic_with_the_corpus_own_proportions_is_indistinct():
    documents, assignments = _repetitive()
    assert class_keywords_and_indistinct(documents, assignments, 5)[1] == set()
    copies = ["sanctions hurt pipeline"] * 12
    keywords, indistinct = class_keywords_and_indistinct(copies, np.arange(12) % 4, 5)
    assert indistinct == {0, 1, 2, 3}
    for words in keywords.values():
        assert sorted(w for w, _ in words) == ["hurt", "pipeline", "sanctions"]
    counts = sp.csr_matrix(np.array([[2, 2, 0], [1, 1, 0], [0, 0, 0], [3, 3, 1]]))
    assert indistinct_rows(counts).tolist() == [False, False, False, False]
    assert indistinct_rows(sp.csr_matrix(np.array([[2, 4], [1, 2], [0, 0]]))).tolist() == [True, True, False]


def test_keyword_notes_name_the_topics_and_curation_finds_them_again():
    from themescope.topics.describe import is_keyword_note, keyword_notes
    from themescope.topics.result import Topic

    topics = [Topic(i, f"T{i}", 5, [("w", 1.0)] if i else [], []) for i in range(4)]
    notes = keyword_notes(topics, {2, 3})
    assert notes == [
        "topic 0: no keywords: the paragraphs hold no word a keyword can be (only stopwords, numbers, "
        "symbols or punctuation)",
        "topics 2, 3: no word distinguishes them from the corpus as a whole (the same words in the "
        "same proportions); keywords are the most frequent words",
    ]
    assert all(map(is_keyword_note, notes)) and not is_keyword_note("topic 1: renamed")
    assert keyword_notes(topics[1:2], set()) == []
