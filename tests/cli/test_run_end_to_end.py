"""The CLI as a user runs it: the real model, real BERTopic, the real files it writes."""

import csv
import json
import re

from sklearn.metrics import v_measure_score

from ..conftest import DEFAULT_CONFIG, SAMPLE_AUTHORS, run_cli, run_default_on

WORD = re.compile(r"^[\u4e00-\u9fff]{2,6}$")


def _rows(run_dir):
    with (run_dir / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as fh:
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
        "source_question_id",
        "source_answer_id",
        "url",
        "date",
        "broad_theme",
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
    assert manifest["embeddings"]["member_blocks"] == [384, 512]  # e5-small, USE v3
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


def test_shuffled_records_and_a_partly_warm_cache_give_the_same_themes(sample_text, tmp_path):
    """The sample as JSONL records, in order with a cold cache, and shuffled with a cache that
    already holds some of its paragraphs (BERTopic issue 2276): the same themes. Both broke
    by a 1e-7 drift, from summing means in input order and from padding in a batch."""
    import random

    authors = "|".join(map(re.escape, SAMPLE_AUTHORS))
    title, *answers = re.split(rf"\n(?=(?:{authors})\n)", sample_text)
    records = [
        {"question": title.strip(), "author": author, "text": text}
        for author, text in (answer.split("\n", 1) for answer in answers)
    ]
    assert [r["author"] for r in records] == SAMPLE_AUTHORS
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != records

    def write(name, rows):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
        return path

    cold = run_default_on(write("ordered.jsonl", records), tmp_path / "ordered", tmp_path / "cache-a")
    assert cold.returncode == 0, cold.stderr
    partly = run_default_on(write("part.jsonl", records[:3]), tmp_path / "part", tmp_path / "cache-b")
    assert partly.returncode == 0, partly.stderr
    warm = run_default_on(write("shuffled.jsonl", shuffled), tmp_path / "shuffled", tmp_path / "cache-b")
    assert warm.returncode == 0, warm.stderr

    def themes(run_dir):
        return {r["text"]: r["topic_label"] for r in _rows(run_dir)}

    assert themes(tmp_path / "ordered") == themes(tmp_path / "shuffled")


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


LABELLED = {
    "sport": [
        "The striker scored twice in the second half and the team won the cup final.",
        "主隊在加時賽中以三比二擊敗對手,奪得聯賽冠軍。",
        "The marathon runner broke the course record by almost a minute.",
        "這名網球選手連續第三年打進溫布頓決賽。",
        "The coach was sacked after the club lost six league matches in a row.",
        "奧運會游泳比賽中,她打破了兩百米自由泳的世界紀錄。",
        "The goalkeeper saved a penalty in the last minute of the match.",
        "籃球隊的新中鋒在季後賽中場均拿下三十分。",
    ],
    "weather": [
        "Heavy rain and strong winds are expected across the coast tomorrow.",
        "颱風今晚登陸,氣象局發布了暴雨紅色警報。",
        "A heatwave pushed temperatures above forty degrees for a week.",
        "今年冬天特別冷,北方多地出現了大雪和冰凍。",
        "Fog delayed flights at the airport all morning.",
        "氣象專家預測,未來三天將持續高溫,沒有降雨。",
        "The snowstorm closed mountain roads and cut power to thousands of homes.",
        "連續的乾旱使水庫的水位降到了歷史最低。",
    ],
    "markets": [
        "The central bank raised interest rates by half a percentage point.",
        "股市今天大跌,科技股領跌,投資者紛紛拋售。",
        "Oil prices climbed after producers agreed to cut output.",
        "人民幣對美元匯率創下近五年來的新低。",
        "The company's shares rose ten percent after strong quarterly earnings.",
        "通貨膨脹率連續三個月上升,央行考慮加息。",
        "Bond yields fell as investors sought safer assets.",
        "這家銀行的季度利潤比去年同期增長了兩成。",
    ],
}


def test_records_with_labels_get_v_measure_against_them(tmp_path):
    records = tmp_path / "labelled.jsonl"
    lines = [
        json.dumps({"question": "News", "author": f"a{i}", "text": text, "label": label}, ensure_ascii=False)
        for label, texts in LABELLED.items()
        for i, text in enumerate(texts)
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_default_on(records, tmp_path / "run", tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads((tmp_path / "run" / "topics.json").read_text(encoding="utf-8"))["metrics"]
    rows = _rows(tmp_path / "run")
    truth = {text: label for label, texts in LABELLED.items() for text in texts}
    labels, topics = [truth[r["text"]] for r in rows], [int(r["topic"]) for r in rows]
    assert metrics["labelled_paragraphs"] == len(rows) == 24
    # The figures are those of the written assignments (the paragraphs are kept whole).
    assert metrics["label_v_measure"] == round(v_measure_score(labels, topics), 4)
    placed = [i for i, t in enumerate(topics) if t != -1]
    expected = v_measure_score([labels[i] for i in placed], [topics[i] for i in placed])
    assert metrics["label_v_measure_excluding_outliers"] == round(expected, 4)
    # Three plainly different subjects in two languages: the themes follow the subject.
    assert metrics["label_v_measure"] >= 0.5, metrics


def test_english_corpus_runs_with_the_english_member(tmp_path):
    records = tmp_path / "english.jsonl"
    english = [(label, t) for label, texts in LABELLED.items() for t in texts if t.isascii()]
    lines = [
        json.dumps({"question": "News", "author": f"a{i}", "text": text, "label": label})
        for i, (label, text) in enumerate(english)
    ]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_default_on(records, tmp_path / "run", tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert "Loading weights" not in proc.stderr  # transformers' own bar stays off
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embeddings"]["member_blocks"] == [384, 512, 384]  # e5, USE, MiniLM
    assert manifest["embeddings"]["model"].endswith("+all-MiniLM-L6-v2")
    metrics = json.loads((tmp_path / "run" / "topics.json").read_text(encoding="utf-8"))["metrics"]
    assert metrics["labelled_paragraphs"] == 12


def test_the_sample_has_broad_themes_above_its_topics(sample_run):
    """3-6 broad themes; the pivot to the Asia-Pacific and the Russia investigation sit in
    different ones. That holds for seeds 1, 7 and 42, under 1e-6 noise and without any one of
    the other eight answers; which broad theme takes the alliances paragraph does not (the
    one 盟友 names in 7 of 8 leave-one-answer-out fits), so it is not asserted."""
    run_dir, _ = sample_run
    topics = json.loads((run_dir / "topics.json").read_text("utf-8"))
    assert 3 <= len(topics["broad_themes"]) <= 6
    assert all(t["level"] == 1 and t["parent"] is not None for t in topics["topics"])
    assert {t for b in topics["broad_themes"] for t in b["topics"]} == {t["id"] for t in topics["topics"]}
    with open(run_dir / "paragraphs.csv", encoding="utf-8-sig", newline="") as fh:
        theme = {r["paragraph_id"]: r["broad_theme"] for r in csv.DictReader(fh)}
    pivot, alliances, investigation = theme["q1-a2-p3"], theme["q1-a5-p3"], theme["q1-a2-p10"]
    assert "" not in (pivot, alliances, investigation) and pivot != investigation
