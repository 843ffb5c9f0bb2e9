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


def test_a_word_without_a_vector_ranks_as_the_least_close():
    keywords = [("unknown", 1.0), ("close", 0.9), ("far", 0.8)]
    vectors = np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    known = np.array([False, True, True])
    ranked = rerank_keywords(keywords, vectors, np.array([1.0, 0.0]), known)
    assert [w for w, _ in ranked] == ["close", "unknown", "far"]
    assert dict(ranked)["unknown"] == 0.1  # its c-TF-IDF weight times the lowest closeness
