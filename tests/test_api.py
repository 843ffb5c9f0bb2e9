"""The Python API a notebook user reaches for: fit, Run, load_run, and the README's examples."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import plotly.graph_objects as go
import pytest

import themescope
from themescope.corpus import read_corpus
from themescope.errors import InputError
from themescope.runs import SCHEMA_VERSION, Run

from .conftest import README, ROOT, SAMPLE


@pytest.fixture(scope="module")
def sample_texts() -> list[str]:
    return [p.text for p in read_corpus([SAMPLE]).paragraphs()]


@pytest.fixture(scope="module")
def fitted(sample_texts, cache_dir) -> Run:
    return themescope.fit(sample_texts, embeddings__cache_dir=str(cache_dir))


def test_fit_on_the_sample_texts_finds_the_topics_the_cli_wrote(
    sample_texts, sample_run, cache_dir, tmp_path
):
    # In a fresh process, as a notebook starts.
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(sample_texts, ensure_ascii=False), encoding="utf-8")
    script = (
        "import json, sys, themescope\n"
        "texts = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
        "run = themescope.fit(texts, embeddings__cache_dir=sys.argv[2])\n"
        "assert run.directory is None and run.report_path is None\n"
        "print(run.topics[['label', 'size', 'keywords']].to_json(orient='records', force_ascii=False))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(texts), str(cache_dir)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    fitted = json.loads(proc.stdout.strip().splitlines()[-1])
    written = json.loads((sample_run[0] / "topics.json").read_text(encoding="utf-8"))["topics"]
    assert [t["label"] for t in fitted] == [t["label"] for t in written]
    assert [t["size"] for t in fitted] == [t["size"] for t in written]
    assert [t["keywords"] for t in fitted] == [[w for w, _ in t["keywords"]] for t in written]


def test_fit_writes_nothing_without_out_and_no_cache_with_cache_false(sample_texts, tmp_path, monkeypatch):
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    monkeypatch.chdir(work)
    run = themescope.fit(sample_texts[:30], cache=False, embeddings__cache_dir=str(cache))
    assert len(run.paragraphs) == 30
    assert list(work.iterdir()) == [] and not cache.exists()


def test_a_dataframe_of_records_keeps_its_authors_and_the_callers_dict_is_untouched(sample_run, cache_dir):
    rows = pd.read_csv(sample_run[0] / "paragraphs.csv", keep_default_na=False)
    records = rows[["author", "text"]].assign(question="美俄關係")
    run = themescope.fit(records, embeddings__cache_dir=str(cache_dir))
    assert run.paragraphs["author"].tolist() == rows["author"].tolist()
    config = {"topics": {"seed": 1}, "input": {"paths": [str(SAMPLE)]}}
    with pytest.raises(InputError):
        themescope.fit(42, config)
    assert config == {"topics": {"seed": 1}, "input": {"paths": [str(SAMPLE)]}}


def test_run_is_shown_and_drawn(fitted):
    assert isinstance(fitted.figure("map"), go.Figure)
    assert fitted.figure("map").layout.template.layout.plot_bgcolor == "white"  # the report's look
    assert set(fitted.figures()) == {
        "map",
        "broad_themes",
        "keywords",
        "authors",
        "flow",
        "answers",
        "similarity",
    }
    with pytest.raises(KeyError, match="the figures are map"):
        fitted.figure("nope")
    with pytest.raises(KeyError, match="no 'time' figure: none of its paragraphs has a date"):
        fitted.figure("time")  # one undated question: no time or question views

    page = fitted._repr_html_()
    assert fitted.topics["label"].iloc[0] in page
    fitted.manifest.title = "<script>alert(1)</script>"
    assert "<script>" not in fitted._repr_html_() and "&lt;script&gt;" in fitted._repr_html_()


def test_a_dated_run_of_several_questions_has_the_time_and_question_figures(dated_questions_run):
    import themescope

    run = themescope.load_run(dated_questions_run)
    assert {"time", "questions"} <= set(run.figures())
    assert run.figure("time").layout.meta["period"] == "month"
    assert run.figure("questions").layout.meta["questions"] == ["q1", "q2", "q3"]
    assert [q.title for q in run.manifest.questions][1].startswith("Sanctions and containment")


def test_a_written_run_loads_back_and_a_newer_schema_is_refused_in_one_line(sample_run, tmp_path):
    run = themescope.load_run(sample_run[0])
    assert run.manifest.schema_version == SCHEMA_VERSION
    assert len(run.paragraphs) == run.manifest.counts.paragraphs
    written = json.loads((sample_run[0] / "topics.json").read_text(encoding="utf-8"))
    assert run.topics_document().to_json() == written
    assert run.topics["exemplars"].tolist() == [t["exemplars"] for t in written["topics"]]
    _ = run.topics  # through the DataFrame, the same document
    assert run.topics_document().to_json() == written
    old = tmp_path / "old"
    old.mkdir()
    for name in ("paragraphs.csv", "topics.json"):
        (old / name).write_bytes((sample_run[0] / name).read_bytes())
    manifest = json.loads((sample_run[0] / "manifest.json").read_text(encoding="utf-8"))
    unnumbered = {k: v for k, v in manifest.items() if k != "schema_version"}
    (old / "manifest.json").write_text(json.dumps(unnumbered))
    assert themescope.load_run(old).manifest.schema_version == 1  # written before the schema was numbered
    (old / "manifest.json").write_text(json.dumps(manifest | {"schema_version": SCHEMA_VERSION + 1}))
    with pytest.raises(InputError, match=r"schema \d+, newer than this themescope reads") as caught:
        themescope.load_run(old)
    assert "\n" not in str(caught.value)


def python_examples() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.mark.slow  # the README's examples fit whole runs
@pytest.mark.parametrize("number", range(len(python_examples())))
def test_the_readmes_python_examples_run(number, tmp_path, monkeypatch, cache_dir):
    shown = []
    monkeypatch.setattr(go.Figure, "show", lambda self, *a, **k: shown.append(self))  # no display here
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_dir.parent / "xdg"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "configs").symlink_to(ROOT / "configs")
    exec(compile(python_examples()[number], f"README.md example {number + 1}", "exec"), {})
    assert shown or number > 0


def test_a_long_cold_embedding_tells_the_user_of_the_faster_model(
    sample_texts, tmp_path, monkeypatch, capsys
):
    from themescope.embeddings import registry

    monkeypatch.setattr(registry, "SLOW_EMBEDDING_TEXTS", 20)  # 20,000 takes eight minutes
    themescope.fit(sample_texts[:25], quiet=False, embeddings__cache_dir=str(tmp_path))
    err = capsys.readouterr().err
    assert "Embedding 25 new texts with e5-small" in err and '"builtin-use"' in err
    themescope.fit(sample_texts[:25], quiet=False, embeddings__cache_dir=str(tmp_path / "other"))
    themescope.fit(sample_texts[:25], quiet=False, embeddings__cache_dir=str(tmp_path / "other"))
    assert capsys.readouterr().err.count("new texts") == 1  # the second run embeds nothing
    themescope.fit(sample_texts[:25], embeddings__cache_dir=str(tmp_path / "quiet"))
    assert "new texts" not in capsys.readouterr().err  # quiet: a notebook's fit says nothing
