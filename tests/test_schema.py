"""The run folder's documents as types: unknown keys kept, missing keys defaulted, the curation
in one place, and a wrongly typed key named in one line."""

import json

import pytest

from themescope.errors import InputError
from themescope.runs import Run
from themescope.schema import Manifest, TopicsDocument

ROWS = [
    {
        "paragraph_id": "q1-a1-p1",
        "text": "Sanctions stay.",
        "topic": 0,
        "question_id": "q1",
        "answer_id": "a1",
    },
]
STEP = {"step": 1, "action": "rename", "status": "applied", "note": "", "anchors": []}


def test_documents_keep_keys_they_do_not_know_and_default_the_rest():
    topics = {"topics": [{"id": 0, "label": "x", "from_the_future": [1, 2]}], "also_new": True}
    document = TopicsDocument.model_validate(topics)
    assert document.topics[0].persistence is None and document.broad_themes == []
    assert document.to_json()["also_new"] is True
    assert document.to_json()["topics"][0]["from_the_future"] == [1, 2]
    assert "curation" not in document.to_json()  # no key without a curation
    manifest = Manifest.model_validate({"counts": {"paragraphs": 3}, "made_by": "a later version"})
    assert manifest.counts.paragraphs == 3 and manifest.counts.answers == 0
    assert manifest.to_json()["made_by"] == "a later version" and "curation" not in manifest.to_json()


def test_the_curation_is_in_topics_json_alone_and_an_old_manifests_copy_is_read_into_it():
    old = Run.from_documents(
        ROWS, {"topics": [{"id": 0}]}, {"curation": {"steps": [STEP], "next_topic_id": 1}}
    )
    assert old.document.curation.steps == [STEP] and old.document.curation.next_topic_id == 1
    assert old.manifest.curation is None and "curation" not in old.manifest.to_json()
    assert old.topics_document().to_json()["curation"]["steps"] == [STEP]
    # topics.json's own wins over a stale copy.
    both = Run.from_documents(
        ROWS, {"topics": [{"id": 0}], "curation": {"steps": [STEP]}}, {"curation": {"steps": []}}
    )
    assert both.document.curation.steps == [STEP]


def test_a_wrongly_typed_key_is_one_line_naming_the_file_and_the_key(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "paragraphs.csv").write_text("paragraph_id,text,topic\nq1-a1-p1,x,0\n", "utf-8")
    (folder / "topics.json").write_text(json.dumps({"topics": [{"id": 0, "size": "big"}]}), "utf-8")
    with pytest.raises(InputError) as caught:
        Run.load(folder)
    message = str(caught.value)
    assert "\n" not in message and "topics.json: topics.0.size not as a run writes it" in message
    (folder / "topics.json").write_text(json.dumps({"topics": []}), "utf-8")
    (folder / "manifest.json").write_text(json.dumps({"counts": {"paragraphs": [1]}}), "utf-8")
    with pytest.raises(InputError, match=r"manifest.json: counts.paragraphs not as a run writes it"):
        Run.load(folder)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"topics": [{"id": 0, "persistence": float("inf")}]}, r"topics.json: topics.0.persistence"),
        ({"topics": [], "broad_themes": [{"id": 0, "persistence": -5}]}, r"broad_themes.0.persistence"),
        (
            {"topics": [], "persistence": {"persists_from": float("inf")}},
            r"topics.json: persistence.persists_from",
        ),
    ],
)
def test_a_share_outside_0_to_1_is_named_not_drawn(tmp_path, document, message):
    """An infinity where a share belongs once crashed the report's percentages (exit 1)."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "paragraphs.csv").write_text("paragraph_id,text,topic\nq1-a1-p1,x,0\n", "utf-8")
    (folder / "topics.json").write_text(json.dumps(document), "utf-8")  # json writes Infinity
    with pytest.raises(InputError, match=message + r" not as a run writes it: a share from 0 to 1"):
        Run.load(folder)


def test_a_bad_curation_in_an_old_manifest_is_named_in_the_manifest(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "paragraphs.csv").write_text("paragraph_id,text,topic\nq1-a1-p1,x,0\n", "utf-8")
    (folder / "topics.json").write_text(json.dumps({"topics": [{"id": 0}]}), "utf-8")
    (folder / "manifest.json").write_text(json.dumps({"curation": {"steps": "x"}}), "utf-8")
    with pytest.raises(InputError, match=r"manifest.json: curation.steps not as a run writes it"):
        Run.load(folder)


def test_a_topics_document_without_topics_still_draws_the_answers_view():
    from themescope.reports.figures.answer_mix import answer_mix

    rows = [{"question_id": "q1", "answer_id": "a1", "author": "A", "topic": 3}]
    figure = answer_mix(rows, [], [])  # paragraphs.csv names topic 3, topics.json none
    assert figure.data[0].type == "heatmap"
