"""The evidence behind a topic: exemplar paragraphs and the answers and authors that carry it."""

import numpy as np

from themescope.topics.evidence import Support, exemplar_rows, support, topic_exemplars


def _vectors():
    # Rows 0-3: one answer's near-copies at the topic's heart; 4, 5: two other answers a little
    # further out, in two directions; 6: another topic.
    return np.array(
        [
            [1.0, 0.0, 0.0],
            [0.99, 0.01, 0.0],
            [0.98, 0.02, 0.0],
            [0.97, 0.03, 0.0],
            [0.8, 0.6, 0.0],
            [0.8, 0.0, 0.6],
            [0.0, 0.0, 1.0],
        ]
    )


def test_exemplars_are_central_then_from_other_answers_and_unlike_each_other():
    vectors = _vectors()
    answers = ["a1", "a1", "a1", "a1", "a2", "a3", "a4"]
    rows = np.arange(6)
    chosen = exemplar_rows(rows, vectors, answers)
    # The nearest three are one answer saying one thing three times.
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    nearest = [int(i) for i in np.argsort(-(unit[rows] @ unit[rows].mean(axis=0)), kind="stable")[:3]]
    assert len({answers[i] for i in nearest}) == 1
    assert chosen[0] == nearest[0] == 3
    assert sorted(chosen) == [3, 4, 5] and len({answers[i] for i in chosen}) == 3
    # Deterministic, and the rows' order does not change which rows are chosen.
    assert exemplar_rows(rows, vectors, answers) == chosen
    assert sorted(exemplar_rows(rows[::-1].copy(), vectors, answers)) == sorted(chosen)


def test_exemplars_of_one_answer_still_differ_and_small_topics_give_what_they_have():
    vectors = _vectors()
    one = ["a"] * 7
    chosen = exemplar_rows(np.arange(6), vectors, one)
    assert len(set(chosen)) == 3 and {4, 5} <= set(chosen)  # unlike the first, not its copies
    assert exemplar_rows(np.array([6]), vectors, one) == [6]
    assert exemplar_rows(np.array([], dtype=int), vectors, one) == []
    zeros = np.zeros((3, 3))
    assert sorted(exemplar_rows(np.arange(3), zeros, ["x", "y", "z"])) == [0, 1, 2]


def test_topic_exemplars_per_topic_and_per_broad_theme():
    vectors = _vectors()
    assignments = np.array([0, 0, 0, 0, 1, 1, 2])
    answers = ["a1", "a1", "a1", "a1", "a2", "a3", "a4"]
    found = topic_exemplars(assignments, vectors, answers, {0: [0], 1: [1], 2: [2], 10: [0, 1]})
    assert found[2] == [6] and sorted(found[1]) == [4, 5] and len(found[0]) == 3
    assert sorted(found[10]) == [3, 4, 5]


def test_support_counts_answers_and_authors_and_their_shares():
    topics = [0, 0, 0, 1, 1, -1, 2]
    answers = [("q1", "a1"), ("q1", "a1"), ("q1", "a2"), ("q1", "a3"), ("q2", "a1"), ("q1", "a4")]
    answers.append(("q1", "a1"))
    found = support(topics, answers, {0: [0], 1: [1], 2: [2], 9: [0, 1]})
    # Five answers in all (the outlier's answer counts among them); q2's a1 is not q1's.
    assert found[0] == Support(count=2, share=0.4, top_share=0.6667)
    assert found[1] == Support(count=2, share=0.4, top_share=0.5)
    assert found[2] == Support(count=1, share=0.2, top_share=1.0)
    assert found[9] == Support(count=4, share=0.8, top_share=0.4)
    authors = ["Ann", "Ann", "", "Bo", None, "Cy", "Ann"]  # "" and None: not known
    by_author = support(topics, authors, {0: [0], 1: [1], 3: [3]})
    assert by_author[0] == Support(count=1, share=round(1 / 3, 4), top_share=1.0)
    assert by_author[1].count == 1 and by_author[3] == Support(count=0, share=0.0, top_share=0.0)
    assert support([0], [""], {0: [0]})[0] == Support(0, 0.0, 0.0)
    assert found[0].as_json() == {"count": 2, "share": 0.4, "top_share": 0.6667}
