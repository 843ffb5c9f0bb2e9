"""The keyword vocabulary embedded once per corpus and model."""

import numpy as np

from themescope.topics.labels import rerank_keywords
from themescope.topics.tokenize import Tokens
from themescope.topics.words import WordVectors, embed_vocabulary, vocabulary


def test_vocabulary_keeps_words_of_several_paragraphs_most_used_first():
    tokens = Tokens([["制裁", "北約", "今天"], ["制裁", "北約"], ["制裁", "盟友", "盟友"], []])
    # 盟友 twice in one paragraph is still one paragraph; 今天 is in one paragraph only.
    assert vocabulary(tokens) == ["制裁", "北約"]
    assert vocabulary(tokens, max_words=1) == ["制裁"]


def test_embedded_vocabulary_looks_up_known_words_and_flags_the_rest(tmp_path):
    tokens = Tokens([["a", "b"], ["a", "b"], ["a"]])
    vectors = embed_vocabulary(tokens, lambda words: np.eye(len(words), 3, dtype=np.float32))
    vectors.save(tmp_path)
    loaded = WordVectors.load(tmp_path)
    found, known = loaded.lookup(["b", "zzz", "a"])
    assert known.tolist() == [True, False, True]
    np.testing.assert_array_equal(found, [[0, 1, 0], [0, 0, 0], [1, 0, 0]])


def test_a_word_without_a_vector_counts_as_of_median_closeness():
    keywords = [("unknown", 1.0), ("close", 0.9), ("far", 0.8), ("middle", 0.2)]
    vectors = np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])
    known = np.array([False, True, True, True])
    ranked = dict(rerank_keywords(keywords, vectors, np.array([1.0, 0.0]), known))
    # Closeness scaled to [0.1, 1]: close 1, middle 0.55, far 0.1; unknown takes the median.
    np.testing.assert_allclose(
        [ranked[w] for w in ("close", "unknown", "middle", "far")], [0.9, 0.55, 0.11, 0.08]
    )
    # Unknown everywhere (no vocabulary): c-TF-IDF's order is kept.
    none_known = rerank_keywords(keywords, vectors, np.array([1.0, 0.0]), np.zeros(4, bool))
    assert [w for w, _ in none_known] == ["unknown", "close", "far", "middle"]
