"""Round two of the red team (issue 31): what a curation, a notebook and `compare --html` got
wrong on 8400792. Each test fails there and passes here."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import themescope
from themescope.corpus import read_corpus

from .helpers import SAMPLE, one_line_error, quick_run_args, run_cli

# A label with C1 controls (NEL, CSI) and a bidi override: valid in a curation, and what a
# terminal must not receive raw.
HOSTILE_LABEL = "Pivot\x85to\x9b2J Asia\u202eend"
PIVOT = {"id": "q1-a2-p3", "text": "早在2012年,奧巴馬第二個任期剛剛開始之時就提出"}


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> Path:
    """The sample run with a curation: one step anchored with its text, one by a bare id."""
    root = tmp_path_factory.mktemp("round-two")
    curation = root / "curation.toml"
    curation.write_text(
        "[[curation.steps]]\n"
        f"rename = {{ id = {json.dumps(PIVOT['id'])}, "
        f"text = {json.dumps(PIVOT['text'], ensure_ascii=False)} }}\n"
        f"label = {json.dumps(HOSTILE_LABEL)}\n"
        "\n[[curation.steps]]\n"
        'rename = "q1-a5-p1"\n'
        'label = "By id alone"\n',
        encoding="utf-8",
    )
    out = root / "run"
    proc = run_cli(*quick_run_args(SAMPLE, out, root / "cache"), "--curation", str(curation))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_curate_toml_reads_back_a_label_with_control_characters(curated, tmp_path):
    shown = run_cli("curate", str(curated), "--toml")
    assert shown.returncode == 0, shown.stderr
    assert not any(0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in shown.stdout), repr(shown.stdout)
    saved = tomllib.loads(shown.stdout)
    assert saved["curation"]["steps"][0]["label"] == HOSTILE_LABEL
    again = tmp_path / "again.toml"
    again.write_text(shown.stdout, encoding="utf-8")
    checked = run_cli("validate", "configs/default.toml", "--curation", str(again))
    assert checked.returncode == 0, checked.stderr


def test_a_bare_id_anchor_is_reported_as_unchecked(curated):
    manifest = json.loads((curated / "manifest.json").read_text("utf-8"))
    statuses = [
        [a["status"] for a in s["anchors"]]
        for s in json.loads((curated / "topics.json").read_text("utf-8"))["curation"]["steps"]
    ]
    assert statuses == [["held"], ["unchecked"]]
    warning = next(w for w in manifest["warnings"] if "paragraph id alone" in w)
    assert "curation.steps.1 (rename): q1-a5-p1" in warning
    assert "curation.steps.0" not in warning
    assert "paragraph id alone" in (curated / "report.html").read_text("utf-8")
    shown = run_cli("curate", str(curated))
    assert "anchors: 0 of 1 held, 1 by id alone" in shown.stdout, shown.stdout


def test_compare_html_refuses_a_symbolic_link(curated, tmp_path):
    victim = tmp_path / "victim.html"
    victim.write_text('<meta name="generator" content="themescope compare">mine', encoding="utf-8")
    link = tmp_path / "page.html"
    link.symlink_to(victim)
    for extra in ([], ["--force"]):
        proc = run_cli("compare", str(curated), str(curated), "--html", str(link), *extra)
        assert "symbolic link" in one_line_error(proc)
        assert link.is_symlink() and victim.read_text("utf-8").endswith("mine")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """The sample's paragraphs as records, one paragraph each, with their authors."""
    (question,) = read_corpus([SAMPLE]).questions
    return [
        {"question": question.title, "author": answer.author, "text": p.text}
        for answer in question.answers
        for p in answer.paragraphs
    ]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA], ids=["None", "NaN", "NA"])
def test_a_record_without_text_is_an_empty_answer_in_a_notebook_too(records, missing, cache):
    frame = pd.DataFrame(records)
    frame["text"] = frame["text"].astype(object)
    frame.loc[3, "text"] = missing
    run = themescope.fit(frame, embeddings__cache_dir=str(cache))
    assert len(run.paragraphs) == len(records) - 1
    assert [(d.reason, d.line) for d in run.manifest.dropped] == [("empty answer", 4)]


