"""The CLI as a user runs it: the real model, real BERTopic, the real files it writes."""

import csv
import json
import re

from ..conftest import DEFAULT_CONFIG, SAMPLE_AUTHORS, run_cli, run_default_on

WORD = re.compile(r"^[\u4e00-\u9fff]{2,6}$")


def _rows(run_dir):
    with (run_dir / "paragraphs.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_run_writes_the_contract_files_with_real_content(sample_run):
    run_dir, _ = sample_run
    assert {p.name for p in run_dir.iterdir()} >= {
        "paragraphs.csv",
        "topics.json",
        "manifest.json",
        "report.html",
    }
    assert {"config.json", "topics.json", "ctfidf.safetensors"} <= {
        p.name for p in (run_dir / "model").iterdir()
    }
    rows = _rows(run_dir)
    assert list(rows[0]) == [
        "paragraph_id",
        "question_id",
        "answer_id",
        "author",
        "position",
        "heading",
        "language",
        "text",
        "topic",
        "topic_label",
        "probability",
        "x",
        "y",
    ]
    assert len(rows) == 71
    assert {r["author"] for r in rows} == set(SAMPLE_AUTHORS)
    assert {r["language"] for r in rows} == {"zh-Hant"}

    topics = json.loads((run_dir / "topics.json").read_text(encoding="utf-8"))
    assert len(topics["topics"]) >= 3
    assert topics["outlier_share"] <= 0.10
    for topic in topics["topics"]:
        assert all(WORD.match(word) for word, _ in topic["keywords"]), topic["keywords"]
        assert set(topic["representative"]) <= {r["paragraph_id"] for r in rows}
        assert topic["size"] == sum(int(r["topic"]) == topic["id"] for r in rows)
    labels = {t["id"]: t["label"] for t in topics["topics"]}
    for row in rows:
        assert row["topic_label"] == labels.get(int(row["topic"]), "outlier")


def test_manifest_records_what_the_run_did(sample_run):
    run_dir, _ = sample_run
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {
        "questions": 1,
        "answers": 10,
        "paragraphs": 71,
        "dropped": 5,
        "duplicates": 0,
    }
    assert {d["reason"] for d in manifest["dropped"]} == {"image caption", "page footer"}
    assert manifest["inputs"][0]["encoding"] == "utf-8"
    assert len(manifest["inputs"][0]["sha256"]) == 64
    assert manifest["config"]["topics"]["seed"] == 42
    assert manifest["topics"]["resolved"]["min_topic_size"] >= 3
    assert set(manifest["timings"]) == {"read", "embed", "topics"}
    assert manifest["embeddings"]["model"].startswith("builtin:")
    assert manifest["versions"]["bertopic"].startswith("0.17")


def test_summary_names_topics_outliers_timings_and_report(sample_run):
    run_dir, proc = sample_run
    out = proc.stdout
    assert "71 paragraphs" in out and "Outliers:" in out and "Stages: read" in out
    assert str(run_dir / "report.html") in out.replace("\n", "")


def test_same_config_and_seed_give_identical_assignments(sample_run, tmp_path, cache_dir):
    run_dir, _ = sample_run
    again = tmp_path / "again"
    proc = run_cli(
        "run",
        str(DEFAULT_CONFIG),
        "--out",
        str(again),
        "--quiet",
        "--set",
        f'embeddings.cache_dir="{cache_dir}"',
    )
    assert proc.returncode == 0, proc.stderr
    first = [(r["paragraph_id"], r["topic"], r["topic_label"]) for r in _rows(run_dir)]
    second = [(r["paragraph_id"], r["topic"], r["topic_label"]) for r in _rows(again)]
    assert first == second
    manifest = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embeddings"]["embedded"] == 0  # everything came from the cache
    assert manifest["timings"]["embed"] <= 0.5


def test_report_command_rerenders_from_files(sample_run, tmp_path):
    import shutil

    run_dir, _ = sample_run
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    (copy / "report.html").unlink()
    proc = run_cli("report", str(copy))
    assert proc.returncode == 0, proc.stderr
    size = (copy / "report.html").stat().st_size
    assert 1_000_000 < size <= 5_000_000


def test_tiny_corpus_with_no_topics_still_writes_a_report(tmp_path):
    page = tmp_path / "tiny.txt"
    page.write_text("一個問題?\n\n張三\n\n只有一段話,沒有什麼主題可言。\n", encoding="utf-8")
    proc = run_default_on(page, tmp_path / "run", tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    topics = json.loads((tmp_path / "run" / "topics.json").read_text(encoding="utf-8"))
    assert topics["topics"] == [] and topics["outlier_share"] == 1.0
    assert "No topics were found" in (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
