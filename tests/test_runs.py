"""Run.write from a notebook's DataFrames: a column the user dropped or renamed is taken from
the run's own document (topics by id, paragraphs by paragraph_id) with a warning naming it,
so no exemplar, support or persistence is lost without a word; an edit is written."""

from __future__ import annotations

import json
import warnings

import pytest

from themescope.runs import Run

from .run_rows import ROWS

SUPPORT = {"count": 2, "share": 0.5, "top_share": 0.5}
TOPICS = {
    "topics": [
        {
            "id": t,
            "label": label,
            "size": 2,
            "keywords": [[word, 1.0]],
            "representative": [f"q1-a{t}-p1"],
            "persistence": 0.9,
            "exemplars": [f"q1-a{t}-p1", f"q1-a{t + 2}-p1"],
            "answers": SUPPORT,
            "authors": {"count": 1, "share": 0.5, "top_share": 1.0},
        }
        for t, label, word in [(0, "sanctions", "sanctions"), (1, "alliance", "nato")]
    ]
}


def _written_topics(run: Run, folder) -> list[dict]:
    run.write(folder)
    return json.loads((folder / "topics.json").read_text("utf-8"))["topics"]


def test_dropped_and_renamed_evidence_columns_are_written_from_the_document_with_a_warning(tmp_path):
    run = Run.from_documents(ROWS, TOPICS, {})
    whole = _written_topics(run, tmp_path / "whole")
    frame = run.topics.drop(columns=["answers", "answer_share", "persistence"])
    run.topics = frame.rename(columns={"exemplars": "examples"}).assign(label=["Sanctions", "NATO"])
    with pytest.warns(UserWarning) as caught:
        edited = _written_topics(run, tmp_path / "edited")
    assert sorted(str(w.message) for w in caught) == [
        "run.topics has no column persistence, exemplars, answers, answer_share (dropped or renamed): "
        "taken from the run's document (run.document), by id",
        "run.topics: column examples is not one topics.json holds: not written",
    ]
    assert [t["label"] for t in edited] == ["Sanctions", "NATO"]  # the edit is written
    for key in ("exemplars", "answers", "authors", "persistence", "keywords"):
        assert [t[key] for t in edited] == [t[key] for t in whole], key


def test_a_paragraph_column_dropped_is_taken_from_the_run_and_said(tmp_path):
    run = Run.from_documents(ROWS, TOPICS, {})
    run.paragraphs = run.paragraphs.drop(columns=["text", "author"])
    with pytest.warns(UserWarning, match=r"^run\.paragraphs has no column author, text \(dropped or renamed"):
        run.write(tmp_path / "run")
    again = Run.load(tmp_path / "run")
    assert again.paragraphs["text"].tolist() == [r["text"] for r in ROWS]
    assert again.paragraphs["author"].tolist() == [r["author"] for r in ROWS]


def test_without_the_id_columns_the_runs_own_documents_are_written_with_a_warning(tmp_path):
    run = Run.from_documents(ROWS, TOPICS, {})
    run.topics = run.topics.drop(columns=["id"])
    run.paragraphs = run.paragraphs.drop(columns=["paragraph_id"])
    with pytest.warns(UserWarning) as caught:
        topics = _written_topics(run, tmp_path / "run")
    assert sorted(str(w.message) for w in caught) == [
        "run.paragraphs has no column paragraph_id (dropped or renamed): the run's own paragraphs "
        "are used, without the DataFrame's changes",
        "run.topics has no column id (dropped or renamed): the run's document (run.document) is "
        "used, without the DataFrame's changes",
    ]
    assert [t["exemplars"] for t in topics] == [t["exemplars"] for t in TOPICS["topics"]]
    assert Run.load(tmp_path / "run").paragraphs["paragraph_id"].tolist() == [r["paragraph_id"] for r in ROWS]


def test_frames_as_the_run_made_them_write_without_a_word(tmp_path):
    run = Run.from_documents(ROWS, TOPICS, {})
    _ = run.topics, run.paragraphs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run.write(tmp_path / "run")