def test_a_list_of_records_with_text_none_goes_on(records, cache):
    given = [*records[:5], {**records[5], "text": None}, *records[6:]]
    run = themescope.fit(given, embeddings__cache_dir=str(cache))
    assert len(run.paragraphs) == len(records) - 1


def test_keyword_settings_carry_python_values(records, cache):
    themes = [
        {
            "name": "Sanctions",
            "description": "Economic sanctions against Russia",
            "keywords": ["sanctions", "制裁"],
        }
    ]
    steps = [{"rename": PIVOT, "label": "Strategy pivot"}]
    run = themescope.fit(
        records,
        topics__guided_themes=themes,
        curation__steps=steps,
        topics__nr_topics=None,
        topics__seed=np.int64(7),
        embeddings__cache_dir=cache,
    )
    config = run.manifest.config
    assert config["topics"]["guided_themes"][0]["name"] == "Sanctions"
    assert config["topics"]["nr_topics"] is None and config["topics"]["seed"] == 7
    assert config["curation"]["steps"][0]["label"] == "Strategy pivot"
    assert config["embeddings"]["cache_dir"] == str(cache)
    assert "Strategy pivot" in run.topics["label"].tolist()


def test_a_bad_keyword_setting_is_a_themescope_error(records):
    from themescope.errors import ConfigError

    with pytest.raises(ConfigError, match=r"topics\.nr_topics"):
        themescope.fit(records[:5], topics__nr_topics=[1, 2])


def test_themescope_run_stays_the_function_after_the_run_folder_is_read(curated):
    # The run folder's module was themescope/run.py: importing it (load_run does) replaced the
    # documented themescope.run(...) with the module.
    themescope.load_run(curated)
    from themescope import run

    assert callable(themescope.run) and run is themescope.run and run.__module__ == "themescope"


def test_broad_themes_read_back_as_the_numbers_they_were(curated):
    column = themescope.load_run(curated).paragraphs["broad_theme"].tolist()
    assert all(isinstance(b, int) or b == "" for b in column) and any(isinstance(b, int) for b in column)


def test_missing_texts_in_a_list_or_a_series_are_empty_answers(records, cache):
    texts = [r["text"] for r in records]
    run = themescope.fit([*texts, None, math.nan], embeddings__cache_dir=str(cache))
    assert len(run.paragraphs) == len(texts)
    assert [d.reason for d in run.manifest.dropped] == ["empty answer", "empty answer"]
    again = themescope.fit(pd.Series(texts), embeddings__cache_dir=str(cache))
    assert (
        again.topics["label"].tolist()
        == themescope.fit(texts, embeddings__cache_dir=str(cache)).topics["label"].tolist()
    )


def test_paths_in_a_config_dict_are_taken_as_text(cache, tmp_path):
    config = {"input": {"paths": [SAMPLE]}, "embeddings": {"cache_dir": cache}}
    run = themescope.run(config, out=tmp_path / "run")
    assert run.manifest.config["embeddings"]["cache_dir"] == str(cache)
    assert (tmp_path / "run" / "report.html").is_file()


@pytest.mark.parametrize(
    "text",
    [
        "🇺🇸🇷🇺🇨🇳🇯🇵" * 400,
        "👍🏽" * 2000,
        "re\u0301sume\u0301" * 600,
        "1\ufe0f\u20e32\ufe0f\u20e3" * 1500,
        "👨\u200d👩\u200d👧" * 500,
    ],
    ids=["flags", "skin-tones", "combining-accents", "keycaps", "zwj-family"],
)
def test_a_long_run_without_spaces_is_never_cut_inside_a_character(text):
    import regex

    from themescope.corpus.clean import split_long

    pieces = split_long(text, 400)
    assert len(pieces) > 1 and "".join(pieces) == text
    whole = {m.end() for m in regex.finditer(r"\X", text)}
    cuts = np.cumsum([len(p) for p in pieces])[:-1]
    assert set(cuts.tolist()) <= whole
