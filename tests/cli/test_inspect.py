"""`themescope inspect` as a user runs it: a readable summary and the JSON schema of architecture.md."""

import json

from ..conftest import SAMPLE, SAMPLE_AUTHORS, run_cli


def test_inspect_summary_names_authors_languages_encoding_and_drops():
    proc = run_cli("inspect", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for author in SAMPLE_AUTHORS:
        assert author in out
    assert "zh-Hant 71" in out and "qa-text, utf-8" in out
    assert "image caption: '圖為美國白宮'" in out and "page footer: '分享到:'" in out


def test_inspect_json_schema():
    proc = run_cli("inspect", str(SAMPLE), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    (question,) = data["questions"]
    assert set(question) == {"id", "title", "source", "source_id", "answers"}
    # the user's own ids, page and date of a record (none on a page)
    assert set(question["answers"][0]) == {"id", "author", "source_id", "url", "date", "label", "paragraphs"}
    assert [a["author"] for a in question["answers"]] == SAMPLE_AUTHORS
    paragraph = question["answers"][1]["paragraphs"][2]
    assert set(paragraph) == {"id", "text", "heading", "language"}
    assert paragraph["heading"] == "最重要的是,基於美國總體戰略的考慮"
    assert {d["reason"] for d in data["dropped"]} == {"image caption", "page footer"}
    assert all(set(d) == {"text", "reason", "source", "line"} for d in data["dropped"])


def test_inspect_bad_record_names_file_and_line(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text('{"question": "Q", "author": "A", "text": "long enough text"}\n{oops\n', "utf-8")
    proc = run_cli("inspect", str(path))
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == f"error: {path}:2: not valid JSON (Expecting property name enclosed in double quotes)"
    )


def test_inspect_summary_warns_of_a_repeated_answer_id(tmp_path):
    """Two records of one question with the same answer_id are both kept, and said so."""
    records = [
        {"question": "美俄關係", "answer_id": "a7", "author": author, "text": text}
        for author, text in [("甲", "美國的戰略重心轉向亞太地區。"), ("乙", "制裁讓兩國關係更加緊張。")]
    ]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    proc = run_cli("inspect", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "answer_id 'a7' appears 2 times" in proc.stdout
