"""The answers behind each topic as the API gives them: Run.answers, the topics' evidence
columns, and topics.json's evidence fields (old folders load without them)."""

import json

import numpy as np
import pytest

from themescope.documents import topics_document
from themescope.errors import UserError
from themescope.runs import Run
from themescope.topics.result import Topic, TopicResult


def _row(pid, question, answer, author, topic):
    return {
        "paragraph_id": pid,
        "question_id": question,
        "answer_id": answer,
        "author": author,
        "position": 0,
        "text": pid,
        "topic": topic,
        "topic_label": "",
    }


ROWS = [
    _row("q1-a1-p1", "q1", "q1-a1", "Ann", 0),
    _row("q1-a1-p2", "q1", "q1-a1", "Ann", 0),
    _row("q1-a1-p3", "q1", "q1-a1", "Ann", 1),
    _row("q1-a2-p1", "q1", "q1-a2", "Bo", 0),
    _row("q1-a2-p2", "q1", "q1-a2", "Bo", -1),
    _row("q2-a1-p1", "q2", "q2-a1", "Ann", 1),
]


def _topics_json(**extra):
    topics = [
        {"id": 0, "label": "zero", "size": 3, "keywords": [["a", 1.0]], "representative": ["q1-a1-p1"]},
        {"id": 1, "label": "one", "size": 2, "keywords": [["b", 1.0]], "representative": ["q1-a1-p3"]},
    ]
    return {"topics": [t | extra for t in topics], "outlier_share": 0.17}


def test_run_answers_gives_each_answers_share_of_every_topic():
    run = Run.from_documents(ROWS, _topics_json(), {})
    answers = run.answers
    assert list(answers.columns) == ["question_id", "answer_id", "author", "paragraphs", 0, 1, -1]
    assert answers[["question_id", "answer_id", "author", "paragraphs"]].values.tolist() == [
        ["q1", "q1-a1", "Ann", 3],
        ["q1", "q1-a2", "Bo", 2],
        ["q2", "q2-a1", "Ann", 1],
    ]
    assert answers[[0, 1, -1]].values.tolist() == [[0.6667, 0.3333, 0.0], [0.5, 0.0, 0.5], [0.0, 1.0, 0.0]]
    assert np.allclose(answers[[0, 1, -1]].sum(axis=1), 1.0, atol=1e-3)
    # Built from the paragraphs as the DataFrame holds them now.
    frame = run.paragraphs.copy()
    frame.loc[frame["paragraph_id"] == "q1-a2-p2", "topic"] = 1
    run.paragraphs = frame
    assert run.answers.loc[1, [0, 1, -1]].tolist() == [0.5, 0.5, 0.0]


def test_old_topics_json_loads_without_evidence_and_new_keeps_it(tmp_path):
    old = Run.from_documents(ROWS, _topics_json(), {})
    assert old.document.topics[0].exemplars == [] and old.document.topics[0].answers is None
    assert old.topics["answers"].isna().all() and not old.topics["single_answer"].any()
    assert old.topics_document().topics[0].answers is None  # through the DataFrame, as written
    evidence = {
        "exemplars": ["q1-a1-p1", "q1-a2-p1"],
        "answers": {"count": 2, "share": 0.6667, "top_share": 0.6667},
        "authors": {"count": 2, "share": 1.0, "top_share": 0.6667},
        "single_answer": False,
    }
    run = Run.from_documents(ROWS, _topics_json(**evidence), {})
    row = run.topics.iloc[0]
    assert row["exemplars"] == ["q1-a1-p1", "q1-a2-p1"] and row["answers"] == 2
    assert row["answer_share"] == 0.6667 and row["authors"] == 2 and row["author_share"] == 1.0
    _ = run.topics  # the document written back through the DataFrame is the same
    assert run.topics_document().topics[0].model_dump() == run.document.topics[0].model_dump()


def test_topics_document_gives_evidence_from_the_final_topics():
    vectors = np.eye(6)[[0, 0, 1, 0, 2, 1]] + 0.01
    result = TopicResult(
        assignments=np.array([0, 0, 1, 0, -1, 1]),
        probabilities=np.ones(6),
        topics=[Topic(0, "zero", 3, [("a", 1.0)], [0]), Topic(1, "one", 2, [("b", 1.0)], [2])],
        coordinates=np.zeros((6, 2)),
        metrics={},
        params={},
    )
    document = topics_document(result, ROWS, vectors)
    zero, one = document.topics
    assert zero.answers.model_dump() == {"count": 2, "share": round(2 / 3, 4), "top_share": 0.6667}
    assert zero.authors.count == 2 and not zero.single_answer
    assert one.answers.count == 2 and one.authors.model_dump() == {"count": 1, "share": 0.5, "top_share": 1.0}
    assert zero.exemplars[0] in {"q1-a1-p1", "q1-a1-p2", "q1-a2-p1"} and len(zero.exemplars) == 3
    assert {r["answer_id"] for r in ROWS if r["paragraph_id"] in zero.exemplars[:2]} == {"q1-a1", "q1-a2"}
    result.assignments[5] = -1  # one answer alone holds topic 1 now
    assert topics_document(result, ROWS, vectors).topics[1].single_answer
    assert json.dumps(document.to_json())  # topics.json as written


def test_a_missing_topic_in_the_paragraphs_is_an_outlier_and_a_wrong_one_is_named(tmp_path):
    rows = [r | {"x": 0.0, "y": 0.0, "probability": 1.0} for r in ROWS]  # on the map, to be written
    run = Run.from_documents(rows, _topics_json(), {})
    frame = run.paragraphs.copy()
    frame.loc[frame["paragraph_id"] == "q1-a1-p3", "topic"] = None  # the column becomes floats
    frame.loc[frame["paragraph_id"] == "q2-a1-p1", "topic"] = float("nan")
    run.paragraphs = frame
    answers = run.answers
    assert list(answers.columns) == ["question_id", "answer_id", "author", "paragraphs", 0, 1, -1]
    assert answers[[0, 1, -1]].values.tolist() == [[0.6667, 0.0, 0.3333], [0.5, 0.0, 0.5], [0.0, 0.0, 1.0]]
    assert [r["topic"] for r in run.rows()] == [0, 0, -1, 0, -1, -1]  # as the report and the csv take them
    run.write(tmp_path / "run")  # paragraphs.csv holds -1, not "nan", and loads back
    assert Run.load(tmp_path / "run").paragraphs["topic"].tolist() == [0, 0, -1, 0, -1, -1]
    frame = frame.astype({"topic": object})
    frame.loc[0, "topic"] = "zero"
    run.paragraphs = frame
    with pytest.raises(UserError) as err:
        _ = run.answers
    assert str(err.value) == "paragraphs: column topic, row 0: 'zero' is not a topic id (a whole number)"
