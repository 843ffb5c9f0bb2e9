"""Hostile but realistic input: every problem is one line naming the file, line or key and
exit 2, or it is read and whatever is left out is listed. Real files, the real CLI."""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.helpers import SAMPLE, one_line_error, quick_run_args, run_cli

# A fresh interpreter that runs the CLI and prints its exit code and the largest resident
# memory (KiB) of the processes it waited for: the CLI's own peak, nothing of pytest's.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "command = [sys.executable, '-m', 'themescope', *sys.argv[1:]]\n"
    "proc = subprocess.run(command, capture_output=True, text=True)\n"
    "sys.stderr.write(proc.stderr)\n"
    "print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _inspect_json(*inputs: str | Path, timeout: int = 120) -> dict:
    proc = run_cli("inspect", *map(str, inputs), "--json", timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _write_gzip_of_zeros(path: Path, megabytes: int) -> None:
    """A gzip bomb written a megabyte at a time (never the whole in memory)."""
    block = bytes(1024 * 1024)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(megabytes):
            fh.write(block)


def test_gzip_bomb_is_refused_before_it_fills_memory(tmp_path):
    """Item 5: 1 GB of zeros in a ~1 MB .gz is refused with exit 2 naming the file, at a peak of
    at most 300 MB resident memory for the whole `themescope run` process."""
    bomb = tmp_path / "answers.jsonl.gz"
    _write_gzip_of_zeros(bomb, 1024)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    args = quick_run_args(bomb, tmp_path / "out", tmp_path / "cache")
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    code, peak_kib = map(int, proc.stdout.split())
    assert peak_kib <= 300 * 1024, f"peak {peak_kib / 1024:.0f} MB"
    assert code == 2, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(bomb) in lines[0] and "input.max_decompressed_mb" in lines[0], lines


def test_plain_file_over_the_ceiling_is_refused_naming_the_key(tmp_path):
    """Item 5: a plain file larger than input.max_decompressed_mb is refused before it is read."""
    big = tmp_path / "big.jsonl"
    record = json.dumps({"question": "Q", "author": "A", "text": "a long enough answer " * 20}) + "\n"
    big.write_text(record * (2 * 1024 * 1024 // len(record) + 1), "utf-8")
    proc = run_cli(
        *quick_run_args(big, tmp_path / "out", tmp_path / "cache", "--set", "input.max_decompressed_mb=1")
    )
    line = one_line_error(proc)
    assert str(big) in line and "input.max_decompressed_mb=1" in line


def _loop_tree(root: Path) -> None:
    """L/a/loop -> L (a symlink loop), L/b -> L/a (the same folder twice), files in both."""
    (root / "a").mkdir(parents=True)
    (root / "a" / "loop").symlink_to("..")
    (root / "b").symlink_to("a")
    for name, author in (("one.jsonl", "Ann"), ("a/two.jsonl", "Bob")):
        record = {"question": "Q", "author": author, "text": f"{author} writes a long enough answer."}
        (root / name).write_text(json.dumps(record) + "\n", "utf-8")


def test_recursive_glob_through_a_symlink_loop_ends(tmp_path):
    """Item 7: a recursive glob over a folder with a symlink loop ends and reads each real file
    once (glob.glob followed the loop forever); a folder input does the same."""
    root = tmp_path / "L"
    _loop_tree(root)
    for given in (f"{root}/**/*.jsonl", str(root)):
        data = _inspect_json(given, timeout=60)
        authors = sorted(a["author"] for q in data["questions"] for a in q["answers"])
        assert authors == ["Ann", "Bob"], given
        assert sorted(Path(f["path"]).resolve() for f in data["files"]) == sorted(
            [(root / "one.jsonl").resolve(), (root / "a" / "two.jsonl").resolve()]
        )


def test_an_empty_answer_is_listed_not_fatal(tmp_path):
    """Item 12: a record whose text is "" (a deleted answer) is listed as dropped and the rest is
    read; a record with no text key, or not an object, is still an error."""
    path = tmp_path / "answers.jsonl"
    rows = [
        {"question": "Q", "author": "Ann", "text": "A first answer that is long enough."},
        {"question": "Q", "author": "Bob", "text": ""},
        {"question": "Q", "author": "Cid", "text": "A third answer, also long enough."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    data = _inspect_json(path)
    assert [a["author"] for a in data["questions"][0]["answers"]] == ["Ann", "Cid"]
    assert [(d["line"], d["reason"]) for d in data["dropped"]] == [(2, "empty answer")]

    no_text = tmp_path / "no_text.jsonl"
    no_text.write_text(json.dumps({"question": "Q", "author": "Ann"}) + "\n", "utf-8")
    assert f"{no_text}:1:" in one_line_error(run_cli("inspect", str(no_text)))
    not_object = tmp_path / "list.jsonl"
    not_object.write_text('["Q", "Ann", "some text that is long"]\n', "utf-8")
    assert f"{not_object}:1:" in one_line_error(run_cli("inspect", str(not_object)))


def _sample_as_records() -> list[dict]:
    """The sample page's answers as records, each with its raw lines as the text."""
    authors = [a["author"] for a in _inspect_json(SAMPLE)["questions"][0]["answers"]]
    lines = SAMPLE.read_text("utf-8").split("\n")
    title = next(line.strip() for line in lines if line.strip())
    records: list[dict] = []
    for line in lines[lines.index(next(x for x in lines if x.strip())) + 1 :]:
        if len(records) < len(authors) and line.strip() == authors[len(records)]:
            records.append({"question": title, "author": line.strip(), "text": ""})
        elif records:
            records[-1]["text"] += line + "\n"
    assert len(records) == len(authors)
    return records


def _paragraphs_by_author(data: dict) -> dict[str, list[tuple[str | None, str]]]:
    out: dict[str, list] = {}
    for answer in data["questions"][0]["answers"]:
        out.setdefault(answer["author"], []).extend((p["heading"], p["text"]) for p in answer["paragraphs"])
    return out


def test_the_sample_gives_the_same_paragraphs_as_records(tmp_path):
    """Item 13: the sample page saved as JSONL or CSV records gives the same paragraphs, with the
    same headings, as the page (headings inside record text became paragraphs: 哨兵ZH had 14)."""
    page = _paragraphs_by_author(_inspect_json(SAMPLE))
    assert len(page["哨兵ZH"]) == 12
    records = _sample_as_records()
    jsonl = tmp_path / "sample.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    table = tmp_path / "sample.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["question", "author", "text"])
        writer.writeheader()
        writer.writerows(records)
    for path in (jsonl, table):
        assert _paragraphs_by_author(_inspect_json(path)) == page, path.name


def test_binary_bytes_are_refused_as_not_text(tmp_path):
    """Item 14: random bytes without a NUL are not text (they read as 11 KOI8-R answers, exit 0);
    a numeric 'text' is said to be a number, not "missing or empty"."""
    rng = random.Random(14)
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(rng.randrange(1, 256) for _ in range(20_000)))
    line = one_line_error(run_cli("inspect", str(noise)))
    assert str(noise) in line and "not text" in line

    numeric = tmp_path / "numeric.jsonl"
    numeric.write_text(json.dumps({"question": "Q", "author": "A", "text": 42}) + "\n", "utf-8")
    line = one_line_error(run_cli("inspect", str(numeric)))
    assert f"{numeric}:1:" in line and "'text' must be text, not a number" in line


def test_semicolon_csv_and_tsv_with_leading_quotes_are_read(tmp_path):
    """Item 15: a semicolon-separated CSV is read (it got "no 'text' column"); a TSV whose text
    starts with a quote (an unquoted export) is read with the quote kept (the whole file failed)."""
    semicolons = tmp_path / "answers.csv"
    semicolons.write_text(
        "question;author;text\nQ;Ann;Eine Antwort, mit Komma, lang genug.\nQ;Bob;Noch eine Antwort hier.\n",
        "utf-8",
    )
    data = _inspect_json(semicolons)
    texts = [p["text"] for a in data["questions"][0]["answers"] for p in a["paragraphs"]]
    assert texts == ["Eine Antwort, mit Komma, lang genug.", "Noch eine Antwort hier."]

    tsv = tmp_path / "answers.tsv"
    tsv.write_text(
        'question\tauthor\ttext\nQ\tAnn\t"Yes," she said, "it is long enough.\n'
        "Q\tBob\tA plain second answer.\n",
        "utf-8",
    )
    data = _inspect_json(tsv)
    texts = [p["text"] for a in data["questions"][0]["answers"] for p in a["paragraphs"]]
    assert texts == ['"Yes," she said, "it is long enough.', "A plain second answer."]


def test_fifo_and_device_are_refused_truly(tmp_path):
    """Item 16: a FIFO or a device is "not a regular file" (it was "no such file or directory"),
    exit 2 without blocking on the FIFO."""
    fifo = tmp_path / "answers.jsonl"
    os.mkfifo(fifo)
    line = one_line_error(run_cli("inspect", str(fifo), timeout=60))
    assert str(fifo) in line and "FIFO" in line and "not a regular file" in line
    line = one_line_error(run_cli("inspect", "/dev/null"))
    assert "/dev/null" in line and "device" in line


def test_user_ids_url_and_date_reach_the_run_folder(tmp_path):
    """Item 17: the records' own question_id, answer_id, url and date reach paragraphs.csv and
    `inspect --json`; an answer_id given twice in one question is a warning, both kept."""
    records = _sample_as_records()
    for n, record in enumerate(records):
        record |= {
            "question_id": "Q-7",
            "answer_id": f"A-{n}",
            "url": f"https://x.test/{n}",
            "date": f"2024-01-{n + 1:02d}",
        }
    records[1]["answer_id"] = "A-0"  # the same id twice
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")

    answers = _inspect_json(path)["questions"][0]["answers"]
    assert [(a.get("source_id"), a.get("date")) for a in answers[:3]] == [
        ("A-0", "2024-01-01"),
        ("A-0", "2024-01-02"),
        ("A-2", "2024-01-03"),
    ]
    out = tmp_path / "out"
    proc = run_cli(*quick_run_args(path, out, tmp_path / "cache"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    with (out / "paragraphs.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_author = {r["author"]: r for r in rows}
    first = by_author[records[0]["author"]]
    assert (first["source_question_id"], first["source_answer_id"], first["url"], first["date"]) == (
        "Q-7",
        "A-0",
        "https://x.test/0",
        "2024-01-01",
    )
    warnings = json.loads((out / "manifest.json").read_text("utf-8"))["warnings"]
    assert any("answer_id 'A-0'" in w and "2 times" in w for w in warnings), warnings


def test_language_centering_is_a_strict_boolean():
    """Item 18: embeddings.language_centering = "yes" is refused like every other boolean."""
    line = one_line_error(
        run_cli("validate", "configs/default.toml", "--set", 'embeddings.language_centering="yes"')
    )
    assert "embeddings.language_centering" in line


def test_deep_toml_and_huge_integers_are_config_errors(tmp_path):
    """Item 10: a deeply nested TOML config (RecursionError) and a 20-digit min_topic_size
    (validated, then an OverflowError in the run) are one line, exit 2, naming file or key."""
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    assert str(deep) in one_line_error(run_cli("validate", str(deep)))
    huge = ["--set", "topics.min_topic_size=99999999999999999999"]
    assert "topics.min_topic_size" in one_line_error(run_cli("validate", "configs/default.toml", *huge))
    args = quick_run_args(SAMPLE, tmp_path / "out", tmp_path / "cache", *huge)
    assert "topics.min_topic_size" in one_line_error(run_cli(*args))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        # a NUL byte in a cell: one line naming the file
        ("nul.csv", b"question,author,text\nQ,A,some long enough \x00 text\n", "NUL"),
        # a folder named like a file, holding nothing to read
        ("x.jsonl/", None, "no paragraphs found"),
    ],
)
def test_probes_refused_in_one_line(tmp_path, name, content, expected):
    """Probe: hostile files the issue did not name are refused in one line naming them."""
    path = tmp_path / name.rstrip("/")
    if content is None:
        path.mkdir()
        (path / "notes.bin").write_bytes(b"\x01\x02")
    else:
        path.write_bytes(content)
    line = one_line_error(run_cli("inspect", str(path)))
    assert str(path) in line and expected in line


def test_probes_read_bom_header_and_crlf_in_quoted_cells(tmp_path):
    """Probe: a CSV saved by Excel (BOM before the header, CRLF rows and a CRLF inside a quoted
    cell) is read: the header's first name is 'question', the cell's lines are two paragraphs."""
    path = tmp_path / "excel.csv"
    path.write_bytes(
        b"\xef\xbb\xbfquestion,author,text\r\n"
        b'Q,Ann,"First line of the answer.\r\nSecond line of the answer."\r\n'
        b"Q,Bob,Another answer long enough.\r\n"
    )
    data = _inspect_json(path)
    (question,) = data["questions"]
    assert question["title"] == "Q"
    texts = [[p["text"] for p in a["paragraphs"]] for a in question["answers"]]
    assert texts == [
        ["First line of the answer.", "Second line of the answer."],
        ["Another answer long enough."],
    ]
