"""Keywords and labels: c-TF-IDF's candidates reordered by what their embeddings are about."""

import numpy as np

from themescope.embeddings import load_embedder
from themescope.topics.labels import make_label, rerank_keywords, topic_direction


def test_a_frequent_word_that_is_not_about_the_topic_drops_below_one_that_is():
    embedder = load_embedder()
    topic = embedder.encode(["美國對俄羅斯實施新一輪經濟制裁", "制裁削弱了俄羅斯的經濟"])
    corpus = np.vstack([topic, embedder.encode(["今天的天氣很好", "北約在東歐增加駐軍"])])
    direction = topic_direction(np.array([0, 1]), corpus, corpus.mean(axis=0))
    # c-TF-IDF ranks 今天 ("today") first; 制裁 ("sanctions") is what the topic is about.
    keywords = [("今天", 0.30), ("制裁", 0.28), ("天氣", 0.10)]
    reranked = rerank_keywords(keywords, embedder.encode([w for w, _ in keywords]), direction)
    assert reranked[0][0] == "制裁"
    assert [w for w, _ in reranked] != [w for w, _ in keywords]


def test_rerank_keeps_every_candidate_and_handles_equal_closeness():
    keywords = [("a", 2.0), ("b", 1.0)]
    same = np.ones((2, 3)) / np.sqrt(3)
    assert rerank_keywords(keywords, same, np.ones(3)) == [("a", 1.0), ("b", 0.5)]
    assert rerank_keywords([], np.zeros((0, 3)), np.ones(3)) == []


def test_labels_prefer_words_that_do_not_lead_other_topics():
    label = make_label([("俄羅斯", 1.0), ("制裁", 0.9), ("經濟", 0.8), ("北約", 0.7)], [[("俄羅斯", 1.0)]], 0)
    assert label == "制裁 · 經濟 · 北約"


def test_fused_keywords_keep_a_word_either_ranking_puts_high():
    """c-TF-IDF's sixth word stays among the keywords even when its embedding is not the
    closest to the topic; a word both rankings put low sinks."""
    from themescope.topics.labels import fuse_rankings

    by_ctfidf = [
        (w, 1.0 - i / 10) for i, w in enumerate(["亞太", "克里米亞", "印太", "圍堵", "北約", "制裁", "今天"])
    ]
    by_aboutness = [
        (w, 1.0) for w in ["亞太", "印太", "敘利亞", "克里米亞", "東擴", "圍堵", "北約", "制裁", "今天"]
    ]
    by_aboutness = [pair for pair in by_aboutness if pair[0] in dict(by_ctfidf)]
    fused = fuse_rankings(by_ctfidf, by_aboutness)
    words = [w for w, _ in fused]
    assert words[0] == "亞太" and fused[0][1] == 1.0
    assert words.index("制裁") < words.index("今天") == len(words) - 1
    assert sorted(words) == sorted(w for w, _ in by_ctfidf)
    assert [s for _, s in fused] == sorted((s for _, s in fused), reverse=True)
    assert fuse_rankings([], []) == []
